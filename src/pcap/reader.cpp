// SPDX-License-Identifier: BSD-3-Clause
// Capture-file reader: pcap (draft-ietf-opsawg-pcap) and pcapng
// (draft-ietf-opsawg-pcapng). Every length is checked against what the input
// holds before it is used; all arithmetic on file values is done in types
// wide enough not to overflow.
#include <rawpkt/pcap/reader.hpp>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <new>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rawpkt::pcap {

namespace {

__extension__ using i128 = __int128;
__extension__ using u128 = unsigned __int128;

// pcap §4 file header, §5 record header.
constexpr std::size_t pcap_header_len = 24;
constexpr std::size_t pcap_record_len = 16;
// pcapng §3.1 general block structure and minimum sizes of each block (§4).
constexpr std::size_t block_min_len = 12;
constexpr std::size_t shb_min_len = 28;
constexpr std::size_t idb_min_len = 20;
constexpr std::size_t epb_min_len = 32;
constexpr std::size_t pb_min_len = 32;
constexpr std::size_t spb_min_len = 16;
constexpr std::size_t isb_min_len = 24;
constexpr std::size_t nrb_min_len = 12;

constexpr std::uint32_t pcap_magic_micro_swapped = 0xd4c3b2a1;
constexpr std::uint32_t pcap_magic_nano_swapped = 0x4d3cb2a1;
constexpr std::uint32_t pcapng_byte_order_swapped = 0x4d3c2b1a;

constexpr std::int64_t ns_per_s = 1'000'000'000;

template <bool BE, std::unsigned_integral T>
[[nodiscard]] inline T ld(bytes b, std::size_t off) noexcept {
    if constexpr (BE)
        return load_be<T>(b, off);
    else
        return load_le<T>(b, off);
}

template <std::unsigned_integral T>
[[nodiscard]] inline T ldr(bool be, bytes b, std::size_t off) noexcept {
    return be ? load_be<T>(b, off) : load_le<T>(b, off);
}

[[nodiscard]] constexpr std::size_t pad4(std::size_t n) noexcept { return (n + 3) & ~std::size_t{3}; }

[[nodiscard]] std::string_view text(bytes v) noexcept {
    // Option strings are UTF-8 without a terminator (pcapng §3.5); some
    // writers add one, some leave bytes after it. Like Wireshark, the text
    // ends at the first zero byte.
    std::size_t n = 0;
    while (n < v.size() && v[n] != std::byte{0}) ++n;
    return {reinterpret_cast<const char*>(v.data()), n};
}

[[nodiscard]] std::int64_t clamp_ns(i128 v) noexcept {
    constexpr i128 lo = std::numeric_limits<std::int64_t>::min();
    constexpr i128 hi = std::numeric_limits<std::int64_t>::max();
    return static_cast<std::int64_t>(v < lo ? lo : v > hi ? hi : v);
}

[[nodiscard]] constexpr std::uint64_t pow10(unsigned e) noexcept {
    std::uint64_t v = 1;
    for (unsigned k = 0; k < e; ++k) v *= 10;
    return v;
}

/// if_tsresol (pcapng §4.2): MSB 0: units of 10^-e s; MSB 1: units of 2^-e s.
constexpr std::uint8_t tsresol_micro = 6;
constexpr std::uint8_t tsresol_nano = 9;

/// Ticks per second for interface_info; 0 when it does not fit 64 bits.
[[nodiscard]] constexpr std::uint64_t ticks_per_second(std::uint8_t tsresol) noexcept {
    const unsigned e = tsresol & 0x7fu;
    if ((tsresol & 0x80u) != 0) return e <= 63 ? std::uint64_t{1} << e : 0;
    return e <= 19 ? pow10(e) : 0;
}

/// What the packet path needs of an interface, kept apart from the strings.
struct if_fast {
    link_type link = link_type::ethernet;
    std::uint32_t snaplen = 0;
    std::uint8_t tsresol = tsresol_micro;
    std::uint64_t mul = 1000; ///< ns per tick when whole, else 0
    std::uint64_t mul_limit = std::numeric_limits<std::int64_t>::max() / 1000;
    std::int64_t offset_s = 0;

