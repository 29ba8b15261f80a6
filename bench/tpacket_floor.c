/* SPDX-License-Identifier: BSD-3-Clause */
/* The floor for live capture: the least a TPACKET_V3 receive loop can do
 * (Documentation/networking/packet_mmap.rst), with the same ring geometry
 * as rawpkt's defaults (1 MiB x 64 blocks, 10 ms block timeout, promiscuous
 * mode). It counts frames and touches the first byte of each until SIGINT
 * or SIGTERM, then prints
 *
 *   CAPBENCH captured=N drops=D
 *
 * Usage: tpacket_floor <interface>
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
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

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <interface>\n", argv[0]);
        return 2;
    }
    const unsigned ifindex = if_nametoindex(argv[1]);
    if (ifindex == 0) {
        fprintf(stderr, "tpacket_floor: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const int fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0) {
        perror("tpacket_floor: socket");
        return 1;
    }
    int version = TPACKET_V3;
    struct tpacket_req3 req;
    memset(&req, 0, sizeof req);
    req.tp_block_size = 1u << 20;
    req.tp_block_nr = 64;
    req.tp_frame_size = 2048;
    req.tp_frame_nr = req.tp_block_size / req.tp_frame_size * req.tp_block_nr;
    req.tp_retire_blk_tov = 10;
    if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0 ||
        setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) != 0) {
        perror("tpacket_floor: ring");
        return 1;
    }
    const size_t size = (size_t)req.tp_block_size * req.tp_block_nr;
    uint8_t* const ring = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED) {
        perror("tpacket_floor: mmap");
        return 1;
    }
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = (int)ifindex;
    struct packet_mreq mr;
    memset(&mr, 0, sizeof mr);
    mr.mr_ifindex = (int)ifindex;
    mr.mr_type = PACKET_MR_PROMISC;
    if (bind(fd, (struct sockaddr*)&sll, sizeof sll) != 0 ||
        setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0) {
        perror("tpacket_floor: bind");
        return 1;
    }

    unsigned long long captured = 0;
    unsigned touched = 0;
    unsigned block = 0;
    while (!stop) {
        struct tpacket_block_desc* bd = (struct tpacket_block_desc*)(ring + (size_t)block * req.tp_block_size);
        if ((__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) == 0) {
            struct pollfd p = {fd, POLLIN | POLLERR, 0};
            poll(&p, 1, 100);
            continue;
        }
        const uint32_t n = bd->hdr.bh1.num_pkts;
        struct tpacket3_hdr* h = (struct tpacket3_hdr*)((uint8_t*)bd + bd->hdr.bh1.offset_to_first_pkt);
        for (uint32_t i = 0; i < n; ++i) {
            touched += ((const uint8_t*)h)[h->tp_mac];
            h = (struct tpacket3_hdr*)((uint8_t*)h + h->tp_next_offset);
        }
        captured += n;
        __atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        block = (block + 1) % req.tp_block_nr;
    }
    struct tpacket_stats_v3 st;
    socklen_t len = sizeof st;
    memset(&st, 0, sizeof st);
    getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len);
    printf("CAPBENCH captured=%llu drops=%u\n", captured, st.tp_drops);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "tpacket_floor: cpu user %.3f s sys %.3f s (checksum %u)\n",
            (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, touched);
    munmap(ring, size);
    close(fd);
    return 0;
}
