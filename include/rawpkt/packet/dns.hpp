// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// DNS messages (RFC 1035 §4.1): the header, questions and resource
/// records, and names with compression pointers (RFC 1035 §4.1.4).
///
/// Contract: after `view::checked(b)` succeeds the 12-byte header is there;
/// questions and records are read one by one with `reader`, which checks
/// every length and every name before it hands an item out, so no accessor
/// of a `question`, `record` or `name` reads out of bounds. Names are
/// validated without allocation: labels of at most 63 bytes, at most 255
/// bytes in all (RFC 1035 §2.3.4), and a compression pointer must point
/// before the label that holds it, so a name can never loop; at most
/// `max_pointers` are followed. DNS over TCP carries a two-byte length
/// before each message (RFC 1035 §4.2.2): `tcp_message()` strips it.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace rawpkt::dns {

/// Header layout, RFC 1035 §4.1.1.
namespace field {
inline constexpr byte_range id{0, 2};        ///< ID: matches a response to its query
inline constexpr byte_range flags{2, 4};     ///< QR, Opcode, AA, TC, RD, RA, Z, RCODE
inline constexpr byte_range qdcount{4, 6};   ///< QDCOUNT: entries in the question section
inline constexpr byte_range ancount{6, 8};   ///< ANCOUNT: records in the answer section
inline constexpr byte_range nscount{8, 10};  ///< NSCOUNT: records in the authority section
inline constexpr byte_range arcount{10, 12}; ///< ARCOUNT: records in the additional section
} // namespace field

/// Bytes of the DNS header.
inline constexpr std::size_t header_len = field::arcount.end;
/// The longest name in wire form, in bytes (RFC 1035 §2.3.4).
inline constexpr std::size_t max_name_len = 255;
/// The longest label, in bytes (RFC 1035 §2.3.4).
inline constexpr std::size_t max_label_len = 63;
/// Compression pointers followed in one name at most.
inline constexpr unsigned max_pointers = 32;

/// QR: the message is a response.
inline constexpr std::uint16_t flag_response = 0x8000;
/// TC: the message was truncated (retry over TCP).
inline constexpr std::uint16_t flag_truncated = 0x0200;

/// Resource record types rawpkt names (RFC 1035 §3.2.2, RFC 3596, RFC 2782,
/// RFC 6891); others are kept as numbers with their data as bytes.
enum class rr_type : std::uint16_t {
    a = 1,
    ns = 2,
    cname = 5,
    soa = 6,
    ptr = 12,
    mx = 15,
    txt = 16,
    aaaa = 28,
    srv = 33,
    opt = 41,
};

/// Validates the name at `at` of `msg` and returns the bytes it takes in
/// place (up to and including its first pointer or the root label).
[[nodiscard]] constexpr result<std::size_t> name_len_at(bytes msg, std::size_t at) noexcept {
    std::size_t pos = at;
    std::size_t in_place = 0;
    std::size_t total = 1; // the root label
    unsigned pointers = 0;
    for (;;) {
        if (pos >= msg.size())
            return error::truncated(layer::dns, length_source::option_length, pos, pos + 1, msg.size());
        const auto len = std::to_integer<std::uint8_t>(msg[pos]);
        if ((len & 0xc0) == 0xc0) { // RFC 1035 §4.1.4
            if (pos + 2 > msg.size()) {
                return error::truncated(layer::dns, length_source::option_length, pos, pos + 2, msg.size());
            }
            const std::size_t target = load_be<std::uint16_t>(msg, pos) & 0x3fffu;
            if (in_place == 0) in_place = pos + 2 - at;
            // Only backwards, and not too often: no loops, bounded work.
            if (target >= pos || ++pointers > max_pointers) {
                return error::invalid(layer::dns, errc::bad_value, length_source::none, pos, pos, target);
            }
            pos = target;
            continue;
        }
        if ((len & 0xc0) != 0) return error::invalid(layer::dns, errc::unsupported, length_source::none, pos, 0, len);
        if (len == 0) {
            if (in_place == 0) in_place = pos + 1 - at;
            return in_place;
        }
        total += len + 1u;
        if (total > max_name_len) {
            return error::invalid(layer::dns, errc::length_too_large, length_source::option_length, pos, max_name_len,
                                  total);
        }
        if (pos + 1 + len > msg.size()) {
            return error::truncated(layer::dns, length_source::option_length, pos, pos + 1 + len, msg.size());
        }
        pos += 1u + len;
    }
}