    static if_fast from(const interface_info& i, std::uint8_t resol) noexcept {
        if_fast f;
        f.link = i.link;
        f.snaplen = i.snaplen;
        f.tsresol = resol;
        f.offset_s = i.tsoffset_s;
        const unsigned e = resol & 0x7fu;
        f.mul = e > 9 ? 0 : (resol & 0x80u) != 0 ? 1'000'000'000u >> e : pow10(9 - e);
        f.mul_limit = f.mul == 0 ? 0 : static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / f.mul;
        return f;
    }
};

[[gnu::noinline]] std::int64_t ticks_to_ns_slow(const if_fast& x, std::uint64_t t) noexcept {
    // pcapng §4.3: timestamp in units of if_tsresol, plus if_tsoffset
    // seconds; whole nanoseconds, rounded down. Every resolution the byte
    // can say is computed exactly (t * 10^9 < 2^94).
    const unsigned e = x.tsresol & 0x7fu;
    u128 v = 0;
    if ((x.tsresol & 0x80u) != 0)
        v = (static_cast<u128>(t) * 1'000'000'000u) >> e;
    else if (e <= 9)
        v = static_cast<u128>(t) * pow10(9 - e);
    else if (e - 9 <= 19)
        v = t / pow10(e - 9);
    return clamp_ns(static_cast<i128>(v) + static_cast<i128>(x.offset_s) * ns_per_s);
}

[[nodiscard]] inline std::int64_t ticks_to_ns(const if_fast& x, std::uint64_t t) noexcept {
    if (x.mul != 0 && t <= x.mul_limit && x.offset_s == 0) return static_cast<std::int64_t>(t * x.mul);
    return ticks_to_ns_slow(x, t);
}

/// epb_flags bits 0-1 (direction) and 2-4 (reception type), pcapng §4.3.1.
[[nodiscard]] constexpr direction direction_from_flags(std::uint32_t flags) noexcept {
    if ((flags & 3u) == 2u) return direction::outgoing;
    switch ((flags >> 2) & 7u) {
    case 1: return direction::host;
    case 2: return direction::multicast;
    case 3: return direction::broadcast;
    case 4: return direction::other_host;
    default: break;
    }
    return (flags & 3u) == 1u ? direction::inbound : direction::unknown;
}

[[nodiscard]] constexpr bool is_packet_block(std::uint32_t type) noexcept {
    return type == static_cast<std::uint32_t>(block_type::enhanced_packet) ||
           type == static_cast<std::uint32_t>(block_type::simple_packet) ||
           type == static_cast<std::uint32_t>(block_type::packet);
}

[[nodiscard]] rawpkt::error os_error(int e) noexcept {
    errc c = errc::io;
    if (e == ENOENT || e == ENOTDIR) c = errc::not_found;
    if (e == EACCES || e == EPERM) c = errc::permission;
    rawpkt::error err = rawpkt::error::invalid(layer::pcap, c, length_source::none, 0);
    err.sys_errno = e;
    return err;
}

} // namespace

struct reader::impl {
    enum class mode : std::uint8_t { pcap_le, pcap_be, ng_le, ng_be, done };
    enum class got : std::uint8_t { ok, short_input, blocked };

    // The input window: win_[0, wlen_) holds file bytes from offset base_ on.
    const std::byte* win_ = nullptr;
    std::size_t wlen_ = 0;
    std::size_t pos_ = 0;
    std::size_t prefetched_ = 0; ///< prefetch cursor in the window
    std::uint64_t base_ = 0;

    // Streaming input (pipes): a buffer refilled from fd_.
    bool streaming_ = false;
    bool eof_ = false;
    bool io_failed_ = false;
    int fd_ = -1;
    bool own_fd_ = false;
    std::unique_ptr<std::byte[]> buf_;
    std::size_t cap_ = 0;

    // Memory mapping.
    void* map_ = nullptr;
    std::size_t map_len_ = 0;

    reader_options opt_;
    file_format fmt_ = file_format::pcap;
    mode mode_ = mode::done;
    bool switched_ = false;
    rawpkt::error err_{};

    // pcap file header.
    time_precision prec_ = time_precision::micro;
    std::int64_t frac_mult_ = 1000;

    std::vector<interface_info> ifs_;
    std::vector<if_fast> fast_;
    std::vector<section_info> secs_;
    std::uint32_t sec_first_ = 0; ///< global index of the section's interface 0
    std::uint32_t sec_count_ = 0; ///< interfaces described in this section
    std::vector<interface_statistics> stats_;
    std::vector<name_record> names_;
    std::uint64_t frames_ = 0;

    impl() = default;
    impl(const impl&) = delete;
    impl& operator=(const impl&) = delete;
    ~impl() {
        if (map_ != nullptr) ::munmap(map_, map_len_);
        if (own_fd_ && fd_ >= 0) ::close(fd_);
    }

    [[nodiscard]] layer lay() const noexcept { return fmt_ == file_format::pcapng ? layer::pcapng : layer::pcap; }
    [[nodiscard]] std::uint64_t off() const noexcept { return base_ + pos_; }
    [[nodiscard]] std::size_t avail() const noexcept { return wlen_ - pos_; }
    [[nodiscard]] bytes rest() const noexcept { return {win_ + pos_, wlen_ - pos_}; }

    /// Asks for the next 2 KiB of the window ahead of use: records are too
    /// far apart and too uneven for the hardware prefetcher to follow, and
    /// on a memory-mapped file each header would otherwise be a cache miss.
    void prefetch_ahead() noexcept {
        constexpr std::size_t distance = 2048;
        const std::size_t limit = std::min(wlen_, pos_ + distance);
        std::size_t p = std::max(prefetched_, pos_);
        for (; p < limit; p += 64) __builtin_prefetch(win_ + p);
        prefetched_ = p;
    }

    void fail(const rawpkt::error& e) noexcept {
        if (err_.code == errc::ok) err_ = e;
        mode_ = mode::done;
    }
    void finish() noexcept { mode_ = mode::done; }

    /// Makes `n` bytes available at pos_ if the input has them. A stream
    /// moves or grows its buffer only when `may_move` (no frame handed out
    /// in this call points into it); otherwise it answers `blocked`.
    [[nodiscard]] got need(std::size_t n, bool may_move) noexcept {
        if (wlen_ - pos_ >= n) return got::ok;
        if (!streaming_ || eof_ || io_failed_) return got::short_input;
        return refill(n, may_move);
    }

    [[nodiscard]] got refill(std::size_t n, bool may_move) noexcept {
        // Move what is left to the front when the record cannot fit behind it.
        if (cap_ - pos_ < n && pos_ != 0 && may_move) compact();
        while (wlen_ - pos_ < n) {
            if (wlen_ == cap_) {
                if (!may_move) return got::blocked;
                if (pos_ != 0) {
                    compact();
                } else if (!grow(n)) {
                    return got::short_input;
                }
            }
            const ssize_t r = ::read(fd_, buf_.get() + wlen_, cap_ - wlen_);
            if (r < 0) {
                if (errno == EINTR) continue;
                io_failed_ = true;
                rawpkt::error e = rawpkt::error::invalid(lay(), errc::io, length_source::none, base_ + wlen_);
                e.sys_errno = errno;
                fail(e);
                return got::short_input;
            }
            if (r == 0) {
                eof_ = true;
                return got::short_input;
            }
            wlen_ += static_cast<std::size_t>(r);
        }
        return got::ok;
    }

