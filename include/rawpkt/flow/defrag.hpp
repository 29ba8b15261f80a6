// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// IPv4 and IPv6 defragmentation (RFC 791 §3.2, RFC 8200 §4.5) with bounded
/// memory and target-based overlap policies.
///
/// `defragmenter::add()` takes the bytes of one IP packet (its header
/// through the end of the datagram). A packet that is not a fragment comes
/// straight back (zero copy). A fragment is held until its datagram is
/// complete; the datagram is then rebuilt as one contiguous packet (the
/// first fragment's header with the fragmentation fields cleared and the
/// lengths and IPv4 checksum set; for IPv6 the unfragmentable part with the
/// fragment header taken out) and handed back, valid until the next call.
/// Feed it to decode() with link_type::ipv4 or ipv6 (see `link`).
///
/// Bounds: at most `max_datagrams` datagrams in reassembly, `max_fragments`
/// fragments each, `max_bytes` of fragment data over all of them (when a
/// new fragment would break it the oldest datagrams are evicted and
/// counted), and `timeout_ns` from a datagram's first fragment to its last.
/// Memory is allocated when the defragmenter is built and when a datagram
/// buffer grows beyond what it held before; buffers are reused.
///
/// Rejections, each with its reason and counted in stats(): overlapping
/// fragments with different bytes when `reject_overlaps` is on (teardrop
/// and the overlap evasions), a first fragment too short to hold the
/// transport header (RFC 1858 §3.1 tiny fragments), too many fragments, a
/// datagram longer than 65535 bytes (ping of death), and fragments that
/// disagree on where the datagram ends. A rejected datagram's fragments are
/// dropped.
///
/// Overlaps are resolved byte by byte between the new fragment N and the
/// fragment E that currently supplies the bytes, by `overlap_policy`
/// (after Novak's target-based reassembly, as IDS engines offer it):
/// first: E wins; last: N wins; os_bsd: N wins if it starts before E;
/// os_linux: N wins if it starts before E, or at the same offset and ends
/// later; os_windows: N wins only if it starts before E and ends after it.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/flow/slot_index.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/ipv6.hpp>
#include <rawpkt/packet/ipv6_ext.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace rawpkt::flow {

/// Named after the systems whose reassembly they model (`linux` itself is a
/// macro in GNU mode).
enum class overlap_policy : std::uint8_t { first, last, os_bsd, os_linux, os_windows };

/// The policy's name ("first", "last", "bsd", "linux", "windows").
[[nodiscard]] constexpr const char* to_string(overlap_policy p) noexcept {
    switch (p) {
    case overlap_policy::first: return "first";
    case overlap_policy::last: return "last";
    case overlap_policy::os_bsd: return "bsd";
    case overlap_policy::os_linux: return "linux";
    case overlap_policy::os_windows: return "windows";
    }
    return "?";
}

/// True when the bytes of a new fragment [nb, ne) replace those of the
/// fragment [eb, ee) that supplies them now.
[[nodiscard]] constexpr bool new_fragment_wins(overlap_policy p, std::uint32_t nb, std::uint32_t ne, std::uint32_t eb,
                                               std::uint32_t ee) noexcept {
    switch (p) {
    case overlap_policy::first: return false;
    case overlap_policy::last: return true;
    case overlap_policy::os_bsd: return nb < eb;
    case overlap_policy::os_linux: return nb < eb || (nb == eb && ne > ee);
    case overlap_policy::os_windows: return nb < eb && ne > ee;
    }
    return false;
}

/// What add() did with a packet.
enum class defrag_status : std::uint8_t {
    whole,       ///< not a fragment: `datagram` is the input itself
    held,        ///< a fragment, kept until its datagram is complete
    reassembled, ///< the last missing fragment: `datagram` is the rebuilt packet
    rejected,    ///< the datagram was dropped (see `reason`)
    malformed,   ///< not an IP packet add() can read (see `reason`)
};

/// Why a datagram was dropped.
enum class defrag_reason : std::uint8_t {
    none,
    overlap,             ///< overlapping fragments with different bytes (reject_overlaps)
    tiny_first_fragment, ///< the first fragment does not hold the transport header (RFC 1858)
    too_many_fragments,  ///< more than max_fragments
    oversize,            ///< the datagram would exceed 65535 bytes
    inconsistent_end,    ///< fragments disagree on where the datagram ends
    bad_fragment_length, ///< a fragment other than the last is not a multiple of 8 bytes
    memory,              ///< one datagram needs more than max_bytes
    bad_header,          ///< the IP header does not parse
};

