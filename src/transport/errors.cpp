// SPDX-License-Identifier: BSD-3-Clause
// Transport error mapping and the sentences describe() makes of them.
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/transport/errors.hpp>

#include <cerrno>
#include <cstring>
#include <string>

namespace rawpkt::transport {

const char* to_string(step s) noexcept {
    switch (s) {
    case step::none: return "none";
    case step::config_protocol: return "protocol";
    case step::receive_buffer: return "receive_buffer";
    case step::socket: return "socket(SOCK_RAW)";
    case step::header_include: return "IP_HDRINCL";
    case step::interface_lookup: return "interface";
    case step::bind_interface: return "SO_BINDTODEVICE";
    case step::hop_limit: return "IP_TTL";
    case step::traffic_class: return "IP_TOS";
    case step::filter_compile: return "filter expression";
    case step::filter_attach: return "SO_ATTACH_FILTER";
    case step::socket_option: return "setsockopt";
    case step::address_family: return "address family";
    case step::route: return "route";
    case step::send: return "send";
    case step::receive: return "receive";
    case step::wait: return "poll";
    }
    return "?";
}

error from_errno(step s, int e) noexcept {
    if (e == ENETUNREACH || e == EHOSTUNREACH) return make_error(errc::not_found, step::route, e);
    if (e == EMSGSIZE) return make_error(errc::length_too_large, s, e);
    // The rest means the same as for a packet socket.
    return make_error(datalink::from_errno(datalink::step::none, e).code, s, e);
}

namespace {

std::string errno_text(int e) {
    if (e == 0) return {};
    char buf[128] = {};
    const char* msg = ::strerror_r(e, buf, sizeof buf); // GNU: the message, maybe not in buf
    return std::string(msg) + " (errno " + std::to_string(e) + ")";
}

const char* family_name(std::uint64_t f) noexcept { return f == 6 ? "IPv6" : "IPv4"; }

} // namespace

std::string describe(const error& e, std::string_view subject) {
    if (e.layer != layer::transport) return to_string(e);
    const step s = step_of(e);
    // Appended piece by piece: g++ 12 warns (-Wrestrict) on some chains of +.
    std::string what;
    if (!subject.empty()) {
        what = " ";
        what.append(subject);
    }
    const std::string target = subject.empty() ? std::string(" the destination") : what;
    const std::string sys = errno_text(e.sys_errno);
    switch (e.code) {
    case errc::permission:
        if (s == step::send) return "the kernel refused to send to" + what + " (a firewall rule?): " + sys;
        return "cannot open a raw socket: CAP_NET_RAW needed (run as root, or grant it with "
               "`setcap cap_net_raw+ep <program>`)";
    case errc::not_found:
        if (s == step::route) return "no route to" + target;
        // An interface: the datalink sentence lists similar names.
        return datalink::describe(datalink::make_error(errc::not_found, datalink::step::interface_lookup), subject);
    case errc::bad_value:
        if (s == step::address_family) {
            return "the address" + what + " is " + family_name(e.available) + " but the channel is " +
                   family_name(e.needed);
        }
        if (s == step::config_protocol) return "protocol 255 (raw) can only be sent in mode::layer3";
        if (s == step::receive_buffer) {
            return "config.receive_buffer = " + std::to_string(e.available) + " must be 40 .. " +
                   std::to_string(e.needed);
        }
        if (s == step::filter_compile) return "the filter expression does not compile";
        if (s == step::filter_attach) {
            return "the kernel refused the filter program (instruction " + std::to_string(e.available) + ")" +
                   (sys.empty() ? std::string{} : ": " + sys);
        }
        break;
    case errc::unsupported:
        if (s == step::header_include) {
            return "this kernel cannot take IPv6 headers from the program (IPV6_HDRINCL needs Linux 4.5): " + sys;
        }
        if (s == step::filter_compile) {
            return "rawpkt was built without libpcap: filter expressions are not available; give a BPF program";
        }
        break;
    case errc::length_too_large: {
        std::string m = "the packet of " + std::to_string(e.available) + " bytes is longer than the path to";
        m += target;
        m += " takes";
        if (!sys.empty()) m += ": " + sys;
        return m;
    }
    default: break;
    }
    std::string m = std::string(to_string(s)) + " failed" + what + ": " + to_string(e.code);
    if (!sys.empty()) m += ": " + sys;
    return m;
}

} // namespace rawpkt::transport