    void compact() noexcept {
        prefetched_ = 0;
        const std::size_t have = wlen_ - pos_;
        if (have != 0) std::memmove(buf_.get(), buf_.get() + pos_, have);
        base_ += pos_;
        pos_ = 0;
        wlen_ = have;
    }

    /// Doubles the buffer on the way to `n` bytes, so that a length claimed
    /// by a damaged file costs memory only as its bytes arrive.
    [[nodiscard]] bool grow(std::size_t n) noexcept {
        const std::size_t new_cap = std::min(cap_ * 2, std::max(n, cap_ + 1));
        std::unique_ptr<std::byte[]> nb(new (std::nothrow) std::byte[new_cap]);
        if (!nb) {
            io_failed_ = true;
            rawpkt::error e = rawpkt::error::invalid(lay(), errc::io, length_source::none, off());
            e.sys_errno = ENOMEM;
            fail(e);
            return false;
        }
        if (wlen_ != 0) std::memcpy(nb.get(), buf_.get(), wlen_);
        prefetched_ = 0;
        buf_ = std::move(nb);
        cap_ = new_cap;
        win_ = buf_.get();
        return true;
    }

    std::size_t read(frame* out, std::size_t max, bool prime) noexcept;
    template <bool BE>
    std::size_t read_pcap(frame* out, std::size_t max) noexcept;
    template <bool BE>
    std::size_t read_ng(frame* out, std::size_t n0, std::size_t max, bool prime) noexcept;
    template <bool BE>
    bool packet_block(bytes blk, bool obsolete, frame& f) noexcept;
    template <bool BE>
    bool simple_packet_block(bytes blk, frame& f) noexcept;
    bool section_header(bool may_move) noexcept;
    bool interface_description(bool be, bytes blk) noexcept;
    bool interface_stats(bool be, bytes blk) noexcept;
    bool name_resolution(bool be, bytes blk) noexcept;
    template <class F>
    bool options(bool be, bytes blk, std::size_t start, F&& f) noexcept;
    bool open_pcap(std::uint32_t magic) noexcept;
    rawpkt::status start() noexcept;
};

// --- pcap ------------------------------------------------------------------

bool reader::impl::open_pcap(std::uint32_t magic) noexcept {
    // pcap §4: the magic number tells byte order and timestamp precision.
    bool be = false;
    switch (magic) {
    case magic::pcap_micro: be = true; break;
    case magic::pcap_nano:
        be = true;
        prec_ = time_precision::nano;
        break;
    case pcap_magic_micro_swapped: break;
    case pcap_magic_nano_swapped: prec_ = time_precision::nano; break;
    default:
        fail(
            rawpkt::error::invalid(layer::pcap, errc::bad_value, length_source::none, off(), magic::pcap_micro, magic));
        return false;
    }
    if (need(pcap_header_len, true) != got::ok) {
        if (!io_failed_)
            fail(rawpkt::error::truncated(layer::pcap, length_source::fixed_header, off(), pcap_header_len, avail()));
        return false;
    }
    const bytes h = rest().first(pcap_header_len);
    const std::uint16_t major = ldr<std::uint16_t>(be, h, 4);
    const std::uint16_t minor = ldr<std::uint16_t>(be, h, 6);
    // libpcap reads 2.0 through 2.4 (2.4 since 1998).
    if (major != 2 || minor > 4) {
        fail(rawpkt::error::invalid(layer::pcap, errc::bad_version, length_source::none, off() + 4, 0x00020004u,
                                    (std::uint32_t{major} << 16) | minor));
        return false;
    }
    const std::uint32_t lt = ldr<std::uint32_t>(be, h, 20);
    interface_info i;
    // §4: LinkType in the low 16 bits; FCS length (in 16-bit words) in the
    // top 4 bits when the F bit (bit 26) is set.
    i.link = static_cast<link_type>(lt & 0xffffu);
    i.snaplen = ldr<std::uint32_t>(be, h, 16);
    const std::uint8_t tsresol = prec_ == time_precision::nano ? tsresol_nano : tsresol_micro;
    i.ticks_per_second = ticks_per_second(tsresol);
    if ((lt & 0x04000000u) != 0) i.fcslen = static_cast<std::uint8_t>(((lt >> 28) & 0xfu) * 2);
    frac_mult_ = prec_ == time_precision::nano ? 1 : 1000;
    section_info s;
    s.big_endian = be;
    s.major = major;
    s.minor = minor;
    s.offset = off();
    fast_.push_back(if_fast::from(i, tsresol));
    ifs_.push_back(std::move(i));
    secs_.push_back(std::move(s));
    sec_count_ = 1;
    pos_ += pcap_header_len;
    mode_ = be ? mode::pcap_be : mode::pcap_le;
    return true;
}

template <bool BE>
std::size_t reader::impl::read_pcap(frame* out, std::size_t max) noexcept {
    std::size_t count = 0;
    const if_fast& x = fast_.front();
    const std::uint32_t snaplen = opt_.strict_snaplen ? x.snaplen : 0;
    const link_type link = x.link;
    const std::int64_t mult = frac_mult_;
    while (count < max) {
        prefetch_ahead();
        if (wlen_ - pos_ < pcap_record_len) {
            const got g = need(pcap_record_len, count == 0);
            if (g == got::blocked) break;
            if (g == got::short_input) {
                if (avail() == 0)
                    finish();
                else
                    fail(rawpkt::error::truncated(layer::pcap, length_source::fixed_header, off(), pcap_record_len,
                                                  avail()));
                break;
            }
        }
        bytes rec = rest();
        // §5: seconds, fraction, captured length, original length.
        const std::uint32_t caplen = ld<BE, std::uint32_t>(rec, 8);
        if (caplen > opt_.max_captured_len) [[unlikely]] {
            fail(rawpkt::error::invalid(layer::pcap, errc::length_too_large, length_source::capture_length, off() + 8,
                                        opt_.max_captured_len, caplen));
            break;
        }
        if (snaplen != 0 && caplen > snaplen) [[unlikely]] {
            fail(rawpkt::error::invalid(layer::pcap, errc::length_too_large, length_source::capture_length, off() + 8,
                                        snaplen, caplen));
            break;
        }
        const std::size_t total = pcap_record_len + caplen;
        if (rec.size() < total) [[unlikely]] {
            const got g = need(total, count == 0);
            if (g == got::blocked) break;
            if (g == got::short_input) {
                fail(rawpkt::error::truncated(layer::pcap, length_source::capture_length, off(), total, avail()));
                break;
            }
            rec = rest();
        }
        frame& f = out[count++];
        f = frame{};
        f.data = rec.subspan(pcap_record_len, caplen);
        f.timestamp_ns = static_cast<std::int64_t>(ld<BE, std::uint32_t>(rec, 0)) * ns_per_s +
                         static_cast<std::int64_t>(ld<BE, std::uint32_t>(rec, 4)) * mult;
        f.original_len = ld<BE, std::uint32_t>(rec, 12);
        f.link = link;
        pos_ += total;
    }
    frames_ += count;
    return count;
}

// --- pcapng ----------------------------------------------------------------

template <class F>
bool reader::impl::options(bool be, bytes blk, std::size_t start, F&& f) noexcept {
    // pcapng §3.5: code (16), length (16), value padded to 32 bits; the
    // list may end with opt_endofopt or at the end of the block.
    const std::size_t end = blk.size() - 4;
    std::size_t p = start;
    while (p <= end && end - p >= 4) {
        const std::uint16_t code = ldr<std::uint16_t>(be, blk, p);
        const std::uint16_t len = ldr<std::uint16_t>(be, blk, p + 2);
        if (code == option::end_of_opt) break;
        if (len > end - p - 4) {
            fail(rawpkt::error::truncated(layer::pcapng, length_source::option_length, off() + p, 4u + len, end - p));
            return false;
        }
        if (!f(code, blk.subspan(p + 4, len), off() + p)) return false;
        p = std::min(end, p + 4 + pad4(len));
    }
    return true;
}

namespace {
/// epb_flags of another size than 4 (Wireshark stops there too).
[[nodiscard]] rawpkt::error bad_option_len(std::uint64_t at, std::size_t want, std::size_t have) noexcept {
    return rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::option_length, at, want, have);
}
} // namespace