/// The reason's text ("tiny first fragment", ...).
[[nodiscard]] constexpr const char* to_string(defrag_reason r) noexcept {
    switch (r) {
    case defrag_reason::none: return "none";
    case defrag_reason::overlap: return "overlap";
    case defrag_reason::tiny_first_fragment: return "tiny first fragment";
    case defrag_reason::too_many_fragments: return "too many fragments";
    case defrag_reason::oversize: return "oversize";
    case defrag_reason::inconsistent_end: return "inconsistent end";
    case defrag_reason::bad_fragment_length: return "bad fragment length";
    case defrag_reason::memory: return "memory";
    case defrag_reason::bad_header: return "bad header";
    }
    return "?";
}

/// Bounds and overlap handling of a defragmenter (see the file comment).
struct defrag_config {
    overlap_policy policy = overlap_policy::first; ///< which bytes win where fragments overlap
    /// Reject a datagram when a fragment overlaps held data with different
    /// bytes; a retransmitted fragment (same bytes) is always accepted.
    bool reject_overlaps = false;
    /// Reject a first fragment shorter than its transport's fixed header
    /// (TCP 20, UDP 8, ICMP 8 bytes).
    bool reject_tiny_first = true;
    std::size_t max_datagrams = 1024; ///< datagrams in reassembly at once; the oldest is evicted beyond
    std::size_t max_fragments = 64;   ///< fragments one datagram may have (defrag_reason::too_many_fragments beyond)
    /// Fragment data held over all datagrams.
    std::size_t max_bytes = std::size_t{16} << 20;
    /// Nanoseconds from a datagram's first fragment until it is given up (30 s: Linux's default).
    std::int64_t timeout_ns = 30'000'000'000;
};

/// Counters of a defragmenter since it was built.
struct defrag_stats {
    std::uint64_t fragments = 0;   ///< fragments given to add()
    std::uint64_t reassembled = 0; ///< datagrams rebuilt whole
    std::uint64_t rejected = 0;    ///< datagrams dropped with a defrag_reason
    std::uint64_t timed_out = 0;   ///< datagrams given up after timeout_ns
    /// Datagrams dropped, oldest first, to make room (max_bytes, max_datagrams).
    std::uint64_t evicted = 0;
    /// Overlapping fragments seen (resolved by the policy or rejected).
    std::uint64_t overlaps = 0;
    std::size_t bytes_held = 0;      ///< fragment data held now
    std::size_t peak_bytes_held = 0; ///< the most fragment data held at once
    std::size_t datagrams_held = 0;  ///< datagrams in reassembly now
};

/// What defragmenter::add() did with a packet, and the datagram when there is one (valid until the next add()).
struct defrag_result {
    defrag_status status = defrag_status::whole; ///< whole, held, reassembled, rejected or malformed
    defrag_reason reason = defrag_reason::none;  ///< why it was rejected or malformed (none otherwise)
    /// The whole datagram (status whole or reassembled).
    bytes datagram{};
    /// link_type::ipv4 or ipv6: how to decode `datagram`.
    link_type link = link_type::ipv4;
    /// Reassembled: where the reassembled payload starts in `datagram` (the
    /// IPv4 header's length, or the IPv6 unfragmentable part's).
    std::uint32_t header_len = 0;
};

/// Identifies the datagram a fragment belongs to (RFC 791 §3.2: source,
/// destination, protocol, identification; RFC 8200 §4.5: source,
/// destination, identification), plus a zone the caller chooses to keep
/// apart equal addresses of different VLANs or tunnels.
struct datagram_key {
    std::array<std::uint8_t, 16> src{}; ///< source address (IPv4 in the first 4 bytes)
    std::array<std::uint8_t, 16> dst{}; ///< destination address (IPv4 in the first 4 bytes)
    std::uint32_t ident = 0;            ///< Identification (16 bits in IPv4, 32 in the IPv6 fragment header)
    std::uint32_t zone = 0;             ///< the caller's zone (VLAN, tunnel); 0 by default
    std::uint8_t version = 0;           ///< 4 or 6
    std::uint8_t protocol = 0;          ///< IPv4 protocol (0 for IPv6, whose key has none)
    std::uint16_t unused = 0;           ///< always 0: the padding made explicit, so keys hash bytewise
    friend bool operator==(const datagram_key&, const datagram_key&) = default;
};
static_assert(std::has_unique_object_representations_v<datagram_key>);

