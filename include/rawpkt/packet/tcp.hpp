// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// TCP (RFC 9293) header view, options iterator, repr and options writer.
///
/// The view's buffer is the segment as the IP layer delivers it: the IPv4
/// or IPv6 payload, starting at the TCP header. TCP carries no length of its
/// own, so the segment is the whole buffer and the payload runs to its end.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the fixed header and the options (data offset) are inside `b`.
/// Options are validated lazily, one at a time, by the iterator.
/// `payload()` is always clamped to the buffer. `set_header_len()` voids the
/// guarantee (the options may then extend past the buffer).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/tlv.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace rawpkt::tcp {

/// Header layout, RFC 9293 §3.1.
namespace field {
inline constexpr byte_range src_port{0, 2};    ///< source port
inline constexpr byte_range dst_port{2, 4};    ///< destination port
inline constexpr byte_range seq_number{4, 8};  ///< sequence number of the first data byte (of the SYN on a SYN)
inline constexpr byte_range ack_number{8, 12}; ///< next sequence number the sender expects (with ACK)
/// Data offset (4 bits, in 32-bit words), reserved (3 bits), then the nine
/// control bits AE CWR ECE URG ACK PSH RST SYN FIN.
inline constexpr byte_range offset_flags{12, 14};
inline constexpr byte_range window{14, 16};         ///< receive window, unscaled
inline constexpr byte_range checksum{16, 18};       ///< over pseudo header, header and data
inline constexpr byte_range urgent_pointer{18, 20}; ///< offset past seq of the urgent data's end
inline constexpr std::size_t options = 20;          ///< options start; up to data offset * 4
} // namespace field

/// Bytes of a header without options.
inline constexpr std::size_t min_header_len = field::options; // 20
/// Bytes of the longest header: data offset 15 words.
inline constexpr std::size_t max_header_len = 60; // data offset 15
/// The most option bytes a header holds.
inline constexpr std::size_t max_options_len = max_header_len - min_header_len;

/// Control bits as flags() returns them (RFC 9293 §3.1; ECE and CWR
/// RFC 3168 §6.1; AE, formerly NS of RFC 3540, from AccECN
/// draft-ietf-tcpm-accurate-ecn §3.1).
namespace flag {
inline constexpr std::uint16_t fin = 0x001; ///< FIN: no more data from the sender
inline constexpr std::uint16_t syn = 0x002; ///< SYN: synchronize sequence numbers
inline constexpr std::uint16_t rst = 0x004; ///< RST: reset the connection
inline constexpr std::uint16_t psh = 0x008; ///< PSH: push the data to the application
inline constexpr std::uint16_t ack = 0x010; ///< ACK: the acknowledgment number is valid
inline constexpr std::uint16_t urg = 0x020; ///< URG: the urgent pointer is valid
inline constexpr std::uint16_t ece = 0x040; ///< ECE: ECN echo (RFC 3168 §6.1)
inline constexpr std::uint16_t cwr = 0x080; ///< CWR: congestion window reduced (RFC 3168 §6.1)
inline constexpr std::uint16_t ae = 0x100;  ///< AE: accurate ECN, formerly NS (draft-ietf-tcpm-accurate-ecn)
/// The nine defined bits.
inline constexpr std::uint16_t defined = 0x1ff;
/// Reserved: sent as zero, ignored on receipt (RFC 9293 §3.1).
inline constexpr std::uint16_t reserved = 0xe00;
} // namespace flag

/// Option kinds (IANA "TCP Option Kind Numbers").
enum class option_kind : std::uint8_t {
    end_of_list = 0,      ///< RFC 9293 §3.1
    nop = 1,              ///< RFC 9293 §3.1
    mss = 2,              ///< maximum segment size, RFC 9293 §3.2
    window_scale = 3,     ///< RFC 7323 §2.2
    sack_permitted = 4,   ///< RFC 2018 §2
    sack = 5,             ///< RFC 2018 §3
    timestamps = 8,       ///< RFC 7323 §3.2
    md5_signature = 19,   ///< RFC 2385 §2
    user_timeout = 28,    ///< RFC 5482 §2
    authentication = 29,  ///< TCP-AO, RFC 5925 §2.2
    mptcp = 30,           ///< multipath TCP, RFC 8684 §3
    fast_open = 34,       ///< RFC 7413 §4.1.1
    experimental_1 = 253, ///< RFC 4727; with a 16-bit ExID, RFC 6994 §3
    experimental_2 = 254,
};

