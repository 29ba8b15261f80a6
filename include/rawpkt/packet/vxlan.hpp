// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// VXLAN (RFC 7348 §5) header view and repr, with the group policy
/// extension (VXLAN-GBP, draft-smith-vxlan-group-policy §2.1) that Linux
/// and Open vSwitch implement.
///
/// The header is 8 bytes; the payload is an Ethernet frame (without FCS).
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the 8-byte header is inside `b`. checked() checks nothing else:
/// RFC 7348 §5 has receivers ignore reserved bits, and a clear I flag only
/// means the VNI is not valid (vni_valid()). No setter voids the guarantee.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace rawpkt::vxlan {

/// Header layout, RFC 7348 §5.
namespace field {
inline constexpr std::size_t flags = 0;         ///< R R R R I R R R
inline constexpr byte_range reserved1{1, 4};    ///< 24 reserved bits
inline constexpr byte_range vni{4, 7};          ///< VXLAN network identifier
inline constexpr std::size_t reserved2 = 7;     ///< 8 reserved bits
inline constexpr std::size_t gbp_flags = 1;     ///< VXLAN-GBP: D and A bits, in reserved1
inline constexpr byte_range group_policy{2, 4}; ///< VXLAN-GBP: group policy ID, in reserved1
} // namespace field

/// The whole header: there are no options.
inline constexpr std::size_t header_len = 8;
/// The largest VNI: 24 bits.
inline constexpr std::uint32_t max_vni = 0xffffff;

inline constexpr std::uint8_t flag_vni = 0x08; ///< I: the VNI is valid
inline constexpr std::uint8_t flag_gbp = 0x80; ///< G: group policy ID present (VXLAN-GBP)
/// VXLAN-GBP bits of the second byte.
inline constexpr std::uint8_t gbp_dont_learn = 0x40;     ///< D: do not learn the source address
inline constexpr std::uint8_t gbp_policy_applied = 0x08; ///< A: the group policy was already applied

/// Zero-copy VXLAN header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u24;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates that the header is in the buffer.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < vxlan::header_len) {
            return error::truncated(layer::vxlan, length_source::fixed_header, 0, vxlan::header_len, b.size());
        }
        return basic_view{b};
    }

    // --- fields (RFC 7348 §5) ---
    /// The whole flags byte.
    [[nodiscard]] constexpr std::uint8_t flags() const noexcept { return u8(field::flags); }
    /// The I flag: the VNI is valid. RFC 7348 §5 requires it.
    [[nodiscard]] constexpr bool vni_valid() const noexcept { return (flags() & flag_vni) != 0; }
    /// The 24 bits after the flags; VXLAN-GBP uses them.
    [[nodiscard]] constexpr std::uint32_t reserved1() const noexcept { return u24(field::reserved1.begin); }
    /// The 24-bit VXLAN network identifier (meaningful when vni_valid()).
    [[nodiscard]] constexpr std::uint32_t vni() const noexcept { return u24(field::vni.begin); }
    /// The last 8 bits, reserved (zero in a well-formed header).
    [[nodiscard]] constexpr std::uint8_t reserved2() const noexcept { return u8(field::reserved2); }
    /// Header length in bytes: always 8.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return vxlan::header_len; }

    // --- VXLAN-GBP (draft-smith-vxlan-group-policy §2.1) ---
    /// The G flag: group_policy_id() is meaningful.
    [[nodiscard]] constexpr bool has_group_policy() const noexcept { return (flags() & flag_gbp) != 0; }
    /// D: the egress must not learn the inner source address.
    [[nodiscard]] constexpr bool dont_learn() const noexcept { return (u8(field::gbp_flags) & gbp_dont_learn) != 0; }
    /// A: a policy was already applied to the packet.
    [[nodiscard]] constexpr bool policy_applied() const noexcept {
        return (u8(field::gbp_flags) & gbp_policy_applied) != 0;
    }
    /// The 16-bit group policy ID (meaningful when has_group_policy()).
    [[nodiscard]] constexpr std::uint16_t group_policy_id() const noexcept { return u16(field::group_policy); }

    /// The header bytes.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, vxlan::header_len); }
    /// The encapsulated Ethernet frame.
    [[nodiscard]] constexpr Buf payload() const noexcept { return this->range(vxlan::header_len, this->buf_.size()); }

    // --- setters (mut_view only) ---
    /// Sets the field flags() reads.
    constexpr void set_flags(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::flags, v); }
    /// Sets or clears the flag vni_valid() reads.
    constexpr void set_vni_valid(bool v) noexcept requires writable<Buf> {
        this->set_bits8(field::flags, flag_vni, v ? flag_vni : 0);
    }
    /// Sets the field reserved1() reads.
    constexpr void set_reserved1(std::uint32_t v) noexcept requires writable<Buf> {
        this->set_u24(field::reserved1.begin, v);
    }
    /// Sets the VNI (the low 24 bits of `v`); the I flag is left alone.
    constexpr void set_vni(std::uint32_t v) noexcept requires writable<Buf> { this->set_u24(field::vni.begin, v); }
    /// Sets the field reserved2() reads.
    constexpr void set_reserved2(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::reserved2, v); }
    /// Sets or clears the flag has_group_policy() reads.
    constexpr void set_has_group_policy(bool v) noexcept requires writable<Buf> {
        this->set_bits8(field::flags, flag_gbp, v ? flag_gbp : 0);
    }
    /// Sets or clears the flag dont_learn() reads.
    constexpr void set_dont_learn(bool v) noexcept requires writable<Buf> {
        this->set_bits8(field::gbp_flags, gbp_dont_learn, v ? gbp_dont_learn : 0);
    }
    /// Sets or clears the flag policy_applied() reads.
    constexpr void set_policy_applied(bool v) noexcept requires writable<Buf> {
        this->set_bits8(field::gbp_flags, gbp_policy_applied, v ? gbp_policy_applied : 0);
    }
    /// Sets the field group_policy_id() reads.
    constexpr void set_group_policy_id(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::group_policy, v);
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only VXLAN view over received bytes.
using view = basic_view<bytes>;
/// A writable VXLAN view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The VXLAN-GBP fields.
struct group_policy {
    std::uint16_t id = 0;    ///< group policy ID
    bool dont_learn = false; ///< D: do not learn
    bool applied = false;    ///< A: policy applied