/// Reassembles IPv4 and IPv6 fragments into whole datagrams within fixed bounds (see the file comment). Not
/// thread-safe; not copyable.
class defragmenter {
public:
    /// Allocates the table for config.max_datagrams datagrams up front.
    explicit defragmenter(const defrag_config& config = {})
        : config_(config), slots_(config.max_datagrams), index_(config.max_datagrams), age_(config.max_datagrams) {
        free_.reserve(config.max_datagrams);
        for (std::size_t i = config.max_datagrams; i-- > 0;) free_.push_back(static_cast<std::uint32_t>(i));
        out_.reserve(max_datagram_len + 1024);
    }

    /// Adds one IP packet seen at `timestamp_ns`. `zone` separates equal
    /// addresses that live in different VLANs or tunnels.
    [[nodiscard]] defrag_result add(bytes ip, std::int64_t timestamp_ns, std::uint32_t zone = 0) {
        expire(timestamp_ns);
        if (ip.empty()) return {defrag_status::malformed, defrag_reason::bad_header, {}, link_type::ipv4};
        const unsigned version = std::to_integer<unsigned>(ip[0]) >> 4;
        fragment f{};
        if (version == 4) {
            if (!parse_v4(ip, f)) return {defrag_status::malformed, defrag_reason::bad_header, {}, link_type::ipv4};
        } else if (version == 6) {
            if (!parse_v6(ip, f)) return {defrag_status::malformed, defrag_reason::bad_header, {}, link_type::ipv6};
        } else {
            return {defrag_status::malformed, defrag_reason::bad_header, {}, link_type::ipv4};
        }
        if (!f.is_fragment) return {defrag_status::whole, defrag_reason::none, f.whole, f.link};
        f.key.zone = zone;
        ++stats_.fragments;
        return add_fragment(f, timestamp_ns);
    }

    /// Adds the innermost IP packet of a decoded frame. Frames without IP
    /// come back as malformed.
    [[nodiscard]] defrag_result add(const decoded& d, std::int64_t timestamp_ns, std::uint32_t zone = 0) {
        const layer_info* ip = nullptr;
        for (const layer_info& l : d.layers()) {
            if ((l.kind == layer::ipv4 || l.kind == layer::ipv6) && !l.has(layer_flag::quoted)) ip = &l;
        }
        if (ip == nullptr) return {defrag_status::malformed, defrag_reason::bad_header, {}, link_type::ipv4};
        return add(d.bytes_of(*ip), timestamp_ns, zone);
    }

    /// Drops datagrams whose first fragment is older than the timeout.
    void expire(std::int64_t now_ns) noexcept {
        while (!age_.empty()) {
            const std::uint32_t s = age_.front();
            if (now_ns - slots_[s].first_seen_ns <= config_.timeout_ns) break;
            release(s);
            ++stats_.timed_out;
        }
    }

    /// Counters since it was built.
    [[nodiscard]] const defrag_stats& stats() const noexcept { return stats_; }
    /// The configuration it was built with.
    [[nodiscard]] const defrag_config& config() const noexcept { return config_; }

    /// The longest datagram IPv4 and (without jumbograms) IPv6 allow.
    static constexpr std::size_t max_datagram_len = 65535;

private:
    /// One IP fragment as add() read it.
    struct fragment {
        datagram_key key{};
        bytes whole{};
        bytes header{}; ///< IPv4 header, or the IPv6 unfragmentable part
        bytes data{};   ///< the fragment's share of the payload
        std::uint32_t offset = 0;
        std::uint32_t next_header_at = 0; ///< IPv6: where the byte naming the fragment header is
        std::uint8_t next_header = 0;     ///< the fragmentable part's first protocol
        bool more = false;
        bool is_fragment = false;
        link_type link = link_type::ipv4;
    };
    /// A run of datagram bytes and the fragment that supplied them.
    struct piece {
        std::uint32_t begin, end;
        std::uint32_t src_begin, src_end;
    };
    struct slot {
        datagram_key key{};
        std::uint64_t hash = 0;
        std::int64_t first_seen_ns = 0;
        std::vector<std::byte> header; ///< from the fragment at offset 0
        std::vector<std::byte> data;
        std::vector<piece> pieces;
        std::uint32_t fragments = 0;
        std::uint32_t total = 0; ///< payload length, once the last fragment came
        std::uint32_t next_header_at = 0;
        std::uint8_t next_header = 0;
        bool have_first = false;
        bool have_last = false;
        link_type link = link_type::ipv4;
    };

