// SPDX-License-Identifier: BSD-3-Clause
// The one-pass decoder, for every link type (the low 4 bits of the first
// input byte, see decode_links in inputs.hpp; the high bits turn decode
// options away from their defaults), in strict and lax mode, with the
// Ethernet fast path on and off: the two must record exactly the same
// thing. Every decoded layer is then read through its view, and every
// named field of rawpkt/fields.hpp is formatted from what decoded (the
// formatting rawpkt-dump prints).
#include "decode_common.hpp"

#include <rawpkt/fields.hpp>
#include <rawpkt/frame.hpp>

#include <string>

using namespace rawpkt;
using namespace rawpkt::fuzz;

namespace {

void format_fields(const frame& record, const decoded& d, fields::occurrence which, char aggregator) {
    const fields::context ctx{record, 1, d};
    const auto names = fields::names();
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto f = static_cast<fields::id>(i);
        if (fields::name(f) != names[i]) fail("fields::name() and fields::names() differ");
        const auto found = fields::lookup(names[i]);
        if (!found || *found != f) fail("fields::lookup() does not find a field by its name");
        const std::string s = fields::value(f, ctx, which, aggregator);
        use_bytes(bytes{reinterpret_cast<const std::byte*>(s.data()), s.size()});
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const frame_input in = read_frame_input(data, size);
    decode_options opts;
    opts.udp_tunnels = (in.flags & decode_flag::no_udp_tunnels) == 0;
    opts.icmp_quotes = (in.flags & decode_flag::no_icmp_quotes) == 0;
    opts.max_depth = (in.flags & decode_flag::no_depth) != 0 ? 0 : (in.flags & decode_flag::shallow) != 0 ? 1 : 8;

    // The frame record the fields read: the last 8 bytes of the input make
    // the timestamp, which also moves the original length around the
    // captured one.
    frame record;
    record.data = in.frame;
    record.link = in.link;
    if (in.frame.size() >= 8) {
        record.timestamp_ns = static_cast<std::int64_t>(load_be<std::uint64_t>(in.frame, in.frame.size() - 8));
    }
    record.original_len =
        static_cast<std::uint32_t>(in.frame.size() + (static_cast<std::uint64_t>(record.timestamp_ns) & 0xff)) - 0x40u;

    for (const decode_mode mode : {decode_mode::strict, decode_mode::lax}) {
        opts.mode = mode;
        decoded fast;
        decoded general;
        opts.fast_path = true;
        const status sf = decode(in.frame, in.link, fast, opts);
        opts.fast_path = false;
        const status sg = decode(in.frame, in.link, general, opts);
        expect_same(sf, fast, sg, general);
        use(sf);
        touch_decoded(general);
        if (mode == decode_mode::strict) {
            format_fields(record, general, fields::occurrence::all, ',');
        } else {
            format_fields(record, general,
                          in.frame.size() % 2 == 0 ? fields::occurrence::first : fields::occurrence::last, '|');
        }
    }
    return 0;
}
