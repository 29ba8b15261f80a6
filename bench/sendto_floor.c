/* SPDX-License-Identifier: BSD-3-Clause */
/* What a plain AF_PACKET sender does without a ring (libpnet's Linux
 * datalink channel, a sendto loop): one sendto per frame from one buffer,
 * the default socket buffer. With `bypass` the frames skip the qdisc layer
 * (PACKET_QDISC_BYPASS), as trafgen and rawpkt's senders in the transmit
 * comparison do. When the socket buffer is full (ENOBUFS) it polls for room
 * and sends the frame again. It sends the frame flood_send sends, numbered,
 * then prints
 *
 *   TXBENCH sent=N failed=F seconds=S
 *
 * Usage: sendto_floor <interface> <count> [size] [bypass]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: %s <interface> <count> [size] [bypass]\n", argv[0]);
        return 2;
    }
    const unsigned ifindex = if_nametoindex(argv[1]);
    if (ifindex == 0) {
        fprintf(stderr, "sendto_floor: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    const unsigned long long count = strtoull(argv[2], NULL, 10);
    const size_t size = argc >= 4 ? strtoul(argv[3], NULL, 10) : 60;
    static uint8_t frame[9000];
    if (size < 22 || size > sizeof frame) {
        fprintf(stderr, "sendto_floor: size must be 22 .. %zu\n", sizeof frame);
        return 2;
    }
    /* Locally administered unicast addresses, EtherType 0x88b5 (IEEE 802
     * local experimental), zero padding: flood_send's frame. */
    const uint8_t head[14] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xb5};
    memcpy(frame, head, sizeof head);

    /* Protocol 0: the socket sends only, it receives nothing. */
    const int fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0) {
        perror("sendto_floor: socket");
        return 1;
    }
    if (argc == 5 && strcmp(argv[4], "bypass") == 0) {
        const int one = 1;
        if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) != 0) {
            perror("sendto_floor: PACKET_QDISC_BYPASS");
            return 1;
        }
    }
    struct sockaddr_ll to;
    memset(&to, 0, sizeof to);
    to.sll_family = AF_PACKET;
    to.sll_ifindex = (int)ifindex;
    to.sll_halen = ETH_ALEN;
    memcpy(to.sll_addr, head, ETH_ALEN);

    unsigned long long sent = 0, failed = 0;
    const double start = now();
    for (unsigned long long i = 0; i < count; ++i) {
        const uint32_t seq = (uint32_t)i;
        memcpy(frame + 14, &seq, sizeof seq);
        for (;;) {
            if (sendto(fd, frame, size, 0, (const struct sockaddr*)&to, sizeof to) == (ssize_t)size) {
                ++sent;
                break;
            }
            if (errno == ENOBUFS || errno == EAGAIN) {
                struct pollfd p = {fd, POLLOUT, 0};
                poll(&p, 1, 10);
                continue;
            }
            if (errno == EINTR) continue;
            ++failed;
            break;
        }
    }
    printf("TXBENCH sent=%llu failed=%llu seconds=%.3f\n", sent, failed, now() - start);
    close(fd);
    return failed == 0 ? 0 : 1;
}