bool reader::impl::section_header(bool may_move) noexcept {
    // pcapng §4.1: block type, length, byte-order magic, version, section
    // length, options. The magic tells the byte order of the whole section.
    const got g = need(block_min_len, may_move);
    if (g == got::blocked) return false;
    if (g == got::short_input) {
        if (!io_failed_)
            fail(rawpkt::error::truncated(layer::pcapng, length_source::fixed_header, off(), shb_min_len, avail()));
        return false;
    }
    const std::uint32_t bom = load_le<std::uint32_t>(rest(), 8);
    bool be = false;
    if (bom == pcapng_byte_order_swapped)
        be = true;
    else if (bom != magic::pcapng_byte_order) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, off() + 8,
                                    magic::pcapng_byte_order, load_be<std::uint32_t>(rest(), 8)));
        return false;
    }
    const std::uint32_t len = ldr<std::uint32_t>(be, rest(), 4);
    if (len < shb_min_len) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::record_length, off() + 4,
                                    shb_min_len, len));
        return false;
    }
    if (len % 4 != 0) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::record_length, off() + 4, 0, len));
        return false;
    }
    if (len > opt_.max_block_len) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::record_length, off() + 4,
                                    opt_.max_block_len, len));
        return false;
    }
    const got g2 = need(len, may_move);
    if (g2 == got::blocked) return false;
    if (g2 == got::short_input) {
        if (!io_failed_)
            fail(rawpkt::error::truncated(layer::pcapng, length_source::record_length, off(), len, avail()));
        return false;
    }
    const bytes blk = rest().first(len);
    const std::uint32_t trailer = ldr<std::uint32_t>(be, blk, len - 4);
    if (trailer != len) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::record_length, off() + len - 4, len,
                                    trailer));
        return false;
    }
    const std::uint16_t major = ldr<std::uint16_t>(be, blk, 12);
    const std::uint16_t minor = ldr<std::uint16_t>(be, blk, 14);
    // Version 1.0; 1.2 was written by some tools and is read by Wireshark.
    if (major != 1 || (minor != 0 && minor != 2)) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::bad_version, length_source::none, off() + 12, 0x00010000u,
                                    (std::uint32_t{major} << 16) | minor));
        return false;
    }
    if (secs_.size() >= opt_.max_sections) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::too_many, length_source::none, off(), opt_.max_sections,
                                    secs_.size()));
        return false;
    }
    section_info s;
    s.big_endian = be;
    s.major = major;
    s.minor = minor;
    s.offset = off();
    const bool ok = options(be, blk, 24, [&](std::uint16_t code, bytes v, std::uint64_t) noexcept {
        switch (code) {
        case option::comment: s.comments.emplace_back(text(v)); break;
        case option::shb_hardware: s.hardware = text(v); break;
        case option::shb_os: s.os = text(v); break;
        case option::shb_userappl: s.user_application = text(v); break;
        default: break;
        }
        return true;
    });
    if (!ok) return false;
    secs_.push_back(std::move(s));
    sec_first_ = static_cast<std::uint32_t>(ifs_.size());
    sec_count_ = 0;
    pos_ += len;
    const mode m = be ? mode::ng_be : mode::ng_le;
    if (m != mode_) switched_ = true;
    mode_ = m;
    return true;
}

