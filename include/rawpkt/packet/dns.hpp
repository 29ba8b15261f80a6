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
/// `max_pointers` are followed. A record's RDATA is read as typed values
/// for CNAME, NS, PTR, MX, TXT, SOA, SRV and OPT (`record::mx()` etc.),
/// which check it whole before they hand anything out (names in RDATA
/// under the same rules); A and AAAA through `a()`/`aaaa()`; any other type
/// stays as bytes (`record::data`). DNS over TCP carries a two-byte length
/// before each message (RFC 1035 §4.2.2): `tcp_message()` strips it, and
/// flow/dns_stream.hpp splits a reassembled stream into messages.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/tlv.hpp>
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
    /// The labels joined by dots, each label's bytes as they are ("<Root>"
    /// for the root): a label may hold any byte, a dot included. The
    /// dns.*name fields (rawpkt/fields.hpp) print names escaped as tshark
    /// does.
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

/// MX RDATA (RFC 1035 §3.3.9).
struct mx_data {
    std::uint16_t preference = 0; ///< PREFERENCE: lower values are tried first
    dns::name exchange;           ///< EXCHANGE: the host that accepts mail for the owner name
};

/// SOA RDATA (RFC 1035 §3.3.13); the intervals are in seconds.
struct soa_data {
    dns::name mname;           ///< the primary name server
    dns::name rname;           ///< the mailbox of the person responsible
    std::uint32_t serial = 0;  ///< SERIAL: the zone's version, compared in serial number arithmetic (RFC 1982)
    std::uint32_t refresh = 0; ///< REFRESH: seconds between a secondary's checks of the serial
    std::uint32_t retry = 0;   ///< RETRY: seconds before a secondary retries a failed refresh
    std::uint32_t expire = 0;  ///< EXPIRE: seconds after which an unrefreshed secondary stops answering
    std::uint32_t minimum = 0; ///< MINIMUM: seconds a negative answer may be cached (RFC 2308 §4)
};

/// SRV RDATA (RFC 2782).
struct srv_data {
    std::uint16_t priority = 0; ///< Priority: targets with lower values are tried first
    std::uint16_t weight = 0;   ///< Weight: relative share among targets of the same priority
    std::uint16_t port = 0;     ///< Port: the service's TCP or UDP port on the target
    dns::name target;           ///< Target: the host; "." (the root) means no such service here
};

/// One <character-string> of a TXT record (RFC 1035 §3.3, §3.3.14): a
/// length byte and that many bytes of text.
struct character_string {
    std::size_t offset = 0; ///< of the length byte, from the start of the message
    bytes text{};           ///< the text, 0 to 255 bytes, inside the message
    std::size_t length = 0; ///< bytes taken: 1 + text.size()
};

/// Reads the <character-string> at `at` of the RDATA `area`, which starts
/// `base` bytes into the message; errc::truncated when its length byte
/// states more than the area holds.
[[nodiscard]] constexpr result<character_string> parse_character_string(bytes area, std::size_t at,
                                                                        std::size_t base) noexcept {
    const std::size_t len = load_u8(area, at);
    if (at + 1 + len > area.size()) {
        return error::truncated(layer::dns, length_source::option_length, base + at, 1 + len, area.size() - at);
    }
    return character_string{base + at, area.subspan(at + 1, len), 1 + len};
}

/// How a TXT record's RDATA is walked: each <character-string> by
/// parse_character_string(), to the end of the RDATA.
struct character_string_traits {
    using item = character_string;                        ///< what the range yields
    static constexpr auto parse = parse_character_string; ///< reads one <character-string>
};
/// Iterates the <character-string>s of a TXT record. Yields
/// `result<character_string>`: a length that runs past the RDATA yields its
/// error and ends the iteration. The bytes of the message must outlive it.
using txt_range = detail::tlv_range<character_string_traits>;

/// One EDNS option of an OPT record (RFC 6891 §6.1.2): OPTION-CODE,
/// OPTION-LENGTH, OPTION-DATA.
struct edns_option {
    std::uint16_t code = 0; ///< OPTION-CODE (IANA "DNS EDNS0 Option Codes", e.g. 10 COOKIE)
    std::size_t offset = 0; ///< from the start of the message
    bytes data{};           ///< OPTION-DATA, OPTION-LENGTH bytes inside the message
    std::size_t length = 0; ///< bytes taken: 4 + data.size()
};

