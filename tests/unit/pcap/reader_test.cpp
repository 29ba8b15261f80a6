// SPDX-License-Identifier: BSD-3-Clause
// The capture-file reader over crafted files: every feature of pcap and
// pcapng in both byte orders, every rejection rule with its exact error,
// truncation at every byte, files, pipes and standard input.
#include <rawpkt/pcap/reader.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace rawpkt;
using namespace rawpkt::test;
using rawpkt::pcap::reader;

namespace {

using buffer = std::vector<std::byte>;

// --- builders for crafted files ----------------------------------------------

/// Appends integers in one byte order.
class writer {
public:
    explicit writer(bool big_endian) : be_(big_endian) {}
    writer& u8(unsigned v) {
        out.push_back(static_cast<std::byte>(v & 0xffu));
        return *this;
    }
    writer& u16(std::uint16_t v) { return be_ ? u8(v >> 8u).u8(v) : u8(v).u8(v >> 8u); }
    writer& u32(std::uint32_t v) {
        return be_ ? u16(static_cast<std::uint16_t>(v >> 16)).u16(static_cast<std::uint16_t>(v))
                   : u16(static_cast<std::uint16_t>(v)).u16(static_cast<std::uint16_t>(v >> 16));
    }
    writer& u64(std::uint64_t v) {
        return be_ ? u32(static_cast<std::uint32_t>(v >> 32)).u32(static_cast<std::uint32_t>(v))
                   : u32(static_cast<std::uint32_t>(v)).u32(static_cast<std::uint32_t>(v >> 32));
    }
    writer& raw(bytes b) {
        out.insert(out.end(), b.begin(), b.end());
        return *this;
    }
    writer& text(std::string_view s) {
        for (char c : s) u8(static_cast<unsigned char>(c));
        return *this;
    }
    writer& pad() {
        while (out.size() % 4 != 0) u8(0);
        return *this;
    }
    [[nodiscard]] bool big_endian() const { return be_; }
    buffer out;

private:
    bool be_;
};

/// A pcap file: header, then records.
struct pcap_file {
    writer w;
    explicit pcap_file(bool be, bool nano = false, std::uint32_t snaplen = 65535, std::uint32_t linktype = 1,
                       std::uint16_t major = 2, std::uint16_t minor = 4)
        : w(be) {
        w.u32(nano ? pcap::magic::pcap_nano : pcap::magic::pcap_micro).u16(major).u16(minor).u32(0).u32(0);
        w.u32(snaplen).u32(linktype);
    }
    std::vector<std::size_t> offsets;
    pcap_file& record(std::uint32_t sec, std::uint32_t frac, bytes data, std::uint32_t orig) {
        offsets.push_back(w.out.size());
        w.u32(sec).u32(frac).u32(static_cast<std::uint32_t>(data.size())).u32(orig).raw(data);
        return *this;
    }
    pcap_file& record(std::uint32_t sec, std::uint32_t frac, bytes data) {
        return record(sec, frac, data, static_cast<std::uint32_t>(data.size()));
    }
};

/// A pcapng file, block by block. Options given with opt*() go into the next
/// block written.
class ng_file {
public:
    explicit ng_file(bool be = false) : be_(be) {}

    ng_file& opt(std::uint16_t code, std::string_view s) {
        writer v(be_);
        v.text(s);
        opts_.push_back({code, v.out});
        return *this;
    }
    ng_file& opt_raw(std::uint16_t code, buffer v) {
        opts_.push_back({code, std::move(v)});
        return *this;
    }
    ng_file& opt_u8(std::uint16_t code, unsigned v) { return opt_raw(code, {static_cast<std::byte>(v)}); }
    ng_file& opt_u32(std::uint16_t code, std::uint32_t v) {
        writer w(be_);
        w.u32(v);
        return opt_raw(code, w.out);
    }
    ng_file& opt_u64(std::uint16_t code, std::uint64_t v) {
        writer w(be_);
        w.u64(v);
        return opt_raw(code, w.out);
    }
    /// Writes the options without opt_endofopt.
    ng_file& no_end_of_options() {
        end_of_opt_ = false;
        return *this;
    }

    /// A section header; `be` is the new section's byte order.
    ng_file& shb(bool be, std::uint16_t major = 1, std::uint16_t minor = 0) {
        be_ = be;
        writer b(be_);
        b.u32(pcap::magic::pcapng_byte_order).u16(major).u16(minor).u64(~std::uint64_t{0});
        return block(0x0a0d0d0a, b.out);
    }
    ng_file& idb(std::uint16_t link, std::uint32_t snaplen) {
        writer b(be_);
        b.u16(link).u16(0).u32(snaplen);
        return block(1, b.out);
    }
    ng_file& epb(std::uint32_t iface, std::uint64_t ts, bytes data, std::uint32_t orig) {
        writer b(be_);
        b.u32(iface).u32(static_cast<std::uint32_t>(ts >> 32)).u32(static_cast<std::uint32_t>(ts));
        b.u32(static_cast<std::uint32_t>(data.size())).u32(orig).raw(data).pad();
        return block(6, b.out);
    }
    ng_file& epb(std::uint32_t iface, std::uint64_t ts, bytes data) {
        return epb(iface, ts, data, static_cast<std::uint32_t>(data.size()));
    }
    ng_file& pb(std::uint16_t iface, std::uint16_t drops, std::uint64_t ts, bytes data, std::uint32_t orig) {
        writer b(be_);
        b.u16(iface).u16(drops).u32(static_cast<std::uint32_t>(ts >> 32)).u32(static_cast<std::uint32_t>(ts));
        b.u32(static_cast<std::uint32_t>(data.size())).u32(orig).raw(data).pad();
        return block(2, b.out);
    }
    ng_file& spb(std::uint32_t orig, bytes data) {
        writer b(be_);
        b.u32(orig).raw(data).pad();
        return block(3, b.out);
    }
    ng_file& isb(std::uint32_t iface, std::uint64_t ts) {
        writer b(be_);
        b.u32(iface).u32(static_cast<std::uint32_t>(ts >> 32)).u32(static_cast<std::uint32_t>(ts));
        return block(5, b.out);
    }
    /// A block with the given body (padded), the pending options and a
    /// correct length and trailer.
    ng_file& block(std::uint32_t type, bytes body) {
        writer b(be_);
        b.raw(body).pad();
        if (!opts_.empty()) {
            for (const auto& [code, value] : opts_) {
                b.u16(code).u16(static_cast<std::uint16_t>(value.size())).raw(value).pad();
            }
            if (end_of_opt_) b.u32(0);
        }
        opts_.clear();
        end_of_opt_ = true;
        offsets.push_back(w_.out.size());
        const auto len = static_cast<std::uint32_t>(b.out.size() + 12);
        writer h(be_);
        h.u32(type).u32(len).raw(b.out).u32(len);
        w_.raw(h.out);
        return *this;
    }
    /// Raw bytes, as they are.
    ng_file& raw(bytes b) {
        offsets.push_back(w_.out.size());
        w_.raw(b);
        return *this;
    }
    [[nodiscard]] bool big_endian() const { return be_; }
    [[nodiscard]] const buffer& bytes_() const { return w_.out; }
    [[nodiscard]] buffer& mut() { return w_.out; }
    std::vector<std::size_t> offsets;

private:
    struct option_value {
        std::uint16_t code;
        buffer value;
    };
    bool be_;
    bool end_of_opt_ = true;
    std::vector<option_value> opts_;
    writer w_{false};
};

// Three small frames (an ARP request, a short UDP datagram, one odd-sized).
constexpr auto frame_a = R"(
    ff ff ff ff ff ff 02 00 00 00 00 01 08 06 00 01
    08 00 06 04 00 01 02 00 00 00 00 01 c0 00 02 01
    00 00 00 00 00 00 c0 00 02 02)"_hex;
constexpr auto frame_b = R"(
    02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00
    00 1d 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00
    02 02 04 00 00 35 00 09 00 00 ab)"_hex;
constexpr auto frame_c = R"(01 02 03 04 05)"_hex;

