// SPDX-License-Identifier: BSD-3-Clause
// The tools' output formatting over whatever the decoder accepts: the named
// fields of rawpkt/fields.hpp in every occurrence mode, the one-line
// summary (with and without the link header), the per-layer listing, the
// hex dump, every timestamp format and the JSON line. The input is read as
// fuzz_decode reads it (the low 4 bits of the first byte pick the link
// type, the high bits turn decode options off); the last 8 bytes of the
// frame make the timestamp, whose low bits also pick the decode mode and
// the frame record's other fields. Then:
//
// - a field's value in `all` mode is its per-layer values (append_at) joined
//   by the aggregator, `first` and `last` are the first and last of them;
// - the summary is one line; every append_* only appends;
// - every line of the layer listing is indented and ends with a newline;
//   the hex dump has one line per 16 bytes;
// - the JSON line is one well-formed JSON object in valid UTF-8 (RFC 8259),
//   and so is any byte string through append_json_string().
//
// Any difference aborts.
#include "decode_common.hpp"
#include "json_check.hpp"

#include <rawpkt/fields.hpp>
#include <rawpkt/frame.hpp>
#include <rawpkt/json.hpp>
#include <rawpkt/summary.hpp>

#include <string>
#include <string_view>

using namespace rawpkt;
using namespace rawpkt::fuzz;

