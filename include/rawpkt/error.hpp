// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Errors as values: a fixed-size, comparable `error` and `result<T>`.
///
/// Nothing on a data path throws. An error says which layer, what went wrong,
/// where the length that was violated came from, how many bytes were needed,
/// how many there were and at which byte offset, so that a test can compare
/// the whole error and a user can print a precise message.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

namespace rawpkt {

/// The layer (or file structure) an error was found in.
enum class layer : std::uint8_t {
    none,
    ethernet,
    llc,
    snap,
    vlan,
    mpls,
    sll,
    sll2,
    null_loopback,
    arp,
    ipv4,
    ipv4_option,
    ipv6,
    ipv6_extension,
    ipv6_option,
    icmpv4,
    icmpv6,
    ndp_option,
    tcp,
    tcp_option,
    udp,
    gre,
    vxlan,
    geneve,
    geneve_option,
    pppoe,
    ppp,
    gtpu,
    gtpu_extension,
    teredo,
    pcap,
    pcapng,
    datalink,
    transport,
    flow,
    dns,
    dhcp,
    dhcpv6,
};

/// What went wrong.
enum class errc : std::uint8_t {
    ok,
    truncated,        ///< the buffer is shorter than a length requires
    length_too_small, ///< a length field is below the minimum its format allows
    length_too_large, ///< a length field exceeds what the format allows
    bad_version,      ///< a version field has a value this parser does not accept
    bad_value,        ///< a field has a value the format forbids
    unsupported,      ///< well formed, but a protocol or option rawpkt does not decode
    too_many,         ///< a nesting or count limit was reached (tags, headers, options)
    no_room,          ///< emitting: the output buffer is too small
    io,               ///< an operating-system or file error (see `sys_errno`)
    permission,       ///< missing privilege (e.g. CAP_NET_RAW)
    not_found,        ///< a named thing (interface, file) does not exist
};

/// Where the length that was violated came from.
enum class length_source : std::uint8_t {
    none,
    fixed_header,     ///< the format's minimum or fixed header size
    header_length,    ///< a header-length field (IPv4 IHL, TCP data offset, ...)
    total_length,     ///< a total-length field (IPv4 total length, UDP length, ...)
    payload_length,   ///< a payload-length field (IPv6, PPPoE, GTP-U, ...)
    extension_length, ///< an extension header's own length field
    option_length,    ///< an option's length field (TLV)
    address_length,   ///< address-length fields (ARP hlen/plen, SLL halen)
    record_length,    ///< a capture-file record or block length
    capture_length,   ///< the captured length of a frame (snaplen)
};

/// A fixed-size error value (24 bytes). Offsets are from the start of the
/// buffer handed to the function that failed; the decoder rebases them onto
/// the frame.
///
/// For errc::truncated and errc::no_room, `needed` is the byte count the
/// length source requires and `available` what the buffer holds. For
/// errc::length_too_small / length_too_large, `available` is the offending
/// value and `needed` the limit it broke (minimum or maximum). For
/// bad_version, bad_value, unsupported and too_many, `available` is the
/// offending value and `needed` the expected one where there is one.
struct error {
    rawpkt::layer layer = rawpkt::layer::none;  ///< the protocol whose parse or build failed
    errc code = errc::ok;                       ///< what went wrong (errc::ok: nothing)
    length_source source = length_source::none; ///< which length the failed check relied on
    std::uint8_t reserved_ = 0;                 ///< always 0: the padding made explicit, so errors compare bytewise
    /// For errc::io: the errno value.
    std::int32_t sys_errno = 0;
    std::uint64_t offset = 0;    ///< byte offset of the failing field, from the start of the buffer given
    std::uint32_t needed = 0;    ///< see the struct comment: the size or limit the check required
    std::uint32_t available = 0; ///< see the struct comment: what the buffer or field held