/// Experiment ID (RFC 6994) under which Fast Open was deployed before kind
/// 34 was assigned.
inline constexpr std::uint16_t exid_fast_open = 0xf989;

/// One SACK block (RFC 2018 §3): the first sequence number of a block
/// received and the sequence number just past it.
struct sack_block {
    std::uint32_t left = 0;  ///< first sequence number of the block
    std::uint32_t right = 0; ///< sequence number just past the block
    friend constexpr bool operator==(const sack_block&, const sack_block&) noexcept = default;
};

/// One option. `data` is the value after the kind and length octets (empty
/// for EOL and NOP); `offset` is where the option starts in the header.
/// The accessors are meant for their kind; on any other option they return
/// a value read within `data`, or 0, and never read outside it.
struct option {
    option_kind kind{};      ///< the option's kind octet
    std::uint8_t length = 1; ///< whole option length, kind and length octets included
    std::size_t offset = 0;  ///< where the option starts, in bytes from the start of the TCP header
    bytes data{};            ///< the option's value, after the kind and length octets

    /// MSS: the largest segment the sender can receive, in bytes.
    [[nodiscard]] constexpr std::uint16_t mss() const noexcept { return load_be_or<std::uint16_t>(data, 0); }
    /// Window scale: the shift count (RFC 7323 §2.3 caps it at 14).
    [[nodiscard]] constexpr std::uint8_t window_scale() const noexcept { return load_u8_or(data, 0); }
    /// SACK: the number of blocks (1 to 4).
    [[nodiscard]] constexpr std::size_t sack_count() const noexcept {
        return kind == option_kind::sack ? data.size() / 8 : 0;
    }
    /// SACK: the i-th block (i < sack_count()).
    [[nodiscard]] constexpr sack_block sack(std::size_t i) const noexcept {
        if (i >= sack_count()) return {};
        return {load_be<std::uint32_t>(data, 8 * i), load_be<std::uint32_t>(data, 8 * i + 4)};
    }
    /// Timestamps: TSval, the sender's clock.
    [[nodiscard]] constexpr std::uint32_t ts_value() const noexcept { return load_be_or<std::uint32_t>(data, 0); }
    /// Timestamps: TSecr, the TSval echoed back (meaningful with ACK set).
    [[nodiscard]] constexpr std::uint32_t ts_echo_reply() const noexcept { return load_be_or<std::uint32_t>(data, 4); }
    /// MPTCP: the 4-bit subtype (RFC 8684 §3, e.g. 0 MP_CAPABLE, 2 DSS).
    [[nodiscard]] constexpr std::uint8_t mptcp_subtype() const noexcept {
        return static_cast<std::uint8_t>(load_u8_or(data, 0) >> 4);
    }
    /// Experimental kinds 253/254: the 16-bit experiment ID (RFC 6994 §3),
    /// 0 if the option is too short to hold one.
    [[nodiscard]] constexpr std::uint16_t experiment_id() const noexcept { return load_be_or<std::uint16_t>(data, 0); }
    /// True for Fast Open, as kind 34 or as an experimental option with
    /// ExID 0xf989.
    [[nodiscard]] constexpr bool is_fast_open() const noexcept {
        if (kind == option_kind::fast_open) return true;
        return (kind == option_kind::experimental_1 || kind == option_kind::experimental_2) &&
               experiment_id() == exid_fast_open;
    }
    /// Fast Open: the cookie; empty for a cookie request (or another kind).
    [[nodiscard]] constexpr bytes fast_open_cookie() const noexcept {
        if (kind == option_kind::fast_open) return data;
        return is_fast_open() ? data.subspan(2) : bytes{};
    }
};