namespace {

/// What every append_* must leave alone in front of what it writes.
constexpr std::string_view prefix = "<>";

void expect_prefix(const std::string& out, const char* what) {
    if (out.compare(0, prefix.size(), prefix) != 0) fail(what);
}

std::string_view as_text(bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

void check_fields(const fields::context& ctx, char aggregator) {
    const auto names = fields::names();
    std::string one;
    std::string joined;
    std::string first;
    std::string last;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto f = static_cast<fields::id>(i);
        if (fields::name(f) != names[i]) fail("fields::name() and fields::names() differ");
        const auto found = fields::lookup(names[i]);
        if (!found || *found != f) fail("fields::lookup() does not find a field by its name");
        const std::string all = fields::value(f, ctx, fields::occurrence::all, aggregator);
        const std::string head = fields::value(f, ctx, fields::occurrence::first, aggregator);
        const std::string tail = fields::value(f, ctx, fields::occurrence::last, aggregator);
        if (names[i].starts_with("frame.")) {
            if (all.empty() || head != all || tail != all) fail("a frame field depends on the occurrence mode");
            continue;
        }
        if (names[i].starts_with("dns.") || names[i].starts_with("dhcp.")) {
            // Read from the transport payload, with no decoded layer of
            // their own (append_at() does not list them): `first` and
            // `last` are the two ends of `all`.
            if (head.empty() != all.empty() || !all.starts_with(head) || !all.ends_with(tail)) {
                fail("an application field's `first` or `last` value is not an end of its `all` value");
            }
            continue;
        }
        joined.clear();
        first.clear();
        last.clear();
        bool any = false;
        for (std::size_t l = 0; l < ctx.layers.size(); ++l) {
            one.clear();
            if (!fields::append_at(one, f, ctx, l)) {
                if (!one.empty()) fail("fields::append_at() appends although it finds no value");
                continue;
            }
            if (any) joined += aggregator;
            joined += one;
            if (!any) first = one;
            last = one;
            any = true;
        }
        if (all != joined) fail("a field's `all` value is not its per-layer values joined");
        if (head != first) fail("a field's `first` value is not its first per-layer value");
        if (tail != last) fail("a field's `last` value is not its last per-layer value");
    }
    // Every field a layer kind lists is one the layer can carry.
    for (std::size_t l = 0; l < ctx.layers.size(); ++l) {
        for (const fields::id f : fields::fields_of(ctx.layers[l].kind)) {
            if (static_cast<std::size_t>(f) >= names.size()) fail("fields::fields_of() lists an unknown field");
        }
    }
}

void check_text(const frame& record, const decoded& d, bool nano, std::int64_t reference_ns) {
    std::string out{prefix};
    for (const bool link_header : {false, true}) {
        out.resize(prefix.size());
        append_summary(out, record, d, {.link_header = link_header});
        expect_prefix(out, "append_summary() changes what was before");
        if (out.find('\n') != std::string::npos) fail("the summary is more than one line");
        if (out.compare(prefix.size(), std::string::npos, summary(record, d, {.link_header = link_header})) != 0) {
            fail("summary() and append_summary() differ");
        }
    }

    out.resize(prefix.size());
    append_layers(out, record, 1, d);
    expect_prefix(out, "append_layers() changes what was before");
    for (std::size_t at = prefix.size(); at < out.size();) {
        const std::size_t end = out.find('\n', at);
        if (end == std::string::npos) fail("a line of append_layers() does not end with a newline");
        if (out.compare(at, 4, "    ") != 0) fail("a line of append_layers() is not indented");
        at = end + 1;
    }

    out.resize(prefix.size());
    append_hex(out, record.data);
    expect_prefix(out, "append_hex() changes what was before");
    std::size_t lines = 0;
    for (std::size_t i = prefix.size(); i < out.size(); ++i) lines += out[i] == '\n' ? 1 : 0;
    if (lines != (record.data.size() + 15) / 16) fail("append_hex() does not print one line per 16 bytes");
    if (!record.data.empty() && out.back() != '\n') fail("append_hex() does not end with a newline");

    for (const time_format format : {time_format::none, time_format::time_of_day, time_format::epoch,
                                     time_format::delta, time_format::date_time, time_format::since_first}) {
        out.resize(prefix.size());
        append_time(out, record.timestamp_ns, format, nano, reference_ns);
        expect_prefix(out, "append_time() changes what was before");
        if ((format == time_format::none) != (out.size() == prefix.size())) fail("append_time() prints nothing");
        if (out.find_first_of("\n\t ", prefix.size()) != std::string::npos && format != time_format::date_time) {
            fail("append_time() prints a separator");
        }
    }
}

void check_json(const frame& record, const decoded& d) {
    std::string out{prefix};
    append_json(out, record, 1, d);
    expect_prefix(out, "append_json() changes what was before");
    if (const char* why = json_check::object(std::string_view{out}.substr(prefix.size()))) fail(why);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const frame_input in = read_frame_input(data, size);

    // Any bytes through the JSON string escaping.
    std::string escaped;
    append_json_string(escaped, as_text(in.frame));
    if (const char* why = json_check::string(escaped)) fail(why);

    frame record;
    record.data = in.frame;
    record.link = in.link;
    std::uint64_t bits = 0;
    if (in.frame.size() >= 8) bits = load_be<std::uint64_t>(in.frame, in.frame.size() - 8);
    record.timestamp_ns = static_cast<std::int64_t>(bits);
    record.original_len = static_cast<std::uint32_t>(in.frame.size() + (bits & 0xff)) - 0x40u;
    record.interface = static_cast<std::uint32_t>(bits >> 12 & 0x3);
    if ((bits & 0x800) != 0) record.comment = as_text(in.frame.first(in.frame.size() / 2));
    const bool lax = (bits & 0x100) != 0;
    const bool nano = (bits & 0x200) != 0;
    const char aggregator = (bits & 0x400) != 0 ? '|' : ',';
    const std::int64_t reference_ns =
        in.frame.size() >= 16 ? static_cast<std::int64_t>(load_be<std::uint64_t>(in.frame, 0)) : 0;

    decode_options opts;
    opts.udp_tunnels = (in.flags & decode_flag::no_udp_tunnels) == 0;
    opts.icmp_quotes = (in.flags & decode_flag::no_icmp_quotes) == 0;
    opts.max_depth = (in.flags & decode_flag::no_depth) != 0 ? 0 : (in.flags & decode_flag::shallow) != 0 ? 1 : 8;
    opts.mode = lax ? decode_mode::lax : decode_mode::strict;
    decoded d;
    use(decode(in.frame, in.link, d, opts));

    const fields::context ctx{record, 1, d};
    check_fields(ctx, aggregator);
    check_text(record, d, nano, reference_ns);
    check_json(record, d);
    return 0;
}
