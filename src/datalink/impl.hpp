// SPDX-License-Identifier: BSD-3-Clause
// Internal: what a datalink::receiver and datalink::sender hold, one
// std::variant of every backend, visited once per block or batch (receive)
// or once per frame with a switch (send); no virtual call. Not installed.
#pragma once

#include "common.hpp"
#include "linux/impl.hpp"
#include "memory_backend.hpp"
#include "pcap_backend.hpp"
#include "replay_backend.hpp"
#if RAWPKT_HAVE_XDP
#include "xdp/xdp_backend.hpp"
#endif

#include <rawpkt/datalink/channel.hpp>

#include <variant>
#include <vector>

namespace rawpkt::datalink::detail {

#if RAWPKT_HAVE_XDP
using rx_backend = std::variant<ring_rx, socket_rx, pcap_rx, replay_rx, memory_rx, xdp_rx>;
using tx_backend = std::variant<ring_tx, socket_tx, pcap_tx, memory_tx, xdp_tx>;
#else
using rx_backend = std::variant<ring_rx, socket_rx, pcap_rx, replay_rx, memory_rx>;
using tx_backend = std::variant<ring_tx, socket_tx, pcap_tx, memory_tx>;
#endif

struct rx_impl {
    rx_setup setup;
    backend kind = backend::ring;
    rx_backend be;
    /// The frame table the ring, socket and pcap backends fill.
    std::vector<frame> frames;
    rx_stats total{};

    [[nodiscard]] int fd() const noexcept {
        return std::visit([](const auto& b) { return b.fd(); }, be);
    }
    /// Hands the implementation to a receiver.
    static receiver wrap(rx_impl* p) noexcept {
        receiver r;
        r.impl_.reset(p);
        return r;
    }
    /// The implementation behind a receiver (nullptr: disabled).
    static const rx_impl* of(const receiver& r) noexcept { return r.impl_.get(); }
};

struct tx_impl {
    tx_setup setup;
    backend kind = backend::ring;
    tx_backend be;
    tx_stats stats{};
    bool acquired = false;

    /// Hands the implementation to a sender.
    static sender wrap(tx_impl* p) noexcept {
        sender s;
        s.impl_.reset(p);
        return s;
    }
    /// The implementation behind a sender (nullptr: disabled).
    static const tx_impl* of(const sender& s) noexcept { return s.impl_.get(); }
};

} // namespace rawpkt::datalink::detail
