// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// TCP stream reassembly (RFC 9293 §3.4 sequence numbers): per connection
/// and direction, the byte stream in order, through a handler's callbacks.
///
/// The handler is any type with these members (no virtual call):
///
///     void on_data(const tcp_connection&, unsigned direction, bytes data);
///     void on_gap(const tcp_connection&, unsigned direction, std::uint64_t size);
///     void on_close(const tcp_connection&, tcp_close why);
///
/// Direction 0 is from the side that sent the connection's first packet.
/// Segments that arrive in order are handed over where they lie in the
/// frame (no copy); out-of-order segments are copied into a per-direction
/// buffer and delivered, one callback per segment, once the hole before
/// them fills. Retransmitted bytes already delivered are dropped;
/// overlapping buffered bytes are resolved by `tcp_overlap`. Sequence
/// numbers compare modulo 2^32, so streams wrap around freely; a
/// connection seen without its SYN starts at its first segment.
///
/// Bounds: `max_connections` (the least recently active connection is
/// closed with tcp_close::evicted to make room), out-of-order bytes and
/// segments per direction, and out-of-order bytes over all connections.
/// When a bound is hit the reassembler gives up waiting: it reports the
/// missing bytes with on_gap() and delivers what it holds. Idle
/// connections close after `idle_timeout_ns` (tcp_close::timeout);
/// finish() closes the rest (tcp_close::end).
///
/// A hole is given up, and reported, as soon as the other side acknowledges
/// bytes in it: the capture missed them and they will not come again.
///
/// A connection closes with tcp_close::fin once both directions delivered
/// everything up to their FIN, or at once on a RST (after what it holds
/// is delivered). A closed connection stays known until it is idle, so
/// its last ACKs do not start a new one; a SYN on it does, and so does a
/// SYN with a new initial sequence number on an open one (tcp_close::reused).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/flow/flow_key.hpp>
#include <rawpkt/flow/slot_index.hpp>
#include <rawpkt/packet/tcp.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace rawpkt::flow {

/// Why a connection closed.
enum class tcp_close : std::uint8_t {
    fin,     ///< both directions finished
    rst,     ///< reset
    timeout, ///< idle longer than idle_timeout_ns
    evicted, ///< the table was full and this connection was the least recently active
    end,     ///< finish(): the input ended
    reused,  ///< a SYN with a new initial sequence number started another connection
};

/// The reason's name ("fin", "rst", ...).
[[nodiscard]] constexpr const char* to_string(tcp_close c) noexcept {
    switch (c) {
    case tcp_close::fin: return "fin";
    case tcp_close::rst: return "rst";
    case tcp_close::timeout: return "timeout";
    case tcp_close::evicted: return "evicted";
    case tcp_close::end: return "end";
    case tcp_close::reused: return "reused";
    }
    return "?";
}

/// Which bytes win when buffered out-of-order data and a new segment
/// overlap with different bytes.
enum class tcp_overlap : std::uint8_t { first, last };

/// Bounds and overlap handling of a tcp_reassembler (see the file comment).
struct tcp_config {
    std::size_t max_connections = 65536; ///< connections tracked at once; the least recently active is evicted beyond
    /// Out-of-order bytes held per direction (from the next byte expected
    /// to the end of the furthest buffered segment).
    std::size_t max_buffer_per_direction = std::size_t{1} << 20;
    std::size_t max_segments_per_direction = 4096; ///< out-of-order segments held per direction
    /// Out-of-order buffer memory over all connections.
    std::size_t max_buffer_total = std::size_t{256} << 20;
    /// Nanoseconds without a packet after which a connection closes (tcp_close::timeout).
    std::int64_t idle_timeout_ns = 300'000'000'000;
    tcp_overlap overlap = tcp_overlap::first; ///< which bytes win where buffered data and a new segment differ
};

