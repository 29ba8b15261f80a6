// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Reading capture files: pcap (microsecond and nanosecond, both byte
/// orders) and pcapng (every section, interface, packet, name resolution and
/// statistics block), from a file, a pipe or a caller's buffer.
///
/// ```cpp
/// auto r = rawpkt::pcap::reader::open("trace.pcapng");
/// if (!r) return fail(r.error());                 // not_found, bad magic, ...
/// for (const rawpkt::frame& f : *r) use(f);       // zero copy, no allocation
/// if (!r->status()) report(r->status().error());  // why it stopped, if not at the end
/// ```
///
/// Frames point into the source, never copied one by one: a file, pipe or
/// standard input is read in large blocks into one buffer, and a frame
/// stays valid until the next call to next(), next_batch() or the
/// iterator's ++ (as a live channel's frames do); with
/// reader_options::map_files, or for from_memory(), frames point into the
/// mapping or the caller's buffer and stay valid as long as the reader (or
/// the buffer) lives.
///
/// Damaged input never stops the reader from handing out what is good: a
/// truncated file yields every complete packet before the cut, then
/// status() holds the error with the byte offset of the cut record. Nothing
/// reads outside the input on any bytes (every length is checked before it is
/// used, including lengths that would overflow arithmetic).
///
/// Error offsets are file offsets: of the field whose value is wrong (the
/// magic, a version, a block or captured length, an interface id, an
/// option), or, for errc::truncated, of the record or block that is cut
/// (`needed` is then the record's full length, `available` what the file
/// still held from there). Errors name layer::pcap or layer::pcapng.
///
/// Interfaces: frame::interface is a global index into interfaces(), which
/// lists the interfaces of every section in file order (a pcap file has one,
/// index 0). A pcapng interface id is per section; interface_info::section
/// says which section described it.
///
/// Choices where the specifications and the real tools differ:
/// - A captured length above the interface's snaplen is accepted by default,
///   as tshark and libpcap read such files (libpcap cuts the frame to the
///   snaplen, tshark keeps it whole; rawpkt keeps it whole).
///   reader_options::strict_snaplen rejects it instead.
/// - The original length is passed through as the file has it, even when it
///   is below the captured length (tshark does the same).
/// - pcap timestamps: the fraction is unsigned and not range-checked
///   (libpcap and tcpdump do the same; a nanosecond fraction of 10^9 or more
///   carries into the seconds).
/// - pcapng timestamps outside the range of std::int64_t nanoseconds (years
///   1678..2262) saturate. Simple Packet Blocks carry no timestamp: 0.
/// - pcapng option strings end at their first zero byte (as in Wireshark;
///   some writers add a terminator and bytes after it).
/// - pcapng custom blocks, decryption secrets and unknown blocks are skipped
///   by their length (tshark lists custom blocks as records; rawpkt hands out
///   packets only).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/frame.hpp>
#include <rawpkt/pcap/format.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <span>
#include <string>

namespace rawpkt::pcap {

/// The largest pcapng block rawpkt accepts (a packet of max_captured_len
/// plus room for its options); a larger block length is a damaged file.
inline constexpr std::uint32_t max_block_len = max_captured_len + (1u << 20);

/// Default limits on metadata a file can make the reader keep (each
/// interface, section, statistics block and name record costs memory):
/// beyond reader_options' limits the reader stops with errc::too_many.
inline constexpr std::size_t max_interfaces = 1u << 20;
/// The most section headers kept, by default.
inline constexpr std::size_t max_sections = 1u << 20;
/// The most Interface Statistics Blocks kept, by default.
inline constexpr std::size_t max_statistics = 1u << 20;
/// The most Name Resolution records kept, by default.
inline constexpr std::size_t max_name_records = 1u << 20;

/// How a reader reads: validation, memory mapping and buffer size.
struct reader_options {
    /// Reject a record whose captured length exceeds its interface's snaplen
    /// (a snaplen of 0 means no limit) with errc::length_too_large. Off by
    /// default: real files break this rule and the usual tools read them.
    bool strict_snaplen = false;
    /// Memory-map regular files, so frames stay valid while the reader
    /// lives. Off by default: reading large blocks into one reused buffer
    /// (a kernel copy from the page cache, as read() does) iterates 3-4x
    /// faster than touching a fresh mapping page by page where page faults
    /// are costly (bench/capture_read: 4x libpcap buffered, 1.2x mapped, in
    /// a virtual machine), and a file truncated by another program while
    /// it is read ends in a truncation error instead of SIGBUS.
    bool map_files = false;
    /// Initial size of the read buffer (files, pipes, standard input); it grows to
    /// hold the largest record seen (at most max_block_len plus a little).
    std::size_t stream_buffer = 1u << 20;

