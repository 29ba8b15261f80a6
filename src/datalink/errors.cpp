// SPDX-License-Identifier: BSD-3-Clause
// Datalink error mapping and the sentences describe() makes of them.
#include <rawpkt/datalink/config.hpp>
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/interfaces.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace rawpkt::datalink {

const char* to_string(step s) noexcept {
    switch (s) {
    case step::none: return "none";
    case step::config_direction: return "receive/send";
    case step::rx_block_size: return "rx_ring.block_size";
    case step::rx_block_count: return "rx_ring.block_count";
    case step::rx_frame_size: return "rx_ring.frame_size";
    case step::rx_ring_size: return "rx_ring.block_size x rx_ring.block_count";
    case step::tx_frame_size: return "tx_ring.frame_size";
    case step::tx_frame_count: return "tx_ring.frame_count";
    case step::tx_batch: return "tx_batch";
    case step::socket_batch: return "socket_batch";
    case step::snaplen: return "snaplen";
    case step::block_timeout: return "block_timeout";
    case step::fanout_mode: return "fanout.mode";
    case step::filter_choice: return "filter";
    case step::interface_lookup: return "interface";
    case step::interface_state: return "interface state";
    case step::socket: return "socket(AF_PACKET)";
    case step::bind: return "bind";
    case step::packet_version: return "PACKET_VERSION";
    case step::rx_ring: return "PACKET_RX_RING";
    case step::tx_ring: return "PACKET_TX_RING";
    case step::promiscuous: return "PACKET_ADD_MEMBERSHIP";
    case step::fanout: return "PACKET_FANOUT";
    case step::ignore_outgoing: return "PACKET_IGNORE_OUTGOING";
    case step::qdisc_bypass: return "PACKET_QDISC_BYPASS";
    case step::timestamping: return "time stamping";
    case step::filter_compile: return "filter expression";
    case step::filter_attach: return "SO_ATTACH_FILTER";
    case step::socket_option: return "setsockopt";
    case step::receive: return "receive";
    case step::send: return "send";
    case step::statistics: return "PACKET_STATISTICS";
    case step::disabled: return "disabled";
    case step::interfaces: return "interface list";
    case step::end_of_input: return "end of input";
    case step::config_backend: return "backend";
    case step::link_layer: return "layer";
    case step::replay_speed: return "speed";
    case step::batch: return "batch";
    case step::mtu: return "mtu";
    case step::pcap_create: return "pcap_activate";
    case step::xdp_ring_size: return "xdp.rx_size/tx_size";
    case step::xdp_frame_size: return "xdp.frame_size";
    case step::xdp_queue: return "xdp.queue";
    case step::xdp_program: return "XDP program load";
    case step::xdp_attach: return "XDP attach";
    case step::xdp_socket: return "AF_XDP socket";
    case step::xdp_filter: return "XDP filter";
    }
    return "?";
}

error from_errno(step s, int e) noexcept {
    errc code = errc::io;
    switch (e) {
    case EPERM:
    case EACCES: code = errc::permission; break;
    case ENODEV:
    case ENXIO: code = errc::not_found; break;
    case ENOMEM:
    case ENOBUFS: code = errc::no_room; break;
    case EINVAL: code = errc::bad_value; break;
    case EPROTONOSUPPORT:
    case ENOPROTOOPT:
    case EOPNOTSUPP:
    case EAFNOSUPPORT: code = errc::unsupported; break;
    default: break;
    }
    return make_error(code, s, e);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: insertions, deletions, substitutions and
    // transpositions of neighbours ("eht0" -> "eth0" is 1).
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::size_t> d((n + 1) * (m + 1));
    const auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * (m + 1) + j]; };
    for (std::size_t i = 0; i <= n; ++i) at(i, 0) = i;
    for (std::size_t j = 0; j <= m; ++j) at(0, j) = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
            }
        }
    }
    return at(n, m);
}

