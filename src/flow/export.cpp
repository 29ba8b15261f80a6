// SPDX-License-Identifier: BSD-3-Clause
// Flow records as JSON lines and CSV.
#include <rawpkt/flow/flow_table.hpp>

#include <cstdio>
#include <string>

namespace rawpkt::flow {

namespace {

/// The TCP flags as tshark's tcp.flags.str letters, e.g. "SAF" (empty when none).
std::string flag_letters(std::uint16_t flags) {
    static constexpr struct {
        std::uint16_t bit;
        char letter;
    } table[] = {{tcp::flag::ae, 'N'},  {tcp::flag::cwr, 'C'}, {tcp::flag::ece, 'E'},
                 {tcp::flag::urg, 'U'}, {tcp::flag::ack, 'A'}, {tcp::flag::psh, 'P'},
                 {tcp::flag::rst, 'R'}, {tcp::flag::syn, 'S'}, {tcp::flag::fin, 'F'}};
    std::string s;
    for (const auto& f : table) {
        if ((flags & f.bit) != 0) s += f.letter;
    }
    return s;
}

void append_number(std::string& out, long long v) {
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%lld", v);
    out.append(buf, static_cast<std::size_t>(n));
}

void append_unsigned(std::string& out, unsigned long long v) {
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%llu", v);
    out.append(buf, static_cast<std::size_t>(n));
}

} // namespace

std::string to_json(const flow_record& r) {
    std::string out = "{\"src\":\"";
    out += r.address(0);
    out += "\",\"dst\":\"";
    out += r.address(1);
    out += "\",\"sport\":";
    append_unsigned(out, r.port(0));
    out += ",\"dport\":";
    append_unsigned(out, r.port(1));
    out += ",\"proto\":";
    append_unsigned(out, r.key.protocol);
    out += ",\"vlan\":";
    append_unsigned(out, r.key.vlan);
    out += ",\"tunnel\":";
    append_unsigned(out, r.key.tunnel);
    out += ",\"depth\":";
    append_unsigned(out, r.key.depth);
    out += ",\"first_ns\":";
    append_number(out, r.first_ns);
    out += ",\"last_ns\":";
    append_number(out, r.last_ns);
    out += ",\"packets\":[";
    append_unsigned(out, r.packets[0]);
    out += ',';
    append_unsigned(out, r.packets[1]);
    out += "],\"bytes\":[";
    append_unsigned(out, r.bytes[0]);
    out += ',';
    append_unsigned(out, r.bytes[1]);
    out += "],\"tcp_flags\":[\"";
    out += flag_letters(r.tcp_flags[0]);
    out += "\",\"";
    out += flag_letters(r.tcp_flags[1]);
    out += "\"],\"end\":\"";
    out += to_string(r.end);
    out += "\"}";
    return out;
}

std::string csv_header() {
    return "src,dst,sport,dport,proto,vlan,tunnel,depth,first_ns,last_ns,packets_fwd,packets_rev,bytes_fwd,bytes_rev,"
           "tcp_flags_fwd,tcp_flags_rev,end";
}

std::string to_csv(const flow_record& r) {
    std::string out = r.address(0);
    out += ',';
    out += r.address(1);
    for (const unsigned long long v :
         {static_cast<unsigned long long>(r.port(0)), static_cast<unsigned long long>(r.port(1)),
          static_cast<unsigned long long>(r.key.protocol), static_cast<unsigned long long>(r.key.vlan),
          static_cast<unsigned long long>(r.key.tunnel), static_cast<unsigned long long>(r.key.depth)}) {
        out += ',';
        append_unsigned(out, v);
    }
    out += ',';
    append_number(out, r.first_ns);
    out += ',';
    append_number(out, r.last_ns);
    for (const std::uint64_t v : {r.packets[0], r.packets[1], r.bytes[0], r.bytes[1]}) {
        out += ',';
        append_unsigned(out, v);
    }
    out += ',';
    out += flag_letters(r.tcp_flags[0]);
    out += ',';
    out += flag_letters(r.tcp_flags[1]);
    out += ',';
    out += to_string(r.end);
    return out;
}

} // namespace rawpkt::flow