    friend constexpr bool operator==(const group_policy&, const group_policy&) = default;
};

/// The accepted states of a VXLAN header, owned: a valid VNI, reserved
/// bits zero, optionally a group policy.
struct repr {
    std::uint32_t vni = 0;                ///< 24 bits
    std::optional<group_policy> policy{}; ///< VXLAN-GBP fields, when the G flag is to be set
    /// The Ethernet frame's length.
    std::size_t payload_len = 0;

    /// Accepts a checked view with the I flag set and every reserved bit
    /// clear (those VXLAN-GBP defines excepted, when its G flag is set).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (!v.vni_valid()) {
            return error::invalid(layer::vxlan, errc::bad_value, length_source::none, field::flags, 1, 0);
        }
        const std::uint8_t known = flag_vni | flag_gbp;
        if ((v.flags() & ~known) != 0) {
            return error::invalid(layer::vxlan, errc::bad_value, length_source::none, field::flags, 0,
                                  v.flags() & ~known);
        }
        repr r;
        if (v.has_group_policy()) {
            const std::uint8_t gbp_known = gbp_dont_learn | gbp_policy_applied;
            const auto bits = static_cast<std::uint8_t>(v.reserved1() >> 16);
            if ((bits & ~gbp_known) != 0) {
                return error::invalid(layer::vxlan, errc::bad_value, length_source::none, field::gbp_flags, 0,
                                      bits & ~gbp_known);
            }
            r.policy = group_policy{v.group_policy_id(), v.dont_learn(), v.policy_applied()};
        } else if (v.reserved1() != 0) {
            return error::invalid(layer::vxlan, errc::bad_value, length_source::none, field::reserved1.begin, 0,
                                  v.reserved1());
        }
        if (v.reserved2() != 0) {
            return error::invalid(layer::vxlan, errc::bad_value, length_source::none, field::reserved2, 0,
                                  v.reserved2());
        }
        r.vni = v.vni();
        r.payload_len = v.payload().size();
        return r;
    }

    /// The fixed header length, vxlan::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return vxlan::header_len; }
    /// Header plus payload.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return vxlan::header_len + payload_len; }

    /// Writes the 8-byte header into `v`.
    constexpr void emit(mut_view v) const noexcept {
        v.set_flags(policy ? flag_vni | flag_gbp : flag_vni);
        v.set_reserved1(0);
        if (policy) {
            v.set_dont_learn(policy->dont_learn);
            v.set_policy_applied(policy->applied);
            v.set_group_policy_id(policy->id);
        }
        v.set_vni(vni);
        v.set_reserved2(0);
    }

    friend constexpr bool operator==(const repr&, const repr&) = default;
};

} // namespace rawpkt::vxlan