    /// The largest captured length accepted (1 to pcap::max_captured_len;
    /// larger values are lowered to it): a record above it stops the reader
    /// with errc::length_too_large, `needed` holding this limit.
    std::uint32_t max_captured_len = pcap::max_captured_len;
    /// The largest pcapng block accepted (12 to pcap::max_block_len), and so
    /// the most the read buffer grows to: a longer block stops the reader
    /// with errc::length_too_large, `needed` holding this limit.
    std::uint32_t max_block_len = pcap::max_block_len;
    /// The most interfaces kept (interfaces()); one more stops the reader
    /// with errc::too_many, `needed` holding this limit.
    std::size_t max_interfaces = pcap::max_interfaces;
    /// The most section headers kept (sections()); errc::too_many beyond.
    std::size_t max_sections = pcap::max_sections;
    /// The most Interface Statistics Blocks kept (statistics()); errc::too_many beyond.
    std::size_t max_statistics = pcap::max_statistics;
    /// The most Name Resolution records kept (names()); errc::too_many beyond.
    std::size_t max_name_records = pcap::max_name_records;
};

/// Reads frames from a pcap or pcapng file. Move-only.
///
/// Not thread-safe; one reader per thread. No allocation and no virtual call
/// per packet (interfaces, sections, statistics and names are kept in
/// vectors as their blocks arrive).
class reader {
public:
    class iterator;
    /// The end of the frames.
    struct sentinel {};

    /// Opens `path`: a file, FIFO or character device is read through a
    /// bounded buffer, or a regular file memory-mapped (read-only, private,
    /// sequential advice) with reader_options::map_files; "-" is standard
    /// input. Fails with
    /// errc::not_found (missing file), errc::permission (access denied) or
    /// errc::io (other errors; `sys_errno` says which), or with the format
    /// error of a bad file header (layer::pcap for an unknown magic).
    [[nodiscard]] static result<reader> open(const char* path, const reader_options& options = {}) noexcept;
    /// The same, for a std::string path.
    [[nodiscard]] static result<reader> open(const std::string& path, const reader_options& options = {}) noexcept;
    /// Reads from an open descriptor, which stays the caller's (the reader
    /// never closes it; keep it open while the reader lives). Reading starts
    /// at the descriptor's current position (a regular file is mapped from
    /// there with reader_options::map_files).
    [[nodiscard]] static result<reader> from_fd(int fd, const reader_options& options = {}) noexcept;
    /// Reads a capture held in memory by the caller (no copy): frames point
    /// into `data`, which must outlive the reader.
    [[nodiscard]] static result<reader> from_memory(bytes data, const reader_options& options = {}) noexcept;

    /// Takes over `other`'s input and position; `other` is left empty.
    reader(reader&&) noexcept;
    /// Closes this reader's file (its frames become invalid) and takes over `other`'s.
    reader& operator=(reader&&) noexcept;
    reader(const reader&) = delete;
    reader& operator=(const reader&) = delete;
    ~reader();

    /// The next frame into `out`: true, or false at the end of the file or
    /// on an error (see status()).
    [[nodiscard]] bool next(frame& out) noexcept;
    /// Up to out.size() frames at once; returns how many were written. Fewer
    /// than asked does not mean the end (a pipe hands out what its buffer
    /// holds); 0 does (see status()).
    [[nodiscard]] std::size_t next_batch(std::span<frame> out) noexcept;

