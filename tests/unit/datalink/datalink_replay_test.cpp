// SPDX-License-Identifier: BSD-3-Clause
// Capture-file replay through datalink::receiver: every frame as the file
// has it, the end told apart from a timeout, a damaged file's error after
// every good frame, pacing at the recorded timing, filters, the timerfd.
//
// Timing assertions have wide bounds: a paced replay may be late on a
// loaded machine, never early, so only lower bounds are tight.
#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/pcap/writer.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

namespace dl = rawpkt::datalink;
namespace pc = rawpkt::pcap;
using rawpkt::bytes;
using rawpkt::errc;
using rawpkt::frame;
using rawpkt::link_type;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

constexpr std::int64_t ms_ns = 1'000'000;
constexpr std::int64_t t0 = 1'700'000'000'000'000'000; // 2023-11-14, in ns

/// A temporary directory, removed with its files.
class temp_dir {
public:
    temp_dir() {
        char tmpl[] = "/tmp/rawpkt-replay-XXXXXX";
        const char* d = ::mkdtemp(tmpl);
        if (d == nullptr) std::abort();
        path_ = d;
    }
    ~temp_dir() { (void)std::system(("rm -rf " + path_).c_str()); }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/// Frame i: `size` bytes, byte 0 = i, the rest derived from i.
std::vector<std::byte> payload(std::uint32_t i, std::size_t size = 60) {
    std::vector<std::byte> f(size);
    for (std::size_t k = 0; k < size; ++k) f[k] = static_cast<std::byte>((i * 7 + k) & 0xff);
    f[0] = static_cast<std::byte>(i);
    return f;
}

struct rec {
    std::vector<std::byte> data;
    std::int64_t ts = 0;
    std::uint32_t original_len = 0;
    std::uint32_t interface = 0;
    link_type link = link_type::ethernet;
    std::string comment;
};

rec at(std::vector<std::byte> data, std::int64_t ts) {
    rec r;
    r.data = std::move(data);
    r.ts = ts;
    return r;
}

/// Writes `frames` (ts, data) to a pcap or pcapng file.
void write_file(const std::string& path, const std::vector<rec>& frames,
                pc::file_format format = pc::file_format::pcap) {
    pc::writer_options o;
    o.format = format;
    o.precision = pc::time_precision::nano;
    auto w = pc::writer::open(path, o);
    ASSERT_TRUE(w) << rawpkt::to_string(w.error());
    for (const rec& r : frames) {
        frame f;
        f.data = r.data;
        f.timestamp_ns = r.ts;
        f.original_len = r.original_len != 0 ? r.original_len : static_cast<std::uint32_t>(r.data.size());
        f.interface = r.interface;
        f.link = r.link;
        f.comment = r.comment;
        ASSERT_TRUE(w->write(f));
    }
    ASSERT_TRUE(w->close());
}

/// `n` frames `gap_ms` apart.
std::vector<rec> evenly(std::uint32_t n, std::int64_t gap_ms, std::size_t size = 60) {
    std::vector<rec> v;
    for (std::uint32_t i = 0; i < n; ++i) v.push_back(at(payload(i, size), t0 + i * gap_ms * ms_ns));
    return v;
}

/// Reads everything with next_batch until the receiver says why it stopped.
struct drained {
    std::vector<rec> frames;
    rawpkt::error stop{};
    std::size_t batches = 0;
};
drained drain(dl::receiver& rx, dl::timeout wait = 5s) {
    drained d;
    for (;;) {
        const auto b = rx.next_batch(wait);
        if (!b) {
            d.stop = b.error();
            return d;
        }
        ++d.batches;
        for (const frame& f : *b) {
            d.frames.push_back({std::vector<std::byte>(f.data.begin(), f.data.end()), f.timestamp_ns, f.original_len,
                                f.interface, f.link, std::string(f.comment)});
        }
    }
}

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

// ---- everything, in order, then the end ----

TEST(datalink_replay, hands_out_every_frame_as_the_file_has_it_then_the_end) {
    temp_dir dir;
    const auto file = dir.file("a.pcap");
    auto frames = evenly(1000, 1'000); // a second apart: speed 0 must not wait
    frames[3].original_len = 1500;     // cut by the capture
    write_file(file, frames);

    std::string why;
    auto ch = dl::open_file(file, {.batch = 64}, &why);
    ASSERT_TRUE(ch) << why;
    EXPECT_EQ(ch->rx.backend(), dl::backend::file);
    EXPECT_EQ(ch->rx.link(), link_type::ethernet);
    EXPECT_EQ(ch->link, link_type::ethernet);
    EXPECT_EQ(ch->interface.name, file);
    EXPECT_FALSE(ch->tx.enabled());
    ASSERT_NE(ch->rx.file(), nullptr);
    EXPECT_EQ(ch->rx.file()->format(), pc::file_format::pcap);

    const auto start = clock_type::now();
    const drained d = drain(ch->rx);
    EXPECT_LT(ms_since(start), 5'000.0); // 1000 s of recorded time: not paced
    EXPECT_TRUE(dl::is_end_of_input(d.stop)) << dl::describe(d.stop);
    EXPECT_EQ(d.stop, dl::end_of_input);
    EXPECT_EQ(d.stop.layer, rawpkt::layer::datalink);
    EXPECT_EQ(dl::step_of(d.stop), dl::step::end_of_input);
    EXPECT_NE(dl::describe(d.stop).find("end of input"), std::string::npos);
    EXPECT_GE(d.batches, 1000u / 64u);
    ASSERT_EQ(d.frames.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(d.frames[i].data, frames[i].data);
        EXPECT_EQ(d.frames[i].ts, frames[i].ts); // the recorded time, not the replay's
        EXPECT_EQ(d.frames[i].original_len, i == 3 ? 1500u : 60u);
        EXPECT_EQ(d.frames[i].interface, 0u);
        EXPECT_EQ(d.frames[i].link, link_type::ethernet);
    }
    // The end stays the end, for next() too; never a timeout.
    for (int k = 0; k < 3; ++k) {
        const auto f = ch->rx.next(dl::no_wait);
        ASSERT_FALSE(f);
        EXPECT_EQ(f.error(), dl::end_of_input);
    }
    const auto st = ch->rx.stats();
    ASSERT_TRUE(st);
    EXPECT_EQ(st->received, frames.size());
    EXPECT_EQ(st->dropped, 0u);
    // The disabled sender says so.
    const auto sent = ch->tx.send(payload(1));
    ASSERT_FALSE(sent);
    EXPECT_EQ(dl::step_of(sent.error()), dl::step::disabled);
}

TEST(datalink_replay, next_hands_out_frames_one_by_one) {
    temp_dir dir;
    const auto file = dir.file("a.pcap");
    const auto frames = evenly(300, 1);
    write_file(file, frames);
    auto ch = dl::open_file(file, {.batch = 7});
    ASSERT_TRUE(ch);
    for (std::uint32_t i = 0; i < frames.size(); ++i) {
        const auto f = ch->rx.next(dl::no_wait);
        ASSERT_TRUE(f) << i << ": " << dl::describe(f.error());
        ASSERT_NE(*f, nullptr) << i;
        EXPECT_EQ(std::to_integer<std::uint32_t>((*f)->data[0]), i & 0xff);
        // next() after part of a batch, then next_batch() for the rest of it.
        if (i == 100) {
            const auto rest = ch->rx.next_batch(dl::no_wait);
            ASSERT_TRUE(rest);
            ASSERT_FALSE(rest->empty());
            i += static_cast<std::uint32_t>(rest->size());
            EXPECT_EQ(std::to_integer<std::uint32_t>(rest->back().data[0]), i & 0xff);
        }
    }
    EXPECT_EQ(ch->rx.next(dl::no_wait).error(), dl::end_of_input);
}

TEST(datalink_replay, an_empty_file_ends_at_once) {
    temp_dir dir;
    const auto file = dir.file("empty.pcapng");
    write_file(file, {}, pc::file_format::pcapng);
    auto ch = dl::open_file(file);
    ASSERT_TRUE(ch);
    const auto b = ch->rx.next_batch(dl::no_wait);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error(), dl::end_of_input);
}

// ---- damage ----

TEST(datalink_replay, damaged_file_yields_every_good_frame_then_the_readers_error) {
    temp_dir dir;
    const auto file = dir.file("cut.pcap");
    const auto frames = evenly(50, 1, 100);
    write_file(file, frames);
    // Cut the last record in half: 24-byte file header, records of 16 + 100.
    const off_t last = 24 + 49 * 116;
    ASSERT_EQ(::truncate(file.c_str(), last + 60), 0);

    auto ch = dl::open_file(file, {.batch = 16});
    ASSERT_TRUE(ch);
    const drained d = drain(ch->rx);
    ASSERT_EQ(d.frames.size(), 49u);
    for (std::size_t i = 0; i < 49; ++i) EXPECT_EQ(d.frames[i].data, frames[i].data) << i;
    EXPECT_FALSE(dl::is_end_of_input(d.stop));
    EXPECT_EQ(d.stop.layer, rawpkt::layer::pcap);
    EXPECT_EQ(d.stop.code, errc::truncated);
    EXPECT_EQ(d.stop.offset, static_cast<std::uint64_t>(last));
    // The same error again, however it is asked.
    const auto again = ch->rx.next(dl::no_wait);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), d.stop);
    const auto batch = ch->rx.next_batch(10ms);
    ASSERT_FALSE(batch);
    EXPECT_EQ(batch.error(), d.stop);
    // Paced, the error comes after the last good frame too.
    auto paced = dl::open_file(file, {.speed = 1000.0, .batch = 16});
    ASSERT_TRUE(paced);
    const drained p = drain(paced->rx);
    EXPECT_EQ(p.frames.size(), 49u);
    EXPECT_EQ(p.stop, d.stop);
}