bool reader::impl::interface_description(bool be, bytes blk) noexcept {
    // pcapng §4.2: link type (16), reserved (16), snaplen (32), options.
    if (blk.size() < idb_min_len) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::record_length, off() + 4,
                                    idb_min_len, blk.size()));
        return false;
    }
    if (ifs_.size() >= opt_.max_interfaces) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::too_many, length_source::none, off(), opt_.max_interfaces,
                                    ifs_.size()));
        return false;
    }
    interface_info i;
    i.link = static_cast<link_type>(ldr<std::uint16_t>(be, blk, 8));
    i.snaplen = ldr<std::uint32_t>(be, blk, 12);
    i.section = static_cast<std::uint32_t>(secs_.size() - 1);
    std::uint8_t tsresol = tsresol_micro;
    const bool ok = options(be, blk, 16, [&](std::uint16_t code, bytes v, std::uint64_t) noexcept {
        switch (code) {
        case option::if_name: i.name = text(v); break;
        case option::if_description: i.description = text(v); break;
        case option::if_os: i.os = text(v); break;
        case option::if_hardware: i.hardware = text(v); break;
        case option::if_filter:
            // §4.2: the first byte says how the filter is given; 0 = libpcap text.
            if (!v.empty() && v[0] == std::byte{0}) i.filter = text(v.subspan(1));
            break;
        // Fixed-size options of another size are ignored, as Wireshark does.
        case option::if_tsresol:
            if (v.size() == 1) tsresol = load_u8(v, 0);
            break;
        case option::if_fcslen:
            if (v.size() == 1) i.fcslen = load_u8(v, 0);
            break;
        case option::if_tsoffset:
            // Signed seconds added to every timestamp.
            if (v.size() == 8) i.tsoffset_s = std::bit_cast<std::int64_t>(ldr<std::uint64_t>(be, v, 0));
            break;
        default: break;
        }
        return true;
    });
    if (!ok) return false;
    i.ticks_per_second = ticks_per_second(tsresol);
    fast_.push_back(if_fast::from(i, tsresol));
    ifs_.push_back(std::move(i));
    ++sec_count_;
    return true;
}

bool reader::impl::interface_stats(bool be, bytes blk) noexcept {
    // pcapng §4.6: interface id, timestamp (high, low), options.
    if (blk.size() < isb_min_len) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::record_length, off() + 4,
                                    isb_min_len, blk.size()));
        return false;
    }
    const std::uint32_t id = ldr<std::uint32_t>(be, blk, 8);
    if (id >= sec_count_) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, off() + 8, sec_count_, id));
        return false;
    }
    if (stats_.size() >= opt_.max_statistics) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::too_many, length_source::none, off(), opt_.max_statistics,
                                    stats_.size()));
        return false;
    }
    const std::uint32_t gi = sec_first_ + id;
    const if_fast& x = fast_[gi];
    const auto ticks = [&](bytes b, std::size_t at) noexcept {
        return (std::uint64_t{ldr<std::uint32_t>(be, b, at)} << 32) | ldr<std::uint32_t>(be, b, at + 4);
    };
    interface_statistics s;
    s.interface = gi;
    s.timestamp_ns = ticks_to_ns(x, ticks(blk, 12));
    const bool ok = options(be, blk, 20, [&](std::uint16_t code, bytes v, std::uint64_t) noexcept {
        if (code == option::comment) {
            s.comments.emplace_back(text(v));
            return true;
        }
        // Other options, and known ones of another size (as Wireshark), are skipped.
        if (code < option::isb_starttime || code > option::isb_usrdeliv || v.size() != 8) return true;
        switch (code) {
        case option::isb_starttime: s.start_ns = ticks_to_ns(x, ticks(v, 0)); break;
        case option::isb_endtime: s.end_ns = ticks_to_ns(x, ticks(v, 0)); break;
        case option::isb_ifrecv: s.received = ldr<std::uint64_t>(be, v, 0); break;
        case option::isb_ifdrop: s.dropped = ldr<std::uint64_t>(be, v, 0); break;
        case option::isb_filteraccept: s.filter_accepted = ldr<std::uint64_t>(be, v, 0); break;
        case option::isb_osdrop: s.os_dropped = ldr<std::uint64_t>(be, v, 0); break;
        case option::isb_usrdeliv: s.delivered = ldr<std::uint64_t>(be, v, 0); break;
        default: break;
        }
        return true;
    });
    if (!ok) return false;
    stats_.push_back(std::move(s));
    return true;
}