bool same_bytes(bytes a, bytes b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

std::vector<frame> read_all(reader& r) {
    std::vector<frame> v;
    for (const frame& f : r) v.push_back(f);
    return v;
}

result<reader> from(const buffer& b, const pcap::reader_options& o = {}) { return reader::from_memory(bytes{b}, o); }

rawpkt::error err_of(const reader& r) {
    const rawpkt::status s = r.status();
    return s ? rawpkt::error{} : s.error();
}

// --- pcap --------------------------------------------------------------------

TEST(PcapReader, ReadsMicrosecondLittleEndian) {
    pcap_file f(false, false, 262144, 1);
    f.record(1700000000, 123456, frame_a).record(1700000001, 999999, frame_b, 1514).record(0, 0, frame_c);
    auto r = from(f.w.out);
    ASSERT_TRUE(r) << to_string(r.error());
    EXPECT_EQ(r->format(), pcap::file_format::pcap);
    EXPECT_EQ(r->precision(), pcap::time_precision::micro);
    EXPECT_EQ(r->version_major(), 2);
    EXPECT_EQ(r->version_minor(), 4);
    EXPECT_EQ(r->snaplen(), 262144u);
    EXPECT_EQ(r->link(), link_type::ethernet);
    EXPECT_STREQ(link_type_name(r->link()), "EN10MB");
    ASSERT_EQ(r->interfaces().size(), 1u);
    EXPECT_EQ(r->interfaces()[0].ticks_per_second, 1'000'000u);
    ASSERT_EQ(r->sections().size(), 1u);
    EXPECT_FALSE(r->sections()[0].big_endian);

    const auto frames = read_all(*r);
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_TRUE(r->status());
    EXPECT_TRUE(r->done());
    EXPECT_EQ(r->frames_read(), 3u);
    EXPECT_EQ(r->offset(), f.w.out.size());
    EXPECT_TRUE(same_bytes(frames[0].data, frame_a));
    // Zero copy: the frame points into the caller's buffer.
    EXPECT_EQ(frames[0].data.data(), f.w.out.data() + f.offsets[0] + 16);
    EXPECT_EQ(frames[0].timestamp_ns, 1700000000'123456000);
    EXPECT_EQ(frames[0].original_len, frame_a.size());
    EXPECT_EQ(frames[0].interface, 0u);
    EXPECT_EQ(frames[0].link, link_type::ethernet);
    EXPECT_EQ(frames[0].dir, direction::unknown);
    EXPECT_TRUE(frames[0].comment.empty());
    EXPECT_TRUE(same_bytes(frames[1].data, frame_b));
    EXPECT_EQ(frames[1].timestamp_ns, 1700000001'999999000);
    EXPECT_EQ(frames[1].original_len, 1514u);
    EXPECT_TRUE(frames[1].truncated());
    EXPECT_TRUE(same_bytes(frames[2].data, frame_c));
    EXPECT_EQ(frames[2].timestamp_ns, 0);
    // Reading on after the end stays at the end.
    frame extra;
    EXPECT_FALSE(r->next(extra));
    EXPECT_TRUE(r->status());
}

TEST(PcapReader, ReadsEveryMagicAndByteOrder) {
    for (const bool be : {false, true}) {
        for (const bool nano : {false, true}) {
            SCOPED_TRACE(std::string(be ? "big" : "little") + (nano ? " nano" : " micro"));
            pcap_file f(be, nano, 96, 113);
            f.record(1418145369, nano ? 924505488u : 924505u, frame_b, 80).record(4294967295u, 0, frame_a);
            auto r = from(f.w.out);
            ASSERT_TRUE(r) << to_string(r.error());
            EXPECT_EQ(r->precision(), nano ? pcap::time_precision::nano : pcap::time_precision::micro);
            EXPECT_EQ(r->sections()[0].big_endian, be);
            EXPECT_EQ(r->link(), link_type::linux_sll);
            EXPECT_EQ(r->snaplen(), 96u);
            EXPECT_EQ(r->interfaces()[0].ticks_per_second, nano ? 1'000'000'000u : 1'000'000u);
            const auto frames = read_all(*r);
            ASSERT_EQ(frames.size(), 2u);
            EXPECT_TRUE(r->status());
            EXPECT_EQ(frames[0].timestamp_ns, nano ? 1418145369'924505488 : 1418145369'924505000);
            EXPECT_EQ(frames[0].original_len, 80u);
            EXPECT_EQ(frames[0].link, link_type::linux_sll);
            EXPECT_TRUE(same_bytes(frames[0].data, frame_b));
            // Seconds are unsigned (pcap §5): 2^32 - 1 is in 2106.
            EXPECT_EQ(frames[1].timestamp_ns, 4294967295'000000000);
        }
    }
}

TEST(PcapReader, KeepsAnyLinkTypeNumberAndTheFcsBits) {
    // 160 (USER13) has no name; the upper bits carry the FCS length
    // (4 x 16 bits when bit 26 is set), as libpcap reads them.
    pcap_file f(false, false, 0, 0x44000000u | 160u);
    f.record(1, 2, frame_c);
    auto r = from(f.w.out);
    ASSERT_TRUE(r);
    EXPECT_EQ(static_cast<std::uint32_t>(r->link()), 160u);
    EXPECT_EQ(link_type_name(r->link()), nullptr);
    EXPECT_EQ(r->snaplen(), 0u);
    EXPECT_EQ(r->interfaces()[0].fcslen, std::optional<std::uint8_t>{8});
    frame fr;
    ASSERT_TRUE(r->next(fr));
    EXPECT_EQ(static_cast<std::uint32_t>(fr.link), 160u);

    pcap_file g(false, false, 0, 0x30000001u); // FCS bits without the F bit: no FCS length
    auto r2 = from(g.w.out);
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->link(), link_type::ethernet);
    EXPECT_FALSE(r2->interfaces()[0].fcslen.has_value());
}

TEST(PcapReader, EmptyFileHasNoFrames) {
    pcap_file f(false);
    auto r = from(f.w.out);
    ASSERT_TRUE(r);
    frame fr;
    EXPECT_FALSE(r->next(fr));
    EXPECT_TRUE(r->status());
    EXPECT_TRUE(r->done());
}

TEST(PcapReader, RejectsBadMagic) {
    const auto elf = R"(7f 45 4c 46 02 01 01 00 00 00 00 00 00 00 00 00 03 00 3e 00 01 00 00 00)"_hex;
    EXPECT_ERROR(reader::from_memory(elf),
                 rawpkt::error::invalid(layer::pcap, errc::bad_value, length_source::none, 0, 0xa1b2c3d4, 0x7f454c46));
}

TEST(PcapReader, RejectsUnsupportedVersions) {
    for (const auto& [major, minor] : std::vector<std::pair<std::uint16_t, std::uint16_t>>{{2, 5}, {3, 0}, {1, 0}}) {
        for (const bool be : {false, true}) {
            pcap_file f(be, false, 65535, 1, major, minor);
            EXPECT_ERROR(from(f.w.out), rawpkt::error::invalid(layer::pcap, errc::bad_version, length_source::none, 4,
                                                               0x00020004, (std::uint32_t{major} << 16) | minor));
        }
    }
    pcap_file old(false, false, 65535, 1, 2, 2); // libpcap reads 2.0 .. 2.4
    EXPECT_TRUE(from(old.w.out));
}

TEST(PcapReader, RejectsCapturedLengthAboveTheLimit) {
    pcap_file f(true);
    f.record(1, 0, frame_a);
    const std::size_t bad = f.w.out.size();
    writer w(true);
    w.u32(2).u32(0).u32(pcap::max_captured_len + 1).u32(100);
    f.w.raw(w.out);
    auto r = from(f.w.out);
    ASSERT_TRUE(r);
    EXPECT_EQ(read_all(*r).size(), 1u); // the good record before the damage
    EXPECT_EQ(err_of(*r), rawpkt::error::invalid(layer::pcap, errc::length_too_large, length_source::capture_length,
                                                 bad + 8, pcap::max_captured_len, pcap::max_captured_len + 1));
}

TEST(PcapReader, CapturedLengthAboveSnaplenIsReadUnlessStrict) {
    // tshark reads such records whole (libpcap cuts them to the snaplen).
    pcap_file f(false, false, 16);
    f.record(1, 0, frame_c).record(2, 0, frame_a);
    auto r = from(f.w.out);
    ASSERT_TRUE(r);
    const auto frames = read_all(*r);
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[1].captured_len(), frame_a.size());
    EXPECT_TRUE(r->status());

    auto strict = from(f.w.out, {.strict_snaplen = true});
    ASSERT_TRUE(strict);
    EXPECT_EQ(read_all(*strict).size(), 1u);
    EXPECT_EQ(err_of(*strict),
              rawpkt::error::invalid(layer::pcap, errc::length_too_large, length_source::capture_length,
                                     f.offsets[1] + 8, 16, frame_a.size()));
}

TEST(PcapReader, OriginalLengthBelowCapturedLengthIsPassedThrough) {
    pcap_file f(false);
    f.record(1, 0, frame_a, 10);
    auto r = from(f.w.out);
    ASSERT_TRUE(r);
    const auto frames = read_all(*r);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].original_len, 10u);
    EXPECT_EQ(frames[0].captured_len(), frame_a.size());
}

TEST(PcapReader, NanosecondFractionIsUnsigned) {
    // As libpcap reads it: a fraction of 10^9 or more carries into the seconds.
    pcap_file f(false, true);
    f.record(10, 1'000'000'000u, frame_c).record(10, 0x80000000u, frame_c);
    auto r = from(f.w.out);
    ASSERT_TRUE(r);
    const auto frames = read_all(*r);
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[0].timestamp_ns, 11'000000000);
    EXPECT_EQ(frames[1].timestamp_ns, 10'000000000 + 2147483648);
}

TEST(PcapReader, TruncationAtEveryByte) {
    for (const bool be : {false, true}) {
        pcap_file f(be);
        f.record(1, 1, frame_a).record(2, 2, frame_b).record(3, 3, frame_c);
        const buffer& full = f.w.out;
        const std::vector<bytes> want{frame_a, frame_b, frame_c};
        for (std::size_t n = 0; n <= full.size(); ++n) {
            SCOPED_TRACE("cut at " + std::to_string(n));
            const bytes cut{full.data(), n};
            auto r = reader::from_memory(cut);
            if (n < 4) {
                EXPECT_ERROR(r, rawpkt::error::truncated(layer::pcap, length_source::fixed_header, 0, 4, n));
                continue;
            }
            if (n < 24) {
                EXPECT_ERROR(r, rawpkt::error::truncated(layer::pcap, length_source::fixed_header, 0, 24, n));
                continue;
            }
            ASSERT_TRUE(r);
            const auto frames = read_all(*r);
            std::size_t complete = 0;
            rawpkt::error expect{};
            for (std::size_t i = 0; i < f.offsets.size(); ++i) {
                const std::size_t at = f.offsets[i];
                const std::size_t end = at + 16 + want[i].size();
                if (end <= n) {
                    ++complete;
                    continue;
                }
                if (n > at) {
                    expect = n - at < 16
                                 ? rawpkt::error::truncated(layer::pcap, length_source::fixed_header, at, 16, n - at)
                                 : rawpkt::error::truncated(layer::pcap, length_source::capture_length, at, end - at,
                                                            n - at);
                }
                break;
            }
            ASSERT_EQ(frames.size(), complete);
            for (std::size_t i = 0; i < complete; ++i) EXPECT_TRUE(same_bytes(frames[i].data, want[i]));
            EXPECT_EQ(err_of(*r), expect);
            EXPECT_TRUE(r->done());
        }
    }
}

// --- pcapng ------------------------------------------------------------------

/// A file with every block type, in the given byte order.
ng_file every_block(bool be) {
    ng_file f(be);
    f.opt(pcap::option::comment, "first section").opt(pcap::option::comment, "second comment");
    f.opt(pcap::option::shb_hardware, "x86_64").opt(pcap::option::shb_os, "Linux 6.1");
    f.opt(pcap::option::shb_userappl, "rawpkt test").opt(0x4242, "unknown option, skipped");
    f.shb(be);
    f.opt(pcap::option::if_name, "eth0").opt(pcap::option::if_description, "uplink");
    f.opt_u8(pcap::option::if_tsresol, 9).opt(pcap::option::if_os, "Linux");
    f.opt(pcap::option::if_hardware, "nic")
        .opt_raw(pcap::option::if_filter, {std::byte{0}, std::byte{'t'}, std::byte{'c'}, std::byte{'p'}});
    f.opt_u8(pcap::option::if_fcslen, 4);
    f.idb(1, 65535);
    f.opt_u8(pcap::option::if_tsresol, 0x80 | 10); // 2^-10 s
    f.opt_u64(pcap::option::if_tsoffset, 100);
    f.idb(0, 0);
    // Epb on interface 0, ns resolution, with a comment and flags (outbound).
    f.opt(pcap::option::comment, "packet comment").opt(pcap::option::comment, "another one");
    f.opt_u32(pcap::option::epb_flags, 2).opt_u64(pcap::option::epb_dropcount, 0);
    f.epb(0, 1'700'000'000'123'456'789u, frame_a);
    // An unknown block and a custom block are skipped.
    f.block(0x12345678, R"(de ad be ef)"_hex);
    f.block(0x40000bad, R"(00 00 7e d9 01 02 03 04)"_hex);
    // Interface 1: 2^-10 s ticks and 100 s offset: 5.5 s + 100 s.
    f.opt_u32(pcap::option::epb_flags, 1u | (3u << 2)); // inbound broadcast
    f.epb(1, 5 * 1024 + 512, frame_b, 1000);
    // Simple packet: interface 0, snaplen 65535, original length 5.
    f.spb(5, frame_c);
    // Obsolete packet block on interface 1 with pack_flags (outbound).
    f.opt_u32(pcap::option::epb_flags, 2);
    f.pb(1, 7, 1024, frame_c, 60);
    // Name resolution: an IPv4 and an IPv6 record, an unknown one, the end.
    {
        writer b(be);
        b.u16(1).u16(4 + 10).raw(R"(c0 00 02 01)"_hex).text("a.example").u8(0).pad();
        b.u16(2).u16(16 + 15).raw(R"(20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01)"_hex);
        b.text("b.example").u8(0).text("c.ex").u8(0).pad();
        b.u16(99).u16(3).raw(R"(01 02 03)"_hex).pad();
        b.u16(0).u16(0);
        f.opt(pcap::option::comment, "names");
        f.block(4, b.out);
    }
    // Statistics for interface 1.
    {
        writer v(be);
        v.u32(0).u32(2048);
        f.opt(pcap::option::comment, "stats");
        f.opt_raw(pcap::option::isb_starttime, v.out);
        f.opt_u64(pcap::option::isb_ifrecv, 1000).opt_u64(pcap::option::isb_ifdrop, 3);
        f.opt_u64(pcap::option::isb_filteraccept, 900).opt_u64(pcap::option::isb_osdrop, 2);
        f.opt_u64(pcap::option::isb_usrdeliv, 899);
        f.isb(1, 10 * 1024);
    }
    return f;
}

TEST(PcapngReader, ReadsEveryBlockInBothByteOrders) {
    for (const bool be : {false, true}) {
        SCOPED_TRACE(be ? "big endian" : "little endian");
        const ng_file f = every_block(be);
        auto r = from(f.bytes_());
        ASSERT_TRUE(r) << to_string(r.error());
        EXPECT_EQ(r->format(), pcap::file_format::pcapng);
        EXPECT_EQ(r->version_major(), 1);
        EXPECT_EQ(r->version_minor(), 0);
        EXPECT_EQ(r->precision(), pcap::time_precision::nano);
        // The interfaces before the first packet are known after open.
        ASSERT_EQ(r->interfaces().size(), 2u);
        EXPECT_EQ(r->link(), link_type::ethernet);
        EXPECT_EQ(r->snaplen(), 65535u);

        ASSERT_EQ(r->sections().size(), 1u);
        const pcap::section_info& s = r->sections()[0];
        EXPECT_EQ(s.big_endian, be);
        EXPECT_EQ(s.offset, 0u);
        EXPECT_EQ(s.comments, (std::vector<std::string>{"first section", "second comment"}));
        EXPECT_EQ(s.hardware, "x86_64");
        EXPECT_EQ(s.os, "Linux 6.1");
        EXPECT_EQ(s.user_application, "rawpkt test");

        const pcap::interface_info& i0 = r->interfaces()[0];
        EXPECT_EQ(i0.link, link_type::ethernet);
        EXPECT_EQ(i0.snaplen, 65535u);
        EXPECT_EQ(i0.ticks_per_second, 1'000'000'000u);
        EXPECT_EQ(i0.name, "eth0");
        EXPECT_EQ(i0.description, "uplink");
        EXPECT_EQ(i0.os, "Linux");
        EXPECT_EQ(i0.hardware, "nic");
        EXPECT_EQ(i0.filter, "tcp");
        EXPECT_EQ(i0.fcslen, std::optional<std::uint8_t>{4});
        EXPECT_EQ(i0.tsoffset_s, 0);
        EXPECT_EQ(i0.section, 0u);
        const pcap::interface_info& i1 = r->interfaces()[1];
        EXPECT_EQ(i1.link, link_type::null);
        EXPECT_EQ(i1.snaplen, 0u);
        EXPECT_EQ(i1.ticks_per_second, 1024u);
        EXPECT_EQ(i1.tsoffset_s, 100);
        EXPECT_FALSE(i1.fcslen.has_value());

        std::array<frame, 8> batch{};
        const std::size_t n = r->next_batch(batch);
        ASSERT_EQ(n, 4u);
        EXPECT_TRUE(same_bytes(batch[0].data, frame_a));
        EXPECT_EQ(batch[0].data.data(), f.bytes_().data() + f.offsets[3] + 28);
        EXPECT_EQ(batch[0].timestamp_ns, 1'700'000'000'123'456'789);
        EXPECT_EQ(batch[0].interface, 0u);
        EXPECT_EQ(batch[0].comment, "packet comment");
        EXPECT_EQ(batch[0].dir, direction::outgoing);
        EXPECT_EQ(batch[0].link, link_type::ethernet);

        EXPECT_TRUE(same_bytes(batch[1].data, frame_b));
        EXPECT_EQ(batch[1].timestamp_ns, 105'500'000'000);
        EXPECT_EQ(batch[1].original_len, 1000u);
        EXPECT_EQ(batch[1].interface, 1u);
        EXPECT_EQ(batch[1].link, link_type::null);
        EXPECT_EQ(batch[1].dir, direction::broadcast);
        EXPECT_TRUE(batch[1].comment.empty());

        EXPECT_TRUE(same_bytes(batch[2].data, frame_c));
        EXPECT_EQ(batch[2].timestamp_ns, 0); // a simple packet has no timestamp
        EXPECT_EQ(batch[2].original_len, 5u);
        EXPECT_EQ(batch[2].interface, 0u);

        EXPECT_TRUE(same_bytes(batch[3].data, frame_c));
        EXPECT_EQ(batch[3].original_len, 60u);
        EXPECT_EQ(batch[3].interface, 1u);
        EXPECT_EQ(batch[3].timestamp_ns, 101'000'000'000);
        EXPECT_EQ(batch[3].dir, direction::outgoing);

        EXPECT_EQ(r->next_batch(batch), 0u);
        EXPECT_TRUE(r->status());
        EXPECT_TRUE(r->done());

        ASSERT_EQ(r->names().size(), 2u);
        EXPECT_FALSE(r->names()[0].ipv6);
        EXPECT_EQ(r->names()[0].address, (std::vector<std::uint8_t>{192, 0, 2, 1}));
        EXPECT_EQ(r->names()[0].names, (std::vector<std::string>{"a.example"}));
        EXPECT_TRUE(r->names()[1].ipv6);
        EXPECT_EQ(r->names()[1].address.size(), 16u);
        EXPECT_EQ(r->names()[1].address[15], 1u);
        EXPECT_EQ(r->names()[1].names, (std::vector<std::string>{"b.example", "c.ex"}));

        ASSERT_EQ(r->statistics().size(), 1u);
        const pcap::interface_statistics& st = r->statistics()[0];
        EXPECT_EQ(st.interface, 1u);
        EXPECT_EQ(st.timestamp_ns, 110'000'000'000);
        EXPECT_EQ(st.start_ns, std::optional<std::int64_t>{102'000'000'000});
        EXPECT_FALSE(st.end_ns.has_value());
        EXPECT_EQ(st.received, std::optional<std::uint64_t>{1000});
        EXPECT_EQ(st.dropped, std::optional<std::uint64_t>{3});
        EXPECT_EQ(st.filter_accepted, std::optional<std::uint64_t>{900});
        EXPECT_EQ(st.os_dropped, std::optional<std::uint64_t>{2});
        EXPECT_EQ(st.delivered, std::optional<std::uint64_t>{899});
        EXPECT_EQ(st.comments, (std::vector<std::string>{"stats"}));
    }
}

TEST(PcapngReader, TimestampResolutions) {
    struct row {
        int tsresol; // -1: none (10^-6)
        std::uint64_t ticks;
        std::int64_t offset_s;
        std::int64_t ns;
    };
    const std::vector<row> rows{
        {-1, 1'700'000'000'000'001u, 0, 1'700'000'000'000'001'000},
        {3, 1'500u, 0, 1'500'000'000},
        {9, 42u, 0, 42},
        {0, 7u, 0, 7'000'000'000},
        {0x80 | 0, 7u, 0, 7'000'000'000},
        {0x80 | 1, 3u, 0, 1'500'000'000},
        {0x80 | 10, 1u, 0, 976'562},                                     // 1/1024 s, truncated to whole ns
        {0x80 | 30, (std::uint64_t{1} << 30) * 3 + 1, 0, 3'000'000'000}, // below 1 ns
        {0x80 | 63, std::uint64_t{1} << 63, 0, 1'000'000'000},
        {0x80 | 64, ~std::uint64_t{0}, 0, 999'999'999}, // finer than 64 bits count: still exact
        {0x80 | 127, ~std::uint64_t{0}, 0, 0},
        {20, 12'300'000'000'000'000'000u, 0, 123'000'000}, // 10^-20 s
        {127, ~std::uint64_t{0}, 0, 0},
        {12, 1'000'000'000'123u, 0, 1'000'000'000}, // ps: 1 s + 123 ps
        {19, 10'000'000'000'000'000'000u, 0, 1'000'000'000},
        {6, 1'000'000u, -10, -9'000'000'000},                                // if_tsoffset may be negative
        {6, ~std::uint64_t{0}, 0, std::numeric_limits<std::int64_t>::max()}, // saturates
        {6, 0, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::min()},
    };
    for (const bool be : {false, true}) {
        for (const row& x : rows) {
            SCOPED_TRACE("tsresol " + std::to_string(x.tsresol) + " ticks " + std::to_string(x.ticks));
            ng_file f;
            f.shb(be);
            if (x.tsresol >= 0) f.opt_u8(pcap::option::if_tsresol, static_cast<unsigned>(x.tsresol));
            if (x.offset_s != 0) f.opt_u64(pcap::option::if_tsoffset, static_cast<std::uint64_t>(x.offset_s));
            f.idb(1, 0).epb(0, x.ticks, frame_c);
            auto r = from(f.bytes_());
            ASSERT_TRUE(r);
            frame fr;
            ASSERT_TRUE(r->next(fr)) << to_string(r->status().error());
            EXPECT_EQ(fr.timestamp_ns, x.ns);
        }
    }
}

TEST(PcapngReader, SeveralSectionsNumberTheirInterfacesApart) {
    ng_file f;
    f.shb(false).idb(1, 0).idb(101, 0).epb(1, 1, frame_a).epb(0, 2, frame_b);
    f.opt(pcap::option::comment, "second").shb(true).idb(228, 0).epb(0, 3, frame_c);
    f.spb(5, frame_c);
    f.shb(false).idb(113, 0).idb(1, 0).epb(1, 4, frame_a).isb(0, 5);
    auto r = from(f.bytes_());
    ASSERT_TRUE(r);
    const auto frames = read_all(*r);
    ASSERT_TRUE(r->status()) << to_string(r->status().error());
    ASSERT_EQ(frames.size(), 5u);
    EXPECT_EQ(frames[0].interface, 1u);
    EXPECT_EQ(frames[0].link, static_cast<link_type>(101));
    EXPECT_EQ(frames[1].interface, 0u);
    EXPECT_EQ(frames[2].interface, 2u);
    EXPECT_EQ(frames[2].link, link_type::ipv4);
    EXPECT_EQ(frames[3].interface, 2u); // the simple packet: the section's first interface
    EXPECT_EQ(frames[4].interface, 4u);
    EXPECT_EQ(frames[4].timestamp_ns, 4'000);
    ASSERT_EQ(r->interfaces().size(), 5u);
    EXPECT_EQ(r->interfaces()[2].section, 1u);
    EXPECT_EQ(r->interfaces()[4].section, 2u);
    ASSERT_EQ(r->sections().size(), 3u);
    EXPECT_FALSE(r->sections()[0].big_endian);
    EXPECT_TRUE(r->sections()[1].big_endian);
    EXPECT_EQ(r->sections()[1].offset, f.offsets[5]);
    EXPECT_EQ(r->sections()[1].comments, std::vector<std::string>{"second"});
    ASSERT_EQ(r->statistics().size(), 1u);
    EXPECT_EQ(r->statistics()[0].interface, 3u);
}

TEST(PcapngReader, SimplePacketTakesSnaplenAndOriginalLength) {
    // §4.4: captured length = min(original length, snaplen).
    ng_file f;
    f.shb(false).idb(1, 8).spb(static_cast<std::uint32_t>(frame_a.size()), bytes{frame_a}.first(8));
    f.spb(3, bytes{frame_c}.first(3)).spb(1500, bytes{frame_a}.first(8));
    auto r = from(f.bytes_());
    ASSERT_TRUE(r);
    const auto frames = read_all(*r);
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_TRUE(r->status());
    EXPECT_EQ(frames[0].captured_len(), 8u);
    EXPECT_EQ(frames[0].original_len, frame_a.size());
    EXPECT_EQ(frames[1].captured_len(), 3u);
    EXPECT_EQ(frames[1].original_len, 3u);
    EXPECT_EQ(frames[2].captured_len(), 8u);
    EXPECT_EQ(frames[2].original_len, 1500u);

    // Without a snaplen the whole original length must be in the block.
    ng_file g;
    g.shb(false).idb(1, 0).spb(5, frame_c).spb(1500, frame_a);
    auto r2 = from(g.bytes_());
    ASSERT_TRUE(r2);
    EXPECT_EQ(read_all(*r2).size(), 1u);
    EXPECT_EQ(err_of(*r2), rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::capture_length,
                                                  g.offsets[3] + 8, 44, 1500));
}

TEST(PcapngReader, OptionsWithoutEndMarkerAndUnknownOptionsAreSkipped) {
    ng_file f;
    f.opt(pcap::option::comment, "no end").no_end_of_options().shb(false);
    f.opt(0x7fff, "vendor").opt(pcap::option::if_name, "lo").no_end_of_options().idb(1, 0);
    f.opt(0x8001, "local").opt(pcap::option::comment, "c").no_end_of_options().epb(0, 1, frame_c);
    auto r = from(f.bytes_());
    ASSERT_TRUE(r);
    const auto frames = read_all(*r);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].comment, "c");
    EXPECT_EQ(r->interfaces()[0].name, "lo");
    EXPECT_EQ(r->sections()[0].comments, std::vector<std::string>{"no end"});
}

TEST(PcapngReader, DirectionFromFlags) {
    const std::vector<std::pair<std::uint32_t, direction>> rows{
        {0, direction::unknown},
        {1, direction::inbound},
        {2, direction::outgoing},
        {1 | 1 << 2, direction::host},
        {1 | 2 << 2, direction::multicast},
        {1 | 3 << 2, direction::broadcast},
        {1 | 4 << 2, direction::other_host},
        {2 | 3 << 2, direction::outgoing},
        {0xffff0000u, direction::unknown},
    };
    for (const auto& [flags, dir] : rows) {
        ng_file f;
        f.shb(false).idb(1, 0).opt_u32(pcap::option::epb_flags, flags).epb(0, 1, frame_c);
        auto r = from(f.bytes_());
        ASSERT_TRUE(r);
        frame fr;
        ASSERT_TRUE(r->next(fr));
        EXPECT_EQ(fr.dir, dir) << "flags " << flags;
    }
}

// --- pcapng rejections -------------------------------------------------------

/// A good file (section, interface, packet) that `edit` appends to or
/// changes from offset `at` on; the packet is read, then the error want(at).
template <class Edit, class Want>
void expect_rejected(Edit edit, Want want, std::size_t frames_before = 1) {
    for (const bool be : {false, true}) {
        SCOPED_TRACE(be ? "big endian" : "little endian");
        ng_file f;
        f.shb(be).idb(1, 0).epb(0, 1, frame_a);
        const std::size_t at = f.bytes_().size();
        edit(f, at);
        auto r = from(f.bytes_());
        ASSERT_TRUE(r) << to_string(r.error());
        const auto frames = read_all(*r);
        EXPECT_EQ(frames.size(), frames_before);
        EXPECT_EQ(err_of(*r), want(at));
        EXPECT_TRUE(r->done());
    }
}

TEST(PcapngReader, RejectsBlockLengthBelowTwelve) {
    expect_rejected(
        [](ng_file& f, std::size_t) {
            writer w(f.big_endian());
            w.u32(6).u32(8).u32(8);
            f.raw(w.out);
        },
        [](std::size_t at) {
            return rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::record_length, at + 4,
                                          12, 8);
        });
}

TEST(PcapngReader, RejectsBlockLengthNotAMultipleOfFour) {
    expect_rejected(
        [](ng_file& f, std::size_t) {
            writer w(f.big_endian());
            w.u32(0x99).u32(13).u32(0).u8(0).u32(13);
            f.raw(w.out);
        },
        [](std::size_t at) {
            return rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::record_length, at + 4, 0, 13);
        });
}

TEST(PcapngReader, RejectsBlockLengthAboveTheLimit) {
    expect_rejected(
        [](ng_file& f, std::size_t) {
            writer w(f.big_endian());
            w.u32(6).u32(0xfffffffc).u32(0);
            f.raw(w.out);
        },
        [](std::size_t at) {
            return rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::record_length, at + 4,
                                          pcap::max_block_len, 0xfffffffc);
        });
}

TEST(PcapngReader, RejectsTrailerDisagreeingWithTheLength) {
    expect_rejected(
        [](ng_file& f, std::size_t at) {
            f.isb(0, 1);
            const std::size_t trailer = f.bytes_().size() - 4;
            f.mut()[trailer + (f.big_endian() ? 3 : 0)] = std::byte{0x20};
            (void)at;
        },
        [](std::size_t at) {
            return rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::record_length, at + 24 - 4, 24,
                                          32);
        });
}

TEST(PcapngReader, RejectsUndescribedInterface) {
    expect_rejected([](ng_file& f, std::size_t) { f.epb(1, 2, frame_b); },
                    [](std::size_t at) {
                        return rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, at + 8, 1,
                                                      1);
                    });
    expect_rejected([](ng_file& f, std::size_t) { f.pb(3, 0, 2, frame_b, 60); },
                    [](std::size_t at) {
                        return rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, at + 8, 1,
                                                      3);
                    });
    expect_rejected([](ng_file& f, std::size_t) { f.isb(7, 2); },
                    [](std::size_t at) {
                        return rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, at + 8, 1,
                                                      7);
                    });
    // A new section forgets the interfaces of the one before.
    expect_rejected([](ng_file& f, std::size_t) { f.shb(f.big_endian()).epb(0, 2, frame_b); },
                    [](std::size_t at) {
                        return rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, at + 28 + 8,
                                                      0, 0);
                    });
    expect_rejected([](ng_file& f, std::size_t) { f.shb(f.big_endian()).spb(5, frame_c); },
                    [](std::size_t at) {
                        return rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, at + 28, 0,
                                                      0);
                    });
}

TEST(PcapngReader, RejectsCapturedLengthLargerThanTheBlock) {
    expect_rejected(
        [](ng_file& f, std::size_t at) {
            f.epb(0, 2, frame_b);
            // Claim 49 captured bytes in a block with room for 44.
            f.mut()[at + 20 + (f.big_endian() ? 3 : 0)] = std::byte{49};
        },
        [](std::size_t at) {
            return rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::capture_length, at + 20,
                                          44, 49);
        });
    expect_rejected(
        [](ng_file& f, std::size_t at) {
            f.epb(0, 2, frame_b);
            const std::size_t cap = at + 20;
            writer w(f.big_endian());
            w.u32(pcap::max_captured_len + 1);
            std::copy(w.out.begin(), w.out.end(), f.mut().begin() + static_cast<std::ptrdiff_t>(cap));
        },
        [](std::size_t at) {
            return rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::capture_length, at + 20,
                                          pcap::max_captured_len, pcap::max_captured_len + 1);
        });
}

TEST(PcapngReader, CapturedLengthAboveSnaplenIsReadUnlessStrict) {
    ng_file f;
    f.shb(false).idb(1, 16).epb(0, 1, frame_c).epb(0, 2, frame_a);
    auto r = from(f.bytes_());
    ASSERT_TRUE(r);
    EXPECT_EQ(read_all(*r).size(), 2u);
    EXPECT_TRUE(r->status());
    auto strict = from(f.bytes_(), {.strict_snaplen = true});
    ASSERT_TRUE(strict);
    EXPECT_EQ(read_all(*strict).size(), 1u);
    EXPECT_EQ(err_of(*strict),
              rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::capture_length,
                                     f.offsets[3] + 20, 16, frame_a.size()));
}

TEST(PcapngReader, RejectsBadSectionHeaders) {
    // Wrong byte-order magic.
    {
        ng_file f;
        f.shb(false);
        f.mut()[8] = std::byte{0};
        EXPECT_ERROR(from(f.bytes_()), rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, 8,
                                                              0x1a2b3c4d, 0x003c2b1a));
    }
    // Versions other than 1.0 and 1.2; the open fails on the first section,
    // a later section stops reading after the packets before it.
    for (const bool be : {false, true}) {
        for (const auto& [major, minor] :
             std::vector<std::pair<std::uint16_t, std::uint16_t>>{{2, 0}, {1, 1}, {0, 0}, {1, 3}}) {
            ng_file f;
            f.shb(be, major, minor);
            EXPECT_ERROR(from(f.bytes_()),
                         rawpkt::error::invalid(layer::pcapng, errc::bad_version, length_source::none, 12, 0x00010000,
                                                (std::uint32_t{major} << 16) | minor));
            ng_file g;
            g.shb(!be).idb(1, 0).epb(0, 1, frame_a).shb(be, major, minor).idb(1, 0).epb(0, 2, frame_b);
            auto r = from(g.bytes_());
            ASSERT_TRUE(r);
            EXPECT_EQ(read_all(*r).size(), 1u);
            EXPECT_EQ(err_of(*r),
                      rawpkt::error::invalid(layer::pcapng, errc::bad_version, length_source::none, g.offsets[3] + 12,
                                             0x00010000, (std::uint32_t{major} << 16) | minor));
        }
        ng_file ok;
        ok.shb(be, 1, 2).idb(1, 0).epb(0, 1, frame_a);
        auto r = from(ok.bytes_());
        ASSERT_TRUE(r);
        EXPECT_EQ(read_all(*r).size(), 1u);
        EXPECT_TRUE(r->status());
    }
    // A section header shorter than its fixed part.
    {
        writer w(false);
        w.u32(0x0a0d0d0a).u32(24).u32(0x1a2b3c4d).u16(1).u16(0).u32(0).u32(24);
        EXPECT_ERROR(reader::from_memory(w.out), rawpkt::error::invalid(layer::pcapng, errc::length_too_small,
                                                                        length_source::record_length, 4, 28, 24));
    }
}

TEST(PcapngReader, RejectsBadOptions) {
    // An option running past the end of its block.
    {
        ng_file f;
        f.shb(false).opt(pcap::option::if_name, "eth0").idb(1, 0);
        // The IDB: 16 bytes of header, then the option at 16; say 200 bytes.
        f.mut()[f.offsets[1] + 16 + 2] = std::byte{200};
        auto r = from(f.bytes_());
        ASSERT_TRUE(r); // the section header was good; the damage is the reader's status
        EXPECT_TRUE(r->done());
        EXPECT_EQ(err_of(*r),
                  rawpkt::error::truncated(layer::pcapng, length_source::option_length, f.offsets[1] + 16, 204, 12));
        EXPECT_TRUE(r->interfaces().empty());
    }
    // epb_flags of the wrong size.
    {
        ng_file f;
        f.shb(false).idb(1, 0).opt_u8(pcap::option::epb_flags, 1).epb(0, 1, frame_c);
        auto r = from(f.bytes_());
        ASSERT_TRUE(r);
        EXPECT_EQ(read_all(*r).size(), 0u);
        EXPECT_EQ(err_of(*r), rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::option_length,
                                                     f.offsets[2] + 28 + 8, 4, 1));
    }
    // A name record too short for its address.
    {
        ng_file f;
        writer b(false);
        b.u16(2).u16(4).u32(0x01020304).u32(0);
        f.shb(false).block(4, b.out);
        auto r = from(f.bytes_());
        ASSERT_TRUE(r);
        EXPECT_EQ(err_of(*r), rawpkt::error::invalid(layer::pcapng, errc::length_too_small,
                                                     length_source::option_length, 28 + 8, 16, 4));
    }
}

TEST(PcapngReader, FixedSizeOptionsOfAnotherSizeAreIgnored) {
    // As Wireshark: if_tsresol, if_tsoffset, if_fcslen and the ISB counters
    // with a wrong length are skipped, the packets read.
    for (const bool be : {false, true}) {
        ng_file f;
        f.shb(be);
        f.opt_raw(pcap::option::if_tsresol, {std::byte{9}, std::byte{0}}).opt_u32(pcap::option::if_tsoffset, 5);
        f.opt_u32(pcap::option::if_fcslen, 4).idb(1, 0).epb(0, 7, frame_a);
        f.opt_u32(pcap::option::isb_ifrecv, 5).opt_u8(pcap::option::isb_starttime, 1).isb(0, 8);
        auto r = from(f.bytes_());
        ASSERT_TRUE(r);
        const auto frames = read_all(*r);
        ASSERT_EQ(frames.size(), 1u);
        EXPECT_TRUE(r->status());
        EXPECT_EQ(frames[0].timestamp_ns, 7'000); // still microseconds, no offset
        EXPECT_EQ(r->interfaces()[0].ticks_per_second, 1'000'000u);
        EXPECT_FALSE(r->interfaces()[0].fcslen.has_value());
        ASSERT_EQ(r->statistics().size(), 1u);
        EXPECT_FALSE(r->statistics()[0].received.has_value());
        EXPECT_FALSE(r->statistics()[0].start_ns.has_value());
    }
}

TEST(PcapngReader, TruncationAtEveryByte) {
    for (const bool be : {false, true}) {
        ng_file f;
        f.opt(pcap::option::comment, "cut me").shb(be).idb(1, 0).epb(0, 1, frame_a).isb(0, 2).epb(0, 3, frame_b);
        f.spb(5, frame_c);
        const buffer& full = f.bytes_();
        const std::vector<std::size_t> packet_blocks{2, 4, 5};
        const std::vector<bytes> want{frame_a, frame_b, frame_c};
        const auto block_end = [&](std::size_t i) { return i + 1 < f.offsets.size() ? f.offsets[i + 1] : full.size(); };
        for (std::size_t n = 0; n <= full.size(); ++n) {
            SCOPED_TRACE("cut at " + std::to_string(n));
            auto r = reader::from_memory(bytes{full.data(), n});
            const std::size_t shb_len = f.offsets[1];
            if (n < 4) {
                EXPECT_ERROR(r, rawpkt::error::truncated(layer::pcap, length_source::fixed_header, 0, 4, n));
                continue;
            }
            if (n < 12) {
                EXPECT_ERROR(r, rawpkt::error::truncated(layer::pcapng, length_source::fixed_header, 0, 28, n));
                continue;
            }
            if (n < shb_len) {
                EXPECT_ERROR(r, rawpkt::error::truncated(layer::pcapng, length_source::record_length, 0, shb_len, n));
                continue;
            }
            ASSERT_TRUE(r);
            const auto frames = read_all(*r);
            std::size_t complete = 0;
            for (std::size_t k = 0; k < packet_blocks.size(); ++k)
                if (block_end(packet_blocks[k]) <= n) ++complete;
            rawpkt::error expect{};
            for (std::size_t i = 1; i < f.offsets.size(); ++i) {
                const std::size_t at = f.offsets[i];
                if (n <= at || n >= block_end(i)) continue;
                const std::size_t have = n - at;
                expect = have < 8 ? rawpkt::error::truncated(layer::pcapng, length_source::fixed_header, at, 12, have)
                                  : rawpkt::error::truncated(layer::pcapng, length_source::record_length, at,
                                                             block_end(i) - at, have);
            }
            ASSERT_EQ(frames.size(), complete);
            for (std::size_t i = 0; i < complete; ++i) EXPECT_TRUE(same_bytes(frames[i].data, want[i]));
            EXPECT_EQ(err_of(*r), expect);
        }
    }
}

TEST(PcapngReader, UnknownFirstBlockIsBadMagic) {
    ng_file f;
    f.shb(false).idb(1, 0);
    const bytes idb_first = bytes{f.bytes_()}.subspan(f.offsets[1]);
    EXPECT_ERROR(reader::from_memory(idb_first),
                 rawpkt::error::invalid(layer::pcap, errc::bad_value, length_source::none, 0, 0xa1b2c3d4, 0x01000000));
}

// --- batches, iteration ------------------------------------------------------

// --- configurable limits: each one hit, with its exact error ----------------

TEST(ReaderLimits, CapturedLengthLimitIsConfigurable) {
    pcap_file f(false);
    f.record(1, 0, frame_c).record(2, 0, frame_a);
    auto r = from(f.w.out, {.max_captured_len = 10});
    ASSERT_TRUE(r);
    EXPECT_EQ(read_all(*r).size(), 1u); // frame_c fits, frame_a (42 bytes) does not
    EXPECT_EQ(err_of(*r), rawpkt::error::invalid(layer::pcap, errc::length_too_large, length_source::capture_length,
                                                 f.offsets[1] + 8, 10, static_cast<std::uint32_t>(frame_a.size())));

    ng_file g;
    g.shb(false).idb(1, 0).epb(0, 1, frame_c).epb(0, 2, frame_a);
    auto n = from(g.bytes_(), {.max_captured_len = 10});
    ASSERT_TRUE(n);
    EXPECT_EQ(read_all(*n).size(), 1u);
    EXPECT_EQ(err_of(*n), rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::capture_length,
                                                 g.offsets[3] + 20, 10, static_cast<std::uint32_t>(frame_a.size())));
}

TEST(ReaderLimits, LimitsAboveTheFormatsAreLowered) {
    pcap_file f(true);
    writer w(true);
    w.u32(2).u32(0).u32(pcap::max_captured_len + 1).u32(100);
    f.w.raw(w.out);
    auto r = from(f.w.out, {.max_captured_len = 0xffffffffu, .max_block_len = 0xffffffffu});
    ASSERT_TRUE(r);
    EXPECT_EQ(read_all(*r).size(), 0u);
    EXPECT_EQ(err_of(*r), rawpkt::error::invalid(layer::pcap, errc::length_too_large, length_source::capture_length,
                                                 24 + 8, pcap::max_captured_len, pcap::max_captured_len + 1));
}

TEST(ReaderLimits, BlockLengthLimitIsConfigurable) {
    ng_file g;
    g.shb(false).idb(1, 0).epb(0, 1, frame_c).epb(0, 2, frame_a); // blocks of 40 and 76 bytes
    for (const bool piped : {false, true}) {
        const pcap::reader_options o{.max_block_len = 64};
        if (!piped) {
            auto r = from(g.bytes_(), o);
            ASSERT_TRUE(r);
            EXPECT_EQ(read_all(*r).size(), 1u);
            EXPECT_EQ(err_of(*r), rawpkt::error::invalid(layer::pcapng, errc::length_too_large,
                                                         length_source::record_length, g.offsets[3] + 4, 64, 76));
            continue;
        }
        // Read through the stream buffer, the block is rejected before the buffer would grow for it.
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        std::thread feed([&] {
            const buffer& b = g.bytes_();
            (void)!::write(fds[1], b.data(), b.size());
            ::close(fds[1]);
        });
        auto r = reader::from_fd(fds[0], {.stream_buffer = 0, .max_block_len = 64});
        ASSERT_TRUE(r);
        EXPECT_EQ(read_all(*r).size(), 1u);
        EXPECT_EQ(err_of(*r), rawpkt::error::invalid(layer::pcapng, errc::length_too_large,
                                                     length_source::record_length, g.offsets[3] + 4, 64, 76));
        feed.join();
        ::close(fds[0]);
    }
}

TEST(ReaderLimits, MetadataTablesStopAtTheirLimits) {
    ng_file ifs;
    ifs.shb(false).idb(1, 0).idb(1, 0).epb(1, 1, frame_c).idb(1, 0).epb(0, 2, frame_c);
    auto r = from(ifs.bytes_(), {.max_interfaces = 2});
    ASSERT_TRUE(r);
    EXPECT_EQ(read_all(*r).size(), 1u);
    EXPECT_EQ(r->interfaces().size(), 2u);
    EXPECT_EQ(err_of(*r),
              rawpkt::error::invalid(layer::pcapng, errc::too_many, length_source::none, ifs.offsets[4], 2, 2));

    ng_file secs;
    secs.shb(false).idb(1, 0).epb(0, 1, frame_c).shb(false).idb(1, 0).epb(0, 2, frame_c);
    auto s = from(secs.bytes_(), {.max_sections = 1});
    ASSERT_TRUE(s);
    EXPECT_EQ(read_all(*s).size(), 1u);
    EXPECT_EQ(s->sections().size(), 1u);
    EXPECT_EQ(err_of(*s),
              rawpkt::error::invalid(layer::pcapng, errc::too_many, length_source::none, secs.offsets[3], 1, 1));

    ng_file stats;
    stats.shb(false).idb(1, 0).isb(0, 1).epb(0, 1, frame_c).isb(0, 2).epb(0, 2, frame_c);
    auto t = from(stats.bytes_(), {.max_statistics = 1});
    ASSERT_TRUE(t);
    EXPECT_EQ(read_all(*t).size(), 1u);
    EXPECT_EQ(t->statistics().size(), 1u);
    EXPECT_EQ(err_of(*t),
              rawpkt::error::invalid(layer::pcapng, errc::too_many, length_source::none, stats.offsets[4], 1, 1));

    // A Name Resolution Block with two IPv4 records (pcapng §4.5).
    writer body(false);
    for (const char* name : {"a", "b"}) {
        body.u16(pcap::option::nrb_record_ipv4).u16(6).u8(192).u8(0).u8(2).u8(1).text(name).u8(0).pad();
    }
    body.u32(0);
    ng_file names;
    names.shb(false).idb(1, 0).epb(0, 1, frame_c).block(4, body.out).epb(0, 2, frame_c);
    auto n = from(names.bytes_(), {.max_name_records = 1});
    ASSERT_TRUE(n);
    EXPECT_EQ(read_all(*n).size(), 1u);
    EXPECT_EQ(n->names().size(), 1u);
    EXPECT_EQ(err_of(*n), rawpkt::error::invalid(layer::pcapng, errc::too_many, length_source::none,
                                                 names.offsets[3] + 8 + 12, 1, 1));
}

TEST(Reader, BatchesAndSingleFramesAgree) {
    pcap_file f(false);
    for (std::uint32_t i = 0; i < 100; ++i) f.record(i, i, bytes{frame_a}.first(1 + i % frame_a.size()));
    auto a = from(f.w.out);
    auto b = from(f.w.out);
    ASSERT_TRUE(a && b);
    const auto all = read_all(*a);
    ASSERT_EQ(all.size(), 100u);
    std::array<frame, 7> batch{};
    std::size_t seen = 0;
    while (const std::size_t n = b->next_batch(batch)) {
        for (std::size_t i = 0; i < n; ++i, ++seen) {
            EXPECT_EQ(batch[i].data.data(), all[seen].data.data());
            EXPECT_EQ(batch[i].timestamp_ns, all[seen].timestamp_ns);
        }
    }
    EXPECT_EQ(seen, 100u);
    EXPECT_TRUE(b->status());
    EXPECT_EQ(b->next_batch({}), 0u);
}

TEST(Reader, IteratorIsAnInputIterator) {
    static_assert(std::input_iterator<reader::iterator>);
    static_assert(std::sentinel_for<reader::sentinel, reader::iterator>);
    pcap_file f(false);
    f.record(1, 0, frame_a).record(2, 0, frame_b);
    auto r = from(f.w.out);
    ASSERT_TRUE(r);
    auto it = r->begin();
    ASSERT_FALSE(it == r->end());
    EXPECT_EQ(it->timestamp_ns, 1'000'000'000);
    ++it;
    EXPECT_EQ((*it).timestamp_ns, 2'000'000'000);
    it++;
    EXPECT_TRUE(it == r->end());
}

TEST(Reader, MovedReaderKeepsReading) {
    pcap_file f(false);
    f.record(1, 0, frame_a).record(2, 0, frame_b);
    auto r = from(f.w.out);
    ASSERT_TRUE(r);
    frame fr;
    ASSERT_TRUE(r->next(fr));
    reader moved = std::move(*r);
    ASSERT_TRUE(moved.next(fr));
    EXPECT_EQ(fr.timestamp_ns, 2'000'000'000);
    EXPECT_FALSE(moved.next(fr));
    EXPECT_TRUE(moved.status());
}

// --- files, pipes, standard input --------------------------------------------

std::string corpus(const char* name) { return std::string(RAWPKT_TEST_DATA_DIR) + "/corpus/" + name; }

buffer slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> c((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    buffer b(c.size());
    if (!c.empty()) std::memcpy(b.data(), c.data(), c.size());
    return b;
}

struct owned_frame {
    buffer data;
    std::int64_t ts;
    std::uint32_t orig, iface;
    link_type link;
    direction dir;
    std::string comment;
    friend bool operator==(const owned_frame&, const owned_frame&) = default;
};
owned_frame own(const frame& f) {
    return {buffer(f.data.begin(), f.data.end()),
            f.timestamp_ns,
            f.original_len,
            f.interface,
            f.link,
            f.dir,
            std::string(f.comment)};
}

TEST(ReaderFiles, MissingFileIsNotFound) {
    auto r = reader::open(std::string(RAWPKT_TEST_DATA_DIR) + "/corpus/no-such-file.pcap");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::not_found);
    EXPECT_EQ(r.error().sys_errno, ENOENT);
    EXPECT_EQ(r.error().layer, layer::pcap);
    auto d = reader::open(RAWPKT_TEST_DATA_DIR);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, errc::io);
    EXPECT_EQ(d.error().sys_errno, EISDIR);
}

TEST(ReaderFiles, UnreadableFileIsPermission) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads every file";
    char path[] = "/tmp/rawpkt-reader-XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    ::chmod(path, 0);
    auto r = reader::open(path);
    ::unlink(path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::permission);
}

TEST(ReaderFiles, MappedFileEqualsMemory) {
    for (const char* name : {"gopacket__le__test202.pcapng", "pcapplusplus__nanosecs_big_endian.pcap"}) {
        const buffer b = slurp(corpus(name));
        auto mapped = reader::open(corpus(name), {.map_files = true});
        auto mem = reader::from_memory(b);
        ASSERT_TRUE(mapped && mem);
        frame x, y;
        std::size_t n = 0;
        while (mapped->next(x)) {
            ASSERT_TRUE(mem->next(y));
            EXPECT_EQ(own(x), own(y));
            ++n;
        }
        EXPECT_FALSE(mem->next(y));
        EXPECT_GT(n, 0u);
        EXPECT_EQ(mapped->status().has_value(), mem->status().has_value());
        EXPECT_EQ(mapped->offset(), mem->offset());
    }
}

/// Writes `data` into a pipe from a thread; returns the read end.
struct pipe_feeder {
    int read_fd = -1;
    std::thread t;
    explicit pipe_feeder(const buffer& data) {
        int fds[2];
        if (::pipe(fds) != 0) return;
        read_fd = fds[0];
        t = std::thread([w = fds[1], &data] {
            std::size_t done = 0;
            while (done < data.size()) {
                // Small, uneven writes so records straddle reads.
                const std::size_t chunk = std::min<std::size_t>(data.size() - done, 1000 + done % 777);
                const ssize_t n = ::write(w, data.data() + done, chunk);
                if (n <= 0) break;
                done += static_cast<std::size_t>(n);
            }
            ::close(w);
        });
    }
    ~pipe_feeder() {
        if (t.joinable()) t.join();
        if (read_fd >= 0) ::close(read_fd);
    }
};

void expect_pipe_equals_file(const char* name, std::size_t batch_size) {
    SCOPED_TRACE(std::string(name) + " batch " + std::to_string(batch_size));
    const buffer b = slurp(corpus(name));
    auto mapped = reader::open(corpus(name), {.map_files = true});
    ASSERT_TRUE(mapped);
    std::vector<owned_frame> want;
    for (const frame& f : *mapped) want.push_back(own(f));
    pipe_feeder feed(b);
    ASSERT_GE(feed.read_fd, 0);
    auto piped = reader::from_fd(feed.read_fd, {.stream_buffer = 4096});
    ASSERT_TRUE(piped) << to_string(piped.error());
    std::vector<owned_frame> got;
    if (batch_size == 1) {
        for (const frame& f : *piped) got.push_back(own(f));
    } else {
        std::vector<frame> batch(batch_size);
        // Frames of a batch stay valid until the next call: copy them now.
        while (const std::size_t n = piped->next_batch(batch))
            for (std::size_t i = 0; i < n; ++i) got.push_back(own(batch[i]));
    }
    EXPECT_EQ(got.size(), want.size());
    EXPECT_TRUE(got == want);
    EXPECT_EQ(piped->status().has_value(), mapped->status().has_value());
    if (!mapped->status()) {
        EXPECT_EQ(err_of(*piped), err_of(*mapped));
    }
    EXPECT_EQ(piped->interfaces().size(), mapped->interfaces().size());
    EXPECT_EQ(piped->statistics().size(), mapped->statistics().size());
    EXPECT_EQ(piped->names().size(), mapped->names().size());
}

TEST(ReaderFiles, PipeEqualsMappedFile) {
    for (const char* name : {"pcapplusplus__sll.pcap", "gopacket__le__test202.pcapng", "gopacket__be__test102.pcapng",
                             "pcapplusplus__many_interfaces-1.pcapng", "tcpdump__ipv6_jumbogram_1.pcap",
                             "gopacket__le__test901.pcapng", "pcapplusplus__nanosecs_big_endian.pcap"}) {
        for (const std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{64}}) {
            expect_pipe_equals_file(name, batch);
        }
    }
}

TEST(ReaderFiles, UnmappedFileEqualsMappedFile) {
    for (const char* name :
         {"pcapplusplus__sll.pcap", "gopacket__le__test202.pcapng", "gopacket__le__test901.pcapng"}) {
        SCOPED_TRACE(name);
        auto mapped = reader::open(corpus(name), {.map_files = true});
        auto read = reader::open(corpus(name), {.stream_buffer = 4096}); // the default: through the buffer
        ASSERT_TRUE(mapped && read);
        std::vector<owned_frame> want, got;
        for (const frame& f : *mapped) want.push_back(own(f));
        for (const frame& f : *read) got.push_back(own(f));
        EXPECT_EQ(got.size(), want.size());
        EXPECT_TRUE(got == want);
        EXPECT_EQ(err_of(*read), err_of(*mapped));
        EXPECT_EQ(read->offset(), mapped->offset());
    }
}

TEST(ReaderFiles, TruncatedPipeYieldsTheCompletePackets) {
    const buffer b = slurp(corpus("pcapplusplus__sll.pcap"));
    const buffer cut(b.begin(), b.begin() + 100'000);
    auto mem = reader::from_memory(cut);
    ASSERT_TRUE(mem);
    const std::size_t n = read_all(*mem).size();
    pipe_feeder feed(cut);
    auto piped = reader::from_fd(feed.read_fd);
    ASSERT_TRUE(piped);
    EXPECT_EQ(read_all(*piped).size(), n);
    EXPECT_EQ(err_of(*piped), err_of(*mem));
    EXPECT_EQ(err_of(*piped).code, errc::truncated);
}

TEST(ReaderFiles, DashIsStandardInput) {
    const buffer b = slurp(corpus("gopacket__le__test009.pcapng"));
    pipe_feeder feed(b);
    const int saved = ::dup(STDIN_FILENO);
    ASSERT_GE(saved, 0);
    ASSERT_EQ(::dup2(feed.read_fd, STDIN_FILENO), STDIN_FILENO);
    std::vector<owned_frame> got;
    {
        auto r = reader::open("-");
        ASSERT_TRUE(r);
        for (const frame& f : *r) got.push_back(own(f));
        EXPECT_TRUE(r->status());
    }
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].comment, "test009-1");
    EXPECT_EQ(got[1].comment, "test009-2");
}

TEST(ReaderFiles, FifoPathIsReadThroughTheBuffer) {
    char dir[] = "/tmp/rawpkt-reader-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string path = std::string(dir) + "/fifo";
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    const buffer b = slurp(corpus("pcapplusplus__nanosecs_big_endian.pcap"));
    std::thread writer_thread([&] {
        const int w = ::open(path.c_str(), O_WRONLY);
        if (w < 0) return;
        std::size_t done = 0;
        while (done < b.size()) {
            const ssize_t n = ::write(w, b.data() + done, b.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::close(w);
    });
    std::size_t n = 0;
    {
        auto r = reader::open(path);
        ASSERT_TRUE(r);
        n = read_all(*r).size();
        EXPECT_TRUE(r->status());
        EXPECT_EQ(r->precision(), pcap::time_precision::nano);
    }
    writer_thread.join();
    ::unlink(path.c_str());
    ::rmdir(dir);
    EXPECT_EQ(n, 10u);
}

TEST(ReaderFiles, DescriptorIsReadFromItsPosition) {
    // A regular file behind a descriptor is read from where it stands.
    const std::string path = corpus("pcapplusplus__ArpRequestPacket.pcap");
    const int fd = ::open(path.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    {
        auto r = reader::from_fd(fd);
        ASSERT_TRUE(r);
        EXPECT_EQ(read_all(*r).size(), 1u);
        EXPECT_TRUE(r->status());
    }
    // The reader never closes a descriptor it was given.
    EXPECT_EQ(::lseek(fd, 24, SEEK_SET), 24);
    auto bad = reader::from_fd(fd); // starts at a record, not a header
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().offset, 24u);
    ::close(fd);
}

} // namespace