TEST(datalink_replay, open_errors_name_the_file_and_the_setting) {
    temp_dir dir;
    std::string why;
    const auto missing = dl::open_file(dir.file("nope.pcap"), {}, &why);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, errc::not_found);
    EXPECT_NE(why.find("nope.pcap"), std::string::npos) << why;

    const auto junk = dir.file("junk.pcap");
    {
        std::FILE* f = std::fopen(junk.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fputs("this is not a capture file at all", f);
        std::fclose(f);
    }
    const auto bad = dl::open_file(junk, {}, &why);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().layer, rawpkt::layer::pcap);
    EXPECT_EQ(bad.error().offset, 0u);

    const auto good = dir.file("good.pcap");
    write_file(good, evenly(2, 1));
    for (const double speed :
         {-1.0, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
        const auto s = dl::open_file(good, {.speed = speed}, &why);
        ASSERT_FALSE(s);
        EXPECT_EQ(dl::step_of(s.error()), dl::step::replay_speed);
        EXPECT_NE(why.find("speed"), std::string::npos) << why;
    }
    const auto b = dl::open_file(good, {.batch = 0}, &why);
    ASSERT_FALSE(b);
    EXPECT_EQ(dl::step_of(b.error()), dl::step::batch);
    // open() does not open file or memory channels.
    dl::config c;
    c.backend = dl::backend::file;
    const auto live = dl::open("lo", c, &why);
    ASSERT_FALSE(live);
    EXPECT_EQ(dl::step_of(live.error()), dl::step::config_backend);
    EXPECT_NE(why.find("open_file"), std::string::npos) << why;
}