/// Counters of a tcp_reassembler since it was built.
struct tcp_stats {
    std::uint64_t segments = 0;        ///< TCP segments given to add()
    std::uint64_t connections = 0;     ///< connections opened
    std::uint64_t delivered_bytes = 0; ///< payload bytes handed to on_data()
    std::uint64_t gap_bytes = 0;       ///< bytes reported missing through on_gap()
    /// Bytes dropped because they were delivered or buffered already.
    std::uint64_t duplicate_bytes = 0;
    /// Segments that arrived ahead of a hole.
    std::uint64_t out_of_order_segments = 0;
    std::uint64_t evicted = 0; ///< connections closed with tcp_close::evicted
    /// Segments that hit a buffer bound (max_buffer_per_direction,
    /// max_segments_per_direction or max_buffer_total), so that holes before
    /// them were given up early (their bytes count in gap_bytes).
    std::uint64_t buffer_limit_hits = 0;
    std::uint64_t timed_out = 0; ///< connections closed with tcp_close::timeout
    /// Out-of-order buffer memory (allocated capacity) now and at most.
    std::size_t buffered_bytes = 0;
    std::size_t peak_buffered_bytes = 0; ///< see buffered_bytes
    std::size_t open_connections = 0;    ///< connections tracked now
};

/// What a handler learns about a connection.
struct tcp_connection {
    /// Connection number, in order of first packet from 0 (tshark's tcp.stream
    /// for ordinary captures).
    std::uint64_t index = 0;
    flow_key key{}; ///< both endpoints (see client_side)
    /// The key side direction 0 comes from.
    unsigned client_side = 0;
    std::int64_t first_ns = 0;                ///< time of the first packet, ns since the Unix epoch
    std::int64_t last_ns = 0;                 ///< time of the latest packet, ns since the Unix epoch
    std::array<std::uint64_t, 2> packets{};   ///< packets per direction (0: from the client)
    std::array<std::uint64_t, 2> delivered{}; ///< bytes handed to on_data() per direction
    std::array<std::uint64_t, 2> gap_bytes{}; ///< bytes reported missing per direction
    bool closed = false;                      ///< true once on_close() was called for it

    /// "addr:port" of the sender of a direction.
    [[nodiscard]] std::string endpoint(unsigned direction) const {
        return key.endpoint(direction == 0 ? client_side : 1 - client_side);
    }
};

template <class Handler>
/// Puts TCP segments back in order per connection and direction and hands the bytes to `Handler` (on_data, on_gap,
/// on_close; see the file comment), within fixed bounds. Not thread-safe; not copyable.
class tcp_reassembler {
public:
    /// Calls `handler`, which must outlive the reassembler; allocates the table for config.max_connections up front.
    explicit tcp_reassembler(Handler& handler, const tcp_config& config = {})
        : handler_(handler), config_(config), slots_(config.max_connections), index_(config.max_connections),
          lru_(config.max_connections) {
        free_.reserve(config.max_connections);
        for (std::size_t i = config.max_connections; i-- > 0;) free_.push_back(static_cast<std::uint32_t>(i));
    }
    tcp_reassembler(const tcp_reassembler&) = delete;
    tcp_reassembler& operator=(const tcp_reassembler&) = delete;
    tcp_reassembler(tcp_reassembler&&) = delete;
    tcp_reassembler& operator=(tcp_reassembler&&) = delete;
    ~tcp_reassembler() = default;

    /// Adds a decoded frame seen at `timestamp_ns`; false when it carries
    /// no TCP segment (nothing happened).
    bool add(const decoded& d, std::int64_t timestamp_ns) {
        const auto p = flow_of(d);
        if (!p || p->transport == nullptr || p->transport->kind != layer::tcp) return false;
        const bytes seg = d.bytes_of(*p->transport);
        const auto v = tcp::view::unchecked(seg);
        add_segment(p->key, p->sender, v, seg.subspan(std::min<std::size_t>(v.header_len(), seg.size())), timestamp_ns);
        return true;
    }