    /// A buffer too short for `needed` bytes at `offset`.
    [[nodiscard]] static constexpr error truncated(rawpkt::layer l, length_source src, std::uint64_t off,
                                                   std::uint64_t needed_len, std::uint64_t avail) noexcept {
        return {l, errc::truncated, src, 0, 0, off, saturate(needed_len), saturate(avail)};
    }
    /// A field value the format forbids, e.g. a length below its minimum.
    [[nodiscard]] static constexpr error invalid(rawpkt::layer l, errc c, length_source src, std::uint64_t off,
                                                 std::uint64_t needed_len = 0, std::uint64_t avail = 0) noexcept {
        return {l, c, src, 0, 0, off, saturate(needed_len), saturate(avail)};
    }
    /// The same error seen from `base` bytes further out (nesting).
    [[nodiscard]] constexpr error rebased(std::uint64_t base) const noexcept {
        error e = *this;
        e.offset += base;
        return e;
    }

    friend constexpr bool operator==(const error&, const error&) = default;

private:
    static constexpr std::uint32_t saturate(std::uint64_t v) noexcept {
        return v > 0xffffffffu ? 0xffffffffu : static_cast<std::uint32_t>(v);
    }
};

/// The layer's short name as used in messages ("ipv4", "tcp option", ...).
[[nodiscard]] constexpr const char* to_string(layer l) noexcept {
    switch (l) {
    case layer::none: return "none";
    case layer::ethernet: return "ethernet";
    case layer::llc: return "llc";
    case layer::snap: return "snap";
    case layer::vlan: return "vlan";
    case layer::mpls: return "mpls";
    case layer::sll: return "sll";
    case layer::sll2: return "sll2";
    case layer::null_loopback: return "null/loopback";
    case layer::arp: return "arp";
    case layer::ipv4: return "ipv4";
    case layer::ipv4_option: return "ipv4 option";
    case layer::ipv6: return "ipv6";
    case layer::ipv6_extension: return "ipv6 extension header";
    case layer::ipv6_option: return "ipv6 option";
    case layer::icmpv4: return "icmpv4";
    case layer::icmpv6: return "icmpv6";
    case layer::ndp_option: return "ndp option";
    case layer::tcp: return "tcp";
    case layer::tcp_option: return "tcp option";
    case layer::udp: return "udp";
    case layer::gre: return "gre";
    case layer::vxlan: return "vxlan";
    case layer::geneve: return "geneve";
    case layer::geneve_option: return "geneve option";
    case layer::pppoe: return "pppoe";
    case layer::ppp: return "ppp";
    case layer::gtpu: return "gtp-u";
    case layer::gtpu_extension: return "gtp-u extension header";
    case layer::teredo: return "teredo";
    case layer::pcap: return "pcap";
    case layer::pcapng: return "pcapng";
    case layer::datalink: return "datalink";
    case layer::transport: return "transport";
    case layer::flow: return "flow";
    case layer::dns: return "dns";
    case layer::dhcp: return "dhcp";
    case layer::dhcpv6: return "dhcpv6";
    }
    return "?";
}

/// A short English name of the code ("truncated", "no room", ...).
[[nodiscard]] constexpr const char* to_string(errc c) noexcept {
    switch (c) {
    case errc::ok: return "ok";
    case errc::truncated: return "truncated";
    case errc::length_too_small: return "length too small";
    case errc::length_too_large: return "length too large";
    case errc::bad_version: return "bad version";
    case errc::bad_value: return "bad value";
    case errc::unsupported: return "unsupported";
    case errc::too_many: return "too many";
    case errc::no_room: return "no room";
    case errc::io: return "i/o error";
    case errc::permission: return "permission denied";
    case errc::not_found: return "not found";
    }
    return "?";
}

/// A short English name of the length source ("fixed header", ...).
[[nodiscard]] constexpr const char* to_string(length_source s) noexcept {
    switch (s) {
    case length_source::none: return "none";
    case length_source::fixed_header: return "fixed header";
    case length_source::header_length: return "header length field";
    case length_source::total_length: return "total length field";
    case length_source::payload_length: return "payload length field";
    case length_source::extension_length: return "extension length field";
    case length_source::option_length: return "option length field";
    case length_source::address_length: return "address length fields";
    case length_source::record_length: return "record length";
    case length_source::capture_length: return "captured length";
    }
    return "?";
}

/// A one-line message, e.g.
/// "ipv4: truncated at offset 14: total length field needs 60 bytes, 40 available".
[[nodiscard]] inline std::string to_string(const error& e) {
    std::string s = to_string(e.layer);
    s += ": ";
    s += to_string(e.code);
    s += " at offset ";
    s += std::to_string(e.offset);
    const std::string what = e.source == length_source::none ? "value" : to_string(e.source);
    switch (e.code) {
    case errc::truncated:
    case errc::no_room:
        s += ": " + what + " needs " + std::to_string(e.needed) + " bytes, " + std::to_string(e.available) +
             " available";
        break;
    case errc::length_too_small:
        s +=
            ": " + what + " is " + std::to_string(e.available) + ", at least " + std::to_string(e.needed) + " required";
        break;
    case errc::length_too_large:
        s += ": " + what + " is " + std::to_string(e.available) + ", at most " + std::to_string(e.needed) + " allowed";
        break;
    case errc::bad_version:
    case errc::bad_value:
    case errc::unsupported:
    case errc::too_many: s += ": " + what + " is " + std::to_string(e.available); break;
    case errc::ok:
    case errc::io:
    case errc::permission:
    case errc::not_found: break;
    }
    if (e.sys_errno != 0) s += ": errno " + std::to_string(e.sys_errno);
    return s;
}

/// Tag for constructing a failed result: `return unexpected(err);`.
struct unexpected {
    error err; ///< the error to return
    /// Wraps `e` (whose code must not be errc::ok).
    constexpr explicit unexpected(error e) noexcept : err(e) {}
};

/// Either a T or an error. A minimal, constexpr, exception-free stand-in for
/// C++23 std::expected<T, error>. Accessing the wrong alternative is a bug
/// and stops the program (it is never undefined behaviour). Copyable and
/// movable as T is, and trivially so when T is (a result of a trivially
/// copyable T can be passed in registers).
template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_reference_v<T>, "result<T&> is not supported");

