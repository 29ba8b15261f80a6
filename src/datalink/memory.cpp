// SPDX-License-Identifier: BSD-3-Clause
// The in-memory backend: frames a test pushes come out of the receiver,
// frames the sender sends are recorded for the test.
//
// The receiver and the port share an inbox (bytes back to back plus one
// record per frame) under a mutex. A receive call swaps the inbox with the
// buffers of the batch it handed out before, so that both keep their
// capacity: once they have grown to the largest batch, pushing and
// receiving allocate nothing. An eventfd, readable while the inbox holds
// frames or the port is closed, lets a receiver wait and a caller poll.
#include "impl.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace rawpkt::datalink {

namespace detail {

namespace {
constexpr std::uint32_t max_len = 262144;
constexpr std::size_t align16(std::size_t n) noexcept { return (n + 15) / 16 * 16; }
} // namespace

void frame_store::append(const frame& f, std::uint32_t snaplen) {
    record r;
    r.meta = f;
    r.meta.data = {};
    r.meta.comment = {};
    r.data_len = static_cast<std::uint32_t>(std::min<std::size_t>(f.data.size(), snaplen));
    if (r.meta.original_len < f.data.size()) r.meta.original_len = static_cast<std::uint32_t>(f.data.size());
    r.comment_len = static_cast<std::uint32_t>(std::min<std::size_t>(f.comment.size(), 0xffffffffu));
    // 16-byte aligned, as frames in a ring are.
    r.data_at = align16(bytes.size());
    r.comment_at = r.data_at + align16(r.data_len);
    bytes.resize(r.comment_at + r.comment_len);
    if (r.data_len > 0) std::memcpy(bytes.data() + r.data_at, f.data.data(), r.data_len);
    if (r.comment_len > 0) std::memcpy(bytes.data() + r.comment_at, f.comment.data(), r.comment_len);
    records.push_back(r);
}

void memory_state::signal() noexcept {
    const std::uint64_t one = 1;
    (void)!::write(event.get(), &one, sizeof one);
}

void memory_state::unsignal() noexcept {
    std::uint64_t v = 0;
    (void)!::read(event.get(), &v, sizeof v);
}

// ---- receive ----

memory_rx::memory_rx(std::shared_ptr<memory_state> s, std::vector<bpf_instruction> program)
    : state_(std::move(s)), program_(std::move(program)) {}

result<std::span<const frame>> memory_rx::fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait) {
    const deadline d(wait);
    for (;;) {
        bool closed = false;
        {
            const std::lock_guard<std::mutex> lock(state_->m);
            // The batch handed out before becomes the (empty) inbox.
            std::swap(current_, state_->inbox);
            state_->inbox.clear();
            closed = state_->closed;
            if (!closed) state_->unsignal();
        }
        if (frames.size() < current_.records.size()) frames.resize(current_.records.size());
        std::size_t n = 0;
        for (const frame_store::record& r : current_.records) {
            frame f = r.meta;
            f.data = bytes{current_.bytes.data() + r.data_at, r.data_len};
            f.comment =
                std::string_view{reinterpret_cast<const char*>(current_.bytes.data() + r.comment_at), r.comment_len};
            if (!program_.empty()) {
                if (f.link != s.link) continue;
                const std::uint32_t keep = run_program(program_, f.data, f.original_len);
                if (keep == 0) continue;
                f.data = f.data.first(keep);
            }
            frames[n++] = f;
        }
        if (n > 0) {
            handed_ += n;
            return std::span<const frame>{frames.data(), n};
        }
        if (closed) return end_of_input;
        if (wait.count() == 0 || d.passed()) return std::span<const frame>{};
        const auto ready = wait_readable(state_->event.get(), d);
        if (!ready) return ready.error();
        if (!*ready) return std::span<const frame>{};
    }
}

status memory_rx::set_filter(const filter& f, const rx_setup& s, std::string* message) {
    auto prog = user_space_program(f, s.link, message);
    if (!prog) return prog.error();
    program_ = std::move(*prog);
    return {};
}