/// Checks an option's length octet `len` against its kind's rule (the
/// exact length, or the minimum and the form); `at` is the offset of the
/// length octet, for the error. Unknown kinds accept any length.
[[nodiscard]] constexpr status check_option_length(option_kind kind, std::uint8_t len, std::size_t at) noexcept {
    const auto fail = [&](errc c, std::size_t limit) {
        return status{error::invalid(layer::tcp_option, c, length_source::option_length, at, limit, len)};
    };
    std::uint8_t exact = 0;
    switch (kind) {
    case option_kind::mss: exact = 4; break;
    case option_kind::window_scale: exact = 3; break;
    case option_kind::sack_permitted: exact = 2; break;
    case option_kind::timestamps: exact = 10; break;
    case option_kind::md5_signature: exact = 18; break;
    case option_kind::user_timeout: exact = 4; break;
    case option_kind::sack:
        // 2 + 8n for n = 1..4 blocks: 40 bytes of option space hold at most 4.
        if (len < 10) return fail(errc::length_too_small, 10);
        if (len > 34) return fail(errc::length_too_large, 34);
        if ((len - 2) % 8 != 0) return fail(errc::bad_value, 0);
        return {};
    case option_kind::mptcp:
        // Kind, length and at least the octet holding the subtype.
        if (len < 3) return fail(errc::length_too_small, 3);
        return {};
    case option_kind::authentication:
        // Kind, length, KeyID, RNextKeyID, then the MAC.
        if (len < 4) return fail(errc::length_too_small, 4);
        return {};
    case option_kind::fast_open:
        // 2 for a cookie request, else an even 6 to 18 (a 4- to 16-byte cookie).
        if (len == 2) return {};
        if (len < 6) return fail(errc::length_too_small, 6);
        if (len > 18) return fail(errc::length_too_large, 18);
        if (len % 2 != 0) return fail(errc::bad_value, 0);
        return {};
    default: return {};
    }
    if (len < exact) return fail(errc::length_too_small, exact);
    if (len > exact) return fail(errc::length_too_large, exact);
    return {};
}

/// Validates the option at `at` in `opts` (the options area) against the
/// space left (the layout IPv4 and TCP share, detail::parse_kind_length())
/// and its kind's length rule. `header_offset` is where `opts` starts in
/// the header, so that offsets in options and errors are relative to the
/// TCP header.
[[nodiscard]] constexpr result<option> parse_option(bytes opts, std::size_t at, std::size_t header_offset) noexcept {
    auto o = detail::parse_kind_length<option>(opts, at, header_offset, layer::tcp_option);
    if (!o || o->kind == option_kind::end_of_list || o->kind == option_kind::nop) return o;
    if (auto ok = check_option_length(o->kind, o->length, o->offset + 1); !ok) return ok.error();
    return o;
}

/// How the options area is walked: each option by parse_option(), ending
/// after end-of-list.
using option_traits = detail::kind_length_traits<option, parse_option>;

/// Iterates the options area. Yields `result<option>`: a malformed option
/// yields its error and ends the iteration. Stops after end-of-list.
using option_range = detail::tlv_range<option_traits>;

