// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// A flow table: one record per bidirectional flow (flow_key: the 5-tuple
/// with its VLAN and tunnel), packet and byte counters per direction,
/// first and last timestamps and the TCP flags seen each way.
///
/// A flow ends when it has been idle for `idle_timeout_ns`, when it has
/// been active for `active_timeout_ns` (the record is exported and counting
/// starts over, as NetFlow does for long flows), when the table is full and
/// it is the least recently active (evicted), or at finish(). Each finished
/// record goes to the sink's `on_flow(const flow_record&)`. The table holds
/// at most `max_flows` records in storage allocated up front: adding a
/// packet never allocates.
///
/// Bytes are counted from the IP header on (the IP datagram length, as
/// NetFlow counts octets); direction 0 is from the side that sent the
/// flow's first packet.
#pragma once

#include <rawpkt/decode.hpp>
#include <rawpkt/flow/flow_key.hpp>
#include <rawpkt/flow/slot_index.hpp>
#include <rawpkt/packet/tcp.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rawpkt::flow {

/// Why a flow record was exported.
enum class flow_end : std::uint8_t { idle, active, evicted, end };

/// The reason's name ("idle", "active", "evicted", "end").
[[nodiscard]] constexpr const char* to_string(flow_end e) noexcept {
    switch (e) {
    case flow_end::idle: return "idle";
    case flow_end::active: return "active";
    case flow_end::evicted: return "evicted";
    case flow_end::end: return "end";
    }
    return "?";
}

/// One flow as exported to the sink: counters per direction (0: from client_side), timestamps and TCP flags.
struct flow_record {
    flow_key key{}; ///< the 5-tuple with VLAN and tunnel
    /// The key side direction 0 comes from.
    unsigned client_side = 0;
    std::int64_t first_ns = 0;              ///< time of the first packet, ns since the Unix epoch
    std::int64_t last_ns = 0;               ///< time of the latest packet, ns since the Unix epoch
    std::array<std::uint64_t, 2> packets{}; ///< packets per direction
    std::array<std::uint64_t, 2> bytes{};   ///< bytes per direction, from the IP header on
    /// TCP flags (tcp::flag bits) seen in each direction.
    std::array<std::uint16_t, 2> tcp_flags{};
    flow_end end = flow_end::end; ///< why the record was exported

    /// The address that sent `direction` (0 or 1).
    [[nodiscard]] std::string address(unsigned direction) const {
        return key.address(direction == 0 ? client_side : 1 - client_side);
    }
    /// The port that sent `direction` (0 for protocols without ports).
    [[nodiscard]] std::uint16_t port(unsigned direction) const {
        return key.port[direction == 0 ? client_side : 1 - client_side];
    }
};

/// Size and timeouts of a flow_table.
struct flow_table_config {
    std::size_t max_flows = 65536;                 ///< flows held at once; the least recently active is evicted beyond
    std::int64_t idle_timeout_ns = 60'000'000'000; ///< ns without a packet after which a flow ends (flow_end::idle)
    /// Nanoseconds after which a long flow is exported and counted anew (flow_end::active).
    std::int64_t active_timeout_ns = 1'800'000'000'000;
};

/// Counters of a flow_table since it was built.
struct flow_table_stats {
    std::uint64_t packets = 0; ///< frames given to add()
    std::uint64_t flows = 0;   ///< flows started
    std::uint64_t evicted = 0; ///< flows exported with flow_end::evicted
    std::uint64_t not_ip = 0;  ///< frames without an IP header (or later fragments)
    std::size_t active = 0;    ///< flows held now
};

template <class Sink>
/// Counts packets per bidirectional flow and exports each finished flow to `Sink::on_flow(const flow_record&)` (see the
/// file comment). Not thread-safe; not copyable.
class flow_table {
public:
    /// Exports to `sink`, which must outlive the table; allocates config.max_flows records up front.
    explicit flow_table(Sink& sink, const flow_table_config& config = {})
        : sink_(sink), config_(config), slots_(config.max_flows), hashes_(config.max_flows), index_(config.max_flows),
          lru_(config.max_flows) {
        free_.reserve(config.max_flows);
        for (std::size_t i = config.max_flows; i-- > 0;) free_.push_back(static_cast<std::uint32_t>(i));
    }
    flow_table(const flow_table&) = delete;
    flow_table& operator=(const flow_table&) = delete;
    flow_table(flow_table&&) = delete;
    flow_table& operator=(flow_table&&) = delete;
    ~flow_table() = default;

