// SPDX-License-Identifier: BSD-3-Clause
// Interface list over rtnetlink: one RTM_GETLINK dump, one RTM_GETADDR dump.
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/interfaces.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <vector>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rawpkt::datalink {

std::string interface_address::to_string() const {
    return (is_v6 ? v6.to_string() : v4.to_string()) + "/" + std::to_string(prefix_len);
}

namespace {

class netlink_socket {
public:
    netlink_socket() : fd_(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {}
    ~netlink_socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    netlink_socket(const netlink_socket&) = delete;
    netlink_socket& operator=(const netlink_socket&) = delete;
    [[nodiscard]] int fd() const noexcept { return fd_; }

private:
    int fd_;
};

struct dump_request {
    nlmsghdr nh;
    union {
        ifinfomsg link;
        ifaddrmsg addr;
    } body;
};

// Netlink messages and attributes are walked by offset (the NLMSG_* and
// RTA_* macros cast in the old style); every length is checked against the
// datagram.
constexpr std::size_t nl_align(std::size_t n) noexcept { return (n + 3) & ~std::size_t{3}; }
constexpr std::size_t nl_header = nl_align(sizeof(nlmsghdr));
constexpr std::size_t attr_header = nl_align(sizeof(rtattr));

/// A message body handed to the dump callback.
struct message {
    std::uint16_t type;
    const char* body;
    std::size_t len;
};

/// Calls on(type, payload, payload_len) for each attribute in [p, p + len).
template <class F>
void for_each_attr(const char* p, std::size_t len, F&& on) {
    std::size_t o = 0;
    while (o + attr_header <= len) {
        rtattr a{};
        std::memcpy(&a, p + o, sizeof a);
        if (a.rta_len < attr_header || o + a.rta_len > len) break;
        on(a.rta_type, p + o + attr_header, a.rta_len - attr_header);
        o += nl_align(a.rta_len);
    }
}

// Sends a dump request and calls `on` for every message of the answer.
template <class F>
status dump(int fd, std::uint16_t type, std::uint32_t seq, F&& on) {
    struct {
        nlmsghdr nh;
        union {
            ifinfomsg link;
            ifaddrmsg addr;
        } body;
    } req{};
    req.nh.nlmsg_type = type;
    req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.nh.nlmsg_seq = seq;
    if (type == RTM_GETLINK) {
        req.nh.nlmsg_len = static_cast<std::uint32_t>(nl_header + sizeof(ifinfomsg));
        req.body.link.ifi_family = AF_UNSPEC;
    } else {
        req.nh.nlmsg_len = static_cast<std::uint32_t>(nl_header + sizeof(ifaddrmsg));
        req.body.addr.ifa_family = AF_UNSPEC;
    }
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, &req, req.nh.nlmsg_len, 0, reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) < 0) {
        return from_errno(step::interfaces, errno);
    }
    // Dump answers come in datagrams of a page or so each; 32 KiB is what
    // the kernel's own tools read with.
    std::vector<char> buf(32768);
    for (;;) {
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return from_errno(step::interfaces, errno);
        }
        const auto len = static_cast<std::size_t>(n);
        std::size_t o = 0;
        while (o + sizeof(nlmsghdr) <= len) {
            nlmsghdr h{};
            std::memcpy(&h, buf.data() + o, sizeof h);
            if (h.nlmsg_len < nl_header || o + h.nlmsg_len > len) break;
            const char* body = buf.data() + o + nl_header;
            const std::size_t body_len = h.nlmsg_len - nl_header;
            o += nl_align(h.nlmsg_len);
            if (h.nlmsg_seq != seq) continue;
            if (h.nlmsg_type == NLMSG_DONE) return {};
            if (h.nlmsg_type == NLMSG_ERROR) {
                nlmsgerr e{};
                std::memcpy(&e, body, std::min(sizeof e, body_len));
                return from_errno(step::interfaces, e.error < 0 ? -e.error : EIO);
            }
            on(message{h.nlmsg_type, body, body_len});
        }
    }
}

template <class T>
T attr_value(const char* p, std::size_t len) noexcept {
    T v{};
    std::memcpy(&v, p, std::min(sizeof v, len));
    return v;
}

} // namespace

