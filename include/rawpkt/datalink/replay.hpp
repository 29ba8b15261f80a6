// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// A capture file as a receive channel: the frames of a pcap or pcapng file
/// handed out through the same datalink::receiver a live capture uses, as
/// fast as possible or paced at the recorded timing.
///
/// ```cpp
/// namespace dl = rawpkt::datalink;
/// std::string why;
/// auto ch = dl::open_file("trace.pcapng", {.speed = 1.0}, &why); // real time
/// if (!ch) return fail(why);
/// for (;;) {
///     auto batch = ch->rx.next_batch(std::chrono::milliseconds(100));
///     if (!batch) {
///         if (dl::is_end_of_input(batch.error())) break;      // the whole file was read
///         return fail(dl::describe(batch.error()));           // damaged: offset of the damage
///     }
///     for (const rawpkt::frame& f : *batch) use(f);          // empty: nothing due yet
/// }
/// ```
///
/// Code written against a live channel runs unchanged on a file: next(),
/// next_batch(), stats(), set_filter() and native_handle() behave as
/// they do live, with these rules:
///
/// - The end. Once every frame was handed out, every receive call returns
///   the error datalink::end_of_input (errc::io with step::end_of_input;
///   test it with is_end_of_input()). A timeout stays what it is live: a
///   null frame or an empty batch. A damaged file hands out every good
///   frame before the damage, then every receive call returns the reader's
///   error (layer::pcap or layer::pcapng, errc::truncated or the rule that
///   was broken, the byte offset of the damaged record); see
///   pcap/reader.hpp.
/// - Frames are the reader's frames, unchanged: timestamp_ns is the
///   recorded time (not the replay time), link is the link type of the
///   frame's interface in the file, interface is the reader's interface
///   index (a pcap file has one interface, 0; for pcapng, the global index
///   into receiver::file()->interfaces()), comment is the pcapng comment,
///   direction is what the file recorded (pcapng epb_flags) or unknown, and
///   the VLAN fields are 0 (a tag is in the bytes). Frames stay valid until
///   the next receive call (with reader_options::map_files, as long as the
///   receiver lives).
/// - Pacing (speed > 0). Frame i is due when speed x (the monotonic time
///   since the first frame was handed out) reaches its timestamp minus the
///   first frame's. next() and next_batch() hand out what is due and wait
///   for the next frame at most `wait`; a batch holds the frames that are
///   due together. A frame stamped earlier than the first one is due at
///   once; a frame stamped earlier than the one before it is due when it
///   is reached. With speed 0 frames are handed out as fast as they are
///   read, replay_config::batch at a time.
/// - native_handle() is a timerfd (CLOCK_MONOTONIC) that is readable when
///   a frame is due, or when the next call must read further in the file
///   (the replay may then still have to wait: the call returns an empty
///   batch and arms the timer), and at the end. With speed 0 it is always
///   readable. Poll it as a live socket; never read from it.
/// - stats(): received counts the frames handed out; dropped and freezes
///   stay 0.
/// - set_filter() and replay_config::filter run the classic BPF program in
///   user space (run_program()) on each frame not fetched yet (the rest of
///   a batch next() is handing out comes out as it was);
///   expressions are compiled for channel::link (the first interface's link
///   type) and need libpcap (has_filter_compiler()). Frames of another link
///   type never pass a filter. A program's return value cuts the frame, as
///   a snaplen would; frames a filter rejects are not counted.
/// - The channel's sender is disabled. channel::interface.name is the path
///   ("-" for standard input); its other fields are empty.
#pragma once

#include <rawpkt/datalink/channel.hpp>
#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/pcap/reader.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace rawpkt::datalink {

/// How open_file() replays a capture file: pacing, looping and the filter.
struct replay_config {
    /// 0: as fast as frames can be read; 1.0: at the recorded timing; 2.0:
    /// twice as fast; 0.5: half as fast. Finite, at least 0
    /// (step::replay_speed).
    double speed = 0;
    /// The most frames one receive call reads from the file and next_batch()
    /// hands out (1 .. 65536; step::batch).
    std::uint32_t batch = 256;
    /// Applied in user space; see the file comment.
    datalink::filter filter{};
    /// How the file is read (through a buffer by default; see reader_options).
    pcap::reader_options reader{};
};

/// Opens a capture file (pcap or pcapng; "-" reads standard input) as a
/// channel whose receiver replays it and whose sender is disabled.
/// Errors: those of pcap::reader::open (errc::not_found for a missing file,
/// errc::permission, a bad file header with its layer and offset), a bad
/// setting (layer::datalink, step::replay_speed, step::batch), a filter that
/// does not compile (step::filter_compile). With `message`, a sentence
/// naming the path.
[[nodiscard]] result<channel> open_file(std::string_view path, const replay_config& c = {},
                                        std::string* message = nullptr);

/// Replays a reader the caller opened (pcap::reader::from_memory,
/// from_fd, ...) from where it stands; the channel owns it from now on.
[[nodiscard]] result<channel> open_file(pcap::reader reader, const replay_config& c = {},
                                        std::string* message = nullptr);

} // namespace rawpkt::datalink