/// A validated name inside a message (see name_len_at()).
class name {
public:
    constexpr name() noexcept = default;
    /// The name starting at offset `at` of message `msg`, which name_len_at() validated.
    constexpr name(bytes msg, std::size_t at) noexcept : msg_(msg), at_(at) {}

    /// Calls fn(bytes label) for each label, first to last (not the root).
    template <class Fn>
    constexpr void for_each_label(Fn&& fn) const {
        std::size_t pos = at_;
        for (;;) {
            const auto len = std::to_integer<std::uint8_t>(msg_[pos]);
            if ((len & 0xc0) == 0xc0) {
                pos = load_be<std::uint16_t>(msg_, pos) & 0x3fffu;
                continue;
            }
            if (len == 0) return;
            fn(msg_.subspan(pos + 1, len));
            pos += 1u + len;
        }
    }
    /// Dotted text as tshark prints it ("<Root>" for the root).
    [[nodiscard]] std::string to_string() const {
        std::string s;
        for_each_label([&](bytes label) {
            if (!s.empty()) s += '.';
            for (const std::byte b : label) s += static_cast<char>(b);
        });
        return s.empty() ? std::string("<Root>") : s;
    }
    /// Where the name starts in the message.
    [[nodiscard]] constexpr std::size_t offset() const noexcept { return at_; }

private:
    bytes msg_{};
    std::size_t at_ = 0;
};

/// One entry of the question section (RFC 1035 §4.1.2).
struct question {
    dns::name name;          ///< QNAME
    std::uint16_t type = 0;  ///< QTYPE (see rr_type)
    std::uint16_t klass = 0; ///< QCLASS (1: IN)
};

/// One resource record of the answer, authority or additional section
/// (RFC 1035 §4.1.3).
struct record {
    dns::name name;              ///< the owner name
    std::uint16_t type = 0;      ///< TYPE (see rr_type)
    std::uint16_t klass = 0;     ///< for OPT (RFC 6891 §6.1.2) the UDP payload size
    std::uint32_t ttl = 0;       ///< for OPT the extended RCODE, version and flags
    bytes data{};                ///< RDATA (points into the message)
    std::size_t data_offset = 0; ///< where RDATA starts in the message

    /// The address of an A or AAAA record.
    [[nodiscard]] constexpr std::optional<ipv4_address> a() const noexcept {
        if (type != static_cast<std::uint16_t>(rr_type::a) || data.size() != 4) return std::nullopt;
        return ipv4_address::load(data, 0);
    }
    /// The address of an AAAA record.
    [[nodiscard]] constexpr std::optional<ipv6_address> aaaa() const noexcept {
        if (type != static_cast<std::uint16_t>(rr_type::aaaa) || data.size() != 16) return std::nullopt;
        return ipv6_address::load(data, 0);
    }
};

/// The four sections of a message (RFC 1035 §4.1).
enum class section : std::uint8_t { question, answer, authority, additional };

template <byte_span Buf>
/// Zero-copy view of a DNS message's header; questions and records are read with `reader`. See the file comment for the
/// bounds contract.
class basic_view : public detail::view_base<Buf> {
public:
    constexpr basic_view() noexcept = default;
    /// A view of `b` without checks, for buffers the caller sized.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }
    /// A view of `b` when it holds the 12-byte header; errc::truncated otherwise.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < header_len)
            return error::truncated(layer::dns, length_source::fixed_header, 0, header_len, b.size());
        return basic_view{b};
    }

    /// ID: matches a response to its query.
    [[nodiscard]] constexpr std::uint16_t id() const noexcept { return this->u16(field::id.begin); }
    /// The whole flags word (QR, Opcode, AA, TC, RD, RA, Z, RCODE).
    [[nodiscard]] constexpr std::uint16_t flags() const noexcept { return this->u16(field::flags.begin); }
    /// QR: a response.
    [[nodiscard]] constexpr bool is_response() const noexcept { return (flags() & flag_response) != 0; }
    /// Opcode: 0 a standard query.
    [[nodiscard]] constexpr std::uint8_t opcode() const noexcept { return (flags() >> 11) & 0x0f; }
    /// RCODE: 0 no error, 3 name error (NXDOMAIN), ...
    [[nodiscard]] constexpr std::uint8_t rcode() const noexcept { return flags() & 0x0f; }
    /// TC: truncated.
    [[nodiscard]] constexpr bool truncated() const noexcept { return (flags() & flag_truncated) != 0; }
    /// QDCOUNT.
    [[nodiscard]] constexpr std::uint16_t question_count() const noexcept { return this->u16(field::qdcount.begin); }
    /// ANCOUNT.
    [[nodiscard]] constexpr std::uint16_t answer_count() const noexcept { return this->u16(field::ancount.begin); }
    /// NSCOUNT.
    [[nodiscard]] constexpr std::uint16_t authority_count() const noexcept { return this->u16(field::nscount.begin); }
    /// ARCOUNT.
    [[nodiscard]] constexpr std::uint16_t additional_count() const noexcept { return this->u16(field::arcount.begin); }

    /// Sets the field id() reads.
    constexpr void set_id(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::id.begin, v); }
    /// Sets the field flags() reads.
    constexpr void set_flags(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::flags.begin, v); }

