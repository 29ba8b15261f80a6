// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-top's plain summary (--once, or output that is not a terminal) on
// a known capture: totals, protocols, top talkers and ports.
#include "run.hpp"

#include <gtest/gtest.h>

namespace {

using namespace rawpkt::tooltest;

const std::string sample = quote((corpus_dir / "pcapplusplus__sll.pcap").string());

TEST(Top, OnceOnAKnownFile) {
    const auto r = run(tool("rawpkt-top") + " -r " + sample + " --once --top 3");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string want = (corpus_dir / "pcapplusplus__sll.pcap").string() + "\n" +
                             "packets   518\n"
                             "bytes     451558 (451.6 kB)\n"
                             "duration  51.018 s, 10 packets/s, 70.8 kbit/s\n"
                             "\n"
                             "protocol          packets       %          bytes\n"
                             "sll                   518  100.0%         451558\n"
                             "ip                    510   98.5%         451057\n"
                             "tcp                   483   93.2%         447974\n"
                             "udp                    28    5.4%           3186\n"
                             "arp                     7    1.4%            398\n"
                             "ipv6                    1    0.2%            103\n"
                             "\n"
                             "top talkers                                 packets          bytes\n"
                             "10.0.0.8                                        494         449136\n"
                             "212.199.202.69                                  483         447974\n"
                             "10.0.0.138                                       12           1295\n"
                             "\n"
                             "top ports                                   packets          bytes\n"
                             "tcp/80                                          483         447974\n"
                             "tcp/40800                                       483         447974\n"
                             "udp/53                                           20           2158\n";
    EXPECT_EQ(r.out, want);
}

TEST(Top, NotATerminalPrintsTheSameSummary) {
    const auto once = run(tool("rawpkt-top") + " -r " + sample + " --once");
    const auto plain = run(tool("rawpkt-top") + " -r " + sample); // stdout is a file here
    EXPECT_EQ(plain.status, 0);
    EXPECT_EQ(plain.out, once.out);
}

TEST(Top, FilterAndErrors) {
    const auto udp = run(tool("rawpkt-top") + " -r " + sample + " --once udp port 53");
    EXPECT_EQ(udp.status, 0);
    EXPECT_NE(udp.out.find("(udp port 53)\npackets   20\n"), std::string::npos) << udp.out;
    EXPECT_EQ(run(tool("rawpkt-top") + " -r " + sample + " --once 'udp port'").status, 1);
    EXPECT_EQ(run(tool("rawpkt-top") + " --once").status, 1);
    EXPECT_EQ(run(tool("rawpkt-top") + " -r /nonexistent.pcap --once").status, 2);
    EXPECT_EQ(run(tool("rawpkt-top") + " -i rawpkt-no-such-if0 --once").status, 2);
}

} // namespace
