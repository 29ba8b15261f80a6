// SPDX-License-Identifier: BSD-3-Clause
// Opening a channel: the AF_PACKET sockets, their options and rings, in the
// order the kernel needs them (Documentation/networking/packet_mmap.rst).
//
// No frame reaches the receiver before its filter: the socket is created
// with protocol 0, which receives nothing, the filter is attached, and only
// then bind() with ETH_P_ALL starts the flow. (libpcap, whose filter comes
// after activation, attaches a drop-everything filter and drains instead;
// receiver::set_filter() does that for filters changed later.)
#include "../impl.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace rawpkt::datalink {

namespace {

using detail::rx_impl;
using detail::set_option;
using detail::tx_impl;
using detail::unique_fd;

// The link type of a raw (SOCK_RAW) channel on this hardware type.
result<link_type> raw_link_type(std::uint16_t hatype) {
    switch (hatype) {
    case 1:   // ARPHRD_ETHER
    case 772: // ARPHRD_LOOPBACK: Ethernet headers with zero addresses
        return link_type::ethernet;
    case 0xfffe: // ARPHRD_NONE (tun)
    case 519:    // ARPHRD_RAWIP
    case 512:    // ARPHRD_PPP: the kernel hands out the IP packet
    case 768:    // ARPHRD_TUNNEL (ipip)
    case 769:    // ARPHRD_TUNNEL6
    case 776:    // ARPHRD_SIT
        return link_type::raw;
    case 801: return link_type::ieee802_11;
    case 803: return link_type::ieee802_11_radiotap;
    default: return make_error(errc::unsupported, step::interface_lookup, 0, 0, hatype);
    }
}

std::uint32_t header_len(link_type l) noexcept { return l == link_type::ethernet ? 14 : 0; }

// Turns on hardware receive time stamps, refusing interfaces that cannot
// stamp every frame.
status enable_hardware_timestamps(int fd, const interface_info& iface) {
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, iface.name.c_str(), IFNAMSIZ - 1);
    ethtool_ts_info info{};
    info.cmd = ETHTOOL_GET_TS_INFO;
    ifr.ifr_data = reinterpret_cast<char*>(&info);
    if (::ioctl(fd, SIOCETHTOOL, &ifr) != 0) {
        const int e = errno;
        return make_error(errc::unsupported, step::timestamping, e);
    }
    if ((info.so_timestamping & SOF_TIMESTAMPING_RAW_HARDWARE) == 0 ||
        (info.rx_filters & (1u << HWTSTAMP_FILTER_ALL)) == 0) {
        return make_error(errc::unsupported, step::timestamping);
    }
    hwtstamp_config hw{};
    hw.tx_type = HWTSTAMP_TX_OFF;
    hw.rx_filter = HWTSTAMP_FILTER_ALL;
    ifr.ifr_data = reinterpret_cast<char*>(&hw);
    if (::ioctl(fd, SIOCSHWTSTAMP, &ifr) != 0) return from_errno(step::timestamping, errno);
    return {};
}

status bind_socket(int fd, std::uint32_t ifindex, std::uint16_t protocol) {
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(protocol);
    sll.sll_ifindex = static_cast<int>(ifindex);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) return from_errno(step::bind, errno);
    return {};
}