    /// Counts a decoded frame seen at `timestamp_ns`; false when it has no
    /// flow (no IP, or an IP fragment after the first).
    bool add(const decoded& d, std::int64_t timestamp_ns) {
        expire(timestamp_ns);
        ++stats_.packets;
        const auto p = flow_of(d);
        if (!p) {
            ++stats_.not_ip;
            return false;
        }
        const std::uint64_t h = detail::hash_key(p->key);
        std::uint32_t s = index_.find(h, [&](std::uint32_t i) { return slots_[i].key == p->key; });
        if (s != npos && timestamp_ns - slots_[s].first_ns > config_.active_timeout_ns) {
            export_flow(s, flow_end::active);
            s = npos;
        }
        if (s == npos) s = open(p->key, h, p->sender, timestamp_ns);
        flow_record& r = slots_[s];
        lru_.touch(s);
        const unsigned dir = p->sender == r.client_side ? 0 : 1;
        r.last_ns = std::max(r.last_ns, timestamp_ns);
        ++r.packets[dir];
        r.bytes[dir] += p->ip->length;
        if (p->transport != nullptr && p->transport->kind == layer::tcp) {
            r.tcp_flags[dir] |= tcp::view::unchecked(d.bytes_of(*p->transport)).flags();
        }
        return true;
    }

    /// Exports flows idle for longer than the idle timeout.
    void expire(std::int64_t now_ns) {
        while (!lru_.empty()) {
            const std::uint32_t s = lru_.front();
            if (now_ns - slots_[s].last_ns <= config_.idle_timeout_ns) break;
            export_flow(s, flow_end::idle);
        }
    }

    /// Exports every flow left, oldest first.
    void finish() {
        std::vector<std::uint32_t> left;
        for (std::uint32_t s = lru_.front(); s != npos; s = lru_.next(s)) left.push_back(s);
        std::sort(left.begin(), left.end(), [&](std::uint32_t a, std::uint32_t b) {
            return slots_[a].first_ns != slots_[b].first_ns ? slots_[a].first_ns < slots_[b].first_ns
                                                            : order_[a] < order_[b];
        });
        for (const std::uint32_t s : left) export_flow(s, flow_end::end);
    }

    /// Counters since it was built.
    [[nodiscard]] const flow_table_stats& stats() const noexcept { return stats_; }

private:
    static constexpr std::uint32_t npos = detail::slot_index::npos;

    std::uint32_t open(const flow_key& key, std::uint64_t h, unsigned sender, std::int64_t now) {
        if (free_.empty()) {
            ++stats_.evicted;
            export_flow(lru_.front(), flow_end::evicted);
        }
        const std::uint32_t s = free_.back();
        free_.pop_back();
        slots_[s] = {};
        slots_[s].key = key;
        slots_[s].client_side = sender;
        slots_[s].first_ns = slots_[s].last_ns = now;
        hashes_[s] = h;
        if (order_.size() < slots_.size()) order_.resize(slots_.size());
        order_[s] = stats_.flows;
        index_.insert(h, s);
        lru_.push_back(s);
        ++stats_.flows;
        ++stats_.active;
        return s;
    }

    void export_flow(std::uint32_t s, flow_end why) {
        slots_[s].end = why;
        sink_.on_flow(slots_[s]);
        index_.erase(hashes_[s], s);
        lru_.remove(s);
        free_.push_back(s);
        --stats_.active;
    }

    Sink& sink_;
    flow_table_config config_;
    std::vector<flow_record> slots_;
    std::vector<std::uint64_t> hashes_;
    std::vector<std::uint64_t> order_;
    detail::slot_index index_;
    detail::slot_list lru_;
    std::vector<std::uint32_t> free_;
    flow_table_stats stats_{};
};

/// A flow record as one JSON object (no newline): addresses, ports,
/// protocol, VLAN, tunnel, times in ns, counters and TCP flags per
/// direction, and why it ended.
[[nodiscard]] std::string to_json(const flow_record& r);
/// The CSV header line (no newline) of to_csv().
[[nodiscard]] std::string csv_header();
/// A flow record as one CSV line (no newline).
[[nodiscard]] std::string to_csv(const flow_record& r);

} // namespace rawpkt::flow
