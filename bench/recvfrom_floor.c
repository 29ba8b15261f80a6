/* SPDX-License-Identifier: BSD-3-Clause */
/* What a plain AF_PACKET receiver does without a ring (libpnet's Linux
 * datalink channel): poll, then one recvfrom per frame into a buffer,
 * promiscuous mode, the default socket buffer. It counts frames and touches
 * the first byte of each until SIGINT or SIGTERM, then prints
 *
 *   CAPBENCH captured=N drops=D
 *
 * Usage: recvfrom_floor <interface>
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
        fprintf(stderr, "recvfrom_floor: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) {
        perror("recvfrom_floor: socket");
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
        perror("recvfrom_floor: bind");
        return 1;
    }

    static uint8_t buf[65536];
    unsigned long long captured = 0;
    unsigned touched = 0;
    while (!stop) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        struct sockaddr_ll from;
        socklen_t fromlen = sizeof from;
        const ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr*)&from, &fromlen);
        if (n <= 0) continue;
        touched += buf[0];
        ++captured;
    }
    struct tpacket_stats st;
    socklen_t len = sizeof st;
    memset(&st, 0, sizeof st);
    getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len);
    printf("CAPBENCH captured=%llu drops=%u\n", captured, st.tp_drops);
    fprintf(stderr, "recvfrom_floor: checksum %u\n", touched);
    close(fd);
    return 0;
}
