// SPDX-License-Identifier: BSD-3-Clause
// Classic BPF filters: libpcap's compiler, the rewrite for cooked sockets,
// and the checks the kernel would make. No network needed.
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/filter.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace dl = rawpkt::datalink;
using rawpkt::errc;
using rawpkt::link_type;

constexpr std::uint16_t ld_h_abs = 0x28, ld_b_abs = 0x30, ld_h_ind = 0x48, ldx_b_msh = 0xb1;
constexpr std::uint16_t jeq_k = 0x15, ret_k = 0x06;
constexpr std::uint32_t skf_ad_protocol = 0xfffff000u, skf_ad_pkttype = 0xfffff004u;

TEST(datalink_filter, compiles_tcpdump_expressions) {
    if (!dl::has_filter_compiler()) GTEST_SKIP() << "built without libpcap";
    const auto p = dl::compile_filter("tcp port 443", link_type::ethernet, 262144);
    ASSERT_TRUE(p);
    EXPECT_GT(p->size(), 5u);
    EXPECT_TRUE(dl::check_program(*p));
    // The first instruction loads the EtherType; the last accept keeps the snaplen.
    EXPECT_EQ((*p)[0], (dl::bpf_instruction{ld_h_abs, 0, 0, 12}));
    bool keeps_snaplen = false;
    for (const auto& in : *p) keeps_snaplen = keeps_snaplen || (in.code == ret_k && in.k == 262144);
    EXPECT_TRUE(keeps_snaplen);
    // The snaplen is the accepting return value.
    const auto small = dl::compile_filter("ip", link_type::ethernet, 96);
    ASSERT_TRUE(small);
    bool ret96 = false;
    for (const auto& in : *small) ret96 = ret96 || (in.code == ret_k && in.k == 96);
    EXPECT_TRUE(ret96);
    // Raw IP links.
    EXPECT_TRUE(dl::compile_filter("udp", link_type::raw, 65535));
    // Disassembly, as tcpdump -d prints it.
    EXPECT_EQ(dl::to_string((*p)[0], 0), "(000) ldh      [12]");
}

TEST(datalink_filter, bad_expressions_give_libpcaps_message) {
    if (!dl::has_filter_compiler()) GTEST_SKIP() << "built without libpcap";
    std::string why;
    auto p = dl::compile_filter("tcp port and and", link_type::ethernet, 262144, &why);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, errc::bad_value);
    EXPECT_EQ(dl::step_of(p.error()), dl::step::filter_compile);
    EXPECT_NE(why.find("syntax error"), std::string::npos) << why;
    p = dl::compile_filter("udp port 4x3", link_type::ethernet, 262144, &why);
    ASSERT_FALSE(p);
    EXPECT_NE(why.find("4x3"), std::string::npos) << why;
    // Without a message pointer it still fails cleanly.
    EXPECT_FALSE(dl::compile_filter("(((", link_type::ethernet, 262144));
}

TEST(datalink_filter, cooked_rewrite_moves_loads_and_uses_ancillary_data) {
    if (!dl::has_filter_compiler()) GTEST_SKIP() << "built without libpcap";
    // For LINUX_SLL: protocol at 14, IP header at 16, header length via
    // ldxb 4*([16]&0xf), ports via ldh [x + 16].
    const auto sll = dl::compile_filter("udp port 9999", link_type::linux_sll, 262144);
    ASSERT_TRUE(sll);
    const auto cooked = dl::cooked_program(*sll);
    ASSERT_TRUE(cooked);
    ASSERT_EQ(cooked->size(), sll->size());
    bool saw_protocol = false, saw_msh = false, saw_ind = false;
    for (std::size_t i = 0; i < sll->size(); ++i) {
        const auto& before = (*sll)[i];
        const auto& after = (*cooked)[i];
        EXPECT_EQ(before.code, after.code);
        if (before.code == ld_h_abs && before.k == 14) {
            EXPECT_EQ(after.k, skf_ad_protocol);
            saw_protocol = true;
        } else if (before.code == ldx_b_msh) {
            EXPECT_EQ(after.k, before.k - 16);
            saw_msh = true;
        } else if (before.code == ld_h_ind) {
            EXPECT_EQ(after.k, before.k - 16);
            saw_ind = true;
        } else if ((before.code & 0x07) <= 1 && (before.code & 0xe0) == 0x20) {
            EXPECT_EQ(after.k, before.k - 16);
        } else {
            EXPECT_EQ(before, after);
        }
    }
    EXPECT_TRUE(saw_protocol && saw_msh && saw_ind);
    // The packet type: "inbound" reads the first field.
    const auto in = dl::compile_filter("inbound", link_type::linux_sll, 262144);
    ASSERT_TRUE(in);
    const auto in_cooked = dl::cooked_program(*in);
    ASSERT_TRUE(in_cooked);
    EXPECT_EQ((*in_cooked)[0].k, skf_ad_pkttype);
}

TEST(datalink_filter, cooked_rewrite_refuses_other_header_fields) {
    // ldb [6] reads the link-layer address: the kernel has no such field.
    const auto p = dl::cooked_program({{ld_b_abs, 0, 0, 6}, {ret_k, 0, 0, 0}});
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, errc::unsupported);
    EXPECT_EQ(dl::step_of(p.error()), dl::step::filter_compile);
    EXPECT_EQ(p.error().available, 6u);
    // Ancillary loads pass untouched.
    const std::vector<dl::bpf_instruction> anc = {{ld_h_abs, 0, 0, skf_ad_protocol}, {ret_k, 0, 0, 1}};
    const auto q = dl::cooked_program(anc);
    ASSERT_TRUE(q);
    EXPECT_EQ(*q, anc);
}

TEST(datalink_filter, programs_are_checked_as_the_kernel_would) {
    EXPECT_TRUE(dl::check_program(dl::accept_program(100)));
    EXPECT_TRUE(dl::check_program(dl::drop_program()));
    EXPECT_EQ(dl::accept_program(100)[0], (dl::bpf_instruction{ret_k, 0, 0, 100}));
    EXPECT_EQ(dl::drop_program()[0], (dl::bpf_instruction{ret_k, 0, 0, 0}));

    auto s = dl::check_program({});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, errc::bad_value);
    EXPECT_EQ(dl::step_of(s.error()), dl::step::filter_attach);
    EXPECT_FALSE(dl::check_program(std::vector<dl::bpf_instruction>(4097, {ret_k, 0, 0, 0})));
    EXPECT_TRUE(dl::check_program(std::vector<dl::bpf_instruction>(4096, {ret_k, 0, 0, 0})));
    // A conditional jump past the end.
    s = dl::check_program({{ld_h_abs, 0, 0, 12}, {jeq_k, 0, 1, 0x800}, {ret_k, 0, 0, 1}});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().available, 1u);
    // An unconditional one.
    s = dl::check_program({{0x05, 0, 0, 5}, {ret_k, 0, 0, 1}});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().available, 0u);
    // No return at the end.
    s = dl::check_program({{ret_k, 0, 0, 1}, {ld_h_abs, 0, 0, 12}});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().available, 1u);
    // A good one with both jump arms in range.
    EXPECT_TRUE(dl::check_program({{ld_h_abs, 0, 0, 12}, {jeq_k, 0, 1, 0x800}, {ret_k, 0, 0, 1}, {ret_k, 0, 0, 0}}));
}

} // namespace
