// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Capture-file writer: pcap (draft-ietf-opsawg-pcap) and pcapng
/// (draft-ietf-opsawg-pcapng), buffered, with errors as values.
///
/// ```
/// auto w = rawpkt::pcap::writer::open("out.pcapng", {.atomic = true});
/// if (!w) return report(w.error());
/// for (const rawpkt::frame& f : frames)
///     if (const auto s = w->write(f); !s) return report(s.error());
/// if (const auto s = w->close(); !s) return report(s.error()); // the file is in place only now
/// ```
///
/// What is written:
/// - pcap: the 24-byte file header (§4) at open, one packet record (§5) per
///   frame. Timestamps in microseconds or nanoseconds (`precision`). The
///   file header names one link type (`writer_options::link`): a frame of
///   another link type is refused with an error value, never mislabelled.
///   A pcap file has no place for a frame's interface, direction or
///   comment; they are not written.
/// - pcapng: a Section Header Block (§4.1) at open with opt_comment,
///   shb_hardware, shb_os and shb_userappl; an Interface Description Block
///   (§4.2) before the first frame of each (frame.interface, frame.link)
///   pair, or when add_interface() describes one; one Enhanced Packet Block
///   (§4.3) per frame with frame.comment as opt_comment and frame.dir as
///   epb_flags (§4.3.1). IDBs the writer makes itself carry if_tsresol 9
///   with nanosecond precision and no if_tsresol (the default 10^-6) with
///   microsecond precision.
/// - pcapng strings (comments, names, ...) are written up to their first NUL
///   byte: readers end a string there (§3.5), so that is all anyone sees of
///   it. They must be UTF-8 (§3.6.3) and fit a 16-bit option length.
/// - Both: little-endian on every host (readers accept either order: pcap
///   §3, pcapng §3.6.1). A frame longer than the snap length is cut to it
///   and keeps its original length; an original length below the captured
///   length (a crafted frame that left it 0) is written as the captured
///   length. A VLAN tag the kernel kept aside (frame.vlan_tpid != 0) is put
///   back into Ethernet frames after the MAC addresses and into Linux SLL
///   frames before the protocol field, as libpcap does.
///
/// Buffering: one buffer of `buffer_size` bytes, allocated at open; a
/// record larger than the buffer goes straight to the file. Nothing is
/// allocated per frame (a new interface grows a small table) and there is
/// no virtual call. flush() hands everything buffered to the operating
/// system; close() flushes, and in atomic mode commits.
///
/// Errors: every failed system call is an error value with its errno
/// (errc::io, sys_errno; `offset` is the file offset the failed write
/// started at). The first I/O error sticks: every later write(), flush()
/// and close() returns it. A frame the writer refuses (link type mismatch,
/// a timestamp the format cannot hold, a comment too long or not UTF-8)
/// is an error for that call only; nothing of it is written and the
/// writer stays usable. Writing to a closed writer returns errc::io with
/// EBADF.
///
/// A non-blocking descriptor is waited on (poll) when it is full, never
/// reported as EAGAIN.
///
/// SIGPIPE never kills the program: writes to a socket use MSG_NOSIGNAL;
/// writes to a pipe or FIFO block SIGPIPE in the calling thread for the
/// duration of the write (pthread_sigmask) and consume the SIGPIPE that
/// write raised, so a closed reader shows up as errc::io with EPIPE (where
/// MSG_NOSIGNAL does not exist, sockets are treated like pipes).
///
/// Atomic mode (`atomic = true`, paths only): the writer writes to a
/// temporary file next to the target (same directory, unique name
/// ".<name>.rawpkt-XXXXXXXXXXXXXXXX"), and close() fsyncs it and renames it
/// over the target, then fsyncs the directory (best effort). Until close()
/// succeeds the target does not exist or keeps its old content. A writer
/// destroyed without close(), or whose close() fails, removes the temporary
/// file and leaves the target untouched: not closing is not committing. The
/// new file gets the mode of a fresh file (0666 minus the umask); a
/// symbolic link at the target is replaced, not followed.
///
/// Without atomic mode the destructor closes the writer, flushing what is
/// buffered; its errors are lost then, so call close() to see them.
#pragma once