status memory_rx::read_stats(rx_stats& total) {
    const std::lock_guard<std::mutex> lock(state_->m);
    total.received = handed_;
    total.dropped = state_->dropped;
    return {};
}

// ---- send ----

memory_tx::memory_tx(std::shared_ptr<memory_state> s, std::uint32_t slot_size, std::uint32_t batch)
    : state_(std::move(s)), slot_size_(slot_size), batch_(batch), stride_(align16(slot_size)),
      buffers_(stride_ * batch), offsets_(batch), lengths_(batch) {}

result<mut_bytes> memory_tx::acquire(tx_setup& s, tx_stats& st, std::size_t len) {
    if (len > slot_size_) return make_error(errc::length_too_large, step::send, 0, slot_size_, len);
    if (count_ == batch_) {
        if (const status f = flush(s, st); !f) return f.error();
    }
    return mut_bytes{buffers_.data() + count_ * stride_, len};
}

status memory_tx::commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len) {
    const std::byte* base = buffers_.data() + count_ * stride_ + offset;
    if (const status ok = check_frame(s, base, len); !ok) return ok;
    offsets_[count_] = static_cast<std::uint32_t>(offset);
    lengths_[count_] = static_cast<std::uint32_t>(len);
    ++count_;
    if (count_ >= s.batch || count_ == batch_) return flush(s, st);
    return {};
}

status memory_tx::flush(tx_setup&, tx_stats& st) {
    if (count_ == 0) return {};
    {
        const std::lock_guard<std::mutex> lock(state_->m);
        for (std::uint32_t i = 0; i < count_; ++i) {
            const std::byte* f = buffers_.data() + i * stride_ + offsets_[i];
            const std::size_t at = state_->sent_bytes.size();
            state_->sent_bytes.insert(state_->sent_bytes.end(), f, f + lengths_[i]);
            state_->sent.emplace_back(at, lengths_[i]);
        }
    }
    st.sent += count_;
    ++st.syscalls;
    count_ = 0;
    return {};
}

} // namespace detail

// ---- the port ----

namespace {
error not_connected() noexcept { return make_error(errc::unsupported, step::disabled); }
} // namespace

status memory_port::push(bytes data) {
    frame f;
    f.data = data;
    f.original_len = static_cast<std::uint32_t>(std::min<std::size_t>(data.size(), 0xffffffffu));
    f.timestamp_ns = detail::realtime_ns();
    if (state_) {
        f.link = state_->cfg.link;
        f.interface = state_->cfg.ifindex;
    }
    return push(f);
}

status memory_port::push(const frame& f) {
    if (!state_) return not_connected();
    detail::memory_state& s = *state_;
    const std::lock_guard<std::mutex> lock(s.m);
    if (!s.has_receiver) return not_connected();
    if (s.closed) return end_of_input;
    if (s.cfg.capacity != 0 && s.inbox.records.size() >= s.cfg.capacity) {
        ++s.dropped;
        return make_error(errc::no_room, step::receive, 0, s.cfg.capacity, s.inbox.records.size());
    }
    const bool was_empty = s.inbox.records.empty();
    s.inbox.append(f, s.cfg.snaplen);
    if (was_empty) s.signal();
    return {};
}

void memory_port::close() {
    if (!state_) return;
    const std::lock_guard<std::mutex> lock(state_->m);
    if (state_->closed) return;
    state_->closed = true;
    if (state_->inbox.records.empty()) state_->signal();
}

std::size_t memory_port::pending() const {
    if (!state_) return 0;
    const std::lock_guard<std::mutex> lock(state_->m);
    return state_->inbox.records.size();
}

std::size_t memory_port::sent_count() const {
    if (!state_) return 0;
    const std::lock_guard<std::mutex> lock(state_->m);
    return state_->sent.size();
}

std::vector<std::byte> memory_port::sent(std::size_t i) const {
    if (!state_) return {};
    const std::lock_guard<std::mutex> lock(state_->m);
    if (i >= state_->sent.size()) return {};
    const auto [at, len] = state_->sent[i];
    const auto first = state_->sent_bytes.begin() + static_cast<std::ptrdiff_t>(at);
    return std::vector<std::byte>(first, first + static_cast<std::ptrdiff_t>(len));
}