    /// Adds one TCP segment of the flow `key`, sent by key side `sender`.
    void add_segment(const flow_key& key, unsigned sender, const tcp::view& t, bytes payload,
                     std::int64_t timestamp_ns) {
        expire(timestamp_ns);
        ++stats_.segments;
        const std::uint64_t h = detail::hash_key(key);
        std::uint32_t s = index_.find(h, [&](std::uint32_t i) { return slots_[i].info.key == key; });
        if (s != npos && t.syn() && !t.ack() && starts_new(slots_[s], sender, t.sequence())) {
            if (!slots_[s].info.closed) flush_and_close(slots_[s], tcp_close::reused);
            release(s);
            s = npos;
        }
        if (s == npos) s = open(key, h, sender, timestamp_ns);
        conn& c = slots_[s];
        lru_.touch(s);
        c.info.last_ns = timestamp_ns;
        const unsigned dir = sender == c.info.client_side ? 0 : 1;
        ++c.info.packets[dir];
        if (c.info.closed) return;
        half& hf = c.half_of[dir];
        const std::uint32_t data_seq = t.sequence() + (t.syn() ? 1u : 0u);
        if (!hf.started) {
            hf.started = true;
            hf.next_seq = data_seq;
        }
        if (t.syn() && !hf.syn_seen) {
            hf.syn_seen = true;
            hf.isn = t.sequence();
        }
        if (!payload.empty()) insert(c, dir, data_seq, payload);
        if (t.fin() && !hf.fin_seen) {
            hf.fin_seen = true;
            hf.fin_seq = data_seq + static_cast<std::uint32_t>(payload.size());
        }
        drain(c, dir);
        if (t.ack()) skip_acked_hole(c, 1 - dir, t.ack_number());
        if (t.rst()) {
            flush(c, 0);
            flush(c, 1);
            close(c, tcp_close::rst);
            return;
        }
        if (c.half_of[0].finished && c.half_of[1].finished) close(c, tcp_close::fin);
    }

    /// Closes connections idle for longer than the timeout.
    void expire(std::int64_t now_ns) {
        while (!lru_.empty()) {
            const std::uint32_t s = lru_.front();
            if (now_ns - slots_[s].info.last_ns <= config_.idle_timeout_ns) break;
            if (!slots_[s].info.closed) {
                ++stats_.timed_out;
                flush_and_close(slots_[s], tcp_close::timeout);
            }
            release(s);
        }
    }

    /// The input ended: delivers what is held (gaps reported) and closes
    /// every open connection, in order of their index.
    void finish() {
        std::vector<std::uint32_t> open_slots;
        for (std::uint32_t s = lru_.front(); s != npos; s = lru_.next(s)) {
            if (!slots_[s].info.closed) open_slots.push_back(s);
        }
        std::sort(open_slots.begin(), open_slots.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return slots_[a].info.index < slots_[b].info.index; });
        for (const std::uint32_t s : open_slots) flush_and_close(slots_[s], tcp_close::end);
        while (!lru_.empty()) release(lru_.front());
    }

    /// Counters since it was built.
    [[nodiscard]] const tcp_stats& stats() const noexcept { return stats_; }
    /// The configuration it was built with.
    [[nodiscard]] const tcp_config& config() const noexcept { return config_; }

