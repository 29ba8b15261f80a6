// SPDX-License-Identifier: BSD-3-Clause
// datalink::sender: slots, checks and one switch over the backend per frame.
#include "impl.hpp"

#include <algorithm>
#include <cstring>

namespace rawpkt::datalink {

using detail::tx_impl;

void detail::tx_impl_deleter::operator()(tx_impl* p) const noexcept { delete p; }

sender::sender() noexcept = default;
namespace {
// Sends what is still queued before the socket closes, waiting at most a
// second.
void final_flush(sender& s, detail::tx_impl& t) noexcept {
    constexpr timeout most{1000};
    if (t.setup.send_timeout < timeout::zero() || t.setup.send_timeout > most) t.setup.send_timeout = most;
    (void)s.flush();
}
} // namespace

sender::~sender() {
    if (impl_) final_flush(*this, *impl_);
}
sender::sender(sender&&) noexcept = default;
sender& sender::operator=(sender&& o) noexcept {
    if (this != &o) {
        if (impl_) final_flush(*this, *impl_);
        impl_ = std::move(o.impl_);
    }
    return *this;
}

result<mut_bytes> sender::acquire(std::size_t len) {
    if (!impl_) return detail::disabled();
    tx_impl& t = *impl_;
    auto slot = std::visit([&](auto& b) { return b.acquire(t.setup, t.stats, len); }, t.be);
    t.acquired = static_cast<bool>(slot);
    return slot;
}

status sender::commit(mut_bytes slot, mut_bytes frame) {
    if (!impl_ || !impl_->acquired) return detail::disabled();
    tx_impl& t = *impl_;
    t.acquired = false;
    // The frame must lie inside the slot.
    const auto lo = reinterpret_cast<std::uintptr_t>(slot.data());
    const auto at = reinterpret_cast<std::uintptr_t>(frame.data());
    if (frame.empty() || at < lo || at - lo + frame.size() > slot.size()) {
        return make_error(errc::length_too_small, step::send, 0, 1, frame.size());
    }
    const std::size_t offset = at - lo;
    return std::visit([&](auto& b) { return b.commit(t.setup, t.stats, offset, frame.size()); }, t.be);
}

void sender::cancel() noexcept {
    if (impl_) impl_->acquired = false;
}

status sender::send(bytes frame) {
    return send_with(frame.size(), [&](mut_bytes slot) {
        if (!frame.empty()) std::memcpy(slot.data(), frame.data(), frame.size());
    });
}

status sender::flush() {
    if (!impl_) return detail::disabled();
    tx_impl& t = *impl_;
    return std::visit([&](auto& b) { return b.flush(t.setup, t.stats); }, t.be);
}

tx_stats sender::stats() const noexcept {
    if (!impl_) return {};
    tx_stats st = impl_->stats;
    st.queued = std::visit([](const auto& b) { return b.queued(); }, impl_->be);
    return st;
}

std::size_t sender::max_frame_len() const noexcept {
    if (!impl_) return 0;
    const std::size_t slot = std::visit([](const auto& b) { return b.max_frame_len(); }, impl_->be);
    return std::min<std::size_t>(slot, impl_->setup.untagged_max + (impl_->setup.ethernet ? 4u : 0u));
}

int sender::native_handle() const noexcept {
    if (!impl_) return -1;
    return std::visit([&](const auto& b) { return b.fd(impl_->setup); }, impl_->be);
}
backend sender::backend() const noexcept { return impl_ ? impl_->kind : backend::ring; }

} // namespace rawpkt::datalink