std::vector<std::string> similar_interfaces(std::string_view name) {
    std::vector<std::string> out;
    const auto list = interfaces();
    if (!list) return out;
    std::vector<std::pair<std::size_t, std::string>> scored;
    // Close enough: a third of the longer name may differ (at least one
    // edit), or one name is a prefix of the other.
    for (const interface_info& i : *list) {
        const std::size_t dist = edit_distance(name, i.name);
        const std::size_t allowed = std::max<std::size_t>(1, std::max(name.size(), i.name.size()) / 3);
        const bool prefix = !name.empty() && (i.name.starts_with(name) || name.starts_with(i.name));
        if (dist <= allowed || prefix) scored.emplace_back(dist, i.name);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto& s : scored) out.push_back(std::move(s.second));
    return out;
}

namespace {

std::string quoted(std::string_view s) {
    std::string q;
    q.reserve(s.size() + 2);
    q.push_back('"');
    q.append(s);
    q.push_back('"');
    return q;
}

std::string errno_text(int e) {
    if (e == 0) return {};
    char buf[128] = {};
    // The GNU strerror_r returns the message (maybe not in buf).
    const char* msg = ::strerror_r(e, buf, sizeof buf);
    return std::string(msg) + " (errno " + std::to_string(e) + ")";
}

std::string join(const std::vector<std::string>& v, std::size_t max_items) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < max_items; ++i) {
        if (i != 0) s += ", ";
        s += v[i];
    }
    if (v.size() > max_items) s += ", ...";
    return s;
}

std::string setting_rule(step s, const error& e) {
    const std::string value = std::to_string(e.available);
    const std::string limit = std::to_string(e.needed);
    switch (s) {
    case step::config_direction: return "config.receive and config.send are both off: nothing to open";
    case step::rx_block_size:
        return "config.rx_ring.block_size = " + value + " must be a multiple of the page size (" + limit +
               ") and at most 2 GiB";
    case step::rx_block_count: return "config.rx_ring.block_count = " + value + " must be at least " + limit;
    case step::rx_frame_size:
        return "config.rx_ring.frame_size = " + value + " must be a multiple of 16, at least " + limit +
               " and at most rx_ring.block_size";
    case step::tx_frame_size:
        return "config.tx_ring.frame_size = " + value + " must be a multiple of 16, at least 48 and at most " + limit;
    case step::tx_frame_count: return "config.tx_ring.frame_count must be at least 1";
    case step::tx_batch: return "config.tx_batch must be at least 1";
    case step::socket_batch: return "config.socket_batch = " + value + " must be 1 .. " + limit;
    case step::snaplen: return "config.snaplen = " + value + " must be 1 .. " + limit;
    case step::block_timeout: return "config.block_timeout = " + value + " ms must be 1 .. " + limit + " ms";
    case step::fanout_mode: return "config.fanout.mode = " + value + " is not a fanout mode";
    case step::filter_choice: return "config.filter holds both an expression and a program";
    case step::xdp_ring_size:
        return "config.xdp.rx_size/tx_size = " + value + " must be a power of two, 64 .. " + limit;
    case step::xdp_frame_size: return "config.xdp.frame_size = " + value + " must be 2048 or 4096";
    default: return std::string("bad ") + to_string(s);
    }
}

