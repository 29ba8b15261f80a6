/* SPDX-License-Identifier: BSD-3-Clause */
/* The floor for AF_XDP capture: the least an AF_XDP receive loop can do
 * (Documentation/networking/af_xdp.rst), with rawpkt's XDP program (the
 * object file the build compiled) and the same geometry as rawpkt's
 * backend::xdp defaults (queue 0, 2048 RX/fill entries, 4096-byte frames,
 * 64 frames per batch, need-wakeup, poll() when the RX ring is empty). It
 * counts frames and touches the first byte of each until SIGINT or
 * SIGTERM, then prints
 *
 *   CAPBENCH captured=N drops=D
 *
 * Usage: xdp_floor <interface> <rawpkt_xdp.bpf.o>
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/xsk.h>

enum { ring_size = 2048, frame_size = 4096, batch = 64 };

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

int main(int argc, char** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s <interface> <rawpkt_xdp.bpf.o>\n", argv[0]);
        return 2;
    }
    const unsigned ifindex = if_nametoindex(argv[1]);
    if (ifindex == 0) {
        fprintf(stderr, "xdp_floor: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct bpf_object* obj = bpf_object__open_file(argv[2], NULL);
    if (obj == NULL || bpf_object__load(obj) != 0) {
        fprintf(stderr, "xdp_floor: cannot load %s\n", argv[2]);
        return 1;
    }
    const int prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "rawpkt_xdp"));
    const int xsks_fd = bpf_object__find_map_fd_by_name(obj, "rawpkt_xsks");

    const size_t area_size = (size_t)ring_size * frame_size;
    uint8_t* const area = mmap(NULL, area_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct xsk_ring_prod fill;
    struct xsk_ring_cons comp, rx;
    struct xsk_umem* umem = NULL;
    struct xsk_umem_config ucfg = {ring_size, ring_size, frame_size, 0, 0};
    if (area == MAP_FAILED || xsk_umem__create(&umem, area, area_size, &fill, &comp, &ucfg) != 0) {
        fprintf(stderr, "xdp_floor: umem\n");
        return 1;
    }
    struct xsk_socket_config scfg;
    memset(&scfg, 0, sizeof scfg);
    scfg.rx_size = ring_size;
    scfg.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD;
    scfg.bind_flags = XDP_USE_NEED_WAKEUP | XDP_COPY;
    struct xsk_socket* xsk = NULL;
    if (xsk_socket__create(&xsk, argv[1], 0, umem, &rx, NULL, &scfg) != 0) {
        fprintf(stderr, "xdp_floor: socket\n");
        return 1;
    }
    const int fd = xsk_socket__fd(xsk);
    uint32_t idx = 0;
    xsk_ring_prod__reserve(&fill, ring_size, &idx);
    for (uint32_t i = 0; i < ring_size; ++i) *xsk_ring_prod__fill_addr(&fill, idx + i) = (uint64_t)i * frame_size;
    xsk_ring_prod__submit(&fill, ring_size);
    const uint32_t queue = 0;
    LIBBPF_OPTS(bpf_link_create_opts, lopts, .flags = XDP_FLAGS_DRV_MODE);
    if (bpf_map_update_elem(xsks_fd, &queue, &fd, BPF_ANY) != 0 ||
        bpf_link_create(prog_fd, (int)ifindex, BPF_XDP, &lopts) < 0) {
        fprintf(stderr, "xdp_floor: attach: %s\n", strerror(errno));
        return 1;
    }

    unsigned long long captured = 0;
    unsigned touched = 0;
    while (!stop) {
        const uint32_t n = xsk_ring_cons__peek(&rx, batch, &idx);
        if (n == 0) {
            if (xsk_ring_prod__needs_wakeup(&fill)) recvfrom(fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
            struct pollfd p = {fd, POLLIN, 0};
            poll(&p, 1, 100);
            continue;
        }
        uint32_t fidx = 0;
        xsk_ring_prod__reserve(&fill, n, &fidx);
        for (uint32_t i = 0; i < n; ++i) {
            const struct xdp_desc* d = xsk_ring_cons__rx_desc(&rx, idx + i);
            touched += area[d->addr];
            *xsk_ring_prod__fill_addr(&fill, fidx + i) = d->addr;
        }
        xsk_ring_cons__release(&rx, n);
        xsk_ring_prod__submit(&fill, n);
        captured += n;
    }
    struct xdp_statistics st;
    socklen_t len = sizeof st;
    memset(&st, 0, sizeof st);
    getsockopt(fd, SOL_XDP, XDP_STATISTICS, &st, &len);
    printf("CAPBENCH captured=%llu drops=%llu\n", captured, (unsigned long long)(st.rx_dropped + st.rx_ring_full));
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "xdp_floor: cpu user %.3f s sys %.3f s (checksum %u)\n",
            (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, touched);
    xsk_socket__delete(xsk);
    xsk_umem__delete(umem);
    bpf_object__close(obj);
    return 0;
}