private:
    static constexpr std::uint32_t npos = detail::slot_index::npos;

    /// A buffered out-of-order segment: its first sequence number and length.
    struct segment {
        std::uint32_t seq, len;
    };
    struct half {
        bool started = false;
        bool syn_seen = false;
        std::uint32_t isn = 0;
        bool fin_seen = false;
        bool finished = false; ///< everything up to the FIN was delivered
        std::uint32_t next_seq = 0;
        std::uint32_t fin_seq = 0;
        /// buf[i] holds sequence number buf_seq + i.
        std::uint32_t buf_seq = 0;
        std::vector<std::byte> buf;
        std::vector<segment> segs; ///< sorted, disjoint
    };
    struct conn {
        tcp_connection info{};
        std::uint64_t hash = 0;
        std::array<half, 2> half_of{};
    };

    /// Signed distance from b to a in sequence space.
    static std::int64_t seq_diff(std::uint32_t a, std::uint32_t b) noexcept { return static_cast<std::int32_t>(a - b); }

    /// A SYN from `sender` opens a new connection on a closed one, or on
    /// one whose SYN from that side carried another sequence number.
    static bool starts_new(const conn& c, unsigned sender, std::uint32_t seq) noexcept {
        if (c.info.closed) return true;
        const half& hf = c.half_of[sender == c.info.client_side ? 0 : 1];
        return hf.syn_seen && hf.isn != seq;
    }

    std::uint32_t open(const flow_key& key, std::uint64_t h, unsigned sender, std::int64_t now) {
        if (free_.empty()) {
            const std::uint32_t victim = lru_.front();
            if (!slots_[victim].info.closed) {
                ++stats_.evicted;
                flush_and_close(slots_[victim], tcp_close::evicted);
            }
            release(victim);
        }
        const std::uint32_t s = free_.back();
        free_.pop_back();
        conn& c = slots_[s];
        c.info = {};
        c.info.index = next_index_++;
        c.info.key = key;
        c.info.client_side = sender;
        c.info.first_ns = c.info.last_ns = now;
        c.hash = h;
        c.half_of = {};
        index_.insert(h, s);
        lru_.push_back(s);
        ++stats_.connections;
        ++stats_.open_connections;
        return s;
    }

    void release(std::uint32_t s) {
        conn& c = slots_[s];
        if (!c.info.closed) --stats_.open_connections;
        for (half& hf : c.half_of) free_buffer(hf);
        index_.erase(c.hash, s);
        lru_.remove(s);
        c.info.closed = true;
        free_.push_back(s);
    }

    void deliver(conn& c, unsigned dir, bytes data) {
        c.half_of[dir].next_seq += static_cast<std::uint32_t>(data.size());
        c.info.delivered[dir] += data.size();
        stats_.delivered_bytes += data.size();
        handler_.on_data(c.info, dir, data);
    }

    void gap(conn& c, unsigned dir, std::uint32_t size) {
        if (size == 0) return;
        c.half_of[dir].next_seq += size;
        c.info.gap_bytes[dir] += size;
        stats_.gap_bytes += size;
        handler_.on_gap(c.info, dir, size);
    }

    /// Places a segment's bytes: delivered at once when in order and
    /// nothing is buffered, copied into the buffer otherwise.
    void insert(conn& c, unsigned dir, std::uint32_t seq, bytes data) {
        half& hf = c.half_of[dir];
        if (hf.finished) return;
        const std::int64_t rel = seq_diff(seq, hf.next_seq);
        if (rel < 0) { // starts with bytes delivered already
            const std::size_t old = std::min<std::size_t>(data.size(), static_cast<std::size_t>(-rel));
            stats_.duplicate_bytes += old;
            data = data.subspan(old);
            seq += static_cast<std::uint32_t>(old);
            if (data.empty()) return;
        }
        if (hf.segs.empty() && seq == hf.next_seq) {
            deliver(c, dir, data);
            return;
        }
        if (seq != hf.next_seq) ++stats_.out_of_order_segments;
        make_room(c, dir, seq, data.size());
        // Making room may have delivered part of this segment already.
        const std::int64_t now_rel = seq_diff(seq, hf.next_seq);
        if (now_rel < 0) {
            const std::size_t old = static_cast<std::size_t>(-now_rel);
            if (old >= data.size()) return;
            data = data.subspan(old);
            seq = hf.next_seq;
        }
        if (hf.segs.empty() && seq == hf.next_seq) {
            deliver(c, dir, data);
            return;
        }
        buffer(hf, seq, data);
    }

    /// Gives up on holes until [seq, seq+len) fits the bounds.
    void make_room(conn& c, unsigned dir, std::uint32_t seq, std::size_t len) {
        half& hf = c.half_of[dir];
        const auto too_far = [&] {
            return static_cast<std::size_t>(std::max<std::int64_t>(0, seq_diff(seq, hf.next_seq))) + len >
                   config_.max_buffer_per_direction;
        };
        bool hit = false;
        while (!hf.segs.empty() && (too_far() || hf.segs.size() >= config_.max_segments_per_direction)) {
            hit = true;
            skip_hole(c, dir);
        }
        if (hf.segs.empty() && too_far()) {
            // Nothing held and still too far ahead: the bytes before it are lost.
            ++stats_.buffer_limit_hits;
            gap(c, dir, seq - hf.next_seq);
            return;
        }
        // The global bound: flush the least recently active connections.
        const std::size_t need = static_cast<std::size_t>(seq - hf.next_seq) + len;
        if (stats_.buffered_bytes + need > config_.max_buffer_total) hit = true;
        for (std::uint32_t s = lru_.front(); s != npos && stats_.buffered_bytes + need > config_.max_buffer_total;) {
            const std::uint32_t next = lru_.next(s);
            conn& other = slots_[s];
            if (&other != &c) {
                flush(other, 0);
                flush(other, 1);
            }
            s = next;
        }
        if (stats_.buffered_bytes + need > config_.max_buffer_total) {
            flush(c, dir);
            if (seq_diff(seq, hf.next_seq) > 0) gap(c, dir, seq - hf.next_seq);
        }
        if (hit) ++stats_.buffer_limit_hits;
    }

    /// Copies a segment into the buffer, resolving overlaps by policy.
    void buffer(half& hf, std::uint32_t seq, bytes data) {
        if (hf.segs.empty()) {
            hf.buf_seq = hf.next_seq;
        } else if (hf.buf_seq != hf.next_seq) {
            // Compact: the delivered prefix goes.
            const std::size_t drop = hf.next_seq - hf.buf_seq;
            std::memmove(hf.buf.data(), hf.buf.data() + drop, hf.buf.size() - drop);
            hf.buf.resize(hf.buf.size() - drop);
            hf.buf_seq = hf.next_seq;
        }
        const std::size_t at = seq - hf.buf_seq;
        const std::size_t end = at + data.size();
        if (end > hf.buf.size()) {
            const std::size_t before = hf.buf.capacity();
            hf.buf.resize(end);
            account(before, hf.buf.capacity());
        }
        const auto off = [&](const segment& s) { return static_cast<std::size_t>(s.seq - hf.buf_seq); };
        scratch_.clear();
        if (config_.overlap == tcp_overlap::last) {
            std::memcpy(hf.buf.data() + at, data.data(), data.size());
            for (const segment& s : hf.segs) {
                const std::size_t b = off(s), e = b + s.len;
                if (e <= at || b >= end) {
                    scratch_.push_back(s);
                    continue;
                }
                stats_.duplicate_bytes += std::min(e, end) - std::max(b, at);
                if (b < at) scratch_.push_back({s.seq, static_cast<std::uint32_t>(at - b)});
                if (e > end)
                    scratch_.push_back(
                        {hf.buf_seq + static_cast<std::uint32_t>(end), static_cast<std::uint32_t>(e - end)});
            }
            scratch_.push_back({seq, static_cast<std::uint32_t>(data.size())});
            std::sort(scratch_.begin(), scratch_.end(),
                      [&](const segment& a, const segment& b) { return off(a) < off(b); });
        } else {
            // The new segment fills only the holes between held segments.
            std::size_t cur = at;
            const auto fill = [&](std::size_t b, std::size_t e) {
                std::memcpy(hf.buf.data() + b, data.data() + (b - at), e - b);
                scratch_.push_back({hf.buf_seq + static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e - b)});
            };
            for (const segment& s : hf.segs) {
                const std::size_t b = off(s), e = b + s.len;
                if (b > cur && cur < end) fill(cur, std::min(b, end));
                if (e > cur && b < end) stats_.duplicate_bytes += std::min(e, end) - std::max(b, cur);
                scratch_.push_back(s);
                cur = std::max(cur, e);
            }
            if (cur < end) fill(cur, end);
            std::sort(scratch_.begin(), scratch_.end(),
                      [&](const segment& a, const segment& b) { return off(a) < off(b); });
        }
        hf.segs.swap(scratch_);
    }

    /// Delivers buffered segments that are now in order, then notes a FIN
    /// reached.
    void drain(conn& c, unsigned dir) {
        half& hf = c.half_of[dir];
        std::size_t used = 0;
        while (used < hf.segs.size() && seq_diff(hf.segs[used].seq, hf.next_seq) <= 0) {
            const segment s = hf.segs[used++];
            const std::int64_t old = -seq_diff(s.seq, hf.next_seq);
            if (old >= s.len) continue;
            const std::size_t at = s.seq - hf.buf_seq + static_cast<std::size_t>(old);
            deliver(c, dir, bytes{hf.buf}.subspan(at, s.len - static_cast<std::size_t>(old)));
        }
        if (used > 0) hf.segs.erase(hf.segs.begin(), hf.segs.begin() + static_cast<std::ptrdiff_t>(used));
        if (hf.segs.empty()) free_buffer(hf);
        if (hf.fin_seen && !hf.finished && seq_diff(hf.next_seq, hf.fin_seq) >= 0) {
            hf.finished = true;
            free_buffer(hf);
        }
    }

    /// The receiver acknowledged bytes past holes the capture never showed
    /// (RFC 9293 §3.4): their bytes will not come again, so each such hole
    /// is reported lost, whole, and what follows it is delivered. One ACK
    /// may cover several holes between buffered segments. An ACK that ends
    /// inside a hole leaves it open: the rest of it may still come.
    void skip_acked_hole(conn& c, unsigned dir, std::uint32_t ack) {
        half& hf = c.half_of[dir];
        if (hf.finished) return;
        // Each pass delivers at least the first buffered segment.
        while (!hf.segs.empty() && seq_diff(ack, hf.segs.front().seq) > 0) {
            gap(c, dir, hf.segs.front().seq - hf.next_seq);
            drain(c, dir);
        }
        // With nothing held, the hole may end at the FIN (the last bytes
        // before it were missed): acknowledging the FIN gives it up.
        if (hf.segs.empty() && hf.fin_seen && !hf.finished && seq_diff(ack, hf.fin_seq) > 0 &&
            seq_diff(hf.fin_seq, hf.next_seq) > 0) {
            gap(c, dir, hf.fin_seq - hf.next_seq);
            drain(c, dir);
        }
    }

    /// Reports the hole before the first buffered segment as lost and
    /// delivers what follows it.
    void skip_hole(conn& c, unsigned dir) {
        half& hf = c.half_of[dir];
        if (hf.segs.empty()) return;
        gap(c, dir, hf.segs.front().seq - hf.next_seq);
        drain(c, dir);
    }

    void flush(conn& c, unsigned dir) {
        while (!c.half_of[dir].segs.empty()) skip_hole(c, dir);
    }

    void flush_and_close(conn& c, tcp_close why) {
        flush(c, 0);
        flush(c, 1);
        close(c, why);
    }

    void close(conn& c, tcp_close why) {
        c.info.closed = true;
        --stats_.open_connections;
        for (half& hf : c.half_of) free_buffer(hf);
        handler_.on_close(c.info, why);
    }

    void free_buffer(half& hf) {
        const std::size_t before = hf.buf.capacity();
        hf.segs.clear();
        // The memory goes back at once: capacity kept for a next hole would
        // count against max_buffer_total where no flush could reclaim it,
        // and with many connections it would fill the bound while nothing
        // is held, giving up later holes for nothing.
        std::vector<std::byte>{}.swap(hf.buf);
        account(before, 0);
    }

    void account(std::size_t before, std::size_t after) noexcept {
        stats_.buffered_bytes = stats_.buffered_bytes + after - before;
        stats_.peak_buffered_bytes = std::max(stats_.peak_buffered_bytes, stats_.buffered_bytes);
    }

    Handler& handler_;
    tcp_config config_;
    std::vector<conn> slots_;
    detail::slot_index index_;
    detail::slot_list lru_;
    std::vector<std::uint32_t> free_;
    std::vector<segment> scratch_;
    std::uint64_t next_index_ = 0;
    tcp_stats stats_{};
};

} // namespace rawpkt::flow