result<std::vector<interface_info>> interfaces() {
    const netlink_socket sock;
    if (sock.fd() < 0) return from_errno(step::interfaces, errno);
    std::vector<interface_info> list;

    const status links = dump(sock.fd(), RTM_GETLINK, 1, [&](const message& m) {
        if (m.type != RTM_NEWLINK || m.len < sizeof(ifinfomsg)) return;
        ifinfomsg ifi{};
        std::memcpy(&ifi, m.body, sizeof ifi);
        interface_info info;
        info.index = static_cast<std::uint32_t>(ifi.ifi_index);
        info.flags = ifi.ifi_flags;
        info.hardware_type = ifi.ifi_type;
        const std::size_t skip = nl_align(sizeof(ifinfomsg));
        if (m.len < skip) return;
        for_each_attr(m.body + skip, m.len - skip, [&](std::uint16_t type, const char* p, std::size_t len) {
            switch (type) {
            case IFLA_IFNAME: info.name.assign(p, ::strnlen(p, len)); break;
            case IFLA_MTU: info.mtu = attr_value<std::uint32_t>(p, len); break;
            case IFLA_PROMISCUITY: info.promiscuity = attr_value<std::uint32_t>(p, len); break;
            case IFLA_ADDRESS: {
                const auto* b = reinterpret_cast<const std::byte*>(p);
                info.hardware_address.assign(b, b + len);
                if (len == mac_address::size) info.mac = mac_address::load(info.hardware_address, 0);
                break;
            }
            default: break;
            }
        });
        list.push_back(std::move(info));
    });
    if (!links) return links.error();

    const status addrs = dump(sock.fd(), RTM_GETADDR, 2, [&](const message& m) {
        if (m.type != RTM_NEWADDR || m.len < sizeof(ifaddrmsg)) return;
        ifaddrmsg ifa{};
        std::memcpy(&ifa, m.body, sizeof ifa);
        const auto it =
            std::find_if(list.begin(), list.end(), [&](const interface_info& i) { return i.index == ifa.ifa_index; });
        if (it == list.end() || (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6)) return;
        interface_address addr;
        addr.is_v6 = ifa.ifa_family == AF_INET6;
        addr.prefix_len = ifa.ifa_prefixlen;
        const std::size_t want = addr.is_v6 ? ipv6_address::size : ipv4_address::size;
        const char* local = nullptr;
        const char* address = nullptr;
        const std::size_t skip = nl_align(sizeof(ifaddrmsg));
        if (m.len < skip) return;
        for_each_attr(m.body + skip, m.len - skip, [&](std::uint16_t type, const char* p, std::size_t len) {
            if (len < want) return;
            if (type == IFA_LOCAL) local = p;
            if (type == IFA_ADDRESS) address = p;
        });
        // IFA_LOCAL is the interface's own address (IFA_ADDRESS is the peer's
        // on a point-to-point link); IPv6 has only IFA_ADDRESS.
        const char* a = local != nullptr ? local : address;
        if (a == nullptr) return;
        const bytes raw{reinterpret_cast<const std::byte*>(a), want};
        if (addr.is_v6)
            addr.v6 = ipv6_address::load(raw, 0);
        else
            addr.v4 = ipv4_address::load(raw, 0);
        it->addresses.push_back(addr);
    });
    if (!addrs) return addrs.error();
    std::sort(list.begin(), list.end(),
              [](const interface_info& a, const interface_info& b) { return a.index < b.index; });
    return list;
}

result<interface_info> find_interface(std::string_view name) {
    auto list = interfaces();
    if (!list) return list.error();
    for (interface_info& i : *list) {
        if (i.name == name) return std::move(i);
    }
    // All digits: an index.
    std::uint32_t index = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
    if (!name.empty() && ec == std::errc{} && end == name.data() + name.size()) {
        for (interface_info& i : *list) {
            if (i.index == index) return std::move(i);
        }
    }
    return make_error(errc::not_found, step::interface_lookup, ENODEV);
}

result<interface_info> find_interface(std::uint32_t index) {
    auto list = interfaces();
    if (!list) return list.error();
    for (interface_info& i : *list) {
        if (i.index == index) return std::move(i);
    }
    return make_error(errc::not_found, step::interface_lookup, ENODEV, 0, index);
}

} // namespace rawpkt::datalink