#include <rawpkt/error.hpp>
#include <rawpkt/frame.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/pcap/format.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rawpkt::pcap {

/// The snap length written when none is given: libpcap's largest (256 KiB).
inline constexpr std::uint32_t default_snaplen = 262144;

/// How a writer writes; every field has a usable default.
struct writer_options {
    /// pcapng (the default: per-frame link types, comments, interfaces) or pcap.
    file_format format = file_format::pcapng;
    /// pcap: the magic number (µs or ns, pcap §4). pcapng: the resolution
    /// of the IDBs the writer makes itself (if_tsresol 6 or 9).
    time_precision precision = time_precision::micro;
    /// pcap: the file's one link type. pcapng: unused (each frame's own).
    link_type link = link_type::ethernet;
    /// The largest number of bytes kept of a frame: 1 to max_captured_len.
    std::uint32_t snaplen = default_snaplen;
    /// Bytes buffered before they are written; 0 writes every record
    /// through at once.
    std::size_t buffer_size = 256 * 1024;
    /// Write to a temporary file and rename it into place on close().
    bool atomic = false;
    /// pcapng: the section's opt_comment (none when empty).
    std::string section_comment{};
    /// pcapng: shb_userappl (none when empty).
    std::string user_application = "rawpkt";
    /// pcapng: shb_os and shb_hardware (none when empty; see describe_host).
    std::string os{};
    /// pcapng: shb_hardware (none when empty; see describe_host).
    std::string hardware{};
    /// pcapng: fill an empty `os` ("Linux 6.1.0-18-amd64") and `hardware`
    /// ("x86_64") from uname(2).
    bool describe_host = true;
};

/// Writes frames to a pcap or pcapng file; see the file comment. Movable,
/// not copyable.
class writer {
public:
    /// Creates (or truncates) `path` and writes the file header into the
    /// buffer. "-" is standard output. Fails with errc::not_found,
    /// errc::permission or errc::io (and the errno) when the file cannot be
    /// created, errc::unsupported for atomic mode on standard output, and
    /// errc::bad_value / length_too_small / length_too_large for options
    /// the format cannot hold.
    [[nodiscard]] static result<writer> open(const std::string& path, const writer_options& options = {});
    /// Writes to an open file descriptor, which stays the caller's: close()
    /// flushes but does not close it. Atomic mode needs a path
    /// (errc::unsupported).
    [[nodiscard]] static result<writer> to_fd(int fd, const writer_options& options = {});

    /// Takes over `other`'s file and buffer; `other` is left closed.
    writer(writer&& other) noexcept;
    /// Closes (or, in atomic mode, discards) what this writer had, then
    /// takes over `other`.
    writer& operator=(writer&& other) noexcept;
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;
    /// Non-atomic: close(). Atomic without close(): removes the temporary
    /// file; the target is untouched.
    ~writer();

    /// pcapng: writes an Interface Description Block for `info` (link type,
    /// snaplen, if_name, if_description, if_hardware, if_os, if_filter,
    /// if_fcslen, if_tsoffset, if_tsresol from ticks_per_second: a power of
    /// ten up to 10^9) and returns its interface id. Frames with
    /// frame.interface equal to that id and frame.link equal to info.link
    /// are written on it: describing interfaces in reader order keeps their
    /// ids (frame::interface of rawpkt's reader is such an index). Frames are
    /// cut to the smaller of info.snaplen (when not 0) and the writer's
    /// snaplen; info.section is not written (one section). Errors:
    /// errc::bad_value when the (interface, link) pair is already mapped (a
    /// frame made an IDB for it first), for a link type above 16 bits or a
    /// string that is not UTF-8; errc::length_too_large for a string over
    /// 65535 bytes; errc::unsupported for another resolution or an
    /// if_tsoffset beyond ±9·10^9 s. pcap: accepted when info.link is the
    /// file's link type (returns 0, writes nothing), otherwise
    /// errc::bad_value.
    [[nodiscard]] result<std::uint32_t> add_interface(const interface_info& info) noexcept;
    /// The same, for frames with frame.interface == `frame_interface` (an
    /// ifindex, say).
    [[nodiscard]] result<std::uint32_t> add_interface(const interface_info& info,
                                                      std::uint32_t frame_interface) noexcept;