    static bool parse_v4(bytes ip, fragment& f) noexcept {
        const auto v = ipv4::view::checked(ip);
        if (!v) return false;
        const std::size_t hl = v->header_len();
        const std::size_t len = std::min<std::size_t>(v->datagram_len(), ip.size());
        f.link = link_type::ipv4;
        f.whole = ip.first(len);
        if (!v->is_fragment()) return true;
        f.is_fragment = true;
        f.header = ip.first(hl);
        f.data = ip.subspan(hl, len - hl);
        f.offset = v->frag_offset();
        f.more = v->more_fragments();
        f.next_header = static_cast<std::uint8_t>(v->protocol());
        f.key.version = 4;
        f.key.protocol = f.next_header;
        f.key.ident = v->ident();
        std::memcpy(f.key.src.data(), ip.data() + ipv4::field::src.begin, 4);
        std::memcpy(f.key.dst.data(), ip.data() + ipv4::field::dst.begin, 4);
        return true;
    }

    static bool parse_v6(bytes ip, fragment& f) noexcept {
        const auto v = ipv6::view::checked(ip);
        if (!v) return false;
        const std::size_t len = std::min<std::size_t>(v->datagram_len(), ip.size());
        f.link = link_type::ipv6;
        f.whole = ip.first(len);
        // Walk the extension headers up to a fragment header (RFC 8200 §4.1).
        ip_proto next = v->next_header();
        std::size_t at = ipv6::fixed_header_len;
        std::size_t next_at = 6; // the fixed header's next-header byte
        for (unsigned n = 0; n < ipv6::max_ext_headers && ipv6::is_extension_header(next); ++n) {
            const auto h = ipv6::parse_ext_header(next, f.whole, at, 0, n == 0);
            if (!h) return false;
            if (h->kind == ip_proto::ipv6_frag) {
                const auto frag = ipv6::fragment::view::unchecked(h->header);
                if (frag.is_atomic()) return true; // RFC 6946: processed as a whole packet
                f.is_fragment = true;
                f.header = f.whole.first(at);
                f.data = f.whole.subspan(at + h->header_len);
                f.offset = frag.frag_offset();
                f.more = frag.more_fragments();
                f.next_header = static_cast<std::uint8_t>(frag.next_header());
                f.next_header_at = static_cast<std::uint32_t>(next_at);
                f.key.version = 6;
                f.key.ident = frag.ident();
                std::memcpy(f.key.src.data(), ip.data() + ipv6::field::src.begin, 16);
                std::memcpy(f.key.dst.data(), ip.data() + ipv6::field::dst.begin, 16);
                return true;
            }
            next_at = at; // every extension header starts with its next-header byte
            at += h->header_len;
            next = h->next_header;
        }
        return true;
    }

    /// The shortest first fragment that still holds the transport header.
    static std::size_t min_first_len(std::uint8_t proto) noexcept {
        switch (static_cast<ip_proto>(proto)) {
        case ip_proto::tcp: return 20;
        case ip_proto::udp:
        case ip_proto::icmp:
        case ip_proto::icmpv6: return 8;
        default: return 1;
        }
    }

    defrag_result reject(std::uint32_t s, defrag_reason why, link_type link) noexcept {
        if (s != slot_index::npos) release(s);
        ++stats_.rejected;
        return {defrag_status::rejected, why, {}, link};
    }

