/* SPDX-License-Identifier: BSD-3-Clause */
/* libpcap's live capture at its least: pcap_dispatch with a callback that
 * counts frames and touches the first byte of each, promiscuous, 10 ms
 * timeout and the same 64 MiB buffer as tpacket_floor (libpcap's own ring
 * on Linux is TPACKET_V3 too), until SIGINT or SIGTERM; then prints
 *
 *   CAPBENCH captured=N drops=D
 *
 * Usage: pcap_floor <interface>
 */
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static pcap_t* pcap = NULL;
static void on_signal(int sig) {
    (void)sig;
    pcap_breakloop(pcap);
}

struct counts {
    unsigned long long captured;
    unsigned touched;
};

static void on_frame(u_char* user, const struct pcap_pkthdr* h, const u_char* bytes) {
    struct counts* c = (struct counts*)user;
    if (h->caplen > 0) c->touched += bytes[0];
    ++c->captured;
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <interface>\n", argv[0]);
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap = pcap_create(argv[1], err);
    if (pcap == NULL) {
        fprintf(stderr, "pcap_floor: %s\n", err);
        return 1;
    }
    pcap_set_snaplen(pcap, 262144);
    pcap_set_promisc(pcap, 1);
    pcap_set_timeout(pcap, 10);
    pcap_set_buffer_size(pcap, 64 << 20);
    if (pcap_activate(pcap) < 0) {
        fprintf(stderr, "pcap_floor: %s\n", pcap_geterr(pcap));
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct counts c = {0, 0};
    while (pcap_dispatch(pcap, -1, on_frame, (u_char*)&c) >= 0) {
    }
    struct pcap_stat st;
    memset(&st, 0, sizeof st);
    pcap_stats(pcap, &st);
    printf("CAPBENCH captured=%llu drops=%u\n", c.captured, st.ps_drop);
    fprintf(stderr, "pcap_floor: checksum %u\n", c.touched);
    pcap_close(pcap);
    return 0;
}
