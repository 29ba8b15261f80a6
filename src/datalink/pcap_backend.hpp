// SPDX-License-Identifier: BSD-3-Clause
// Internal: the libpcap backend (backend::pcap). Not installed; libpcap's
// headers stay in pcap_backend.cpp.
#pragma once

#include "common.hpp"

#include <rawpkt/datalink/channel.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

struct pcap; // libpcap's pcap_t

namespace rawpkt::datalink::detail {

/// A libpcap handle, closed on destruction.
class pcap_handle {
public:
    pcap_handle() noexcept = default;
    explicit pcap_handle(::pcap* p) noexcept : p_(p) {}
    ~pcap_handle();
    pcap_handle(pcap_handle&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
    pcap_handle& operator=(pcap_handle&& o) noexcept;
    pcap_handle(const pcap_handle&) = delete;
    pcap_handle& operator=(const pcap_handle&) = delete;
    [[nodiscard]] ::pcap* get() const noexcept { return p_; }

private:
    ::pcap* p_ = nullptr;
};

class pcap_rx {
public:
    /// `batch`: the most frames per pcap_dispatch(); `nano`: libpcap hands
    /// out nanosecond time stamps.
    pcap_rx(pcap_handle h, std::uint32_t batch, bool nano);
    [[nodiscard]] int fd() const noexcept { return fd_; }
    /// One pcap_dispatch() call (after waiting for the descriptor), each
    /// frame copied out of libpcap's buffer into ours.
    result<std::span<const frame>> fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait);
    /// pcap_compile on the live handle and pcap_setfilter (libpcap blocks
    /// and drains as receiver::set_filter promises).
    status set_filter(const filter& f, const rx_setup& s, std::string* message);
    /// pcap_stats: libpcap keeps the totals itself.
    status read_stats(rx_stats& total);
    void drain() noexcept {}

    /// Called by libpcap for each frame: its time stamp (seconds and
    /// fraction), lengths and bytes.
    void on_frame(std::int64_t sec, std::int64_t frac, std::uint32_t caplen, std::uint32_t len,
                  const unsigned char* src) noexcept;

private:
    pcap_handle h_;
    int fd_ = -1;
    std::uint32_t batch_ = 0;
    bool nano_ = true;
    std::uint32_t snap_ = 0;
    // Frames of the current batch are copied here, back to back (16-byte
    // aligned); a batch stops early when the next frame might not fit.
    std::vector<std::byte> arena_;
    std::size_t used_ = 0;
    std::vector<frame>* out_ = nullptr;
    const rx_setup* setup_ = nullptr;
    std::size_t count_ = 0;
    bool full_ = false;
};

class pcap_tx {
public:
    pcap_tx(pcap_handle h, std::uint32_t slot_size, std::uint32_t batch);
    result<mut_bytes> acquire(tx_setup& s, tx_stats& st, std::size_t len);
    status commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len);
    status flush(tx_setup& s, tx_stats& st);
    void cancel() noexcept {}
    [[nodiscard]] int fd(const tx_setup&) const noexcept { return fd_; }
    [[nodiscard]] std::size_t max_frame_len() const noexcept { return slot_size_; }
    [[nodiscard]] std::uint64_t queued() const noexcept { return count_; }

private:
    /// pcap_inject() for every queued frame, retrying what the device drops.
    status kick(tx_setup& s, tx_stats& st);

    pcap_handle h_;
    int fd_ = -1;
    std::uint32_t slot_size_ = 0;
    std::uint32_t batch_ = 0;
    std::uint32_t count_ = 0;
    std::size_t stride_ = 0;
    std::vector<std::byte> buffers_;
    // Per queued frame: its offset inside its slot and its length.
    std::vector<std::uint32_t> offsets_;
    std::vector<std::uint32_t> lengths_;
};

/// Opens the receiver and the sender of a libpcap channel (pcap_backend.cpp).
struct pcap_open_request {
    std::string interface;
    std::uint32_t ifindex = 0;
    link_type link = link_type::ethernet;
    std::uint32_t untagged_max = 0;
    std::uint32_t link_header_len = 14;
};
result<receiver> open_pcap_receiver(const pcap_open_request& r, const config& c, std::string* detail);
result<sender> open_pcap_sender(const pcap_open_request& r, const config& c, std::string* detail);

} // namespace rawpkt::datalink::detail