// ---- what the file says ----

TEST(datalink_replay, pcapng_frames_keep_link_type_interface_and_comment) {
    temp_dir dir;
    const auto file = dir.file("two.pcapng");
    std::vector<rec> frames;
    for (std::uint32_t i = 0; i < 6; ++i) {
        rec r = at(payload(i, 40 + i), t0 + i * ms_ns);
        if (i % 2 == 1) {
            r.link = link_type::raw;
            r.interface = 1;
        }
        if (i == 4) r.comment = "the fifth";
        frames.push_back(std::move(r));
    }
    write_file(file, frames, pc::file_format::pcapng);
    auto ch = dl::open_file(file);
    ASSERT_TRUE(ch);
    EXPECT_EQ(ch->link, link_type::ethernet); // the first interface's
    const drained d = drain(ch->rx);
    EXPECT_EQ(d.stop, dl::end_of_input);
    ASSERT_EQ(d.frames.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(d.frames[i].data, frames[i].data);
        EXPECT_EQ(d.frames[i].link, frames[i].link);
        EXPECT_EQ(d.frames[i].interface, frames[i].interface);
        EXPECT_EQ(d.frames[i].comment, frames[i].comment);
    }
    ASSERT_NE(ch->rx.file(), nullptr);
    const auto ifaces = ch->rx.file()->interfaces();
    ASSERT_EQ(ifaces.size(), 2u);
    EXPECT_EQ(ifaces[1].link, link_type::raw);
}

