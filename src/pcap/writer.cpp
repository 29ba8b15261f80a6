// SPDX-License-Identifier: BSD-3-Clause
// Capture-file writer: pcap (draft-ietf-opsawg-pcap) and pcapng
// (draft-ietf-opsawg-pcapng). See include/rawpkt/pcap/writer.hpp.
#include <rawpkt/bytes.hpp>
#include <rawpkt/pcap/writer.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <new>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace rawpkt::pcap {

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
/// The largest |if_tsoffset| accepted: about 285 years, so that the offset
/// in nanoseconds fits an int64 with room to spare.
constexpr std::int64_t max_tsoffset_s = 9'000'000'000;
constexpr std::size_t max_option_len = 0xffff;  ///< pcapng §3.5: Option Length is 16 bits
constexpr std::uint32_t max_link_type = 0xffff; ///< pcap §4 Figure 2, pcapng §4.2: 16 bits
constexpr std::size_t vlan_tag_len = 4;

constexpr std::uint32_t pad4(std::size_t n) noexcept { return static_cast<std::uint32_t>((4 - (n & 3)) & 3); }

constexpr std::uint32_t to_u32(link_type l) noexcept { return static_cast<std::uint32_t>(l); }

/// pcapng §3.6.3: writers MUST write only valid UTF-8 (no overlong forms,
/// no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        const unsigned c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const unsigned cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return false;
        if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return false;
        i += len;
    }
    return true;
}

/// pcapng §3.5: a reader "MUST treat a zero-value octet as a string
/// terminator", so a string is written up to its first NUL: what every
/// reader would see of it anyway (C strings stored with a wrong length).
constexpr std::string_view until_nul(std::string_view s) noexcept { return s.substr(0, s.find('\0')); }

/// A string option's value must fit the 16-bit Option Length (§3.5) and be
/// UTF-8 (§3.6.3). `extra` counts bytes written in front of it (if_filter's
/// filter-type byte).
error check_string_option(std::string_view s, std::size_t extra = 0) noexcept {
    s = until_nul(s);
    if (s.size() > max_option_len - extra) {
        return error::invalid(layer::pcapng, errc::length_too_large, length_source::option_length, 0,
                              max_option_len - extra, s.size());
    }
    if (!valid_utf8(s)) return error::invalid(layer::pcapng, errc::bad_value, length_source::none, 0);
    return {};
}

/// Bytes a string option takes, header and padding included (0 when empty).
constexpr std::size_t string_option_len(std::string_view s, std::size_t extra = 0) noexcept {
    s = until_nul(s);
    return s.empty() ? 0 : 4 + s.size() + extra + pad4(s.size() + extra);
}

/// pcapng §4.3.1: bits 0-1 inbound (01) / outbound (10); bits 2-4
/// reception type: 001 unicast, 010 multicast, 011 broadcast, 100
/// promiscuous. 0: no epb_flags option.
constexpr std::uint32_t epb_flags_of(direction d) noexcept {
    switch (d) {
    case direction::unknown: return 0;
    case direction::host: return 0x1u | (1u << 2);
    case direction::multicast: return 0x1u | (2u << 2);
    case direction::broadcast: return 0x1u | (3u << 2);
    case direction::other_host: return 0x1u | (4u << 2);
    case direction::outgoing: return 0x2u;
    case direction::inbound: return 0x1u;
    }
    return 0;
}

std::string hex64(std::uint64_t v) {
    std::string s(16, '0');
    for (std::size_t i = 16; i-- > 0;) {
        s[i] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    }
    return s;
}

std::uint64_t mix64(std::uint64_t x) noexcept { // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/// Blocks SIGPIPE in this thread while writing to a pipe, and takes back
/// the SIGPIPE a write raised (unless one was already pending before):
/// a closed reader becomes EPIPE, never a dead process.
class sigpipe_guard {
public:
    explicit sigpipe_guard(bool active) noexcept : active_(active) {
        if (!active_) return;
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
        sigset_t pending;
        sigemptyset(&pending);
        was_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    }
    sigpipe_guard(const sigpipe_guard&) = delete;
    sigpipe_guard& operator=(const sigpipe_guard&) = delete;
    ~sigpipe_guard() {
        if (!active_) return;
        if (epipe_ && !was_pending_) {
            // Take the SIGPIPE back; sigwait() returns at once as it is pending.
            sigset_t pending;
            sigemptyset(&pending);
            if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
                int sig = 0;
                (void)sigwait(&pipe_, &sig);
            }
        }
        const int saved = errno;
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
        errno = saved;
    }
    void saw_epipe() noexcept { epipe_ = true; }

private:
    bool active_;
    bool was_pending_ = false;
    bool epipe_ = false;
    sigset_t pipe_{};
    sigset_t old_{};
};