result<receiver> open_receiver(const interface_info& iface, const config& c, link_type link, std::string* detail) {
    const bool ring = c.backend == backend::ring;
    const bool cooked = c.layer == link_layer::cooked;
    unique_fd fd(::socket(AF_PACKET, (cooked ? SOCK_DGRAM : SOCK_RAW) | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return from_errno(step::socket, errno);

    detail::rx_setup setup;
    setup.link = link;
    setup.layer = c.layer;
    setup.ifindex = iface.index;
    setup.snaplen = c.snaplen;
    setup.hardware_timestamps = c.timestamps == timestamp_source::hardware;

    // The filter first: nothing arrives before bind().
    const auto prog = detail::program_for(c.filter, link, c.layer, c.snaplen, detail);
    if (!prog) return prog.error();
    if (!prog->empty()) {
        if (const status s = detail::attach_program(fd.get(), *prog); !s) return s.error();
    }
    if (ring) {
        const int version = TPACKET_V3;
        if (const status s = set_option(fd.get(), SOL_PACKET, PACKET_VERSION, version, step::packet_version); !s) {
            return s.error();
        }
    } else {
        const int on = 1;
        if (const status s = set_option(fd.get(), SOL_PACKET, PACKET_AUXDATA, on, step::socket_option); !s) {
            return s.error();
        }
    }
    if (setup.hardware_timestamps) {
        if (const status s = enable_hardware_timestamps(fd.get(), iface); !s) return s.error();
        if (ring) {
            const int how = SOF_TIMESTAMPING_RAW_HARDWARE;
            if (const status s = set_option(fd.get(), SOL_PACKET, PACKET_TIMESTAMP, how, step::timestamping); !s) {
                return s.error();
            }
        } else {
            const int how = SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE |
                            SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
            if (const status s = set_option(fd.get(), SOL_SOCKET, SO_TIMESTAMPING, how, step::timestamping); !s) {
                return s.error();
            }
        }
    } else if (!ring) {
        const int on = 1;
        if (const status s = set_option(fd.get(), SOL_SOCKET, SO_TIMESTAMPNS, on, step::timestamping); !s) {
            return s.error();
        }
    }
    if (c.ignore_outgoing) {
        const int on = 1;
        if (const status s = set_option(fd.get(), SOL_PACKET, PACKET_IGNORE_OUTGOING, on, step::ignore_outgoing); !s) {
            return s.error();
        }
    }

    auto* impl = static_cast<rx_impl*>(nullptr);
    if (ring) {
        const auto layout = plan_rx_ring(c.rx_ring);
        if (!layout) return layout.error();
        tpacket_req3 req{};
        req.tp_block_size = layout->block_size;
        req.tp_block_nr = layout->block_count;
        req.tp_frame_size = layout->frame_size;
        req.tp_frame_nr = layout->frame_count;
        req.tp_retire_blk_tov = static_cast<unsigned>(c.block_timeout.count());
        if (::setsockopt(fd.get(), SOL_PACKET, PACKET_RX_RING, &req, sizeof req) != 0) {
            error e = from_errno(step::rx_ring, errno);
            e.available = static_cast<std::uint32_t>(std::min<std::uint64_t>(layout->total_bytes >> 20, 0xffffffffu));
            return e;
        }
        auto map = detail::map_ring(fd.get(), layout->total_bytes, step::rx_ring);
        if (!map) return map.error();
        std::vector<frame> frames(layout->max_frames_per_block);
        impl = new rx_impl{
            setup, backend::ring, detail::ring_rx(std::move(fd), std::move(*map), *layout), std::move(frames), {}};
    } else {
        if (c.socket_buffer != 0) {
            const int bytes = static_cast<int>(std::min<std::uint32_t>(c.socket_buffer, 1u << 30));
            if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
                (void)::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
            }
        }
        // Frames beyond 64 KiB (BIG TCP aggregates) are cut, with their
        // original length kept.
        setup.slot_size = std::min<std::uint32_t>(c.snaplen, 65536);
        setup.batch = c.socket_batch;
        std::vector<frame> frames(c.socket_batch);
        impl = new rx_impl{setup,
                           backend::socket,
                           detail::socket_rx(std::move(fd), setup.slot_size, setup.batch),
                           std::move(frames),
                           {}};
    }
    receiver r = rx_impl::wrap(impl);
    const int sock = r.native_handle();

    if (const status s = bind_socket(sock, iface.index, ETH_P_ALL); !s) return s.error();
    if (c.allow_down) {
        // Bound to an interface that is down, the socket reports ENETDOWN
        // once; it receives when the interface comes up.
        int err = 0;
        socklen_t len = sizeof err;
        (void)::getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &len);
    }
    if (c.promiscuous) {
        packet_mreq mr{};
        mr.mr_ifindex = static_cast<int>(iface.index);
        mr.mr_type = PACKET_MR_PROMISC;
        if (const status s = set_option(sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mr, step::promiscuous); !s) {
            return s.error();
        }
    }
    if (c.fanout.enabled) {
        // Joins after bind(): the kernel accepts only a running socket.
        unsigned mode = 0;
        switch (c.fanout.mode) {
        case fanout_mode::hash: mode = PACKET_FANOUT_HASH; break;
        case fanout_mode::lb: mode = PACKET_FANOUT_LB; break;
        case fanout_mode::cpu: mode = PACKET_FANOUT_CPU; break;
        case fanout_mode::rollover: mode = PACKET_FANOUT_ROLLOVER; break;
        case fanout_mode::random: mode = PACKET_FANOUT_RND; break;
        case fanout_mode::qm: mode = PACKET_FANOUT_QM; break;
        }
        if (c.fanout.defrag) mode |= PACKET_FANOUT_FLAG_DEFRAG;
        if (c.fanout.rollover) mode |= PACKET_FANOUT_FLAG_ROLLOVER;
        const int arg = static_cast<int>(c.fanout.group | (mode << 16));
        if (const status s = set_option(sock, SOL_PACKET, PACKET_FANOUT, arg, step::fanout); !s) return s.error();
    }
    return r;
}