/// Zero-copy TCP header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u32;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the fixed header and the data offset against the buffer.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < min_header_len) {
            return error::truncated(layer::tcp, length_source::fixed_header, 0, min_header_len, b.size());
        }
        const basic_view v{b};
        if (v.header_len() < min_header_len) {
            return error::invalid(layer::tcp, errc::length_too_small, length_source::header_length,
                                  field::offset_flags.begin, min_header_len, v.header_len());
        }
        if (v.header_len() > b.size()) {
            return error::truncated(layer::tcp, length_source::header_length, 0, v.header_len(), b.size());
        }
        return v;
    }

    // --- fields (RFC 9293 §3.1) ---
    /// Source port (RFC 9293 §3.1).
    [[nodiscard]] constexpr std::uint16_t src_port() const noexcept { return u16(field::src_port); }
    /// Destination port (RFC 9293 §3.1).
    [[nodiscard]] constexpr std::uint16_t dst_port() const noexcept { return u16(field::dst_port); }
    /// The sequence number of the first data octet (of the SYN, when SYN is set).
    [[nodiscard]] constexpr std::uint32_t sequence() const noexcept { return u32(field::seq_number); }
    /// The acknowledgment number (meaningful when ack() is set).
    [[nodiscard]] constexpr std::uint32_t ack_number() const noexcept { return u32(field::ack_number); }
    /// The raw data offset field, in 32-bit words.
    [[nodiscard]] constexpr std::uint8_t data_offset() const noexcept {
        return static_cast<std::uint8_t>(u8(field::offset_flags.begin) >> 4);
    }
    /// Header length in bytes (data offset * 4), options included.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return std::size_t{data_offset()} * 4; }
    /// The 12 bits after the data offset: reserved bits and control bits,
    /// to be tested against the flag:: constants.
    [[nodiscard]] constexpr std::uint16_t flags() const noexcept { return u16(field::offset_flags) & 0x0fff; }
    /// The three reserved bits, right-aligned (0 in a conforming segment).
    [[nodiscard]] constexpr std::uint8_t reserved_bits() const noexcept {
        return static_cast<std::uint8_t>((flags() & flag::reserved) >> 9);
    }
    /// FIN: the sender has no more data (RFC 9293 §3.1).
    [[nodiscard]] constexpr bool fin() const noexcept { return (flags() & flag::fin) != 0; }
    /// SYN: synchronize sequence numbers, the first segment each way.
    [[nodiscard]] constexpr bool syn() const noexcept { return (flags() & flag::syn) != 0; }
    /// RST: reset the connection.
    [[nodiscard]] constexpr bool rst() const noexcept { return (flags() & flag::rst) != 0; }
    /// PSH: push the data to the receiving application.
    [[nodiscard]] constexpr bool psh() const noexcept { return (flags() & flag::psh) != 0; }
    /// ACK: ack_number() is valid.
    [[nodiscard]] constexpr bool ack() const noexcept { return (flags() & flag::ack) != 0; }
    /// URG: urgent_pointer() is valid.
    [[nodiscard]] constexpr bool urg() const noexcept { return (flags() & flag::urg) != 0; }
    /// ECE: ECN echo (RFC 3168 §6.1).
    [[nodiscard]] constexpr bool ece() const noexcept { return (flags() & flag::ece) != 0; }
    /// CWR: congestion window reduced (RFC 3168 §6.1).
    [[nodiscard]] constexpr bool cwr() const noexcept { return (flags() & flag::cwr) != 0; }
    /// AE: accurate ECN, the bit formerly called NS.
    [[nodiscard]] constexpr bool ae() const noexcept { return (flags() & flag::ae) != 0; }
    /// The AccECN ACE counter: AE, CWR and ECE read as one 3-bit number
    /// (draft-ietf-tcpm-accurate-ecn §3.2.2; meaningful after the handshake).
    [[nodiscard]] constexpr std::uint8_t ace() const noexcept {
        return static_cast<std::uint8_t>((flags() >> 6) & 0x7);
    }
    /// The receive window (unscaled).
    [[nodiscard]] constexpr std::uint16_t window() const noexcept { return u16(field::window); }
    /// Checksum as carried (RFC 9293 §3.1, over a pseudo header); see checksum_ok().
    [[nodiscard]] constexpr std::uint16_t checksum() const noexcept { return u16(field::checksum); }
    /// The urgent pointer (meaningful when urg() is set).
    [[nodiscard]] constexpr std::uint16_t urgent_pointer() const noexcept { return u16(field::urgent_pointer); }

    /// The header bytes (fixed part and options).
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// The options bytes (may be empty).
    [[nodiscard]] constexpr Buf options_bytes() const noexcept { return this->range(field::options, header_len()); }
    /// The options between the fixed header and header_len(): iterate for `result<option>`.
    [[nodiscard]] constexpr option_range options() const noexcept {
        return option_range{bytes{options_bytes()}, field::options};
    }
    /// The data after the header, to the end of the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t end = this->buf_.size();
        return this->range(header_len() < end ? header_len() : end, end);
    }

    // --- checksum (RFC 9293 §3.1; pseudo headers RFC 9293 §3.1, RFC 8200 §8.1) ---
    //
    // The segment is the whole buffer. Its length enters the pseudo header
    // as a 32-bit one's-complement term over IPv4 as well as over IPv6: a
    // segment longer than 65535 bytes (a TSO or BIG TCP capture, an IPv4
    // total length of 0) is summed as Linux sums it, not cut to 16 bits.
    // Below 65536 bytes this is exactly RFC 9293's 16-bit TCP Length.

    /// True when the checksum verifies over the whole buffer.
    template <ip_address Address>
    [[nodiscard]] constexpr bool checksum_ok(const Address& src, const Address& dst) const noexcept {
        return pseudo_header(src, dst).add(bytes{this->buf_}).verifies();
    }
    /// The checksum the segment should carry (computed with the field as zero).
    template <ip_address Address>
    [[nodiscard]] constexpr std::uint16_t compute_checksum(const Address& src, const Address& dst) const noexcept {
        checksum::accumulator acc = pseudo_header(src, dst);
        acc.add(bytes{this->range(0, field::checksum.begin)});
        acc.add(bytes{this->range(field::checksum.end, this->buf_.size())});
        return acc.finish();
    }

    // --- setters (mut_view only) ---
    /// Sets the field src_port() reads.
    constexpr void set_src_port(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::src_port, v); }
    /// Sets the field dst_port() reads.
    constexpr void set_dst_port(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::dst_port, v); }
    /// Sets the field sequence() reads.
    constexpr void set_sequence(std::uint32_t v) noexcept requires writable<Buf> {
        this->set_u32(field::seq_number, v);
    }
    /// Sets the field ack_number() reads.
    constexpr void set_ack_number(std::uint32_t v) noexcept requires writable<Buf> {
        this->set_u32(field::ack_number, v);
    }
    /// Sets the data offset from a byte length (a multiple of 4, 20..60).
    /// Voids the checked() guarantee if the new length exceeds the buffer.
    constexpr void set_header_len(std::size_t len) noexcept requires writable<Buf> {
        this->set_bits8(field::offset_flags.begin, 0xf0, static_cast<std::uint8_t>((len / 4) << 4));
    }
    /// Sets the 12 bits after the data offset (reserved and control bits).
    constexpr void set_flags(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::offset_flags.begin, 0x0fff, v);
    }
    /// Sets or clears the flag fin() reads.
    constexpr void set_fin(bool v) noexcept requires writable<Buf> { set_flag(flag::fin, v); }
    /// Sets or clears the flag syn() reads.
    constexpr void set_syn(bool v) noexcept requires writable<Buf> { set_flag(flag::syn, v); }
    /// Sets or clears the flag rst() reads.
    constexpr void set_rst(bool v) noexcept requires writable<Buf> { set_flag(flag::rst, v); }
    /// Sets or clears the flag psh() reads.
    constexpr void set_psh(bool v) noexcept requires writable<Buf> { set_flag(flag::psh, v); }
    /// Sets or clears the flag ack() reads.
    constexpr void set_ack(bool v) noexcept requires writable<Buf> { set_flag(flag::ack, v); }
    /// Sets or clears the flag urg() reads.
    constexpr void set_urg(bool v) noexcept requires writable<Buf> { set_flag(flag::urg, v); }
    /// Sets or clears the flag ece() reads.
    constexpr void set_ece(bool v) noexcept requires writable<Buf> { set_flag(flag::ece, v); }
    /// Sets or clears the flag cwr() reads.
    constexpr void set_cwr(bool v) noexcept requires writable<Buf> { set_flag(flag::cwr, v); }
    /// Sets or clears the flag ae() reads.
    constexpr void set_ae(bool v) noexcept requires writable<Buf> { set_flag(flag::ae, v); }
    /// Sets the field window() reads.
    constexpr void set_window(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::window, v); }
    /// Sets the field checksum() reads.
    constexpr void set_checksum(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::checksum, v); }
    /// Sets the field urgent_pointer() reads.
    constexpr void set_urgent_pointer(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::urgent_pointer, v);
    }
    /// Computes and stores the checksum; the header and payload must be final.
    template <ip_address Address>
    constexpr void fill_checksum(const Address& src, const Address& dst) noexcept requires writable<Buf> {
        set_checksum(compute_checksum(src, dst));
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    constexpr void set_flag(std::uint16_t bit, bool v) noexcept requires writable<Buf> {
        this->set_bits16(field::offset_flags.begin, bit, v ? bit : 0);
    }
    /// The pseudo header with the segment length as a 32-bit term (see
    /// the checksum section).
    template <ip_address Address>
    [[nodiscard]] constexpr checksum::accumulator pseudo_header(const Address& src, const Address& dst) const noexcept {
        checksum::accumulator acc;
        const auto len = static_cast<std::uint32_t>(this->buf_.size());
        if constexpr (std::same_as<Address, ipv4_address>) {
            acc.add_pseudo_header(src, dst, ip_proto::tcp, std::uint16_t{0});
            acc.add_u32(len);
        } else {
            acc.add_pseudo_header(src, dst, ip_proto::tcp, len);
        }
        return acc;
    }
};