    defrag_result add_fragment(const fragment& f, std::int64_t now) {
        const std::size_t end = std::size_t{f.offset} + f.data.size();
        const std::uint64_t h = detail::hash_key(f.key);
        std::uint32_t s = index_.find(h, [&](std::uint32_t i) { return slots_[i].key == f.key; });
        // Checks that need no held state come first.
        if (f.more && f.data.size() % 8 != 0) return reject(s, defrag_reason::bad_fragment_length, f.link);
        // IPv4 counts its header in the 16-bit total length, IPv6 does not.
        const std::size_t counted_header = f.link == link_type::ipv4 ? f.header.size() : f.header.size() - 40;
        if (counted_header + end > max_datagram_len) return reject(s, defrag_reason::oversize, f.link);
        if (f.offset == 0 && f.more && config_.reject_tiny_first && f.data.size() < min_first_len(f.next_header)) {
            return reject(s, defrag_reason::tiny_first_fragment, f.link);
        }
        if (end > config_.max_bytes) return reject(s, defrag_reason::memory, f.link);
        if (s == slot_index::npos) {
            if (free_.empty()) evict_oldest();
            s = free_.back();
            free_.pop_back();
            slot& n = slots_[s];
            n.key = f.key;
            n.hash = h;
            n.first_seen_ns = now;
            n.fragments = 0;
            n.total = 0;
            n.have_first = n.have_last = false;
            n.link = f.link;
            n.data.clear();
            n.pieces.clear();
            n.header.clear();
            index_.insert(h, s);
            age_.push_back(s);
            ++stats_.datagrams_held;
        }
        slot& d = slots_[s];
        if (++d.fragments > config_.max_fragments) return reject(s, defrag_reason::too_many_fragments, f.link);
        if (!f.more) {
            if ((d.have_last && d.total != end) || end < d.data.size()) {
                return reject(s, defrag_reason::inconsistent_end, f.link);
            }
            d.have_last = true;
            d.total = static_cast<std::uint32_t>(end);
        } else if (d.have_last && end > d.total) {
            return reject(s, defrag_reason::inconsistent_end, f.link);
        }
        if (f.offset == 0 && !d.have_first) {
            d.have_first = true;
            d.header.assign(f.header.begin(), f.header.end());
            d.next_header = f.next_header;
            d.next_header_at = f.next_header_at;
        }
        // Grow the buffer within the global bound, evicting others if need be.
        if (end > d.data.size()) {
            const std::size_t grow = end - d.data.size();
            while (stats_.bytes_held + grow > config_.max_bytes && age_.front() != s) evict_oldest();
            if (stats_.bytes_held + grow > config_.max_bytes) return reject(s, defrag_reason::memory, f.link);
            d.data.resize(end);
            stats_.bytes_held += grow;
            stats_.peak_bytes_held = std::max(stats_.peak_bytes_held, stats_.bytes_held);
        }
        if (!merge(d, f)) return reject(s, defrag_reason::overlap, f.link);
        if (!d.have_first || !d.have_last || !covered(d)) return {defrag_status::held, defrag_reason::none, {}, f.link};
        const bytes out = rebuild(d);
        const auto header_len = static_cast<std::uint32_t>(d.header.size());
        release(s);
        ++stats_.reassembled;
        return {defrag_status::reassembled, defrag_reason::none, out, f.link, header_len};
    }

    /// Writes the fragment's bytes where the policy lets it; false when
    /// reject_overlaps refuses a conflicting overlap.
    bool merge(slot& d, const fragment& f) {
        const auto nb = f.offset;
        const auto ne = static_cast<std::uint32_t>(f.offset + f.data.size());
        if (nb == ne) return true;
        auto write = [&](std::uint32_t b, std::uint32_t e) {
            std::memcpy(d.data.data() + b, f.data.data() + (b - nb), e - b);
            scratch_.push_back({b, e, nb, ne});
        };
        // Check first, so a rejected fragment changes nothing.
        bool overlapped = false;
        for (const piece& p : d.pieces) {
            if (p.end <= nb || p.begin >= ne) continue;
            overlapped = true;
            const std::uint32_t ob = std::max(p.begin, nb), oe = std::min(p.end, ne);
            if (config_.reject_overlaps && std::memcmp(d.data.data() + ob, f.data.data() + (ob - nb), oe - ob) != 0) {
                ++stats_.overlaps;
                return false;
            }
        }
        if (overlapped) ++stats_.overlaps;
        scratch_.clear();
        std::uint32_t cur = nb;
        for (const piece& p : d.pieces) {
            if (p.end <= nb) {
                scratch_.push_back(p);
                continue;
            }
            if (p.begin >= ne) {
                if (cur < ne) write(cur, ne);
                cur = ne;
                scratch_.push_back(p);
                continue;
            }
            if (p.begin > cur) write(cur, p.begin);
            if (p.begin < nb) scratch_.push_back({p.begin, nb, p.src_begin, p.src_end});
            const std::uint32_t ob = std::max(p.begin, nb), oe = std::min(p.end, ne);
            if (new_fragment_wins(config_.policy, nb, ne, p.src_begin, p.src_end)) {
                write(ob, oe);
            } else {
                scratch_.push_back({ob, oe, p.src_begin, p.src_end});
            }
            if (p.end > ne) scratch_.push_back({ne, p.end, p.src_begin, p.src_end});
            cur = std::max(cur, oe);
        }
        if (cur < ne) write(cur, ne);
        d.pieces.swap(scratch_);
        return true;
    }