/// True when the running kernel reads a virtio-net header in front of each
/// TX-ring frame (tpacket_snd learned it in Linux 4.14; 4.19 is the first
/// long-term release with it). An older kernel accepts PACKET_VNET_HDR yet
/// would send the header as part of the frame.
bool tx_ring_reads_vnet_header() {
    utsname u{};
    if (::uname(&u) != 0) return false;
    // "MAJOR.MINOR.PATCH-..."
    const char* const end = u.release + std::strlen(u.release);
    unsigned major = 0;
    unsigned minor = 0;
    auto r = std::from_chars(u.release, end, major);
    if (r.ec != std::errc{} || r.ptr == end || *r.ptr != '.') return false;
    r = std::from_chars(r.ptr + 1, end, minor);
    if (r.ec != std::errc{}) return false;
    return major > 4 || (major == 4 && minor >= 19);
}

result<sender> open_sender(const interface_info& iface, const config& c, link_type link) {
    const bool ring = c.backend == backend::ring;
    // Protocol 0: this socket never receives.
    unique_fd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return from_errno(step::socket, errno);

    detail::tx_setup setup;
    setup.link_header_len = header_len(link);
    setup.untagged_max = iface.mtu + setup.link_header_len;
    setup.ethernet = link == link_type::ethernet;
    setup.batch = c.tx_batch;
    setup.send_timeout = c.send_timeout;

    if (c.qdisc_bypass) {
        const int on = 1;
        if (const status s = set_option(fd.get(), SOL_PACKET, PACKET_QDISC_BYPASS, on, step::qdisc_bypass); !s) {
            return s.error();
        }
    }
    tx_impl* impl = nullptr;
    if (ring) {
        const auto layout = plan_tx_ring(c.tx_ring, iface.mtu, setup.link_header_len);
        if (!layout) return layout.error();
        const int version = TPACKET_V2;
        const int on = 1;
        if (const status s = set_option(fd.get(), SOL_PACKET, PACKET_VERSION, version, step::packet_version); !s) {
            return s.error();
        }
        // Skip frames the kernel rejects instead of stopping the ring.
        if (const status s = set_option(fd.get(), SOL_PACKET, PACKET_LOSS, on, step::tx_ring); !s) return s.error();
        // The frame starts at tp_mac: send_with() may build anywhere in the slot.
        if (const status s = set_option(fd.get(), SOL_PACKET, PACKET_TX_HAS_OFF, on, step::tx_ring); !s) {
            return s.error();
        }
        // A virtio-net header per frame says how much of it to copy (see
        // config::tx_copy_max); without it every frame is attached as pages.
        std::optional<std::uint32_t> copy_max;
        if (c.tx_copy_max > 0 && tx_ring_reads_vnet_header() &&
            ::setsockopt(fd.get(), SOL_PACKET, PACKET_VNET_HDR, &on, sizeof on) == 0) {
            copy_max = c.tx_copy_max;
        }
        tpacket_req req{};
        req.tp_block_size = layout->block_size;
        req.tp_block_nr = layout->block_count;
        req.tp_frame_size = layout->frame_size;
        req.tp_frame_nr = layout->frame_count;
        if (::setsockopt(fd.get(), SOL_PACKET, PACKET_TX_RING, &req, sizeof req) != 0) {
            return from_errno(step::tx_ring, errno);
        }
        auto map = detail::map_ring(fd.get(), layout->total_bytes, step::tx_ring);
        if (!map) return map.error();
        setup.fd = std::move(fd);
        impl = new tx_impl{
            std::move(setup), backend::ring, detail::ring_tx(std::move(*map), *layout, copy_max), {}, false};
    } else {
        if (c.send_timeout.count() >= 0) {
            timeval tv{};
            tv.tv_sec = static_cast<time_t>(c.send_timeout.count() / 1000);
            tv.tv_usec = static_cast<suseconds_t>(c.send_timeout.count() % 1000 * 1000);
            if (tv.tv_sec == 0 && tv.tv_usec == 0) tv.tv_usec = 1; // 0 would mean "forever"
            (void)::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        }
        const std::uint32_t slot = setup.untagged_max + (setup.ethernet ? 4u : 0u);
        setup.fd = std::move(fd);
        impl = new tx_impl{std::move(setup), backend::socket, detail::socket_tx(slot, c.socket_batch), {}, false};
    }
    sender s = tx_impl::wrap(impl);
    if (const status b = bind_socket(s.native_handle(), iface.index, 0); !b) return b.error();
    return s;
}