layer layer_of(file_format f) noexcept { return f == file_format::pcap ? layer::pcap : layer::pcapng; }

error open_error(file_format f, int err) noexcept {
    errc code = errc::io;
    if (err == ENOENT || err == ENOTDIR) code = errc::not_found;
    if (err == EACCES || err == EPERM) code = errc::permission;
    error e = error::invalid(layer_of(f), code, length_source::none, 0);
    e.sys_errno = err;
    return e;
}

status validate(const writer_options& o) noexcept {
    const layer l = layer_of(o.format);
    // pcap §4: SnapLen MUST NOT be zero.
    if (o.snaplen == 0) {
        return error::invalid(l, errc::length_too_small, length_source::capture_length, 0, 1, 0);
    }
    if (o.snaplen > max_captured_len) {
        return error::invalid(l, errc::length_too_large, length_source::capture_length, 0, max_captured_len, o.snaplen);
    }
    if (o.format == file_format::pcap) {
        if (to_u32(o.link) > max_link_type) {
            return error::invalid(l, errc::bad_value, length_source::none, 0, max_link_type, to_u32(o.link));
        }
        return {};
    }
    for (const std::string* s : {&o.section_comment, &o.user_application, &o.os, &o.hardware}) {
        if (const error e = check_string_option(*s); e.code != errc::ok) return e;
    }
    return {};
}

/// A fresh, unique name next to `path` for atomic mode.
std::string temp_name_for(const std::string& path, std::uint64_t attempt) {
    static std::atomic<std::uint64_t> counter{0};
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    const std::uint64_t seed =
        mix64(static_cast<std::uint64_t>(getpid()) ^
              mix64(static_cast<std::uint64_t>(now.tv_nsec) ^ (static_cast<std::uint64_t>(now.tv_sec) << 30)) ^
              mix64(counter.fetch_add(1) + (attempt << 48)));
    const std::size_t slash = path.rfind('/');
    const std::size_t base_at = slash == std::string::npos ? 0 : slash + 1;
    return path.substr(0, base_at) + "." + path.substr(base_at) + ".rawpkt-" + hex64(seed);
}

/// fsync the directory holding `path` so that a rename survives a crash
/// (best effort: some file systems refuse fsync on directories).
void sync_directory_of(const std::string& path) noexcept {
    const std::size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? std::string(".") : path.substr(0, slash + 1);
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return;
    (void)::fsync(dfd);
    (void)::close(dfd);
}

} // namespace

// ---- opening ----

result<writer> writer::open(const std::string& path, const writer_options& options) {
    if (const status s = validate(options); !s) return s.error();
    if (path == "-") {
        if (options.atomic) {
            return error::invalid(layer_of(options.format), errc::unsupported, length_source::none, 0);
        }
        return start(STDOUT_FILENO, false, path, {}, options);
    }
    if (!options.atomic) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0) return open_error(options.format, errno);
        return start(fd, true, path, {}, options);
    }
    // Atomic mode: a directory at the target would only fail at rename time.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return open_error(options.format, EISDIR);
    if (path.empty() || path.back() == '/') return open_error(options.format, EISDIR);
    for (std::uint64_t attempt = 0; attempt < 100; ++attempt) {
        std::string temp = temp_name_for(path, attempt);
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) {
            if (errno == EEXIST) continue;
            return open_error(options.format, errno);
        }
        return start(fd, true, path, std::move(temp), options);
    }
    return open_error(options.format, EEXIST);
}

result<writer> writer::to_fd(int fd, const writer_options& options) {
    if (const status s = validate(options); !s) return s.error();
    if (options.atomic) return error::invalid(layer_of(options.format), errc::unsupported, length_source::none, 0);
    return start(fd, false, {}, {}, options);
}