bool reader::impl::name_resolution(bool be, bytes blk) noexcept {
    // pcapng §4.5: records (type, length, value padded to 32 bits) up to
    // nrb_record_end, then options.
    if (blk.size() < nrb_min_len) {
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::record_length, off() + 4,
                                    nrb_min_len, blk.size()));
        return false;
    }
    const std::size_t end = blk.size() - 4;
    std::size_t p = 8;
    while (p <= end && end - p >= 4) {
        const std::uint16_t type = ldr<std::uint16_t>(be, blk, p);
        const std::uint16_t len = ldr<std::uint16_t>(be, blk, p + 2);
        if (type == option::nrb_record_end) break;
        if (len > end - p - 4) {
            fail(rawpkt::error::truncated(layer::pcapng, length_source::option_length, off() + p, 4u + len, end - p));
            return false;
        }
        if (type == option::nrb_record_ipv4 || type == option::nrb_record_ipv6) {
            const std::size_t alen = type == option::nrb_record_ipv4 ? 4 : 16;
            if (len < alen) {
                fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::option_length,
                                            off() + p, alen, len));
                return false;
            }
            if (names_.size() >= opt_.max_name_records) {
                fail(rawpkt::error::invalid(layer::pcapng, errc::too_many, length_source::none, off() + p,
                                            opt_.max_name_records, names_.size()));
                return false;
            }
            const bytes v = blk.subspan(p + 4, len);
            name_record r;
            r.ipv6 = type == option::nrb_record_ipv6;
            r.address.reserve(alen);
            for (std::size_t k = 0; k < alen; ++k) r.address.push_back(load_u8(v, k));
            // The names follow, each ending with a zero byte.
            std::size_t s = alen;
            while (s < v.size()) {
                std::size_t e = s;
                while (e < v.size() && v[e] != std::byte{0}) ++e;
                if (e > s) r.names.emplace_back(text(v.subspan(s, e - s)));
                s = e + 1;
            }
            names_.push_back(std::move(r));
        }
        p = std::min(end, p + 4 + pad4(len));
    }
    return true;
}

template <bool BE>
bool reader::impl::packet_block(bytes blk, bool obsolete, frame& f) noexcept {
    // pcapng §4.3 Enhanced Packet Block: interface id (32), timestamp high,
    // low, captured length, original length, data padded to 32 bits,
    // options. Appendix A Packet Block: interface id (16), drops count (16),
    // then the same.
    const std::size_t min_len = obsolete ? pb_min_len : epb_min_len;
    if (blk.size() < min_len) [[unlikely]] {
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::record_length, off() + 4,
                                    min_len, blk.size()));
        return false;
    }
    const std::uint32_t id = obsolete ? ld<BE, std::uint16_t>(blk, 8) : ld<BE, std::uint32_t>(blk, 8);
    if (id >= sec_count_) [[unlikely]] {
        fail(rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, off() + 8, sec_count_, id));
        return false;
    }
    const std::uint32_t caplen = ld<BE, std::uint32_t>(blk, 20);
    const std::size_t room = blk.size() - min_len;
    const std::uint32_t gi = sec_first_ + id;
    const if_fast& x = fast_[gi];
    if (caplen > room || caplen > opt_.max_captured_len ||
        (opt_.strict_snaplen && x.snaplen != 0 && caplen > x.snaplen)) [[unlikely]] {
        const std::size_t limit = caplen > opt_.max_captured_len ? opt_.max_captured_len
                                  : caplen > room                ? room
                                                                 : x.snaplen;
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::capture_length, off() + 20,
                                    limit, caplen));
        return false;
    }
    f = frame{};
    f.data = blk.subspan(28, caplen);
    f.timestamp_ns =
        ticks_to_ns(x, (std::uint64_t{ld<BE, std::uint32_t>(blk, 12)} << 32) | ld<BE, std::uint32_t>(blk, 16));
    f.original_len = ld<BE, std::uint32_t>(blk, 24);
    f.interface = gi;
    f.link = x.link;
    const std::size_t opt_start = 28 + pad4(caplen);
    if (blk.size() - 4 - opt_start >= 4) {
        // epb_flags (pack_flags in a Packet Block) and the first opt_comment.
        bool have_comment = false;
        return options(BE, blk, opt_start, [&](std::uint16_t code, bytes v, std::uint64_t at) noexcept {
            if (code == option::comment && !have_comment) {
                f.comment = text(v);
                have_comment = true;
            } else if (code == option::epb_flags) {
                if (v.size() != 4) {
                    fail(bad_option_len(at, 4, v.size()));
                    return false;
                }
                f.dir = direction_from_flags(ld<BE, std::uint32_t>(v, 0));
            }
            return true;
        });
    }
    return true;
}

template <bool BE>
bool reader::impl::simple_packet_block(bytes blk, frame& f) noexcept {
    // pcapng §4.4: original length, then data; the interface is the
    // section's first, the captured length min(original length, snaplen).
    if (blk.size() < spb_min_len) [[unlikely]] {
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::record_length, off() + 4,
                                    spb_min_len, blk.size()));
        return false;
    }
    if (sec_count_ == 0) [[unlikely]] {
        fail(rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::none, off(), 0, 0));
        return false;
    }
    const if_fast& x = fast_[sec_first_];
    const std::uint32_t orig = ld<BE, std::uint32_t>(blk, 8);
    const std::uint32_t caplen = x.snaplen != 0 && orig > x.snaplen ? x.snaplen : orig;
    const std::size_t room = blk.size() - spb_min_len;
    if (caplen > room || caplen > opt_.max_captured_len) [[unlikely]] {
        fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::capture_length, off() + 8,
                                    caplen > opt_.max_captured_len ? opt_.max_captured_len : room, caplen));
        return false;
    }
    f = frame{};
    f.data = blk.subspan(12, caplen);
    f.original_len = orig;
    f.interface = sec_first_;
    f.link = x.link;
    return true;
}