private:
    constexpr explicit basic_view(Buf b) noexcept : detail::view_base<Buf>(b) {}
};

/// A read-only DNS view over received bytes.
using view = basic_view<bytes>;
/// A writable DNS view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// Walks a message's questions, then its answer, authority and additional
/// records, as the header counts them. next() yields each entry, or the
/// error that ends the walk; nothing (std::nullopt) after the last.
class reader {
public:
    /// A question or record with the section it came from.
    struct entry {
        dns::section section;   ///< the section the entry belongs to
        dns::question question; ///< section::question
        dns::record record;     ///< the other sections
    };

    /// Reads the sections of `v`'s message; `v`'s bytes must outlive the reader and its entries.
    constexpr explicit reader(view v) noexcept
        : msg_(v.buffer()), left_{v.question_count(), v.answer_count(), v.authority_count(), v.additional_count()} {}

    /// The next entry; an error ends the walk; std::nullopt after the last.
    [[nodiscard]] constexpr std::optional<result<entry>> next() noexcept {
        while (sec_ < 4 && left_[sec_] == 0) ++sec_;
        if (sec_ == 4 || failed_) return std::nullopt;
        --left_[sec_];
        entry e{static_cast<section>(sec_), {}, {}};
        const auto n = name_len_at(msg_, pos_);
        if (!n) return fail(n.error());
        const std::size_t fixed = sec_ == 0 ? 4 : 10;
        const std::size_t at = pos_ + *n;
        if (at + fixed > msg_.size()) {
            return fail(error::truncated(layer::dns, length_source::fixed_header, at, at + fixed, msg_.size()));
        }
        const std::uint16_t type = load_be<std::uint16_t>(msg_, at);
        const std::uint16_t klass = load_be<std::uint16_t>(msg_, at + 2);
        if (sec_ == 0) {
            e.question = {dns::name{msg_, pos_}, type, klass};
            pos_ = at + fixed;
            return result<entry>{e};
        }
        const std::size_t rdlen = load_be<std::uint16_t>(msg_, at + 8);
        if (at + fixed + rdlen > msg_.size()) {
            return fail(
                error::truncated(layer::dns, length_source::payload_length, at + 8, at + fixed + rdlen, msg_.size()));
        }
        e.record = {dns::name{msg_, pos_},           type,      klass, load_be<std::uint32_t>(msg_, at + 4),
                    msg_.subspan(at + fixed, rdlen), at + fixed};
        pos_ = at + fixed + rdlen;
        return result<entry>{e};
    }

private:
    constexpr std::optional<result<entry>> fail(const error& e) noexcept {
        failed_ = true;
        return result<entry>{e};
    }
    bytes msg_;
    std::uint16_t left_[4];
    std::size_t pos_ = header_len;
    unsigned sec_ = 0;
    bool failed_ = false;
};

/// The message after DNS-over-TCP's two-byte length (RFC 1035 §4.2.2).
[[nodiscard]] constexpr result<bytes> tcp_message(bytes segment) noexcept {
    if (segment.size() < 2) return error::truncated(layer::dns, length_source::fixed_header, 0, 2, segment.size());
    const std::size_t len = load_be<std::uint16_t>(segment, 0);
    if (segment.size() < 2 + len) {
        return error::truncated(layer::dns, length_source::total_length, 0, 2 + len, segment.size());
    }
    return segment.subspan(2, len);
}

} // namespace rawpkt::dns