TEST(datalink_replay, a_reader_from_memory_or_a_pipe) {
    temp_dir dir;
    const auto file = dir.file("a.pcap");
    const auto frames = evenly(200, 1, 300);
    write_file(file, frames);
    // From memory.
    std::vector<std::byte> image;
    {
        std::FILE* f = std::fopen(file.c_str(), "rb");
        ASSERT_NE(f, nullptr);
        int c = 0;
        while ((c = std::fgetc(f)) != EOF) image.push_back(static_cast<std::byte>(c));
        std::fclose(f);
    }
    auto r = pc::reader::from_memory(image);
    ASSERT_TRUE(r);
    auto ch = dl::open_file(std::move(*r), {.batch = 32});
    ASSERT_TRUE(ch);
    EXPECT_TRUE(ch->interface.name.empty());
    const drained d = drain(ch->rx);
    EXPECT_EQ(d.stop, dl::end_of_input);
    ASSERT_EQ(d.frames.size(), frames.size());

    // Through a pipe, written while it is read: the reader's buffer is
    // reused, frames are good until the next receive call (ASan checks).
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    std::thread writer([&] {
        for (std::size_t at = 0; at < image.size();) {
            const std::size_t n = std::min<std::size_t>(4000, image.size() - at);
            const ssize_t w = ::write(fds[1], image.data() + at, n);
            if (w <= 0) break;
            at += static_cast<std::size_t>(w);
        }
        ::close(fds[1]);
    });
    auto pr = pc::reader::from_fd(fds[0], {.stream_buffer = 4096});
    ASSERT_TRUE(pr);
    auto pch = dl::open_file(std::move(*pr), {.speed = 0, .batch = 16});
    ASSERT_TRUE(pch);
    std::size_t n = 0;
    for (;;) {
        const auto b = pch->rx.next_batch(5s);
        if (!b) {
            EXPECT_EQ(b.error(), dl::end_of_input);
            break;
        }
        for (const frame& f : *b) {
            ASSERT_LT(n, frames.size());
            EXPECT_TRUE(std::equal(f.data.begin(), f.data.end(), frames[n].data.begin(), frames[n].data.end())) << n;
            ++n;
        }
    }
    writer.join();
    ::close(fds[0]);
    EXPECT_EQ(n, frames.size());
}

// ---- filters ----