    /// `for (const rawpkt::frame& f : r)`: the frames not read yet.
    [[nodiscard]] iterator begin() noexcept;
    /// Compares equal to the iterator once the frames are exhausted.
    [[nodiscard]] sentinel end() const noexcept { return {}; }

    /// Success while reading goes well and after a clean end; the error that
    /// stopped reading otherwise.
    [[nodiscard]] rawpkt::status status() const noexcept;
    /// True once the end of the input or an error was reached.
    [[nodiscard]] bool done() const noexcept;
    /// The file offset of the next record to read.
    [[nodiscard]] std::uint64_t offset() const noexcept;
    /// Frames handed out so far.
    [[nodiscard]] std::uint64_t frames_read() const noexcept;

    /// pcap or pcapng, from the file's magic number.
    [[nodiscard]] file_format format() const noexcept;
    /// pcap: the file header's precision; pcapng: nano (each interface has
    /// its own resolution, see interface_info::ticks_per_second).
    [[nodiscard]] time_precision precision() const noexcept;
    /// pcap: the file header's version (2.4 as a rule); pcapng: the first
    /// section's (1.0).
    [[nodiscard]] std::uint16_t version_major() const noexcept;
    /// The minor version (see version_major()).
    [[nodiscard]] std::uint16_t version_minor() const noexcept;
    /// pcap: the file header's snaplen and link type (the number, upper FCS
    /// bits removed; link_type_name() names the common ones). pcapng: those
    /// of the first interface (0 and ethernet before any).
    [[nodiscard]] std::uint32_t snaplen() const noexcept;
    /// The link type (see snaplen()).
    [[nodiscard]] link_type link() const noexcept;

    /// Every interface described so far, in file order; frame::interface
    /// indexes it. For pcapng the list grows while reading: the span is
    /// valid until the next read call (those before the first packet are
    /// there after open()).
    [[nodiscard]] std::span<const interface_info> interfaces() const noexcept;
    /// Every section header read so far (a pcap file is one section).
    [[nodiscard]] std::span<const section_info> sections() const noexcept;
    /// Every pcapng Interface Statistics Block read so far.
    [[nodiscard]] std::span<const interface_statistics> statistics() const noexcept;
    /// Every record of the pcapng Name Resolution Blocks read so far.
    [[nodiscard]] std::span<const name_record> names() const noexcept;

    struct impl;

private:
    explicit reader(std::unique_ptr<impl> p) noexcept;
    std::unique_ptr<impl> impl_;
    frame current_{};

    friend class iterator;
};

/// Input iterator over a reader's frames; ++ reads the next one.
class reader::iterator {
public:
    using iterator_concept = std::input_iterator_tag; ///< a single pass: ++ reads from the file
    using value_type = frame;                         ///< frames are handed out by const reference
    using difference_type = std::ptrdiff_t;           ///< required by std::input_iterator; never used
    using reference = const frame&;                   ///< valid until the next ++ (see the lifetime rules of reader)

    iterator() noexcept = default;
    /// Positioned on the reader's current frame (begin() reads the first).
    explicit iterator(reader* r) noexcept : r_(r) {}

    /// The current frame; valid until the next ++ or read call on the reader.
    [[nodiscard]] reference operator*() const noexcept { return r_->current_; }
    /// Member access to the current frame.
    [[nodiscard]] const frame* operator->() const noexcept { return &r_->current_; }
    /// Reads the next frame; at the end or on an error the iterator equals the sentinel (reader::status() tells which).
    iterator& operator++() noexcept {
        if (!r_->next(r_->current_)) r_ = nullptr;
        return *this;
    }
    /// Reads the next frame (see the prefix form).
    void operator++(int) noexcept { ++*this; }
    friend bool operator==(const iterator& it, sentinel) noexcept { return it.r_ == nullptr; }

private:
    reader* r_ = nullptr;
};

inline reader::iterator reader::begin() noexcept {
    iterator it{this};
    ++it;
    return it;
}

} // namespace rawpkt::pcap
