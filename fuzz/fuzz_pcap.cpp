// SPDX-License-Identifier: BSD-3-Clause
// The pcap/pcapng reader over an in-memory file (reader::from_memory): the
// whole input is the file. It is read twice: through the iterator with the
// default options, and through next_batch() with strict snaplen checks and
// a batch size taken from the input's length. Every byte of every frame and
// every metadata string (interfaces, sections, statistics, names, frame
// comments) is read, and both passes must hand out the same frames up to
// where the stricter one stops.
#include "touch.hpp"

#include <rawpkt/pcap/reader.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::fuzz;

namespace {

void use_text(std::string_view s) noexcept { use_bytes(bytes{reinterpret_cast<const std::byte*>(s.data()), s.size()}); }

void use_frame(const frame& f) noexcept {
    use(f.data);
    use(f.timestamp_ns);
    use(f.original_len);
    use(f.interface);
    use(f.link);
    use(f.dir);
    use(f.vlan_tpid);
    use(f.vlan_tci);
    use_text(f.comment);
    use(f.captured_len());
    use(f.truncated());
}

void use_metadata(const pcap::reader& r) noexcept {
    use(r.status());
    use(r.done());
    use(r.offset());
    use(r.frames_read());
    use(r.format());
    use(r.precision());
    use(r.version_major());
    use(r.version_minor());
    use(r.snaplen());
    use(r.link());
    for (const pcap::interface_info& i : r.interfaces()) {
        use(i.link);
        use(i.snaplen);
        use(i.ticks_per_second);
        use(i.tsoffset_s);
        use_text(i.name);
        use_text(i.description);
        use_text(i.hardware);
        use_text(i.os);
        use_text(i.filter);
        use(i.fcslen);
        use(i.section);
    }
    for (const pcap::section_info& s : r.sections()) {
        use(s.big_endian);
        use(s.major);
        use(s.minor);
        use(s.offset);
        for (const std::string& c : s.comments) use_text(c);
        use_text(s.hardware);
        use_text(s.os);
        use_text(s.user_application);
    }
    for (const pcap::interface_statistics& s : r.statistics()) {
        use(s.interface);
        use(s.timestamp_ns);
        use(s.start_ns);
        use(s.end_ns);
        use(s.received);
        use(s.dropped);
        use(s.filter_accepted);
        use(s.os_dropped);
        use(s.delivered);
        for (const std::string& c : s.comments) use_text(c);
    }
    for (const pcap::name_record& n : r.names()) {
        use(n.ipv6);
        for (const std::uint8_t b : n.address) use(b);
        for (const std::string& s : n.names) use_text(s);
    }
}

/// What the first pass saw of a frame, to compare with the second.
struct seen {
    const std::byte* data;
    std::size_t size;
    std::int64_t timestamp_ns;
    std::uint32_t original_len;
    std::uint32_t interface;
    link_type link;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const bytes file = input(data, size);

    std::vector<seen> frames;
    std::uint64_t stopped_at = 0;
    {
        auto r = pcap::reader::from_memory(file);
        if (!r) {
            use(r.error());
            return 0;
        }
        use_metadata(*r);
        for (const frame& f : *r) {
            use_frame(f);
            // Frames from memory point into the input.
            if (!f.data.empty() &&
                (f.data.data() < file.data() || f.data.data() + f.data.size() > file.data() + size)) {
                fail("a frame read from memory points outside the input");
            }
            frames.push_back({f.data.data(), f.data.size(), f.timestamp_ns, f.original_len, f.interface, f.link});
            // Interfaces grow while reading: a frame's interface is known.
            if (f.interface >= r->interfaces().size()) fail("a frame names an interface the reader does not list");
        }
        if (!r->done()) fail("the iterator ended before the reader was done");
        use_metadata(*r);
        stopped_at = r->frames_read();
        if (stopped_at != frames.size()) fail("frames_read() differs from the frames handed out");
    }

    pcap::reader_options strict;
    strict.strict_snaplen = true;
    auto r = pcap::reader::from_memory(file, strict);
    if (!r) fail("from_memory() fails with strict snaplen checks after it succeeded without");
    std::array<frame, 7> batch{};
    const std::size_t want = 1 + size % batch.size();
    std::size_t n = 0;
    std::size_t i = 0;
    while ((n = r->next_batch(std::span<frame>{batch.data(), want})) != 0) {
        if (n > want) fail("next_batch() returned more frames than asked for");
        for (std::size_t k = 0; k < n; ++k, ++i) {
            const frame& f = batch[k];
            use_frame(f);
            // Strict snaplen checks only stop reading earlier.
            if (i >= frames.size()) fail("strict snaplen checks read more frames");
            const seen& s = frames[i];
            if (f.data.data() != s.data || f.data.size() != s.size || f.timestamp_ns != s.timestamp_ns ||
                f.original_len != s.original_len || f.interface != s.interface || f.link != s.link) {
                fail("next_batch() and the iterator hand out different frames");
            }
        }
        use_metadata(*r);
    }
    if (!r->done()) fail("next_batch() returned 0 before the reader was done");
    if (r->frames_read() != i) fail("frames_read() differs from the frames next_batch() handed out");
    if (r->status() && i != stopped_at) fail("strict snaplen checks read fewer frames without an error");
    use_metadata(*r);
    return 0;
}