template <bool BE>
std::size_t reader::impl::read_ng(frame* out, std::size_t n0, std::size_t max, bool prime) noexcept {
    std::size_t count = 0;
    while (prime || n0 + count < max) {
        const bool may_move = n0 + count == 0;
        prefetch_ahead();
        if (wlen_ - pos_ < block_min_len) {
            const got g = need(block_min_len, may_move);
            if (g == got::blocked) break;
            if (g == got::short_input) {
                if (io_failed_) break;
                if (avail() == 0) {
                    finish();
                    break;
                }
                if (avail() < 8) {
                    fail(rawpkt::error::truncated(layer::pcapng, length_source::fixed_header, off(), block_min_len,
                                                  avail()));
                    break;
                }
            }
        }
        bytes blk = rest();
        const std::uint32_t type = ld<BE, std::uint32_t>(blk, 0);
        if (type == static_cast<std::uint32_t>(block_type::section_header)) [[unlikely]] {
            if (!section_header(may_move)) break;
            if (switched_) break; // the next section has the other byte order
            continue;
        }
        const std::uint32_t len = ld<BE, std::uint32_t>(blk, 4);
        if (len < block_min_len || len % 4 != 0 || len > opt_.max_block_len) [[unlikely]] {
            if (len < block_min_len)
                fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_small, length_source::record_length,
                                            off() + 4, block_min_len, len));
            else if (len % 4 != 0)
                fail(rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::record_length, off() + 4, 0,
                                            len));
            else
                fail(rawpkt::error::invalid(layer::pcapng, errc::length_too_large, length_source::record_length,
                                            off() + 4, opt_.max_block_len, len));
            break;
        }
        if (blk.size() < len) {
            const got g = need(len, may_move);
            if (g == got::blocked) break;
            if (g == got::short_input) {
                if (!io_failed_)
                    fail(rawpkt::error::truncated(layer::pcapng, length_source::record_length, off(), len, avail()));
                break;
            }
            blk = rest();
        }
        blk = blk.first(len);
        const std::uint32_t trailer = ld<BE, std::uint32_t>(blk, len - 4);
        if (trailer != len) [[unlikely]] {
            fail(rawpkt::error::invalid(layer::pcapng, errc::bad_value, length_source::record_length, off() + len - 4,
                                        len, trailer));
            break;
        }
        if (prime && is_packet_block(type)) break;
        bool ok = true;
        switch (static_cast<block_type>(type)) {
        case block_type::enhanced_packet:
            ok = packet_block<BE>(blk, false, out[n0 + count]);
            count += ok;
            break;
        case block_type::simple_packet:
            ok = simple_packet_block<BE>(blk, out[n0 + count]);
            count += ok;
            break;
        case block_type::packet:
            ok = packet_block<BE>(blk, true, out[n0 + count]);
            count += ok;
            break;
        case block_type::interface_description: ok = interface_description(BE, blk); break;
        case block_type::interface_statistics: ok = interface_stats(BE, blk); break;
        case block_type::name_resolution: ok = name_resolution(BE, blk); break;
        default: break; // §3.1: blocks rawpkt does not know are skipped by their length
        }
        if (!ok) break;
        pos_ += len;
    }
    frames_ += count;
    return count;
}

std::size_t reader::impl::read(frame* out, std::size_t max, bool prime) noexcept {
    std::size_t n = 0;
    for (;;) {
        switch (mode_) {
        case mode::pcap_le: return read_pcap<false>(out, max);
        case mode::pcap_be: return read_pcap<true>(out, max);
        case mode::ng_le: n += read_ng<false>(out, n, max, prime); break;
        case mode::ng_be: n += read_ng<true>(out, n, max, prime); break;
        case mode::done: return n;
        }
        if (!switched_) return n;
        switched_ = false;
    }
}

rawpkt::status reader::impl::start() noexcept {
    const got g = need(4, true);
    if (g != got::ok) {
        if (!io_failed_) fail(rawpkt::error::truncated(layer::pcap, length_source::fixed_header, off(), 4, avail()));
        return err_;
    }
    const std::uint32_t magic = load_be<std::uint32_t>(rest(), 0);
    if (magic == static_cast<std::uint32_t>(block_type::section_header)) {
        fmt_ = file_format::pcapng;
        mode_ = mode::ng_le;
        if (!section_header(true)) return err_;
        switched_ = false;
        // The interfaces and names before the first packet are there after
        // open(); an error among them is the reader's status, not open's.
        (void)read(nullptr, 0, true);
        return {};
    }
    if (!open_pcap(magic)) return err_;
    return {};
}

// --- reader ----------------------------------------------------------------

