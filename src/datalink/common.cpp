// SPDX-License-Identifier: BSD-3-Clause
// Pieces every datalink backend shares.
#include "common.hpp"

#include <cerrno>
#include <ctime>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rawpkt::datalink::detail {

unique_fd::~unique_fd() {
    if (fd_ >= 0) ::close(fd_);
}

unique_fd& unique_fd::operator=(unique_fd&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.release();
    }
    return *this;
}

deadline::deadline(timeout t) noexcept : forever_(t.count() < 0) {
    if (!forever_) end_ = std::chrono::steady_clock::now() + t;
}

int deadline::poll_ms() const noexcept {
    if (forever_) return -1;
    const auto left = end_ - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return 0;
    // Round up, so that a wait never ends early and spins.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
}

result<bool> wait_readable(int fd, const deadline& d, step s) {
    pollfd p{fd, POLLIN | POLLRDNORM, 0};
    const int rc = ::poll(&p, 1, d.poll_ms());
    if (rc < 0) {
        if (errno == EINTR) return false;
        return from_errno(s, errno);
    }
    if (rc == 0) return false;
    if ((p.revents & POLLERR) != 0) {
        // The socket's pending error, e.g. ENETDOWN when the interface went
        // down; reading it clears it.
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0) return from_errno(s, err);
    }
    return true;
}

namespace {
std::int64_t clock_ns(clockid_t c) noexcept {
    timespec t{};
    ::clock_gettime(c, &t);
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}
} // namespace

std::int64_t monotonic_ns() noexcept { return clock_ns(CLOCK_MONOTONIC); }
std::int64_t realtime_ns() noexcept { return clock_ns(CLOCK_REALTIME); }

result<std::vector<bpf_instruction>> user_space_program(const filter& f, link_type link, std::string* message) {
    if (f.empty()) return std::vector<bpf_instruction>{};
    if (f.is_program()) {
        if (const status ok = check_program(f.program()); !ok) return ok.error();
        return f.program();
    }
    // The largest snaplen: a filter does not cut frames unless its program
    // says so.
    return compile_filter(f.expression(), link, 262144, message);
}

status check_frame(const tx_setup& s, const std::byte* frame, std::size_t len) noexcept {
    if (len < s.link_header_len || len == 0) {
        return make_error(errc::length_too_small, step::send, 0, s.link_header_len, len);
    }
    if (len > s.untagged_max) {
        // Longer than the MTU allows is fine only for a VLAN-tagged frame.
        const unsigned type = s.ethernet && len >= 14
                                  ? (std::to_integer<unsigned>(frame[12]) << 8 | std::to_integer<unsigned>(frame[13]))
                                  : 0;
        if (type != 0x8100 && type != 0x88a8 && type != 0x9100) {
            return make_error(errc::length_too_large, step::send, 0, s.untagged_max, len);
        }
    }
    return {};
}

void nap_ms(int ms) noexcept { ::poll(nullptr, 0, ms); }

} // namespace rawpkt::datalink::detail