std::vector<std::vector<std::byte>> memory_port::take_sent() {
    std::vector<std::vector<std::byte>> out;
    if (!state_) return out;
    const std::lock_guard<std::mutex> lock(state_->m);
    out.reserve(state_->sent.size());
    for (const auto& [at, len] : state_->sent) {
        const auto first = state_->sent_bytes.begin() + static_cast<std::ptrdiff_t>(at);
        out.emplace_back(first, first + static_cast<std::ptrdiff_t>(len));
    }
    state_->sent.clear();
    state_->sent_bytes.clear();
    return out;
}

void memory_port::clear_sent() {
    if (!state_) return;
    const std::lock_guard<std::mutex> lock(state_->m);
    state_->sent.clear();
    state_->sent_bytes.clear();
}

// ---- open ----

result<memory_channel> open_memory(const memory_config& c, std::string* message) {
    const auto fail = [&](const error& e, const std::string& detail = {}) -> result<memory_channel> {
        if (message != nullptr) {
            *message = describe(e, c.name);
            if (!detail.empty()) *message += ": " + detail;
        }
        return e;
    };
    if (!c.receive && !c.send) return fail(make_error(errc::bad_value, step::config_direction));
    if (c.mtu == 0 || c.mtu > detail::max_len)
        return fail(make_error(errc::bad_value, step::mtu, 0, detail::max_len, c.mtu));
    if (c.snaplen == 0 || c.snaplen > detail::max_len) {
        return fail(make_error(errc::bad_value, step::snaplen, 0, detail::max_len, c.snaplen));
    }
    if (c.tx_batch == 0) return fail(make_error(errc::bad_value, step::batch, 0, 1, 0));
    std::string detail;
    auto prog = detail::user_space_program(c.filter, c.link, &detail);
    if (!prog) return fail(prog.error(), detail);

    auto state = std::make_shared<detail::memory_state>(c);
    state->has_receiver = c.receive;
    memory_channel m;
    m.channel.link = c.link;
    m.channel.interface.name = c.name;
    m.channel.interface.index = c.ifindex;
    m.channel.interface.mtu = c.mtu;
    m.channel.interface.flags = iff::up | iff::running | iff::lower_up;
    if (c.link == link_type::ethernet) {
        m.channel.interface.flags |= iff::broadcast | iff::multicast;
        m.channel.interface.hardware_type = arphrd::ether;
    }
    if (c.receive) {
        state->event = detail::unique_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
        if (state->event.get() < 0) return fail(from_errno(step::socket, errno));
        detail::rx_setup setup;
        setup.link = c.link;
        setup.ifindex = c.ifindex;
        setup.snaplen = c.snaplen;
        auto* impl = new detail::rx_impl{setup, backend::memory, detail::memory_rx(state, std::move(*prog)), {}, {}};
        m.channel.rx = detail::rx_impl::wrap(impl);
    }
    if (c.send) {
        detail::tx_setup setup;
        setup.ethernet = c.link == link_type::ethernet;
        setup.link_header_len = setup.ethernet ? 14 : 0;
        setup.untagged_max = c.mtu + setup.link_header_len;
        setup.batch = c.tx_batch;
        const std::uint32_t slot = setup.untagged_max + (setup.ethernet ? 4u : 0u);
        // The queue holds a batch, up to 16 MiB of slots: beyond, frames are
        // handed over early.
        const std::uint32_t queue = std::clamp<std::uint32_t>((16u << 20) / slot, 1, c.tx_batch);
        auto* impl =
            new detail::tx_impl{std::move(setup), backend::memory, detail::memory_tx(state, slot, queue), {}, false};
        m.channel.tx = detail::tx_impl::wrap(impl);
    }
    m.port = detail::memory_state::port(std::move(state));
    return m;
}

} // namespace rawpkt::datalink