/// Reads the EDNS option at `at` of the OPT RDATA `area`, which starts
/// `base` bytes into the message; errc::truncated when its 4-byte header
/// or its OPTION-LENGTH runs past the area.
[[nodiscard]] constexpr result<edns_option> parse_edns_option(bytes area, std::size_t at, std::size_t base) noexcept {
    if (at + 4 > area.size()) {
        return error::truncated(layer::dns, length_source::option_length, base + at, 4, area.size() - at);
    }
    const std::size_t len = load_be<std::uint16_t>(area, at + 2);
    if (at + 4 + len > area.size()) {
        return error::truncated(layer::dns, length_source::option_length, base + at, 4 + len, area.size() - at);
    }
    return edns_option{load_be<std::uint16_t>(area, at), base + at, area.subspan(at + 4, len), 4 + len};
}

/// How an OPT record's RDATA is walked: each option by parse_edns_option(),
/// to the end of the RDATA.
struct edns_option_traits {
    using item = edns_option;                        ///< what the range yields
    static constexpr auto parse = parse_edns_option; ///< reads one option
};
/// Iterates the options of an OPT record. Yields `result<edns_option>`: a
/// malformed option yields its error and ends the iteration. The bytes of
/// the message must outlive it.
using edns_option_range = detail::tlv_range<edns_option_traits>;

/// The OPT pseudo-record (RFC 6891 §6.1.2, §6.1.3): CLASS is the
/// requestor's UDP payload size, TTL holds EXTENDED-RCODE, VERSION, the DO
/// bit (RFC 3225 §3) and Z; the RDATA is a list of options.
struct opt_data {
    std::uint16_t udp_payload_size = 0;    ///< the largest UDP payload, in bytes, the sender can reassemble
    std::uint8_t extended_rcode = 0;       ///< the upper 8 bits of the 12-bit RCODE
    std::uint8_t version = 0;              ///< EDNS VERSION: 0 is the only one defined (RFC 6891 §6.1.3)
    bool dnssec_ok = false;                ///< DO: the sender accepts DNSSEC records (RFC 3225 §3)
    std::uint16_t z = 0;                   ///< the 15 bits after DO
    edns_option_range options{bytes{}, 0}; ///< the options in the RDATA (RFC 6891 §6.1.2)

    /// The 12-bit RCODE, from this and the header's 4 bits (RFC 6891 §6.1.3).
    [[nodiscard]] constexpr std::uint16_t rcode(std::uint8_t header_rcode) const noexcept {
        return static_cast<std::uint16_t>((extended_rcode << 4) | (header_rcode & 0x0f));
    }
};

/// One resource record of the answer, authority or additional section
/// (RFC 1035 §4.1.3), as `reader` hands it out: the fixed fields read, the
/// RDATA as bytes inside the message, typed readers for the common types.
/// It refers into the message, whose bytes must outlive it.
struct record {
    dns::name name;              ///< NAME: the owner name
    std::uint16_t type = 0;      ///< TYPE (see rr_type)
    std::uint16_t klass = 0;     ///< for OPT (RFC 6891 §6.1.2) the UDP payload size
    std::uint32_t ttl = 0;       ///< for OPT the extended RCODE, version and flags
    bytes data{};                ///< RDATA, RDLENGTH bytes inside the message
    std::size_t data_offset = 0; ///< where the RDATA starts, from the start of the message
    /// The whole message: names in RDATA may point anywhere before them
    /// (RFC 1035 §4.1.4).
    bytes message{};

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

    // The typed RDATA readers below check the type, every length and every
    // name (a name in RDATA must end inside it, RFC 1035 §3.3), and that the
    // fields fill the RDATA exactly. A record of another type is an error
    // (errc::bad_value at the TYPE field, needed the type asked for).

    /// The canonical name of a CNAME record (RFC 1035 §3.3.1).
    [[nodiscard]] constexpr result<dns::name> cname() const noexcept { return lone_name(rr_type::cname); }
    /// The name server of an NS record (RFC 1035 §3.3.11).
    [[nodiscard]] constexpr result<dns::name> ns() const noexcept { return lone_name(rr_type::ns); }
    /// The domain name of a PTR record (RFC 1035 §3.3.12).
    [[nodiscard]] constexpr result<dns::name> ptr() const noexcept { return lone_name(rr_type::ptr); }

    /// The preference and exchange of an MX record (RFC 1035 §3.3.9).
    [[nodiscard]] constexpr result<mx_data> mx() const noexcept {
        if (auto s = expect(rr_type::mx, 2); !s) return s.error();
        const auto exchange = name_at(2);
        if (!exchange) return exchange.error();
        if (auto s = fills(2 + *exchange); !s) return s.error();
        return mx_data{load_be<std::uint16_t>(data, 0), dns::name{message, data_offset + 2}};
    }

    /// The character-strings of a TXT record (RFC 1035 §3.3.14), each length
    /// checked as the iteration reaches it.
    [[nodiscard]] constexpr result<txt_range> txt() const noexcept {
        if (auto s = expect(rr_type::txt, 0); !s) return s.error();
        return txt_range{data, data_offset};
    }