    /// Writes one frame (into the buffer, or through when it is full).
    [[nodiscard]] status write(const frame& f) noexcept;
    /// Hands everything buffered to the operating system.
    [[nodiscard]] status flush() noexcept;
    /// Flushes and closes; in atomic mode fsyncs and renames into place.
    /// Returns the first error of the writer's life; closing again returns
    /// the same.
    [[nodiscard]] status close() noexcept;

    /// Ok, or the sticky I/O error.
    [[nodiscard]] status state() const noexcept;
    /// True until close() (or a move away).
    [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
    /// pcap or pcapng, as opened.
    [[nodiscard]] file_format format() const noexcept { return format_; }
    /// The target path ("" for a file descriptor, "-" for standard output).
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    /// Frames written.
    [[nodiscard]] std::uint64_t packets() const noexcept { return packets_; }
    /// Frames cut to the snap length.
    [[nodiscard]] std::uint64_t truncated_packets() const noexcept { return truncated_; }
    /// Bytes the operating system accepted.
    [[nodiscard]] std::uint64_t bytes_written() const noexcept { return written_; }
    /// Bytes waiting in the buffer.
    [[nodiscard]] std::uint64_t bytes_buffered() const noexcept { return used_; }
    /// pcapng interfaces described so far.
    [[nodiscard]] std::size_t interface_count() const noexcept { return interfaces_.size(); }

private:
    enum class sink : std::uint8_t { plain, pipe, socket };
    struct iface {
        std::uint32_t frame_interface;
        link_type link;
        std::uint32_t snaplen;     ///< the cut length (never 0)
        std::uint32_t ns_per_tick; ///< 1 (if_tsresol 9) ... 10^9 (if_tsresol 0)
        std::int64_t offset_s;     ///< if_tsoffset
    };

    writer() noexcept = default;
    static result<writer> start(int fd, bool owns_fd, std::string path, std::string temp_path,
                                const writer_options& options);
    [[nodiscard]] layer file_layer() const noexcept;
    [[nodiscard]] error io_error(int err, std::uint64_t needed = 0, std::uint64_t available = 0) const noexcept;
    [[nodiscard]] error frame_error(errc code, length_source source, std::uint64_t needed,
                                    std::uint64_t available) const noexcept;
    [[nodiscard]] status write_header() noexcept;
    [[nodiscard]] result<std::uint32_t> describe(const interface_info& info, std::uint32_t frame_interface,
                                                 bool explicit_key) noexcept;
    [[nodiscard]] const iface* find(std::uint32_t frame_interface, link_type link) noexcept;
    [[nodiscard]] status put(const void* data, std::size_t n) noexcept;
    [[nodiscard]] status drain() noexcept;
    [[nodiscard]] status write_all(const std::byte* data, std::size_t n) noexcept;
    void discard() noexcept;
    void reset() noexcept;

    int fd_ = -1;
    bool owns_fd_ = false;
    sink sink_ = sink::plain;
    file_format format_ = file_format::pcapng;
    time_precision precision_ = time_precision::micro;
    link_type link_ = link_type::ethernet;
    std::uint32_t snaplen_ = default_snaplen;
    std::unique_ptr<std::byte[]> buf_;
    std::size_t capacity_ = 0;
    std::size_t used_ = 0;
    error error_{};
    std::uint64_t written_ = 0;
    std::uint64_t packets_ = 0;
    std::uint64_t truncated_ = 0;
    std::size_t last_ = 0; ///< the interface the previous frame used
    std::vector<iface> interfaces_;
    std::string path_;
    std::string temp_path_; ///< atomic mode: the file written until close()
};

} // namespace rawpkt::pcap