result<writer> writer::start(int fd, bool owns_fd, std::string path, std::string temp_path,
                             const writer_options& options) {
    writer w;
    w.fd_ = fd;
    w.owns_fd_ = owns_fd;
    w.path_ = std::move(path);
    w.temp_path_ = std::move(temp_path);
    w.format_ = options.format;
    w.precision_ = options.precision;
    w.link_ = options.link;
    w.snaplen_ = options.snaplen;

    // How to write without SIGPIPE: sockets take MSG_NOSIGNAL, pipes and
    // FIFOs need the signal blocked around write().
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const error e = w.io_error(errno);
        w.fd_ = -1; // not a usable descriptor: nothing to close or flush
        w.discard();
        return e;
    }
#ifdef MSG_NOSIGNAL
    if (S_ISSOCK(st.st_mode)) w.sink_ = sink::socket;
#else
    if (S_ISSOCK(st.st_mode)) w.sink_ = sink::pipe;
#endif
    if (S_ISFIFO(st.st_mode)) w.sink_ = sink::pipe;

    if (options.buffer_size > 0) {
        w.buf_.reset(new (std::nothrow) std::byte[options.buffer_size]);
        if (!w.buf_) {
            const error e = w.io_error(ENOMEM);
            w.discard();
            return e;
        }
        w.capacity_ = options.buffer_size;
    }
    w.interfaces_.reserve(8);

    status s;
    if (w.format_ == file_format::pcap) {
        // pcap §4 File Header.
        std::array<std::byte, 24> h{};
        const mut_bytes b{h};
        store_le<std::uint32_t>(b, 0, w.precision_ == time_precision::nano ? magic::pcap_nano : magic::pcap_micro);
        store_le<std::uint16_t>(b, 4, 2); // major version
        store_le<std::uint16_t>(b, 6, 4); // minor version
        // 8, 12: Reserved1, Reserved2 = 0
        store_le<std::uint32_t>(b, 16, w.snaplen_);
        store_le<std::uint32_t>(b, 20, to_u32(w.link_)); // FCS len, R, P and Reserved3 = 0
        s = w.put(h.data(), h.size());
    } else {
        std::string os = options.os;
        std::string hardware = options.hardware;
        if (options.describe_host && (os.empty() || hardware.empty())) {
            utsname u{};
            if (::uname(&u) == 0) {
                if (os.empty()) os = std::string(u.sysname) + " " + u.release;
                if (hardware.empty()) hardware = u.machine;
            }
            if (!valid_utf8(os) || os.size() > max_option_len) os.clear();
            if (!valid_utf8(hardware) || hardware.size() > max_option_len) hardware.clear();
        }
        // pcapng §4.1 Section Header Block.
        struct opt {
            std::uint16_t code;
            std::string_view value;
        };
        const std::array<opt, 4> opts{{{option::comment, until_nul(options.section_comment)},
                                       {option::shb_hardware, until_nul(hardware)},
                                       {option::shb_os, until_nul(os)},
                                       {option::shb_userappl, until_nul(options.user_application)}}};
        std::size_t opts_len = 0;
        for (const opt& o : opts) opts_len += string_option_len(o.value);
        if (opts_len > 0) opts_len += 4; // opt_endofopt (§3.5)
        const auto total = static_cast<std::uint32_t>(28 + opts_len);
        std::array<std::byte, 24> h{};
        const mut_bytes b{h};
        store_le<std::uint32_t>(b, 0, static_cast<std::uint32_t>(block_type::section_header));
        store_le<std::uint32_t>(b, 4, total);
        store_le<std::uint32_t>(b, 8, magic::pcapng_byte_order);
        store_le<std::uint16_t>(b, 12, 1);                 // major version (§4.1: MUST be 1)
        store_le<std::uint16_t>(b, 14, 0);                 // minor version (MUST be 0)
        store_le<std::uint64_t>(b, 16, ~std::uint64_t{0}); // Section Length -1: not specified
        s = w.put(h.data(), h.size());
        static constexpr std::array<std::byte, 4> zeros{};
        for (const opt& o : opts) {
            if (!s || o.value.empty()) continue;
            std::array<std::byte, 4> oh{};
            store_le<std::uint16_t>(mut_bytes{oh}, 0, o.code);
            store_le<std::uint16_t>(mut_bytes{oh}, 2, static_cast<std::uint16_t>(o.value.size()));
            s = w.put(oh.data(), oh.size());
            if (s) s = w.put(o.value.data(), o.value.size());
            if (s) s = w.put(zeros.data(), pad4(o.value.size()));
        }
        std::array<std::byte, 8> tail{};
        std::size_t at = 0;
        if (opts_len > 0) at = 4; // opt_endofopt: code 0, length 0
        store_le<std::uint32_t>(mut_bytes{tail}, at, total);
        if (s) s = w.put(tail.data(), at + 4);
    }
    if (!s) {
        const error e = s.error();
        w.discard();
        return e;
    }
    return w;
}