    /// The fields of an SOA record (RFC 1035 §3.3.13).
    [[nodiscard]] constexpr result<soa_data> soa() const noexcept {
        if (auto s = expect(rr_type::soa, 0); !s) return s.error();
        const auto mname = name_at(0);
        if (!mname) return mname.error();
        const auto rname = name_at(*mname);
        if (!rname) return rname.error();
        const std::size_t fixed = *mname + *rname;
        if (fixed + 20 > data.size()) {
            return error::truncated(layer::dns, length_source::payload_length, data_offset, fixed + 20, data.size());
        }
        if (auto s = fills(fixed + 20); !s) return s.error();
        return soa_data{dns::name{message, data_offset},         dns::name{message, data_offset + *mname},
                        load_be<std::uint32_t>(data, fixed),     load_be<std::uint32_t>(data, fixed + 4),
                        load_be<std::uint32_t>(data, fixed + 8), load_be<std::uint32_t>(data, fixed + 12),
                        load_be<std::uint32_t>(data, fixed + 16)};
    }

    /// The fields of an SRV record (RFC 2782).
    [[nodiscard]] constexpr result<srv_data> srv() const noexcept {
        if (auto s = expect(rr_type::srv, 6); !s) return s.error();
        const auto target = name_at(6);
        if (!target) return target.error();
        if (auto s = fills(6 + *target); !s) return s.error();
        return srv_data{load_be<std::uint16_t>(data, 0), load_be<std::uint16_t>(data, 2),
                        load_be<std::uint16_t>(data, 4), dns::name{message, data_offset + 6}};
    }

    /// The OPT pseudo-record's fields; its options are checked one by one as
    /// the iteration reaches them.
    [[nodiscard]] constexpr result<opt_data> opt() const noexcept {
        if (auto s = expect(rr_type::opt, 0); !s) return s.error();
        return opt_data{klass,
                        static_cast<std::uint8_t>(ttl >> 24),
                        static_cast<std::uint8_t>(ttl >> 16),
                        (ttl & 0x8000u) != 0,
                        static_cast<std::uint16_t>(ttl & 0x7fffu),
                        edns_option_range{data, data_offset}};
    }

private:
    // TYPE, CLASS, TTL and RDLENGTH come just before the RDATA (§4.1.3).
    [[nodiscard]] constexpr std::size_t type_offset() const noexcept {
        return data_offset >= 10 ? data_offset - 10 : 0;
    }
    [[nodiscard]] constexpr std::size_t rdlength_offset() const noexcept {
        return data_offset >= 2 ? data_offset - 2 : 0;
    }
    /// The type is `t`, the RDATA lies inside `message` and holds at least
    /// `fixed` bytes.
    [[nodiscard]] constexpr status expect(rr_type t, std::size_t fixed) const noexcept {
        if (type != static_cast<std::uint16_t>(t)) {
            return error::invalid(layer::dns, errc::bad_value, length_source::none, type_offset(),
                                  static_cast<std::uint16_t>(t), type);
        }
        if (data_offset + data.size() > message.size()) {
            return error::truncated(layer::dns, length_source::payload_length, rdlength_offset(),
                                    data_offset + data.size(), message.size());
        }
        if (data.size() < fixed) {
            return error::truncated(layer::dns, length_source::payload_length, data_offset, fixed, data.size());
        }
        return {};
    }
    /// The bytes the name at RDATA offset `at` takes there. Pointers only
    /// go backwards, so the message cut at the RDATA's end keeps all they
    /// may reach while no name runs past the RDATA.
    [[nodiscard]] constexpr result<std::size_t> name_at(std::size_t at) const noexcept {
        return name_len_at(message.first(data_offset + data.size()), data_offset + at);
    }
    /// The fields took `used` bytes: the RDATA must hold no more.
    [[nodiscard]] constexpr status fills(std::size_t used) const noexcept {
        if (used != data.size()) {
            return error::invalid(layer::dns, errc::length_too_large, length_source::payload_length, rdlength_offset(),
                                  used, data.size());
        }
        return {};
    }
    [[nodiscard]] constexpr result<dns::name> lone_name(rr_type t) const noexcept {
        if (auto s = expect(t, 0); !s) return s.error();
        const auto n = name_at(0);
        if (!n) return n.error();
        if (auto s = fills(*n); !s) return s.error();
        return dns::name{message, data_offset};
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
        e.record = {dns::name{msg_, pos_},           type,       klass, load_be<std::uint32_t>(msg_, at + 4),
                    msg_.subspan(at + fixed, rdlen), at + fixed, msg_};
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