reader::reader(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
reader::reader(reader&&) noexcept = default;
reader& reader::operator=(reader&&) noexcept = default;
reader::~reader() = default;

namespace {
/// The options with the length limits brought within what the format
/// allows: a caller can lower a limit, never raise it past the constant.
reader_options within_limits(reader_options o) noexcept {
    o.max_captured_len = std::clamp<std::uint32_t>(o.max_captured_len, 1, max_captured_len);
    o.max_block_len =
        std::clamp<std::uint32_t>(o.max_block_len, static_cast<std::uint32_t>(block_min_len), max_block_len);
    return o;
}
} // namespace

result<reader> reader::from_memory(bytes data, const reader_options& options) noexcept {
    auto p = std::unique_ptr<impl>(new (std::nothrow) impl);
    if (!p) return os_error(ENOMEM);
    p->opt_ = within_limits(options);
    p->win_ = data.data();
    p->wlen_ = data.size();
    if (const rawpkt::status s = p->start(); !s) return s.error();
    return reader{std::move(p)};
}

namespace {
result<std::unique_ptr<reader::impl>> from_descriptor(int fd, bool own, const reader_options& options) noexcept {
    auto p = std::unique_ptr<reader::impl>(new (std::nothrow) reader::impl);
    if (!p) {
        if (own) ::close(fd);
        return os_error(ENOMEM);
    }
    p->opt_ = within_limits(options);
    p->fd_ = fd;
    p->own_fd_ = own;
    struct stat st {};
    if (::fstat(fd, &st) != 0) return os_error(errno);
    if (S_ISDIR(st.st_mode)) return os_error(EISDIR);
    if (S_ISREG(st.st_mode) && options.map_files) {
        const off_t at = ::lseek(fd, 0, SEEK_CUR);
        const std::uint64_t start = at > 0 ? static_cast<std::uint64_t>(at) : 0;
        const auto size = static_cast<std::uint64_t>(st.st_size);
        if (size <= start) {
            p->base_ = start;
            return p; // nothing to read: an empty window
        }
        if (size <= std::numeric_limits<std::size_t>::max()) {
            void* m = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (m != MAP_FAILED) {
                ::madvise(m, static_cast<std::size_t>(size), MADV_SEQUENTIAL);
                p->map_ = m;
                p->map_len_ = static_cast<std::size_t>(size);
                p->win_ = static_cast<const std::byte*>(m);
                p->wlen_ = static_cast<std::size_t>(size);
                p->pos_ = static_cast<std::size_t>(start);
                if (own) {
                    ::close(fd); // the mapping outlives the descriptor
                    p->fd_ = -1;
                    p->own_fd_ = false;
                }
                return p;
            }
        }
        p->base_ = start; // cannot map it: read it like a pipe
    } else if (S_ISREG(st.st_mode)) {
        const off_t at = ::lseek(fd, 0, SEEK_CUR);
        p->base_ = at > 0 ? static_cast<std::uint64_t>(at) : 0;
    }
    p->streaming_ = true;
    p->cap_ = std::clamp<std::size_t>(options.stream_buffer, 4096, std::size_t{p->opt_.max_block_len} + 64);
    p->buf_.reset(new (std::nothrow) std::byte[p->cap_]);
    if (!p->buf_) return os_error(ENOMEM);
    p->win_ = p->buf_.get();
    return p;
}
} // namespace

result<reader> reader::from_fd(int fd, const reader_options& options) noexcept {
    auto p = from_descriptor(fd, false, options);
    if (!p) return p.error();
    if (const rawpkt::status s = (*p)->start(); !s) return s.error();
    return reader{std::move(*p)};
}

result<reader> reader::open(const char* path, const reader_options& options) noexcept {
    if (path == nullptr) return os_error(EINVAL);
    if (std::strcmp(path, "-") == 0) return from_fd(STDIN_FILENO, options);
    int fd;
    do {
        fd = ::open(path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return os_error(errno);
    auto p = from_descriptor(fd, true, options);
    if (!p) return p.error();
    if (const rawpkt::status s = (*p)->start(); !s) return s.error();
    return reader{std::move(*p)};
}

result<reader> reader::open(const std::string& path, const reader_options& options) noexcept {
    return open(path.c_str(), options);
}

bool reader::next(frame& out) noexcept { return impl_ && impl_->read(&out, 1, false) == 1; }

std::size_t reader::next_batch(std::span<frame> out) noexcept {
    if (!impl_ || out.empty()) return 0;
    return impl_->read(out.data(), out.size(), false);
}

rawpkt::status reader::status() const noexcept {
    if (!impl_ || impl_->err_.code == errc::ok) return {};
    return impl_->err_;
}
bool reader::done() const noexcept { return !impl_ || impl_->mode_ == impl::mode::done; }
std::uint64_t reader::offset() const noexcept { return impl_ ? impl_->off() : 0; }
std::uint64_t reader::frames_read() const noexcept { return impl_ ? impl_->frames_ : 0; }
file_format reader::format() const noexcept { return impl_ ? impl_->fmt_ : file_format::pcap; }
time_precision reader::precision() const noexcept {
    return impl_ && impl_->fmt_ == file_format::pcap ? impl_->prec_ : time_precision::nano;
}
std::uint16_t reader::version_major() const noexcept {
    return impl_ && !impl_->secs_.empty() ? impl_->secs_.front().major : 0;
}
std::uint16_t reader::version_minor() const noexcept {
    return impl_ && !impl_->secs_.empty() ? impl_->secs_.front().minor : 0;
}
std::uint32_t reader::snaplen() const noexcept {
    return impl_ && !impl_->ifs_.empty() ? impl_->ifs_.front().snaplen : 0;
}
link_type reader::link() const noexcept {
    return impl_ && !impl_->ifs_.empty() ? impl_->ifs_.front().link : link_type::ethernet;
}
std::span<const interface_info> reader::interfaces() const noexcept {
    if (!impl_) return {};
    return impl_->ifs_;
}
std::span<const section_info> reader::sections() const noexcept {
    if (!impl_) return {};
    return impl_->secs_;
}
std::span<const interface_statistics> reader::statistics() const noexcept {
    if (!impl_) return {};
    return impl_->stats_;
}
std::span<const name_record> reader::names() const noexcept {
    if (!impl_) return {};
    return impl_->names_;
}

} // namespace rawpkt::pcap