// The AF_XDP backend's failures, with what to do about them.
std::string describe_xdp(const error& e, step s, const std::string& name, const std::string& sys) {
    const std::string because = sys.empty() ? std::string{} : " (" + sys + ")";
    switch (s) {
    case step::xdp_queue:
        return "config.xdp.queue = " + std::to_string(e.available) + " is out of range: " + name + " has " +
               std::to_string(e.needed) + " receive queue(s) (ethtool -l " + name + ")";
    case step::xdp_program:
        if (e.code == errc::permission) {
            return "cannot load the XDP program: CAP_BPF and CAP_NET_ADMIN needed (or CAP_SYS_ADMIN on kernels "
                   "before 5.8)" +
                   because;
        }
        return "the kernel refused the XDP program" + because;
    case step::xdp_attach:
        if (e.code == errc::permission) return "cannot attach an XDP program to " + name + ": CAP_NET_ADMIN needed";
        if (e.sys_errno == EBUSY || e.sys_errno == EEXIST) {
            return name + " already has an XDP program (ip link show dev " + name + "; ip link set dev " + name +
                   " xdp off removes it)";
        }
        if (e.code == errc::unsupported) {
            return "the driver of " + name +
                   " has no native XDP: set config.xdp.attach to xdp_attach::generic (or automatic)" + because;
        }
        if (e.code == errc::bad_value) {
            return "cannot attach the XDP program to " + name +
                   ": its MTU is too large for XDP in this mode (at most a page per frame)" + because;
        }
        return "cannot attach the XDP program to " + name + because;
    case step::xdp_socket:
        if (e.code == errc::unsupported && e.sys_errno == EAFNOSUPPORT) {
            return "this kernel has no AF_XDP sockets (CONFIG_XDP_SOCKETS)";
        }
        if (e.code == errc::unsupported) {
            return "the driver of " + name + " cannot do zero-copy AF_XDP: set config.xdp.copy to xdp_copy::copy" +
                   because;
        }
        if (e.code == errc::permission) {
            return "cannot open an AF_XDP socket on " + name + ": CAP_NET_RAW needed" + because;
        }
        if (e.sys_errno == EBUSY)
            return "queue " + std::to_string(e.available) + " of " + name + " already has an AF_XDP socket" + because;
        return "cannot set up the AF_XDP socket on " + name + because;
    case step::xdp_filter:
        return e.code == errc::unsupported ? "the filter cannot run in the XDP program: it uses " +
                                                 std::string(e.needed == 1 ? "a Linux ancillary load (SKF_AD_*)"
                                                                           : "an instruction the translation lacks") +
                                                 " at instruction " + std::to_string(e.available)
                                           : "the kernel refused the translated XDP filter" + because;
    default: return std::string(to_string(s)) + " failed" + because;
    }
}

} // namespace

