// SPDX-License-Identifier: BSD-3-Clause
// Decoded frames as JSON lines.
#include <rawpkt/fields.hpp>
#include <rawpkt/json.hpp>
#include <rawpkt/summary.hpp>

#include <charconv>
#include <cstdio>

namespace rawpkt {
namespace {

void put_dec(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

/// Length of the UTF-8 sequence starting at s[i], or 0 when it is not one:
/// RFC 3629 §4, so no overlong forms, no surrogates (U+D800..U+DFFF) and
/// nothing above U+10FFFF, which the second byte's range rules out.
std::size_t utf8_len(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return 0;
    for (std::size_t k = 2; k < n; ++k) {
        if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
    }
    return n;
}

void key(std::string& out, std::string_view k, bool& first) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, k);
    out += ':';
}

} // namespace

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        switch (c) {
        case '"':
            out += "\\\"";
            ++i;
            continue;
        case '\\':
            out += "\\\\";
            ++i;
            continue;
        case '\n':
            out += "\\n";
            ++i;
            continue;
        case '\r':
            out += "\\r";
            ++i;
            continue;
        case '\t':
            out += "\\t";
            ++i;
            continue;
        default: break;
        }
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += buf;
            ++i;
            continue;
        }
        const std::size_t n = utf8_len(s, i);
        if (n == 0) {
            out += "\\ufffd";
            ++i;
            continue;
        }
        out.append(s.substr(i, n));
        i += n;
    }
    out += '"';
}

void append_json(std::string& out, const frame& f, std::uint64_t number, const decoded& d) {
    const fields::context ctx{f, number, d};
    bool first = true;
    out += '{';
    for (const fields::id id :
         {fields::id::frame_number, fields::id::frame_time_epoch, fields::id::frame_len, fields::id::frame_cap_len}) {
        key(out, fields::name(id), first);
        out += '"';
        fields::append(out, id, ctx);
        out += '"';
    }
    if (f.interface != 0) {
        key(out, "frame.interface", first);
        out += '"';
        put_dec(out, f.interface);
        out += '"';
    }
    if (!f.comment.empty()) {
        key(out, "frame.comment", first);
        append_json_string(out, f.comment);
    }
    key(out, "layers", first);
    out += '[';
    std::string value;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const layer_info& l = d[i];
        if (i > 0) out += ',';
        out += '{';
        bool lf = true;
        key(out, "protocol", lf);
        append_json_string(out, protocol_name(l));
        key(out, "offset", lf);
        put_dec(out, l.offset);
        key(out, "header_len", lf);
        put_dec(out, l.header_len);
        key(out, "length", lf);
        put_dec(out, l.length);
        if (l.depth > 0) {
            key(out, "depth", lf);
            put_dec(out, l.depth);
        }
        if (l.has(layer_flag::truncated)) {
            key(out, "truncated", lf);
            out += "true";
        }
        if (l.has(layer_flag::quoted)) {
            key(out, "quoted", lf);
            out += "true";
        }
        if (l.has(layer_flag::fragment)) {
            key(out, "fragment", lf);
            out += "true";
        }
        for (const fields::id id : fields::fields_of(l.kind)) {
            value.clear();
            if (!fields::append_at(value, id, ctx, i)) continue;
            key(out, fields::name(id), lf);
            append_json_string(out, value);
        }
        out += '}';
    }
    out += ']';
    key(out, "payload_len", first);
    put_dec(out, d.payload().size());
    key(out, "stop", first);
    append_json_string(out, to_string(d.stop()));
    if (d.stop() == stop_reason::error || d.stop() == stop_reason::unsupported) {
        key(out, "error", first);
        append_json_string(out, to_string(d.error()));
    }
    out += '}';
}

} // namespace rawpkt
