// SPDX-License-Identifier: BSD-3-Clause
// Settings validation and ring geometry (Documentation/networking/packet_mmap.rst).
#include <rawpkt/datalink/config.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>

#include <unistd.h>

namespace rawpkt::datalink {

namespace {

// TPACKET_ALIGNMENT, and the sizes of the kernel's ring headers
// (linux/if_packet.h): TPACKET3_HDRLEN = TPACKET_ALIGN(sizeof(tpacket3_hdr))
// + sizeof(sockaddr_ll) = 48 + 20; the block descriptor is 48 bytes.
constexpr std::uint32_t tpacket_alignment = 16;
constexpr std::uint32_t tpacket3_hdrlen = 68;
constexpr std::uint32_t block_header_len = 48;
// The smallest slot a V3 frame takes: its offset (at least tp_hdrlen) plus
// its bytes, aligned to 8.
constexpr std::uint32_t min_v3_slot = 72;
constexpr std::uint32_t max_snaplen = 262144;
constexpr std::uint32_t max_tx_frame_size = 65536;
constexpr std::uint32_t tx_block_target = 64 * 1024;

constexpr std::uint64_t round_up(std::uint64_t v, std::uint64_t m) noexcept { return (v + m - 1) / m * m; }

error setting(step s, std::uint64_t value, std::uint64_t limit = 0, errc code = errc::bad_value) noexcept {
    return make_error(code, s, 0, limit, value);
}

constexpr bool power_of_two(std::uint32_t v) noexcept { return v != 0 && (v & (v - 1)) == 0; }

// AF_XDP rings are powers of two; a UMEM frame is 2 or 4 KiB (a frame may
// not cross a page in copy mode).
status validate_xdp(const xdp_config& x) noexcept {
    constexpr std::uint32_t min_ring = 64, max_ring = 65536;
    for (const std::uint32_t size : {x.rx_size, x.tx_size}) {
        if (!power_of_two(size) || size < min_ring || size > max_ring) {
            return setting(step::xdp_ring_size, size, max_ring);
        }
    }
    if (x.frame_size != 2048 && x.frame_size != 4096) return setting(step::xdp_frame_size, x.frame_size, 4096);
    if (x.batch == 0 || x.batch > x.rx_size) return setting(step::batch, x.batch, x.rx_size);
    return {};
}

} // namespace

std::size_t page_size() noexcept {
    const long p = ::sysconf(_SC_PAGESIZE);
    return p > 0 ? static_cast<std::size_t>(p) : 4096;
}

result<rx_ring_layout> plan_rx_ring(const rx_ring_config& c, std::size_t page) {
    if (page == 0) page = 4096;
    // The block size: whole pages, room for more than the block header, and
    // offsets inside it fit the kernel's 32-bit fields.
    if (c.block_size < page || c.block_size % page != 0 || c.block_size > (1u << 31)) {
        return setting(step::rx_block_size, c.block_size, page);
    }
    // Three: between two receive calls the program keeps the block its last
    // frames live in, and the kernel needs a free block to move to when it
    // closes the one it fills.
    if (c.block_count < 3) return setting(step::rx_block_count, c.block_count, 3);
    const std::uint32_t min_frame = static_cast<std::uint32_t>(round_up(tpacket3_hdrlen, tpacket_alignment));
    if (c.frame_size < min_frame || c.frame_size % tpacket_alignment != 0 || c.frame_size > c.block_size) {
        return setting(step::rx_frame_size, c.frame_size, min_frame);
    }
    const std::uint32_t per_block = c.block_size / c.frame_size;
    if (per_block > std::numeric_limits<std::uint32_t>::max() / c.block_count) {
        return setting(step::rx_block_count, c.block_count, std::numeric_limits<std::uint32_t>::max() / per_block);
    }
    rx_ring_layout l;
    l.block_size = c.block_size;
    l.block_count = c.block_count;
    l.frame_size = c.frame_size;
    l.frame_count = per_block * c.block_count;
    l.total_bytes = static_cast<std::uint64_t>(c.block_size) * c.block_count;
    l.max_frames_per_block = (c.block_size - block_header_len) / min_v3_slot + 1;
    l.max_frame_len = c.block_size - block_header_len - static_cast<std::uint32_t>(round_up(tpacket3_hdrlen + 16, 16));
    return l;
}

result<tx_ring_layout> plan_tx_ring(const tx_ring_config& c, std::uint32_t mtu, std::uint32_t link_header_len,
                                    std::size_t page) {
    if (page == 0) page = 4096;
    if (c.frame_count == 0) return setting(step::tx_frame_count, 0, 1);
    const std::uint64_t wire_max = std::uint64_t{mtu} + link_header_len + 4; // a VLAN tag may come on top
    std::uint64_t frame = c.frame_size;
    if (frame == 0) {
        frame = round_up(tx_slot_header + wire_max, tpacket_alignment);
        if (frame > max_tx_frame_size) frame = max_tx_frame_size;
    }
    if (frame % tpacket_alignment != 0 || frame < tx_slot_header + tpacket_alignment || frame > max_tx_frame_size) {
        return setting(step::tx_frame_size, frame, max_tx_frame_size);
    }
    tx_ring_layout l;
    l.frame_size = static_cast<std::uint32_t>(frame);
    // Blocks of about 64 KiB (at least a page, at least one frame), holding
    // as many whole frames as fit.
    const std::uint64_t fit = std::max<std::uint64_t>(1, tx_block_target / frame);
    l.block_size = static_cast<std::uint32_t>(round_up(fit * frame, page));
    l.frames_per_block = static_cast<std::uint32_t>(l.block_size / frame);
    l.block_count = static_cast<std::uint32_t>((c.frame_count + l.frames_per_block - 1) / l.frames_per_block);
    l.frame_count = l.frames_per_block * l.block_count;
    l.total_bytes = static_cast<std::uint64_t>(l.block_size) * l.block_count;
    l.max_frame_len = static_cast<std::uint32_t>(std::min<std::uint64_t>(frame - tx_slot_header, wire_max));
    return l;
}

const char* to_string(backend b) noexcept {
    switch (b) {
    case backend::ring: return "ring";
    case backend::socket: return "socket";
    case backend::pcap: return "pcap";
    case backend::file: return "file";
    case backend::memory: return "memory";
    case backend::xdp: return "xdp";
    }
    return "?";
}

status validate(const config& c, std::size_t page, std::uint64_t memory_limit) {
    if (c.backend != backend::ring && c.backend != backend::socket && c.backend != backend::pcap &&
        c.backend != backend::xdp) {
        // file and memory channels come from open_file() and open_memory().
        return setting(step::config_backend, static_cast<std::uint8_t>(c.backend));
    }
    if (!c.receive && !c.send) return setting(step::config_direction, 0);
    if (c.snaplen == 0 || c.snaplen > max_snaplen) return setting(step::snaplen, c.snaplen, max_snaplen);
    if (c.fanout.enabled && static_cast<std::uint8_t>(c.fanout.mode) > static_cast<std::uint8_t>(fanout_mode::qm)) {
        return setting(step::fanout_mode, static_cast<std::uint8_t>(c.fanout.mode));
    }
    if (c.filter.is_program() && !c.filter.expression().empty()) return setting(step::filter_choice, 0);
    if (c.receive && c.backend != backend::socket && (c.block_timeout.count() < 1 || c.block_timeout.count() > 65535)) {
        return setting(step::block_timeout,
                       static_cast<std::uint64_t>(std::max<std::int64_t>(0, c.block_timeout.count())), 65535);
    }
    if (c.backend == backend::ring) {
        if (c.receive) {
            const auto l = plan_rx_ring(c.rx_ring, page);
            if (!l) return l.error();
            std::uint64_t limit = memory_limit;
            if (limit == 0) {
                const long pages = ::sysconf(_SC_PHYS_PAGES);
                limit = pages > 0 ? static_cast<std::uint64_t>(pages) * page / 2 : (std::uint64_t{1} << 32);
            }
            if (l->total_bytes > limit) {
                // In MiB, so that both fit the error's 32-bit fields.
                return setting(step::rx_ring_size, l->total_bytes >> 20, limit >> 20, errc::no_room);
            }
        }
        if (c.send) {
            // The MTU is not known yet: check the slot geometry with the
            // largest one a slot can serve.
            const auto l = plan_tx_ring(c.tx_ring, 1500, 14, page);
            if (!l) return l.error();
        }
    } else if (c.backend == backend::xdp) {
        if (const status s = validate_xdp(c.xdp); !s) return s;
    } else {
        if (c.socket_batch == 0 || c.socket_batch > 1024) return setting(step::socket_batch, c.socket_batch, 1024);
    }
    if (c.send && c.tx_batch == 0) return setting(step::tx_batch, 0, 1);
    return {};
}

} // namespace rawpkt::datalink