// ---- life cycle ----

writer::writer(writer&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), owns_fd_(std::exchange(o.owns_fd_, false)), sink_(o.sink_), format_(o.format_),
      precision_(o.precision_), link_(o.link_), snaplen_(o.snaplen_), buf_(std::move(o.buf_)),
      capacity_(std::exchange(o.capacity_, 0)), used_(std::exchange(o.used_, 0)),
      error_(std::exchange(o.error_, error{})), written_(o.written_), packets_(o.packets_), truncated_(o.truncated_),
      last_(std::exchange(o.last_, 0)), interfaces_(std::move(o.interfaces_)), path_(std::move(o.path_)),
      temp_path_(std::move(o.temp_path_)) {
    o.interfaces_.clear();
    o.temp_path_.clear();
}

writer& writer::operator=(writer&& o) noexcept {
    if (this == &o) return *this;
    reset();
    fd_ = std::exchange(o.fd_, -1);
    owns_fd_ = std::exchange(o.owns_fd_, false);
    sink_ = o.sink_;
    format_ = o.format_;
    precision_ = o.precision_;
    link_ = o.link_;
    snaplen_ = o.snaplen_;
    buf_ = std::move(o.buf_);
    capacity_ = std::exchange(o.capacity_, 0);
    used_ = std::exchange(o.used_, 0);
    error_ = std::exchange(o.error_, error{});
    written_ = o.written_;
    packets_ = o.packets_;
    truncated_ = o.truncated_;
    last_ = std::exchange(o.last_, 0);
    interfaces_ = std::move(o.interfaces_);
    o.interfaces_.clear();
    path_ = std::move(o.path_);
    temp_path_ = std::move(o.temp_path_);
    o.temp_path_.clear();
    return *this;
}

writer::~writer() { reset(); }

void writer::reset() noexcept {
    if (!temp_path_.empty()) {
        discard(); // atomic mode without close(): nothing is committed
    } else if (fd_ >= 0) {
        (void)close();
    }
}

void writer::discard() noexcept {
    if (fd_ >= 0 && owns_fd_) (void)::close(fd_);
    fd_ = -1;
    if (!temp_path_.empty()) (void)::unlink(temp_path_.c_str());
    temp_path_.clear();
    used_ = 0;
    buf_.reset();
    capacity_ = 0;
}

status writer::state() const noexcept {
    if (error_.code != errc::ok) return error_;
    return {};
}

// ---- errors ----

layer writer::file_layer() const noexcept { return layer_of(format_); }

error writer::io_error(int err, std::uint64_t needed, std::uint64_t available) const noexcept {
    error e = error::invalid(file_layer(), errc::io, length_source::none, written_, needed, available);
    e.sys_errno = err;
    return e;
}

error writer::frame_error(errc code, length_source source, std::uint64_t needed,
                          std::uint64_t available) const noexcept {
    return error::invalid(file_layer(), code, source, written_ + used_, needed, available);
}

// ---- output ----