TEST(datalink_replay, filters_run_in_user_space_and_can_change) {
    temp_dir dir;
    const auto file = dir.file("a.pcap");
    write_file(file, evenly(100, 1, 80));
    // ldb [0]; jset #1 jt 0 jf 1; ret #40; ret #0  -- odd frames, cut to 40 bytes
    const std::vector<dl::bpf_instruction> odd = {{0x30, 0, 0, 0}, {0x45, 0, 1, 1}, {0x06, 0, 0, 40}, {0x06, 0, 0, 0}};
    auto ch = dl::open_file(file, {.batch = 10, .filter = odd});
    ASSERT_TRUE(ch);
    std::vector<std::uint32_t> seen;
    for (int k = 0; k < 3; ++k) {
        const auto b = ch->rx.next_batch(dl::no_wait);
        ASSERT_TRUE(b);
        for (const frame& f : *b) {
            seen.push_back(std::to_integer<std::uint32_t>(f.data[0]));
            EXPECT_EQ(f.data.size(), 40u);
            EXPECT_EQ(f.original_len, 80u);
        }
    }
    ASSERT_EQ(seen.size(), 15u);
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 2 * i + 1);
    // From now on every frame, whole.
    ASSERT_TRUE(ch->rx.set_filter({}));
    const drained d = drain(ch->rx);
    EXPECT_EQ(d.stop, dl::end_of_input);
    ASSERT_EQ(d.frames.size(), 70u);
    EXPECT_EQ(std::to_integer<int>(d.frames[0].data[0]), 30);
    EXPECT_EQ(d.frames[0].data.size(), 80u);
    const auto st = ch->rx.stats();
    ASSERT_TRUE(st);
    EXPECT_EQ(st->received, 85u);

    if (dl::has_filter_compiler()) {
        auto ex = dl::open_file(file, {.filter = "ether[0] = 7 or ether[0] = 9"});
        ASSERT_TRUE(ex);
        const drained e = drain(ex->rx);
        ASSERT_EQ(e.frames.size(), 2u);
        EXPECT_EQ(std::to_integer<int>(e.frames[1].data[0]), 9);
        std::string why;
        EXPECT_FALSE(dl::open_file(file, {.filter = "ether[0] = = 7"}, &why));
        EXPECT_NE(why.find("syntax error"), std::string::npos) << why;
    }
}

// ---- pacing ----

