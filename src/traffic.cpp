// SPDX-License-Identifier: BSD-3-Clause
// Traffic statistics over decoded frames.
#include <rawpkt/summary.hpp>
#include <rawpkt/traffic.hpp>

#include <algorithm>
#include <cstring>

namespace rawpkt {

std::size_t traffic_stats::address_hash::operator()(const address_key& k) const noexcept {
    // FNV-1a over the octets.
    std::uint64_t h = 1469598103934665603ull ^ (k.v6 ? 1u : 0u);
    for (const std::uint8_t b : k.octets) {
        h ^= b;
        h *= 1099511628211ull;
    }
    return static_cast<std::size_t>(h);
}

void traffic_stats::add(const frame& f, const decoded& d) {
    const std::uint64_t wire = f.original_len > f.data.size() ? f.original_len : f.data.size();
    if (total_.packets == 0) first_ns_ = f.timestamp_ns;
    last_ns_ = f.timestamp_ns;
    ++total_.packets;
    total_.bytes += wire;
    captured_ += f.data.size();
    if (d.stop() == stop_reason::error) ++malformed_;

    // Each protocol once per frame.
    const char* seen[decoded::max_layers];
    std::size_t nseen = 0;
    for (const layer_info& l : d.layers()) {
        const char* name = protocol_name(l);
        if (std::find_if(seen, seen + nseen, [&](const char* s) { return std::strcmp(s, name) == 0; }) !=
            seen + nseen) {
            continue;
        }
        seen[nseen++] = name;
        auto it = std::find_if(protocols_.begin(), protocols_.end(),
                               [&](const protocol_count& p) { return std::strcmp(p.name, name) == 0; });
        if (it == protocols_.end()) {
            protocols_.push_back({name, {}});
            it = protocols_.end() - 1;
        }
        ++it->count.packets;
        it->count.bytes += wire;
    }

    const auto count_address = [&](address_key k) {
        auto it = talkers_.find(k);
        if (it == talkers_.end()) {
            if (talkers_.size() >= max_talkers_) {
                ++untracked_;
                return;
            }
            it = talkers_.emplace(k, counter{}).first;
        }
        ++it->second.packets;
        it->second.bytes += wire;
    };
    if (const layer_info* ip = d.find(layer::ipv4)) {
        if (ip->depth == 0 && !ip->has(layer_flag::quoted)) {
            const auto v = ipv4::view::unchecked(d.bytes_of(*ip));
            address_key s{}, t{};
            std::memcpy(s.octets.data(), v.src().octets.data(), 4);
            std::memcpy(t.octets.data(), v.dst().octets.data(), 4);
            count_address(s);
            if (!(s == t)) count_address(t);
        }
    }
    if (const layer_info* ip = d.find(layer::ipv6)) {
        if (ip->depth == 0 && !ip->has(layer_flag::quoted)) {
            const auto v = ipv6::view::unchecked(d.bytes_of(*ip));
            address_key s{}, t{};
            s.v6 = t.v6 = true;
            std::memcpy(s.octets.data(), v.src().octets.data(), 16);
            std::memcpy(t.octets.data(), v.dst().octets.data(), 16);
            count_address(s);
            if (!(s == t)) count_address(t);
        }
    }
    for (const layer_info& l : d.layers()) {
        if ((l.kind != layer::tcp && l.kind != layer::udp) || l.has(layer_flag::quoted)) continue;
        std::uint16_t sp = 0;
        std::uint16_t dp = 0;
        if (l.kind == layer::tcp) {
            const auto v = tcp::view::unchecked(d.bytes_of(l));
            sp = v.src_port();
            dp = v.dst_port();
        } else {
            const auto v = udp::view::unchecked(d.bytes_of(l));
            sp = v.src_port();
            dp = v.dst_port();
        }
        const std::uint32_t proto = l.kind == layer::tcp ? 6u : 17u;
        for (const std::uint16_t p : {sp, dp}) {
            counter& c = ports_[proto << 16 | p];
            ++c.packets;
            c.bytes += wire;
            if (sp == dp) break;
        }
        break;
    }
}

void traffic_stats::clear() { *this = traffic_stats{max_talkers_}; }

std::vector<traffic_stats::protocol_count> traffic_stats::protocols() const {
    std::vector<protocol_count> out = protocols_;
    std::stable_sort(out.begin(), out.end(), [](const protocol_count& a, const protocol_count& b) {
        return a.count.packets > b.count.packets;
    });
    return out;
}

std::vector<traffic_stats::talker> traffic_stats::top_talkers(std::size_t n) const {
    std::vector<std::pair<address_key, counter>> all(talkers_.begin(), talkers_.end());
    const auto by_bytes = [](const auto& a, const auto& b) {
        if (a.second.bytes != b.second.bytes) return a.second.bytes > b.second.bytes;
        if (a.first.v6 != b.first.v6) return !a.first.v6;
        return a.first.octets < b.first.octets;
    };
    const std::size_t k = std::min(n, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(), by_bytes);
    std::vector<talker> out;
    out.reserve(k);
    for (std::size_t i = 0; i < k; ++i) {
        const address_key& a = all[i].first;
        std::string s;
        if (a.v6) {
            ipv6_address v{};
            std::memcpy(v.octets.data(), a.octets.data(), 16);
            s = v.to_string();
        } else {
            ipv4_address v{};
            std::memcpy(v.octets.data(), a.octets.data(), 4);
            s = v.to_string();
        }
        out.push_back({std::move(s), all[i].second});
    }
    return out;
}

std::vector<traffic_stats::port_count> traffic_stats::top_ports(std::size_t n) const {
    std::vector<std::pair<std::uint32_t, counter>> all(ports_.begin(), ports_.end());
    const auto by_bytes = [](const auto& a, const auto& b) {
        if (a.second.bytes != b.second.bytes) return a.second.bytes > b.second.bytes;
        return a.first < b.first;
    };
    const std::size_t k = std::min(n, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(), by_bytes);
    std::vector<port_count> out;
    out.reserve(k);
    for (std::size_t i = 0; i < k; ++i) {
        out.push_back({(all[i].first >> 16) == 6 ? "tcp" : "udp", static_cast<std::uint16_t>(all[i].first & 0xffff),
                       all[i].second});
    }
    return out;
}

} // namespace rawpkt