status writer::write_all(const std::byte* data, std::size_t n) noexcept {
    sigpipe_guard guard(sink_ == sink::pipe);
    while (n > 0) {
#ifdef MSG_NOSIGNAL
        const ssize_t r = sink_ == sink::socket ? ::send(fd_, data, n, MSG_NOSIGNAL) : ::write(fd_, data, n);
#else
        const ssize_t r = ::write(fd_, data, n);
#endif
        if (r > 0) {
            const auto done = static_cast<std::size_t>(r);
            data += done;
            n -= done;
            written_ += done;
            continue;
        }
        if (r == 0) { // no progress and no errno: a short write that would spin
            error_ = io_error(0, n, 0);
            return error_;
        }
        const int err = errno;
        if (err == EINTR) continue;
        if (err == EAGAIN || err == EWOULDBLOCK) { // a non-blocking descriptor: wait until it drains
            pollfd p{fd_, POLLOUT, 0};
            if (::poll(&p, 1, -1) >= 0 || errno == EINTR) continue;
            error_ = io_error(errno, n, 0);
            return error_;
        }
        if (err == EPIPE) guard.saw_epipe();
        error_ = io_error(err, n, 0);
        return error_;
    }
    return {};
}

status writer::drain() noexcept {
    if (used_ == 0) return {};
    const std::size_t n = used_;
    used_ = 0; // on failure the bytes are lost and the error sticks
    return write_all(buf_.get(), n);
}

status writer::put(const void* data, std::size_t n) noexcept {
    if (error_.code != errc::ok) return error_;
    if (n == 0) return {};
    if (n <= capacity_ - used_) {
        std::memcpy(buf_.get() + used_, data, n);
        used_ += n;
        return {};
    }
    if (const status s = drain(); !s) return s;
    if (n < capacity_) {
        std::memcpy(buf_.get(), data, n);
        used_ = n;
        return {};
    }
    return write_all(static_cast<const std::byte*>(data), n);
}

status writer::flush() noexcept {
    if (error_.code != errc::ok) return error_;
    if (fd_ < 0) return io_error(EBADF);
    return drain();
}

status writer::close() noexcept {
    if (fd_ < 0) return state();
    status s = state();
    if (s) s = drain();
    const int fd = std::exchange(fd_, -1);
    if (!temp_path_.empty()) {
        // Atomic mode: the data reaches the disk before the name does.
        if (s && ::fsync(fd) != 0) s = error_ = io_error(errno);
        if (::close(fd) != 0 && errno != EINTR && s) s = error_ = io_error(errno);
        if (s && ::rename(temp_path_.c_str(), path_.c_str()) != 0) s = error_ = io_error(errno);
        if (s) {
            sync_directory_of(path_);
        } else {
            (void)::unlink(temp_path_.c_str());
        }
        temp_path_.clear();
    } else if (owns_fd_) {
        // close() may report a deferred write error (NFS); on Linux the
        // descriptor is gone even with EINTR.
        if (::close(fd) != 0 && errno != EINTR && s) s = error_ = io_error(errno);
    }
    owns_fd_ = false;
    buf_.reset();
    capacity_ = 0;
    used_ = 0;
    return s;
}

// ---- interfaces ----

result<std::uint32_t> writer::add_interface(const interface_info& info) noexcept {
    return describe(info, static_cast<std::uint32_t>(interfaces_.size()), false);
}

result<std::uint32_t> writer::add_interface(const interface_info& info, std::uint32_t frame_interface) noexcept {
    return describe(info, frame_interface, true);
}

const writer::iface* writer::find(std::uint32_t frame_interface, link_type link) noexcept {
    if (last_ < interfaces_.size()) {
        const iface& i = interfaces_[last_];
        if (i.frame_interface == frame_interface && i.link == link) return &i;
    }
    for (std::size_t k = 0; k < interfaces_.size(); ++k) {
        const iface& i = interfaces_[k];
        if (i.frame_interface == frame_interface && i.link == link) {
            last_ = k;
            return &i;
        }
    }
    return nullptr;
}

