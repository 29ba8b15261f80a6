// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump's -T fields options (-E header, separator, occurrence,
// aggregator, quote) against tshark's own output for the same options on
// captures whose fields occur several times (VXLAN, Geneve, VLAN stacks,
// MPLS label stacks, ICMP errors): the whole output must be the same, byte
// for byte.
#include "run.hpp"

#include <gtest/gtest.h>

namespace {

using namespace rawpkt::tooltest;

const char* const captures[] = {
    "tcpdump__vxlan.pcap",
    "pcapplusplus__VlanPackets.pcap",
    "tcpdump__mpls-traceroute.pcap",
};

const char* const field_list = " -e frame.number -e eth.src -e vlan.id -e mpls.label -e ip.src -e ip.dst"
                               " -e ip.checksum.status -e udp.srcport -e tcp.flags -e icmp.type";

const char* const option_sets[] = {
    "",
    " -E header=y",
    " -E header=n -E separator=,",
    " -E separator=/s -E occurrence=f",
    " -E 'separator=;' -E occurrence=l -E header=y",
    " -E occurrence=a -E aggregator=/s",
    " -E 'aggregator=;' -E quote=d -E header=y",
    " -E quote=s -E separator=,",
    " -E separator=/x -E aggregator=/x",
    " -E separator=/t -E quote=n -E occurrence=f -E occurrence=a",
};

TEST(DumpFieldsOptions, SameOutputAsTshark) {
    if (!have("tshark")) GTEST_SKIP() << "tshark is not installed";
    for (const char* capture : captures) {
        const auto path = corpus_dir / capture;
        for (const char* opts : option_sets) {
            const auto theirs = run(tshark_fields_command(path) + field_list + opts);
            const auto mine =
                run(tool("rawpkt-dump") + " -r " + quote(path.string()) + " -T fields" + field_list + opts);
            EXPECT_EQ(theirs.status, 0) << theirs.err;
            EXPECT_EQ(mine.status, 0) << capture << opts << ": " << mine.err;
            EXPECT_EQ(mine.out, theirs.out) << capture << " with" << opts;
        }
    }
}

TEST(DumpFieldsOptions, BadOptionsAreUsageErrorsAsInTshark) {
    const auto path = quote((corpus_dir / "tcpdump__vxlan.pcap").string());
    for (const char* bad : {" -E occurrence=x", " -E header=maybe", " -E quote=x", " -E bogus=1", " -E header"}) {
        const auto mine = run(tool("rawpkt-dump") + " -r " + path + " -T fields -e ip.src" + bad);
        EXPECT_EQ(mine.status, 1) << bad;
        EXPECT_NE(mine.err.find("not a valid field output option"), std::string::npos) << mine.err;
        EXPECT_TRUE(mine.out.empty());
        if (have("tshark")) {
            EXPECT_EQ(run(tshark_fields_command(path.substr(1, path.size() - 2)) + " -e ip.src" + bad).status, 1)
                << "tshark" << bad;
        }
    }
    const auto unknown = run(tool("rawpkt-dump") + " -r " + path + " -T fields -e ip.nonsense");
    EXPECT_EQ(unknown.status, 1);
    EXPECT_NE(unknown.err.find("unknown field 'ip.nonsense'"), std::string::npos) << unknown.err;
    EXPECT_EQ(run(tool("rawpkt-dump") + " -r " + path + " -T fields").status, 1); // no -e
    EXPECT_EQ(run(tool("rawpkt-dump") + " -r " + path + " -e ip.src").status, 1); // -e without -T fields
}

TEST(DumpFieldsOptions, ListFields) {
    const auto r = run(tool("rawpkt-dump") + " --list-fields");
    EXPECT_EQ(r.status, 0);
    const auto names = lines(r.out);
    ASSERT_GE(names.size(), 58u);
    EXPECT_EQ(names.front(), "frame.number");
    EXPECT_EQ(names.back(), "dhcp.option.dhcp");
}

} // namespace
