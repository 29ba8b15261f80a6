// SPDX-License-Identifier: BSD-3-Clause
// Application payloads: DNS messages with every typed record reader, DNS
// over TCP split out of a stream, DHCPv4 with its options (overloaded into
// `file` and `sname` too) and DHCPv6 with its options and relay messages.
// The first input byte picks the protocol (app_protocol in inputs.hpp), the
// rest is its buffer. Besides reading everything, it checks:
//
// - every name a reader hands out prints within the RFC 1035 length limit,
//   and a typed reader succeeds only for its own type;
// - a DNS-over-TCP stream gives the same messages however it is cut (byte
//   1 seeds the cuts), no message is longer than the bound, and the stream
//   holds no more than one message;
// - the overloaded DHCP options start with the whole options field; a
//   DHCPv6 relay message lies inside its relay, and unwrapping stops at
//   max_relay_depth.
//
// Any difference aborts.
#include "inputs.hpp"
#include "touch.hpp"

#include <rawpkt/flow/dns_stream.hpp>
#include <rawpkt/packet/dhcp.hpp>
#include <rawpkt/packet/dns.hpp>

#include <string>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::fuzz;

namespace {

/// Reads every item of a range of length-prefixed items (DNS TXT strings
/// and EDNS options, DHCP and DHCPv6 options) up to the first error, which
/// it uses: each item's offset, then what `fn` reads of it.
template <class Range, class Fn>
void touch_each(const Range& items, Fn&& fn) {
    for (const auto& i : items) {
        if (!i) {
            use(i.error());
            break;
        }
        use(i->offset);
        fn(*i);
    }
}

/// The code and data of an option.
constexpr auto touch_code_data = [](const auto& o) {
    use(o.code);
    use(o.data);
};

void touch_name(const dns::name& n) {
    const std::string s = n.to_string();
    // At most 255 bytes on the wire: at most 253 characters of text, or "<Root>".
    if (s.size() > dns::max_name_len) fail("a DNS name prints longer than 255 characters");
    mix(s.size());
}

template <class T, class Fn>
void touch_typed(const result<T>& r, std::uint16_t type, dns::rr_type own, Fn&& fn) {
    if (!r) {
        use(r.error());
        return;
    }
    if (type != static_cast<std::uint16_t>(own)) fail("a typed DNS reader accepted another type");
    fn(*r);
}

void touch_record(const dns::record& r) {
    touch_name(r.name);
    use(r.type);
    use(r.klass);
    use(r.ttl);
    use(r.data);
    use(r.a());
    use(r.aaaa());
    touch_typed(r.cname(), r.type, dns::rr_type::cname, touch_name);
    touch_typed(r.ns(), r.type, dns::rr_type::ns, touch_name);
    touch_typed(r.ptr(), r.type, dns::rr_type::ptr, touch_name);
    touch_typed(r.mx(), r.type, dns::rr_type::mx, [](const dns::mx_data& mx) {
        use(mx.preference);
        touch_name(mx.exchange);
    });
    touch_typed(r.txt(), r.type, dns::rr_type::txt, [](const dns::txt_range& txt) {
        touch_each(txt, [](const dns::character_string& s) { use(s.text); });
    });
    touch_typed(r.soa(), r.type, dns::rr_type::soa, [](const dns::soa_data& soa) {
        touch_name(soa.mname);
        touch_name(soa.rname);
        use(soa.serial);
        use(soa.refresh);
        use(soa.retry);
        use(soa.expire);
        use(soa.minimum);
    });
    touch_typed(r.srv(), r.type, dns::rr_type::srv, [](const dns::srv_data& srv) {
        use(srv.priority);
        use(srv.weight);
        use(srv.port);
        touch_name(srv.target);
    });
    touch_typed(r.opt(), r.type, dns::rr_type::opt, [](const dns::opt_data& opt) {
        use(opt.udp_payload_size);
        use(opt.extended_rcode);
        use(opt.version);
        use(opt.dnssec_ok);
        use(opt.z);
        use(opt.rcode(0x0f));
        touch_each(opt.options, touch_code_data);
    });
}

void touch_dns(bytes b) {
    const auto v = dns::view::checked(b);
    if (!v) {
        use(v.error());
        return;
    }
    use(v->id());
    use(v->flags());
    use(v->is_response());
    use(v->opcode());
    use(v->rcode());
    use(v->truncated());
    dns::reader r{*v};
    while (const auto e = r.next()) {
        if (!*e) {
            use((*e).error());
            continue;
        }
        use((*e)->section);
        if ((*e)->section == dns::section::question) {
            touch_name((*e)->question.name);
            use((*e)->question.type);
            use((*e)->question.klass);
        } else {
            touch_record((*e)->record);
        }
    }
}

/// What a stream handed out: each message's size and a hash of its bytes,
/// or the error.
struct stream_log {
    std::vector<std::uint64_t> items;
    void add(const result<bytes>& m, std::size_t bound) {
        if (!m) {
            use(m.error());
            items.push_back(~std::uint64_t{m.error().offset});
            return;
        }
        if (m->size() > bound) fail("dns_stream handed out a message over its bound");
        std::uint64_t h = 0xcbf29ce484222325ull;
        for (const std::byte x : *m) h = (h ^ std::to_integer<std::uint64_t>(x)) * 0x100000001b3ull;
        items.push_back(h ^ m->size());
        touch_dns(*m);
    }
};

void touch_dns_stream(bytes b) {
    if (b.empty()) return;
    const std::uint8_t seed = load_u8(b, 0);
    const bytes stream = b.subspan(1);
    const std::size_t bound = seed & 0x80 ? 64 : dns::header_len + 500;
    flow::dns_stream whole{bound};
    stream_log a;
    whole.feed(stream, [&](const result<bytes>& m) { a.add(m, bound); });

    flow::dns_stream cut{bound};
    stream_log c;
    std::uint32_t x = seed | 1u;
    for (std::size_t at = 0; at < stream.size();) {
        x = x * 1103515245u + 12345u;
        const std::size_t n = std::min<std::size_t>(stream.size() - at, 1 + (x >> 16) % 40);
        cut.feed(stream.subspan(at, n), [&](const result<bytes>& m) { c.add(m, bound); });
        if (cut.buffered() > bound) fail("dns_stream holds more than one message");
        at += n;
    }
    if (a.items != c.items) fail("dns_stream gives other messages when the stream is cut");
    if (whole.offset() != stream.size() || cut.offset() != stream.size()) fail("dns_stream lost count of bytes");

    // A gap somewhere: whatever follows is either in step or refused.
    flow::dns_stream gapped{bound};
    stream_log g;
    const std::size_t half = stream.size() / 2;
    gapped.feed(stream.first(half), [&](const result<bytes>& m) { g.add(m, bound); });
    gapped.gap(seed % 7 + 1u, [&](const result<bytes>& m) { g.add(m, bound); });
    gapped.feed(stream.subspan(half), [&](const result<bytes>& m) { g.add(m, bound); });
    use(gapped.failed());
    use(gapped.messages());
}

void touch_dhcp(bytes b) {
    const auto v = dhcp::view::checked(b);
    if (!v) {
        use(v.error());
        return;
    }
    use(v->op());
    use(v->htype());
    use(v->hlen());
    use(v->hops());
    use(v->xid());
    use(v->secs());
    use(v->flags());
    use(v->broadcast());
    use(v->ciaddr());
    use(v->yiaddr());
    use(v->siaddr());
    use(v->giaddr());
    use(v->client_mac());
    use(v->message_type());
    use(v->overload());
    std::size_t in_field = 0;
    for (const auto& o : v->options_field()) {
        if (!o) break;
        ++in_field;
    }
    // The overloaded walk starts with the options field.
    std::size_t walked = 0;
    for (const auto& o : v->options()) {
        if (!o) break;
        ++walked;
    }
    if (walked < in_field) fail("the overloaded DHCP options skip some of the options field");
    touch_each(v->options(), [](const auto& o) {
        touch_code_data(o);
        use(o.message_type());
        use(o.address());
        use(o.address(1));
        use(o.seconds());
        mix(o.text().size());
    });
}

void touch_dhcpv6_options(const dhcpv6::option_range& opts) { touch_each(opts, touch_code_data); }

void touch_dhcpv6(bytes b) {
    if (const auto r = dhcpv6::relay_view::checked(b)) {
        use(r->msg_type());
        use(r->hop_count());
        use(r->link_address());
        use(r->peer_address());
        touch_dhcpv6_options(r->options());
        const auto inner = r->relay_message();
        if (inner) {
            if (inner->data() < b.data() || inner->data() + inner->size() > b.data() + b.size()) {
                fail("a DHCPv6 relay message lies outside its relay");
            }
            use(*inner);
        } else {
            use(inner.error());
        }
    } else {
        use(r.error());
    }
    unsigned depth = 0;
    const auto innermost = dhcpv6::innermost(b, &depth);
    if (innermost) {
        if (depth > dhcpv6::max_relay_depth) fail("DHCPv6 relays unwrapped past the bound");
        use(innermost->msg_type());
        touch_dhcpv6_options(innermost->options());
    } else {
        use(innermost.error());
    }
    const auto v = dhcpv6::view::checked(b);
    if (!v) {
        use(v.error());
        return;
    }
    use(v->msg_type());
    use(v->transaction_id());
    touch_dhcpv6_options(v->options());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bytes b = input(data + 1, size - 1);
    switch (static_cast<app_protocol>(data[0] % app_protocol_count)) {
    case app_protocol::dns: touch_dns(b); break;
    case app_protocol::dns_tcp: touch_dns_stream(b); break;
    case app_protocol::dhcp: touch_dhcp(b); break;
    case app_protocol::dhcpv6: touch_dhcpv6(b); break;
    }
    return 0;
}