result<std::uint32_t> writer::describe(const interface_info& info, std::uint32_t frame_interface,
                                       bool explicit_key) noexcept {
    if (error_.code != errc::ok) return error_;
    if (fd_ < 0) return io_error(EBADF);
    if (format_ == file_format::pcap) {
        // pcap §4: one link type per file, in the file header.
        if (info.link != link_)
            return frame_error(errc::bad_value, length_source::none, to_u32(link_), to_u32(info.link));
        return std::uint32_t{0};
    }
    if (to_u32(info.link) > max_link_type) {
        return frame_error(errc::bad_value, length_source::none, max_link_type, to_u32(info.link));
    }
    // if_tsresol (§4.2): rawpkt writes powers of ten from 10^0 to 10^9.
    std::uint8_t tsresol = 0;
    std::uint32_t ns_per_tick = 1'000'000'000;
    for (std::uint64_t tps = 1; tps != info.ticks_per_second; tps *= 10, ns_per_tick /= 10, ++tsresol) {
        if (tsresol == 9) {
            return frame_error(errc::unsupported, length_source::none, 1'000'000'000, info.ticks_per_second);
        }
    }
    if (info.tsoffset_s > max_tsoffset_s || info.tsoffset_s < -max_tsoffset_s) {
        return frame_error(errc::unsupported, length_source::none, 0, 0);
    }
    for (const std::string* s : {&info.name, &info.description, &info.os, &info.hardware}) {
        error e = check_string_option(*s);
        if (e.code != errc::ok) {
            e.offset = written_ + used_;
            return e;
        }
    }
    if (error e = check_string_option(info.filter, 1); e.code != errc::ok) {
        e.offset = written_ + used_;
        return e;
    }
    if (!explicit_key) frame_interface = static_cast<std::uint32_t>(interfaces_.size());
    if (find(frame_interface, info.link) != nullptr) {
        return frame_error(errc::bad_value, length_source::none, 0, frame_interface);
    }
    if (interfaces_.size() >= 0xffffffffu) return frame_error(errc::too_many, length_source::none, 0xffffffffu, 0);

    // pcapng §4.2 Interface Description Block; options in code order.
    const std::string_view name = until_nul(info.name);
    const std::string_view description = until_nul(info.description);
    const std::string_view filter = until_nul(info.filter);
    const std::string_view os = until_nul(info.os);
    const std::string_view hardware = until_nul(info.hardware);
    const bool write_tsresol = tsresol != 6; // absent means 10^-6
    std::size_t opts_len = string_option_len(name) + string_option_len(description) + string_option_len(filter, 1) +
                           string_option_len(os) + string_option_len(hardware);
    if (write_tsresol) opts_len += 8;
    if (info.fcslen) opts_len += 8;
    if (info.tsoffset_s != 0) opts_len += 12;
    if (opts_len > 0) opts_len += 4; // opt_endofopt (§3.5)
    const auto total = static_cast<std::uint32_t>(20 + opts_len);

    std::array<std::byte, 16> h{};
    store_le<std::uint32_t>(mut_bytes{h}, 0, static_cast<std::uint32_t>(block_type::interface_description));
    store_le<std::uint32_t>(mut_bytes{h}, 4, total);
    store_le<std::uint16_t>(mut_bytes{h}, 8, static_cast<std::uint16_t>(to_u32(info.link)));
    // 10: Reserved = 0
    store_le<std::uint32_t>(mut_bytes{h}, 12, info.snaplen); // 0: no limit
    status s = put(h.data(), h.size());

    static constexpr std::array<std::byte, 4> zeros{};
    // One option (§3.5): code, length, value padded to 32 bits. `type` is
    // if_filter's leading filter-type byte (0: a libpcap filter string).
    const auto put_option = [&](std::uint16_t code, const void* value, std::size_t len, bool type = false) {
        if (!s || (len == 0 && !type)) return;
        const std::size_t extra = type ? 1 : 0;
        std::array<std::byte, 5> oh{};
        store_le<std::uint16_t>(mut_bytes{oh}, 0, code);
        store_le<std::uint16_t>(mut_bytes{oh}, 2, static_cast<std::uint16_t>(len + extra));
        s = put(oh.data(), 4 + extra);
        if (s) s = put(value, len);
        if (s) s = put(zeros.data(), pad4(len + extra));
    };
    put_option(option::if_name, name.data(), name.size());
    put_option(option::if_description, description.data(), description.size());
    if (write_tsresol) put_option(option::if_tsresol, &tsresol, 1);
    if (!filter.empty()) put_option(option::if_filter, filter.data(), filter.size(), true);
    put_option(option::if_os, os.data(), os.size());
    if (info.fcslen) put_option(option::if_fcslen, &*info.fcslen, 1);
    if (info.tsoffset_s != 0) {
        std::array<std::byte, 8> v{};
        store_le<std::uint64_t>(mut_bytes{v}, 0, static_cast<std::uint64_t>(info.tsoffset_s));
        put_option(option::if_tsoffset, v.data(), v.size());
    }
    put_option(option::if_hardware, hardware.data(), hardware.size());
    std::array<std::byte, 8> tail{};
    const std::size_t end_at = opts_len > 0 ? 4 : 0; // opt_endofopt: code 0, length 0
    store_le<std::uint32_t>(mut_bytes{tail}, end_at, total);
    if (s) s = put(tail.data(), end_at + 4);
    if (!s) return s.error();

    const std::uint32_t cut = info.snaplen == 0 || info.snaplen > snaplen_ ? snaplen_ : info.snaplen;
    interfaces_.push_back({frame_interface, info.link, cut, ns_per_tick, info.tsoffset_s});
    return static_cast<std::uint32_t>(interfaces_.size() - 1);
}

// ---- frames ----

status writer::write(const frame& f) noexcept {
    if (error_.code != errc::ok) return error_;
    if (fd_ < 0) return io_error(EBADF);

    const iface* ifc = nullptr;
    std::uint32_t cut = snaplen_;
    if (format_ == file_format::pcap) {
        // pcap §4: the file header's link type covers every record.
        if (f.link != link_) return frame_error(errc::bad_value, length_source::none, to_u32(link_), to_u32(f.link));
    } else {
        ifc = find(f.interface, f.link);
        if (ifc == nullptr) {
            interface_info info;
            info.link = f.link;
            info.snaplen = snaplen_;
            info.ticks_per_second = precision_ == time_precision::nano ? 1'000'000'000 : 1'000'000;
            const auto id = describe(info, f.interface, true);
            if (!id) return id.error();
            ifc = &interfaces_[*id];
            last_ = *id;
        }
        cut = ifc->snaplen;
    }

    // A VLAN tag kept aside goes back where libpcap puts it.
    std::size_t vlan_at = 0;
    bool vlan = false;
    if (f.vlan_tpid != 0) {
        if (f.link == link_type::ethernet && f.data.size() >= 12) {
            vlan = true;
            vlan_at = 12; // after the destination and source MAC addresses
        } else if (f.link == link_type::linux_sll && f.data.size() >= 14) {
            vlan = true;
            vlan_at = 14; // before the SLL protocol field
        }
    }
    const std::uint64_t full = f.data.size() + (vlan ? vlan_tag_len : 0);
    const auto captured = static_cast<std::uint32_t>(full < cut ? full : cut);
    std::uint64_t original = std::uint64_t{f.original_len} + (vlan ? vlan_tag_len : 0);
    if (original < full) original = full; // pcap §5 / pcapng §4.3: not below the captured length
    if (original > 0xffffffffu) original = 0xffffffffu;

    static constexpr std::array<std::byte, 4> zeros{};
    const std::uint32_t flags = epb_flags_of(f.dir);
    const std::string_view comment = until_nul(f.comment); // pcapng only
    std::uint32_t total = 0;                               // pcapng Block Total Length
    status s;
    if (format_ == file_format::pcap) {
        // pcap §5 Packet Record: seconds (unsigned 32 bits) and µs or ns.
        if (f.timestamp_ns < 0) return frame_error(errc::bad_value, length_source::none, 0, 0);
        const std::int64_t sec = f.timestamp_ns / ns_per_s;
        if (sec > 0xffffffff)
            return frame_error(errc::bad_value, length_source::none, 0xffffffffu, static_cast<std::uint64_t>(sec));
        const std::int64_t sub = f.timestamp_ns % ns_per_s;
        std::array<std::byte, 16> h{};
        const mut_bytes b{h};
        store_le<std::uint32_t>(b, 0, static_cast<std::uint32_t>(sec));
        store_le<std::uint32_t>(b, 4,
                                static_cast<std::uint32_t>(precision_ == time_precision::nano ? sub : sub / 1000));
        store_le<std::uint32_t>(b, 8, captured);
        store_le<std::uint32_t>(b, 12, static_cast<std::uint32_t>(original));
        s = put(h.data(), h.size());
    } else {
        // pcapng §4.3 Enhanced Packet Block.
        std::int64_t offset_ns = 0;
        std::int64_t ns = 0;
        if (__builtin_mul_overflow(ifc->offset_s, ns_per_s, &offset_ns) ||
            __builtin_sub_overflow(f.timestamp_ns, offset_ns, &ns) || ns < 0) {
            return frame_error(errc::bad_value, length_source::none, 0, 0);
        }
        const std::uint64_t ticks = static_cast<std::uint64_t>(ns) / ifc->ns_per_tick;
        if (comment.size() > max_option_len) {
            return frame_error(errc::length_too_large, length_source::option_length, max_option_len, comment.size());
        }
        if (!valid_utf8(comment)) return frame_error(errc::bad_value, length_source::none, 0, 0);
        std::size_t opts_len = string_option_len(comment);
        if (flags != 0) opts_len += 8;
        if (opts_len > 0) opts_len += 4; // opt_endofopt
        total = static_cast<std::uint32_t>(32 + captured + pad4(captured) + opts_len);

        std::array<std::byte, 28> h{};
        const mut_bytes b{h};
        store_le<std::uint32_t>(b, 0, static_cast<std::uint32_t>(block_type::enhanced_packet));
        store_le<std::uint32_t>(b, 4, total);
        store_le<std::uint32_t>(b, 8, static_cast<std::uint32_t>(ifc - interfaces_.data()));
        store_le<std::uint32_t>(b, 12, static_cast<std::uint32_t>(ticks >> 32)); // timestamp, upper 32 bits
        store_le<std::uint32_t>(b, 16, static_cast<std::uint32_t>(ticks));       // lower 32 bits
        store_le<std::uint32_t>(b, 20, captured);
        store_le<std::uint32_t>(b, 24, static_cast<std::uint32_t>(original));
        s = put(h.data(), h.size());
    }

    // The captured bytes, with the VLAN tag put back, cut to `captured`.
    std::size_t left = captured;
    const auto put_part = [&](const void* p, std::size_t n) {
        if (n > left) n = left;
        if (s) s = put(p, n);
        left -= n;
    };
    if (vlan) {
        std::array<std::byte, vlan_tag_len> tag{};
        store_be<std::uint16_t>(mut_bytes{tag}, 0, f.vlan_tpid);
        store_be<std::uint16_t>(mut_bytes{tag}, 2, f.vlan_tci);
        put_part(f.data.data(), vlan_at);
        put_part(tag.data(), tag.size());
        put_part(f.data.data() + vlan_at, f.data.size() - vlan_at);
    } else {
        put_part(f.data.data(), f.data.size());
    }

    if (format_ == file_format::pcapng) {
        if (s) s = put(zeros.data(), pad4(captured)); // Packet Data is padded to 32 bits
        if (!comment.empty()) {
            std::array<std::byte, 4> ch{};
            store_le<std::uint16_t>(mut_bytes{ch}, 0, option::comment);
            store_le<std::uint16_t>(mut_bytes{ch}, 2, static_cast<std::uint16_t>(comment.size()));
            if (s) s = put(ch.data(), ch.size());
            if (s) s = put(comment.data(), comment.size());
            if (s) s = put(zeros.data(), pad4(comment.size()));
        }
        std::array<std::byte, 16> t{}; // epb_flags, opt_endofopt, Block Total Length
        std::size_t n = 0;
        if (flags != 0) {
            store_le<std::uint16_t>(mut_bytes{t}, 0, option::epb_flags);
            store_le<std::uint16_t>(mut_bytes{t}, 2, 4);
            store_le<std::uint32_t>(mut_bytes{t}, 4, flags);
            n = 8;
        }
        if (flags != 0 || !comment.empty()) n += 4; // opt_endofopt: code 0, length 0
        store_le<std::uint32_t>(mut_bytes{t}, n, total);
        if (s) s = put(t.data(), n + 4);
    }
    if (!s) return s;
    ++packets_;
    if (captured < full) ++truncated_;
    return {};
}

} // namespace rawpkt::pcap
