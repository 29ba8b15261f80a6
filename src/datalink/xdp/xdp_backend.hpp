// SPDX-License-Identifier: BSD-3-Clause
// Internal: the AF_XDP backend (backend::xdp) behind datalink::receiver and
// datalink::sender. Both hold the same port (the sockets, their UMEMs and
// the XDP program); the receiver uses the RX and fill rings, the sender the
// TX and completion rings, so they may run on different threads. Not
// installed; libxdp's and libbpf's headers stay in xdp.cpp.
#pragma once

#include "../common.hpp"

#include <rawpkt/datalink/channel.hpp>
#include <rawpkt/datalink/xdp.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace rawpkt::datalink::detail {

struct xdp_port;

class xdp_rx {
public:
    explicit xdp_rx(std::shared_ptr<xdp_port> port) noexcept;
    [[nodiscard]] int fd() const noexcept;
    /// Gives the frames of the last batch back to the fill ring, then takes
    /// the next batch out of an RX ring (the sockets in turn).
    result<std::span<const frame>> fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait);
    /// Puts a new filter program into the XDP program's tail-call slot
    /// (atomically: every frame sees the old or the new one), then gives
    /// back what the RX rings hold, unread.
    status set_filter(const filter& f, const rx_setup& s, std::string* message);
    /// XDP_STATISTICS of every socket.
    status read_stats(rx_stats& total);
    void drain() noexcept;
    [[nodiscard]] const xdp_port& port() const noexcept { return *port_; }

private:
    std::shared_ptr<xdp_port> port_;
};

class xdp_tx {
public:
    explicit xdp_tx(std::shared_ptr<xdp_port> port) noexcept;
    result<mut_bytes> acquire(tx_setup& s, tx_stats& st, std::size_t len);
    status commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len);
    status flush(tx_setup& s, tx_stats& st);
    void cancel() noexcept {}
    [[nodiscard]] int fd(const tx_setup&) const noexcept;
    [[nodiscard]] std::size_t max_frame_len() const noexcept;
    [[nodiscard]] std::uint64_t queued() const noexcept;
    [[nodiscard]] const xdp_port& port() const noexcept { return *port_; }

private:
    /// Wakes the kernel up to send what is in the TX ring.
    status kick(tx_stats& st);
    /// Takes completed frames back from the completion ring.
    void reclaim(tx_stats& st) noexcept;

    std::shared_ptr<xdp_port> port_;
};

/// What an AF_XDP channel runs on.
[[nodiscard]] xdp_info info_of(const xdp_port& p);

/// Opens the receiver and the sender of an AF_XDP channel (either may be
/// off in the config).
struct xdp_channel {
    receiver rx;
    sender tx;
};
result<xdp_channel> open_xdp(const interface_info& iface, const config& c, link_type link, std::string* detail);

} // namespace rawpkt::datalink::detail
