// SPDX-License-Identifier: BSD-3-Clause
// datalink::receiver: the frame table and one visit of the backend per
// block or batch.
#include "impl.hpp"

#include <utility>

namespace rawpkt::datalink {

using detail::rx_impl;

void detail::rx_impl_deleter::operator()(rx_impl* p) const noexcept { delete p; }

receiver::receiver() noexcept = default;
receiver::~receiver() = default;
receiver::receiver(receiver&& o) noexcept
    : frames_(std::exchange(o.frames_, nullptr)), pos_(std::exchange(o.pos_, 0)), count_(std::exchange(o.count_, 0)),
      impl_(std::move(o.impl_)) {}
receiver& receiver::operator=(receiver&& o) noexcept {
    if (this != &o) {
        frames_ = std::exchange(o.frames_, nullptr);
        pos_ = std::exchange(o.pos_, 0);
        count_ = std::exchange(o.count_, 0);
        impl_ = std::move(o.impl_);
    }
    return *this;
}

namespace {
// One visit of the backend per block or batch.
result<std::span<const frame>> fetch(rx_impl& r, timeout wait) {
    return std::visit([&](auto& b) { return b.fetch(r.frames, r.setup, wait); }, r.be);
}
} // namespace

result<const frame*> receiver::next_slow(timeout wait) {
    if (!impl_) return detail::disabled();
    pos_ = count_ = 0;
    const auto batch = fetch(*impl_, wait);
    if (!batch) return batch.error();
    if (batch->empty()) return static_cast<const frame*>(nullptr);
    frames_ = batch->data();
    count_ = batch->size();
    pos_ = 1;
    return &frames_[0];
}

result<std::span<const frame>> receiver::next_batch(timeout wait) {
    if (!impl_) return detail::disabled();
    if (pos_ < count_) {
        const std::span<const frame> rest{frames_ + pos_, count_ - pos_};
        pos_ = count_;
        return rest;
    }
    pos_ = count_ = 0;
    const auto batch = fetch(*impl_, wait);
    if (!batch) return batch.error();
    frames_ = batch->data();
    count_ = pos_ = batch->size();
    return *batch;
}

status receiver::set_filter(const datalink::filter& f, std::string* message) {
    if (!impl_) return detail::disabled();
    // A filter that does not compile changes nothing.
    const status s = std::visit([&](auto& b) { return b.set_filter(f, impl_->setup, message); }, impl_->be);
    // Live: what is left of the current block or batch was given back
    // unread (it passed the old filter). A file or a memory port loses no
    // frame: the rest of the batch comes out as it was.
    const bool live = impl_->kind == datalink::backend::ring || impl_->kind == datalink::backend::socket ||
                      impl_->kind == datalink::backend::pcap || impl_->kind == datalink::backend::xdp;
    if (s && live) pos_ = count_ = 0;
    return s;
}

result<rx_stats> receiver::stats() {
    if (!impl_) return detail::disabled();
    if (const status s = std::visit([&](auto& b) { return b.read_stats(impl_->total); }, impl_->be); !s) {
        return s.error();
    }
    return impl_->total;
}

int receiver::native_handle() const noexcept { return impl_ ? impl_->fd() : -1; }
backend receiver::backend() const noexcept { return impl_ ? impl_->kind : backend::ring; }
link_type receiver::link() const noexcept { return impl_ ? impl_->setup.link : link_type::ethernet; }

const pcap::reader* receiver::file() const noexcept {
    if (!impl_) return nullptr;
    const auto* r = std::get_if<detail::replay_rx>(&impl_->be);
    return r != nullptr ? &r->reader() : nullptr;
}

} // namespace rawpkt::datalink