TEST(datalink_replay, speed_zero_is_not_paced) {
    temp_dir dir;
    const auto file = dir.file("slow.pcap");
    write_file(file, evenly(20, 500)); // 9.5 s recorded
    auto ch = dl::open_file(file, {.speed = 0});
    ASSERT_TRUE(ch);
    const auto start = clock_type::now();
    const drained d = drain(ch->rx, dl::no_wait);
    EXPECT_EQ(d.stop, dl::end_of_input);
    EXPECT_EQ(d.frames.size(), 20u);
    EXPECT_LT(ms_since(start), 3'000.0);
}

/// Replays `frames` at `speed` with next(), recording when each came.
std::vector<double> arrival_ms(dl::receiver& rx, std::size_t n) {
    std::vector<double> at;
    clock_type::time_point start{};
    while (at.size() < n) {
        const auto f = rx.next(10s);
        if (!f || *f == nullptr) break;
        if (at.empty()) start = clock_type::now();
        at.push_back(ms_since(start));
    }
    return at;
}

TEST(datalink_replay, paced_replay_keeps_the_recorded_timing) {
    temp_dir dir;
    const auto file = dir.file("paced.pcap");
    write_file(file, evenly(5, 50)); // 200 ms recorded
    auto ch = dl::open_file(file, {.speed = 1.0});
    ASSERT_TRUE(ch);
    const auto at = arrival_ms(ch->rx, 5);
    ASSERT_EQ(at.size(), 5u);
    // Never early (1 ms for clock granularity), late only within reason.
    for (std::size_t i = 1; i < at.size(); ++i) EXPECT_GE(at[i], 50.0 * static_cast<double>(i) - 1.0) << i;
    EXPECT_LT(at.back(), 5'000.0);
    EXPECT_EQ(ch->rx.next(dl::no_wait).error(), dl::end_of_input);

    // Twice as fast: half the span.
    auto fast = dl::open_file(file, {.speed = 2.0});
    ASSERT_TRUE(fast);
    const auto f2 = arrival_ms(fast->rx, 5);
    ASSERT_EQ(f2.size(), 5u);
    for (std::size_t i = 1; i < f2.size(); ++i) EXPECT_GE(f2[i], 25.0 * static_cast<double>(i) - 1.0) << i;
    EXPECT_LT(f2.back(), 5'000.0);
}

TEST(datalink_replay, paced_batches_hold_what_is_due_together) {
    temp_dir dir;
    const auto file = dir.file("bursts.pcap");
    // Two bursts of 10 frames at the same instant, 100 ms apart.
    std::vector<rec> frames;
    for (std::uint32_t i = 0; i < 20; ++i) frames.push_back(at(payload(i), t0 + (i < 10 ? 0 : 100 * ms_ns)));
    write_file(file, frames);
    auto ch = dl::open_file(file, {.speed = 1.0});
    ASSERT_TRUE(ch);
    const auto start = clock_type::now();
    const auto first = ch->rx.next_batch(5s);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->size(), 10u);
    // Nothing is due for a while: no_wait returns empty, not the end.
    const auto none = ch->rx.next_batch(dl::no_wait);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    const auto second = ch->rx.next_batch(5s);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->size(), 10u);
    EXPECT_GE(ms_since(start), 99.0);
    EXPECT_EQ(std::to_integer<int>((*second)[0].data[0]), 10);
}

TEST(datalink_replay, next_waits_at_most_its_timeout) {
    temp_dir dir;
    const auto file = dir.file("far.pcap");
    write_file(file, evenly(2, 60'000)); // a minute apart
    auto ch = dl::open_file(file, {.speed = 1.0});
    ASSERT_TRUE(ch);
    const auto f = ch->rx.next(dl::no_wait);
    ASSERT_TRUE(f);
    ASSERT_NE(*f, nullptr); // the first frame is due at once
    auto start = clock_type::now();
    const auto none = ch->rx.next(dl::no_wait);
    ASSERT_TRUE(none);
    EXPECT_EQ(*none, nullptr);
    EXPECT_LT(ms_since(start), 1'000.0);
    start = clock_type::now();
    const auto later = ch->rx.next(50ms);
    ASSERT_TRUE(later);
    EXPECT_EQ(*later, nullptr); // a timeout, not the end
    EXPECT_GE(ms_since(start), 49.0);
    EXPECT_LT(ms_since(start), 5'000.0);
}

TEST(datalink_replay, native_handle_is_readable_when_a_frame_is_due) {
    temp_dir dir;
    const auto file = dir.file("poll.pcap");
    write_file(file, evenly(3, 80));
    auto ch = dl::open_file(file, {.speed = 1.0});
    ASSERT_TRUE(ch);
    const int fd = ch->rx.native_handle();
    ASSERT_GE(fd, 0);
    pollfd p{fd, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 0), 1); // the first frame: at once
    const auto f0 = ch->rx.next(dl::no_wait);
    ASSERT_TRUE(f0 && *f0 != nullptr);
    // The second is 80 ms away: not readable now, readable within reason.
    EXPECT_EQ(::poll(&p, 1, 0), 0);
    const auto start = clock_type::now();
    ASSERT_EQ(::poll(&p, 1, 5'000), 1);
    EXPECT_GE(ms_since(start), 70.0);
    const auto f1 = ch->rx.next(dl::no_wait);
    ASSERT_TRUE(f1);
    ASSERT_NE(*f1, nullptr);
    EXPECT_EQ(std::to_integer<int>((*f1)->data[0]), 1);
    // Unpaced: always readable, also at the end.
    auto fast = dl::open_file(file);
    ASSERT_TRUE(fast);
    pollfd q{fast->rx.native_handle(), POLLIN, 0};
    EXPECT_EQ(drain(fast->rx).stop, dl::end_of_input);
    EXPECT_EQ(::poll(&q, 1, 0), 1);
}

} // namespace
