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

// ---- the user-space interpreter ----

using prog = std::vector<dl::bpf_instruction>;

std::vector<std::byte> frame_of(std::initializer_list<unsigned> v, std::size_t pad = 0) {
    std::vector<std::byte> f;
    for (unsigned b : v) f.push_back(static_cast<std::byte>(b));
    f.resize(f.size() + pad);
    return f;
}

TEST(datalink_filter, run_program_loads_compares_and_returns) {
    const auto f = frame_of({0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x45, 0x00}, 54);
    // ld [0] (word), ldh [2], ldb [3]; jeq; ret #k / ret a.
    EXPECT_EQ(
        dl::run_program(prog{{0x20, 0, 0, 0}, {jeq_k, 0, 1, 0x00112233}, {ret_k, 0, 0, 7}, {ret_k, 0, 0, 0}}, f, 64),
        7u);
    EXPECT_EQ(
        dl::run_program(prog{{ld_h_abs, 0, 0, 2}, {jeq_k, 0, 1, 0x2233}, {ret_k, 0, 0, 9}, {ret_k, 0, 0, 0}}, f, 64),
        9u);
    EXPECT_EQ(dl::run_program(prog{{ld_b_abs, 0, 0, 3}, {0x16, 0, 0, 0}}, f, 64), 0x33u); // ret a
    // The return value is capped at the bytes there are.
    EXPECT_EQ(dl::run_program(prog{{ret_k, 0, 0, 262144}}, f, 100), 64u);
    EXPECT_EQ(dl::run_program(dl::drop_program(), f, 64), 0u);
    // len loads the wire length, not the captured one.
    EXPECT_EQ(dl::run_program(prog{{0x80, 0, 0, 0}, {0x16, 0, 0, 0}}, f, 1500), 64u);
    EXPECT_EQ(dl::run_program(prog{{0x80, 0, 0, 0}, {0x25, 0, 1, 1000}, {ret_k, 0, 0, 5}, {ret_k, 0, 0, 6}}, f, 1500),
              5u); // jgt
    // ldxb 4*([8]&0xf) = 20; ldh [x + 0] reads offset 20.
    auto g = f;
    g[20] = std::byte{0xab};
    g[21] = std::byte{0xcd};
    EXPECT_EQ(
        dl::run_program(
            prog{{ldx_b_msh, 0, 0, 8}, {ld_h_ind, 0, 0, 0}, {jeq_k, 0, 1, 0xabcd}, {ret_k, 0, 0, 1}, {ret_k, 0, 0, 0}},
            g, 64),
        1u);
    // Arithmetic, scratch memory, tax/txa, jset, ja.
    EXPECT_EQ(dl::run_program(prog{{0x00, 0, 0, 6},    // ld #6
                                   {0x24, 0, 0, 7},    // mul #7 -> 42
                                   {0x02, 0, 0, 3},    // st M[3]
                                   {0x07, 0, 0, 0},    // tax
                                   {0x00, 0, 0, 0},    // ld #0
                                   {0x60, 0, 0, 3},    // ld M[3]
                                   {0x0c, 0, 0, 0},    // add x -> 84
                                   {0x54, 0, 0, 0xfe}, // and #0xfe -> 84
                                   {0x74, 0, 0, 1},    // rsh #1 -> 42
                                   {0x45, 0, 1, 0x02}, // jset #2
                                   {0x05, 0, 0, 1},    // ja +1
                                   {ret_k, 0, 0, 0},   // skipped
                                   {0x16, 0, 0, 0}},   // ret a
                              f, 64),
              42u);
}