/// A read-only TCP view over received bytes.
using view = basic_view<bytes>;
/// A writable TCP view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The accepted states of a TCP header, owned.
struct repr {
    std::uint16_t src_port = 0;       ///< source port
    std::uint16_t dst_port = 0;       ///< destination port
    std::uint32_t sequence = 0;       ///< sequence number
    std::uint32_t ack_number = 0;     ///< acknowledgment number (meaningful with flag::ack)
    std::uint16_t flags = 0;          ///< flag:: bits; only the nine defined ones are kept
    std::uint16_t window = 0;         ///< receive window, unscaled
    std::uint16_t urgent_pointer = 0; ///< urgent pointer (meaningful with flag::urg)
    /// Raw options, at most 40 bytes; emit() pads them with EOL to a
    /// multiple of 4. options_writer appends to them.
    small_bytes<max_options_len> options{};
    std::uint32_t payload_len = 0; ///< bytes after the header

    /// Accepts a checked view whose options are well formed. Reserved bits
    /// are dropped, as a receiver ignores them (RFC 9293 §3.1). The payload
    /// is the rest of the buffer.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (auto ok = v.options().validate(); !ok) return ok.error();
        repr r;
        r.src_port = v.src_port();
        r.dst_port = v.dst_port();
        r.sequence = v.sequence();
        r.ack_number = v.ack_number();
        r.flags = v.flags() & flag::defined;
        r.window = v.window();
        r.urgent_pointer = v.urgent_pointer();
        (void)r.options.set(v.options_bytes()); // at most 40 bytes: the data offset is 4 bits
        r.payload_len = static_cast<std::uint32_t>(v.payload().size());
        return r;
    }

    /// Bytes of the header emit() writes: 20 plus the options padded to a multiple of 4.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return min_header_len + ((options.size() + 3u) & ~std::size_t{3});
    }
    /// Header plus payload: the segment length.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + payload_len; }

    /// Writes the header into `v` (at least header_len() bytes). Options are
    /// padded with EOL to a multiple of 4 bytes. The checksum is left 0:
    /// it covers a pseudo header (see emit(v, src, dst)).
    constexpr void emit(mut_view v) const noexcept {
        const std::size_t hl = header_len();
        v.set_src_port(src_port);
        v.set_dst_port(dst_port);
        v.set_sequence(sequence);
        v.set_ack_number(ack_number);
        v.set_header_len(hl);
        v.set_flags(flags & flag::defined);
        v.set_window(window);
        v.set_checksum(0);
        v.set_urgent_pointer(urgent_pointer);
        mut_bytes out = v.buffer();
        store_bytes(out, field::options, options.bytes());
        for (std::size_t i = min_header_len + options.size(); i < hl; ++i) out[i] = std::byte{0};
    }
    /// emit(v), then the checksum over the first buffer_len() bytes of `v`
    /// (the payload must be in place) for a segment from `src` to `dst`.
    template <ip_address Address>
    constexpr void emit(mut_view v, const Address& src, const Address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

/// Appends options to a repr's options, laid out as Linux and the BSDs
/// lay them out: each option is preceded by the NOPs that put it at its
/// usual alignment. Timestamps and SACK start 2 bytes past a 4-byte
/// boundary so their 32-bit fields are aligned (`NOP NOP TS`, RFC 7323
/// Appendix A), SACK-permitted at an even offset so that it can precede
/// timestamps with no NOPs, window scale 1 byte past a boundary (`NOP WS`),
/// MSS and any other option on a boundary. emit() pads the end with EOL.
/// An option that does not fit in the 40 bytes is not written and every
/// later call is ignored; status() then holds the error.
///
///     tcp::repr r;
///     tcp::options_writer{r}.mss(1460).sack_permitted().timestamps(tsval, 0).window_scale(7);
///     // 02 04 05 b4  04 02 08 0a  <tsval>  00 00 00 00  01 03 03 07: Linux's SYN
class options_writer {
public:
    /// Appends after the options `r` already holds.
    constexpr explicit options_writer(repr& r) noexcept : r_(&r) {}

    /// Appends a NOP (kind 1), one byte of padding.
    constexpr options_writer& nop() noexcept {
        if (room(1)) push(std::byte{1});
        return *this;
    }
    /// Ends the list: EOL, then zeros up to a multiple of 4 bytes; nothing
    /// if the options already end on one. emit() pads the same way, so this
    /// only matters to code that reads the repr's options itself.
    constexpr options_writer& end() noexcept {
        const std::size_t pad = (4 - r_->options.size() % 4) % 4;
        if (pad != 0 && room(pad))
            for (std::size_t i = 0; i < pad; ++i) push(std::byte{0});
        return *this;
    }
    /// Appends MSS (kind 2, RFC 9293 §3.2): the largest segment this side receives, in bytes.
    constexpr options_writer& mss(std::uint16_t v) noexcept {
        if (open(option_kind::mss, 2, 4, 0)) push_u16(v);
        return *this;
    }
    /// Appends Window Scale (kind 3, RFC 7323 §2): the shift count, at most 14.
    constexpr options_writer& window_scale(std::uint8_t shift) noexcept {
        if (open(option_kind::window_scale, 1, 4, 1)) push(static_cast<std::byte>(shift));
        return *this;
    }
    /// Appends SACK-Permitted (kind 4, RFC 2018 §2), for a SYN.
    constexpr options_writer& sack_permitted() noexcept {
        open(option_kind::sack_permitted, 0, 2, 0);
        return *this;
    }
    /// Appends Timestamps (kind 8, RFC 7323 §3): TSval and TSecr.
    constexpr options_writer& timestamps(std::uint32_t value, std::uint32_t echo_reply) noexcept {
        if (open(option_kind::timestamps, 8, 4, 2)) {
            push_u32(value);
            push_u32(echo_reply);
        }
        return *this;
    }
    /// SACK with 1 to 4 blocks: none is bad_value, more than fit is no_room.
    constexpr options_writer& sack(std::span<const sack_block> blocks) noexcept {
        if (blocks.empty()) {
            fail(error::invalid(layer::tcp_option, errc::bad_value, length_source::none, here(), 1, 0));
        } else if (open(option_kind::sack, 8 * blocks.size(), 4, 2)) {
            for (const sack_block& b : blocks) {
                push_u32(b.left);
                push_u32(b.right);
            }
        }
        return *this;
    }
    /// Any other option: kind, length, then `data` (at most 38 bytes).
    constexpr options_writer& raw(option_kind kind, bytes data) noexcept {
        if (open(kind, data.size(), 4, 0))
            for (std::byte b : data) push(b);
        return *this;
    }

    /// Success, or the first error: no_room with `offset` where the option
    /// would have started in the header, `needed` its size with padding and
    /// `available` the option space left.
    [[nodiscard]] constexpr rawpkt::status status() const noexcept {
        if (failed_) return failure_;
        return {};
    }

private:
    /// Writes the NOPs that bring the option to `residue` modulo `modulus`,
    /// then the kind and length of an option with `n` data bytes; or records
    /// no_room and returns false.
    constexpr bool open(option_kind kind, std::size_t n, std::size_t modulus, std::size_t residue) noexcept {
        const std::size_t len = 2 + n;
        const std::size_t nops = (modulus + residue - r_->options.size() % modulus) % modulus;
        if (!room(nops + len)) return false;
        for (std::size_t i = 0; i < nops; ++i) push(std::byte{1});
        push(static_cast<std::byte>(kind));
        push(static_cast<std::byte>(len));
        return true;
    }
    constexpr bool room(std::size_t n) noexcept {
        if (failed_) return false;
        const std::size_t left = r_->options.capacity() - r_->options.size();
        if (n <= left) return true;
        fail(error::invalid(layer::tcp_option, errc::no_room, length_source::none, here(), n, left));
        return false;
    }
    constexpr void fail(const error& e) noexcept {
        if (failed_) return;
        failed_ = true;
        failure_ = e;
    }
    [[nodiscard]] constexpr std::size_t here() const noexcept { return field::options + r_->options.size(); }
    /// Only after room() said yes.
    constexpr void push(std::byte b) noexcept { (void)r_->options.push_back(b); }
    constexpr void push_u16(std::uint16_t v) noexcept {
        push(static_cast<std::byte>(v >> 8));
        push(static_cast<std::byte>(v & 0xffu));
    }
    constexpr void push_u32(std::uint32_t v) noexcept {
        push_u16(static_cast<std::uint16_t>(v >> 16));
        push_u16(static_cast<std::uint16_t>(v));
    }

    repr* r_;
    bool failed_ = false;
    error failure_{};
};

} // namespace rawpkt::tcp