    static bool covered(const slot& d) noexcept {
        std::uint32_t next = 0;
        for (const piece& p : d.pieces) {
            if (p.begin != next) return false;
            next = p.end;
        }
        return next == d.total;
    }

    /// The reassembled packet in out_ (RFC 791 §3.2, RFC 8200 §4.5).
    bytes rebuild(const slot& d) {
        out_.resize(d.header.size() + d.total);
        std::memcpy(out_.data(), d.header.data(), d.header.size());
        std::memcpy(out_.data() + d.header.size(), d.data.data(), d.total);
        const mut_bytes o{out_};
        if (d.link == link_type::ipv4) {
            auto v = ipv4::mut_view::unchecked(o);
            v.set_more_fragments(false);
            v.set_frag_offset(0);
            v.set_total_len(static_cast<std::uint16_t>(out_.size()));
            v.fill_checksum();
        } else {
            auto v = ipv6::mut_view::unchecked(o);
            v.set_payload_len(static_cast<std::uint16_t>(out_.size() - ipv6::fixed_header_len));
            o[d.next_header_at] = static_cast<std::byte>(d.next_header);
        }
        return bytes{out_};
    }

    void evict_oldest() noexcept {
        release(age_.front());
        ++stats_.evicted;
    }

    void release(std::uint32_t s) noexcept {
        slot& d = slots_[s];
        index_.erase(d.hash, s);
        age_.remove(s);
        stats_.bytes_held -= d.data.size();
        --stats_.datagrams_held;
        d.data.clear();
        d.pieces.clear();
        free_.push_back(s);
    }

    using slot_index = detail::slot_index;

    defrag_config config_;
    std::vector<slot> slots_;
    detail::slot_index index_;
    detail::slot_list age_;
    std::vector<std::uint32_t> free_;
    std::vector<piece> scratch_;
    std::vector<std::byte> out_;
    defrag_stats stats_{};
};

/// Decodes frames and reassembles their IP fragments on the way: what a
/// consumer of whole datagrams (TCP reassembly, application parsers) reads
/// from. Frames that are not fragments are decoded in place.
class reassembling_decoder {
public:
    /// A decoder that reassembles with `config` and decodes with `options` (lax by default, as captures are read).
    explicit reassembling_decoder(const defrag_config& config = {},
                                  const decode_options& options = {.mode = decode_mode::lax})
        : defrag_(config), options_(options) {}

    /// The decoded frame, or the datagram its fragment completed (decoded
    /// from the IP header on, valid until the next call); nullptr for a
    /// fragment that was held or rejected.
    [[nodiscard]] const decoded* decode(bytes frame, link_type link, std::int64_t timestamp_ns) {
        (void)rawpkt::decode(frame, link, frame_, options_);
        if (!frame_.is_fragment()) return &frame_;
        const defrag_result r = defrag_.add(frame_, timestamp_ns);
        if (r.status == defrag_status::whole) return &frame_;
        if (r.status != defrag_status::reassembled) return nullptr;
        (void)rawpkt::decode(r.datagram, r.link, datagram_, options_);
        return &datagram_;
    }

    /// The defragmenter, for its stats().
    [[nodiscard]] const defragmenter& defrag() const noexcept { return defrag_; }

private:
    defragmenter defrag_;
    decode_options options_;
    decoded frame_;
    decoded datagram_;
};

} // namespace rawpkt::flow