result<channel> open_on(const interface_info& iface, const config& c, std::string* detail) {
    if (!iface.up() && !c.allow_down) return make_error(errc::io, step::interface_state, ENETDOWN);
    link_type link = link_type::linux_sll;
    if (c.layer == link_layer::raw) {
        const auto l = raw_link_type(iface.hardware_type);
        if (!l) return l.error();
        link = *l;
    }
    channel ch;
    ch.interface = iface;
    ch.link = link;
    if (c.backend == backend::pcap) {
        detail::pcap_open_request req;
        req.interface = iface.name;
        req.ifindex = iface.index;
        req.link = link;
        req.link_header_len = header_len(link);
        req.untagged_max = iface.mtu + req.link_header_len;
        if (c.receive) {
            auto rx = detail::open_pcap_receiver(req, c, detail);
            if (!rx) return rx.error();
            ch.rx = std::move(*rx);
        }
        if (c.send) {
            auto tx = detail::open_pcap_sender(req, c, detail);
            if (!tx) return tx.error();
            ch.tx = std::move(*tx);
        }
        return ch;
    }
    if (c.backend == backend::xdp) {
#if RAWPKT_HAVE_XDP
        auto xdp = detail::open_xdp(iface, c, link, detail);
        if (!xdp) return xdp.error();
        ch.rx = std::move(xdp->rx);
        ch.tx = std::move(xdp->tx);
        return ch;
#else
        return make_error(errc::unsupported, step::config_backend, 0, 0, static_cast<std::uint8_t>(backend::xdp));
#endif
    }
    if (c.receive) {
        auto rx = open_receiver(iface, c, link, detail);
        if (!rx) return rx.error();
        ch.rx = std::move(*rx);
    }
    if (c.send) {
        // The sender always sends whole link-layer frames, also next to a
        // cooked receiver.
        const auto raw = raw_link_type(iface.hardware_type);
        auto tx = open_sender(iface, c, raw ? *raw : link_type::raw);
        if (!tx) return tx.error();
        ch.tx = std::move(*tx);
    }
    return ch;
}

result<channel> finish(result<channel> ch, std::string_view name, const std::string& detail, std::string* message) {
    if (!ch && message != nullptr) {
        *message = describe(ch.error(), name);
        if (!detail.empty()) *message += ": " + detail;
    }
    return ch;
}

} // namespace

result<channel> open(std::string_view interface, const config& c, std::string* message) {
    std::string detail;
    if (const status v = validate(c); !v) return finish(v.error(), interface, detail, message);
    const auto iface = find_interface(interface);
    if (!iface) return finish(iface.error(), interface, detail, message);
    return finish(open_on(*iface, c, &detail), interface, detail, message);
}

result<channel> open(std::uint32_t ifindex, const config& c, std::string* message) {
    std::string detail;
    const std::string name = std::to_string(ifindex);
    if (const status v = validate(c); !v) return finish(v.error(), name, detail, message);
    const auto iface = find_interface(ifindex);
    if (!iface) return finish(iface.error(), name, detail, message);
    return finish(open_on(*iface, c, &detail), iface->name, detail, message);
}

} // namespace rawpkt::datalink