TEST(datalink_filter, run_program_rejects_what_it_cannot_run_safely) {
    const auto f = frame_of({1, 2, 3, 4}, 10); // 14 bytes
    // Loads past the end: the frame is rejected, nothing is read.
    EXPECT_EQ(dl::run_program(prog{{0x20, 0, 0, 12}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    EXPECT_EQ(dl::run_program(prog{{ld_h_abs, 0, 0, 13}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    EXPECT_EQ(dl::run_program(prog{{ld_h_abs, 0, 0, 12}, {ret_k, 0, 0, 9}}, f, 14), 9u);
    EXPECT_EQ(dl::run_program(prog{{ld_b_abs, 0, 0, 0xffffffffu}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    EXPECT_EQ(dl::run_program(prog{{0x01, 0, 0, 0xfffffff0u}, {ld_h_ind, 0, 0, 0x20}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    // Ancillary loads mean nothing outside the kernel.
    EXPECT_EQ(dl::run_program(prog{{ld_h_abs, 0, 0, skf_ad_protocol}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    // Division by zero, scratch index out of range.
    EXPECT_EQ(dl::run_program(prog{{0x00, 0, 0, 5}, {0x34, 0, 0, 0}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    EXPECT_EQ(dl::run_program(prog{{0x00, 0, 0, 5}, {0x3c, 0, 0, 0}, {ret_k, 0, 0, 9}}, f, 14), 0u); // div x (0)
    EXPECT_EQ(dl::run_program(prog{{0x02, 0, 0, 16}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    // Jumps out of the program, running off its end, an empty program.
    EXPECT_EQ(dl::run_program(prog{{0x05, 0, 0, 5}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    EXPECT_EQ(dl::run_program(prog{{jeq_k, 3, 3, 0}, {ret_k, 0, 0, 9}}, f, 14), 0u);
    EXPECT_EQ(dl::run_program(prog{{0x00, 0, 0, 5}}, f, 14), 0u);
    EXPECT_EQ(dl::run_program(prog{}, f, 14), 0u);
    // Shifts of 32 or more give 0, as libpcap's interpreter does.
    EXPECT_EQ(dl::run_program(prog{{0x00, 0, 0, 5}, {0x64, 0, 0, 40}, {0x16, 0, 0, 0}}, f, 14), 0u);
}

TEST(datalink_filter, run_program_agrees_with_compiled_expressions) {
    if (!dl::has_filter_compiler()) GTEST_SKIP() << "built without libpcap";
    // Ethernet / IPv4 / UDP 10.0.0.1:1000 -> 10.0.0.2:9999
    const auto udp = frame_of({0x02, 0,    0,    0,    0, 2,  0x02, 0, 0,  0,  0, 1, 0x08, 0x00,       // ethernet
                               0x45, 0,    0,    32,   0, 0,  0x40, 0, 64, 17, 0, 0, 10,   0,    0, 1, // ipv4
                               10,   0,    0,    2,                                                    //
                               0x03, 0xe8, 0x27, 0x0f, 0, 12, 0,    0,                                 // udp
                               1,    2,    3,    4});
    const auto arp = frame_of({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06}, 28);
    struct expect {
        const char* expression;
        bool udp, arp;
    };
    for (const expect& e : {expect{"udp dst port 9999", true, false}, expect{"udp port 1000", true, false},
                            expect{"udp port 53", false, false}, expect{"arp", false, true},
                            expect{"host 10.0.0.2", true, false}, expect{"ether src 02:00:00:00:00:01", true, true},
                            expect{"not ip", false, true}, expect{"ip[9] = 17", true, false}}) {
        SCOPED_TRACE(e.expression);
        const auto p = dl::compile_filter(e.expression, link_type::ethernet, 262144);
        ASSERT_TRUE(p);
        EXPECT_EQ(dl::run_program(*p, udp, static_cast<std::uint32_t>(udp.size())) != 0, e.udp);
        EXPECT_EQ(dl::run_program(*p, arp, static_cast<std::uint32_t>(arp.size())) != 0, e.arp);
    }
    // The compiled snaplen cuts.
    const auto cut = dl::compile_filter("udp", link_type::ethernet, 20);
    ASSERT_TRUE(cut);
    EXPECT_EQ(dl::run_program(*cut, udp, 46), 20u);
}

} // namespace