public:
    using value_type = T; ///< the success type

    /// A success holding a copy of `v`.
    constexpr result(const T& v) noexcept(std::is_nothrow_copy_constructible_v<T>) : value_(v), ok_(true) {}
    /// A success holding `v`, moved in.
    constexpr result(T&& v) noexcept(std::is_nothrow_move_constructible_v<T>) : value_(std::move(v)), ok_(true) {}
    /// A failure holding `u.err`.
    constexpr result(unexpected u) noexcept : error_(u.err), ok_(false) {}
    /// A failure holding `e` (whose code must not be errc::ok).
    constexpr result(rawpkt::error e) noexcept : error_(e), ok_(false) {}

    // Copy, move and destruction follow T's, trivial when T's are (see
    // the class comment); left out of the reference.
    /// @cond special_members
    constexpr result(const result& o) noexcept(
        std::is_nothrow_copy_constructible_v<T>) requires std::is_trivially_copy_constructible_v<T>
    = default;
    constexpr result(const result& o) noexcept(std::is_nothrow_copy_constructible_v<T>) : ok_(o.ok_) {
        if (ok_)
            std::construct_at(&value_, o.value_);
        else
            std::construct_at(&error_, o.error_);
    }
    constexpr result(result&& o) noexcept(
        std::is_nothrow_move_constructible_v<T>) requires std::is_trivially_move_constructible_v<T>
    = default;
    constexpr result(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(o.ok_) {
        if (ok_)
            std::construct_at(&value_, std::move(o.value_));
        else
            std::construct_at(&error_, o.error_);
    }
    constexpr result& operator=(const result& o) requires std::is_trivially_copy_assignable_v<T> &&
        std::is_trivially_copy_constructible_v<T> && std::is_trivially_destructible_v<T>
    = default;
    constexpr result& operator=(const result& o) {
        if (this != &o) {
            destroy();
            ok_ = o.ok_;
            if (ok_)
                std::construct_at(&value_, o.value_);
            else
                std::construct_at(&error_, o.error_);
        }
        return *this;
    }
    constexpr result& operator=(result&& o) noexcept requires std::is_trivially_move_assignable_v<T> &&
        std::is_trivially_move_constructible_v<T> && std::is_trivially_destructible_v<T>
    = default;
    constexpr result& operator=(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) {
        if (this != &o) {
            destroy();
            ok_ = o.ok_;
            if (ok_)
                std::construct_at(&value_, std::move(o.value_));
            else
                std::construct_at(&error_, o.error_);
        }
        return *this;
    }
    // Conditionally trivial destructors (P0848, __cpp_concepts 202002L) are
    // missing in clang < 16: there, result<T> of a non-trivial T needs the
    // user-provided destructor alone.
#if __cpp_concepts >= 202002L
    constexpr ~result() requires std::is_trivially_destructible_v<T>
    = default;
#endif
    constexpr ~result() { destroy(); }
    /// @endcond

    /// True for a success.
    [[nodiscard]] constexpr bool has_value() const noexcept { return ok_; }
    /// True for a success: `if (auto r = f()) use(*r);`.
    constexpr explicit operator bool() const noexcept { return ok_; }

    /// The value; calling it on a failure is a bug (the program stops).
    [[nodiscard]] constexpr const T& value() const& noexcept {
        if (!ok_) wrong_access();
        return value_;
    }
    /// The value, modifiable (see the const overload).
    [[nodiscard]] constexpr T& value() & noexcept {
        if (!ok_) wrong_access();
        return value_;
    }
    /// The value, moved out (see the const overload).
    [[nodiscard]] constexpr T&& value() && noexcept {
        if (!ok_) wrong_access();
        return std::move(value_);
    }
    /// The value (same as value()).
    [[nodiscard]] constexpr const T& operator*() const& noexcept { return value(); }
    /// The value (same as value()).
    [[nodiscard]] constexpr T& operator*() & noexcept { return value(); }
    /// The value, moved out (same as value()).
    [[nodiscard]] constexpr T&& operator*() && noexcept { return std::move(*this).value(); }
    /// Member access to the value (same as value()).
    [[nodiscard]] constexpr const T* operator->() const noexcept { return &value(); }
    /// Member access to the value (same as value()).
    [[nodiscard]] constexpr T* operator->() noexcept { return &value(); }

    /// The error; calling it on a success is a bug.
    [[nodiscard]] constexpr const rawpkt::error& error() const noexcept {
        if (ok_) wrong_access();
        return error_;
    }
    template <class U>
    /// The value on success, `fallback` converted to T on failure.
    [[nodiscard]] constexpr T value_or(U&& fallback) const& {
        return ok_ ? value_ : static_cast<T>(std::forward<U>(fallback));
    }

private:
    [[noreturn]] static void wrong_access() noexcept { std::abort(); }
    constexpr void destroy() noexcept {
        if constexpr (!std::is_trivially_destructible_v<T>) {
            if (ok_) std::destroy_at(&value_);
        }
    }

    union {
        T value_;
        rawpkt::error error_;
    };
    bool ok_;
};

/// Success or an error, for operations without a value.
template <>
class [[nodiscard]] result<void> {
public:
    constexpr result() noexcept = default;
    /// A failure; `e.code` must not be errc::ok (such an error reads as
    /// success).
    constexpr result(unexpected u) noexcept : error_(u.err) {}
    /// A failure holding `e` (whose code must not be errc::ok).
    constexpr result(rawpkt::error e) noexcept : error_(e) {}

    // The error's code doubles as the flag: errc::ok is success.
    /// True for a success.
    [[nodiscard]] constexpr bool has_value() const noexcept { return error_.code == errc::ok; }
    /// True for a success: `if (!s) return s.error();`.
    constexpr explicit operator bool() const noexcept { return has_value(); }
    /// The error; calling it on a success is a bug (the program stops).
    [[nodiscard]] constexpr const rawpkt::error& error() const noexcept {
        if (has_value()) std::abort();
        return error_;
    }

private:
    rawpkt::error error_{};
};

/// The result of an operation without a value: success or an error.
using status = result<void>;

} // namespace rawpkt