std::string describe(const error& e, std::string_view interface) {
    if (e.layer != layer::datalink) return to_string(e);
    const step s = step_of(e);
    const std::string on = interface.empty() ? std::string{} : " on " + std::string(interface);
    const std::string name = interface.empty() ? std::string("the interface") : std::string(interface);
    const std::string sys = errno_text(e.sys_errno);
    if (s == step::disabled) return "the receiver or sender was not enabled in the config";
    if (s == step::end_of_input) return "end of input: every frame was read";
    if (s == step::config_backend) {
        if (e.code == errc::unsupported && e.available == static_cast<std::uint8_t>(backend::xdp)) {
            return "rawpkt was built without libxdp/libbpf: backend::xdp is not available";
        }
        if (e.code == errc::unsupported) return "rawpkt was built without libpcap: backend::pcap is not available";
        return "config.backend = " + std::string(to_string(static_cast<backend>(e.available))) +
               " is opened with open_file() or open_memory(), not open()";
    }
    if (s == step::replay_speed) return "replay_config.speed must be a finite number, at least 0";
    if (s == step::batch)
        return "the batch size " + std::to_string(e.available) + " must be 1 .. " + std::to_string(e.needed);
    if (s == step::mtu)
        return "memory_config.mtu = " + std::to_string(e.available) + " must be 1 .. " + std::to_string(e.needed);
    if (s == step::link_layer) return "cooked mode (config.layer) is not available with this backend" + on;
    if (s == step::pcap_create && e.code == errc::io) return "libpcap could not open " + name;
    if (s >= step::xdp_queue && s <= step::xdp_filter) return describe_xdp(e, s, name, sys);
    switch (e.code) {
    case errc::not_found:
        if (s == step::interface_lookup || s == step::bind || s == step::socket) {
            std::string m = "no interface named " + quoted(interface);
            if (const auto close = similar_interfaces(interface); !close.empty()) {
                m += " (did you mean " + join(close, 3) + "?)";
            }
            if (const auto all = interfaces(); all) {
                std::vector<std::string> names;
                for (const auto& i : *all) names.push_back(i.name);
                m += "; interfaces here: " + join(names, 12);
            }
            return m;
        }
        break;
    case errc::permission:
        if (s == step::timestamping) {
            return "cannot turn on hardware time stamps" + on +
                   ": CAP_NET_ADMIN needed (run as root or grant it with setcap cap_net_admin+ep)";
        }
        return "cannot open a packet socket" + on +
               ": CAP_NET_RAW needed (run as root, or grant it with `setcap cap_net_raw+ep <program>`)" +
               (s == step::socket ? std::string{} : std::string(" [") + to_string(s) + "]");
    case errc::no_room:
        if (s == step::rx_ring_size) {
            return "the RX ring of " + std::to_string(e.available) +
                   " MiB (config.rx_ring.block_size x config.rx_ring.block_count) is above the memory limit of " +
                   std::to_string(e.needed) + " MiB: lower config.rx_ring.block_count";
        }
        if (s == step::rx_ring) {
            return "the kernel could not allocate the RX ring" + on +
                   ": lower config.rx_ring.block_count or config.rx_ring.block_size" +
                   (sys.empty() ? std::string{} : " (" + sys + ")");
        }
        if (s == step::tx_ring) {
            return "the kernel could not allocate the TX ring" + on + ": lower config.tx_ring.frame_count" +
                   (sys.empty() ? std::string{} : " (" + sys + ")");
        }
        if (s == step::send) {
            return "no free TX slot" + on + " within config.send_timeout (" + std::to_string(e.available) +
                   " frames still queued)";
        }
        break;
    case errc::bad_value:
        if (s == step::filter_compile) return "the filter expression does not compile";
        if (s == step::filter_attach) {
            return "the kernel refused the filter program (instruction " + std::to_string(e.available) + ")" +
                   (sys.empty() ? std::string{} : ": " + sys);
        }
        if (s == step::fanout) {
            return "cannot join fanout group" + on +
                   ": the group exists with another mode or flags, or this socket is already in one" +
                   (sys.empty() ? std::string{} : " (" + sys + ")");
        }
        if (s <= step::filter_choice && s != step::none) return setting_rule(s, e);
        if (s == step::xdp_ring_size || s == step::xdp_frame_size) return setting_rule(s, e);
        break;
    case errc::unsupported:
        if (s == step::timestamping) {
            return name + " cannot time-stamp every received frame in hardware; use timestamp_source::software";
        }
        if (s == step::filter_compile) {
            return e.needed != 1 ? "the filter reads a cooked-header field the kernel cannot provide on a cooked "
                                   "channel (only the packet type and protocol)"
                                 : "rawpkt was built without libpcap: filter expressions are not available; "
                                   "give a BPF program instead";
        }
        if (s == step::interface_lookup) {
            return name + " has link type ARPHRD " + std::to_string(e.available) +
                   ", which rawpkt cannot hand out raw: use link_layer::cooked";
        }
        return std::string(to_string(s)) + " is not supported" + on + (sys.empty() ? std::string{} : ": " + sys);
    case errc::length_too_large:
        return "frame of " + std::to_string(e.available) + " bytes is longer than the " + std::to_string(e.needed) +
               " bytes the sender" + on + " takes";
    case errc::length_too_small:
        return "frame of " + std::to_string(e.available) + " bytes is shorter than the " + std::to_string(e.needed) +
               "-byte link-layer header";
    case errc::io:
        if (e.sys_errno == ENETDOWN) {
            return name + " is down: bring it up (ip link set " + name +
                   " up), or set config.allow_down to open it anyway";
        }
        break;
    default: break;
    }
    std::string m = std::string(to_string(s)) + " failed" + on + ": " + to_string(e.code);
    if (!sys.empty()) m += ": " + sys;
    return m;
}

} // namespace rawpkt::datalink
