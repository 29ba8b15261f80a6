// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The capture-file formats rawpkt reads and writes: numbers from the pcap
/// and pcapng specifications, and the descriptions both the reader and the
/// writer use.
///
/// pcap: draft-ietf-opsawg-pcap (the libpcap file format).
/// pcapng: draft-ietf-opsawg-pcapng (PCAP Next Generation).
#pragma once

#include <rawpkt/packet/numbers.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rawpkt::pcap {

/// The two capture file formats: classic pcap (one link type, one interface) and pcapng (blocks, several interfaces,
/// options).
enum class file_format : std::uint8_t { pcap, pcapng };
/// pcap timestamp units (pcapng interfaces carry their own resolution).
enum class time_precision : std::uint8_t { micro, nano };

/// Magic numbers and block types.
namespace magic {
inline constexpr std::uint32_t pcap_micro = 0xa1b2c3d4;        ///< pcap §4: microsecond timestamps
inline constexpr std::uint32_t pcap_nano = 0xa1b23c4d;         ///< pcap §4: nanosecond timestamps
inline constexpr std::uint32_t pcapng_byte_order = 0x1a2b3c4d; ///< pcapng §4.1 byte-order magic
} // namespace magic

/// pcapng block types (pcapng §11.1).
enum class block_type : std::uint32_t {
    interface_description = 0x00000001,
    packet = 0x00000002, ///< obsolete Packet Block (appendix A)
    simple_packet = 0x00000003,
    name_resolution = 0x00000004,
    interface_statistics = 0x00000005,
    enhanced_packet = 0x00000006,
    decryption_secrets = 0x0000000a,
    custom_copyable = 0x00000bad,
    custom = 0x40000bad,
    section_header = 0x0a0d0d0a,
};

/// pcapng option codes (pcapng §3.5, §4).
namespace option {
/// @name Any block (§3.5)
/// opt_endofopt ends an option list; opt_comment is UTF-8 text.
///@{
inline constexpr std::uint16_t end_of_opt = 0; ///< opt_endofopt: ends the option list
inline constexpr std::uint16_t comment = 1;    ///< opt_comment: UTF-8 text
///@}
/// @name Section header block (§4.1)
/// Section Header Block options: text naming the machine, OS and application that wrote the section.
///@{
inline constexpr std::uint16_t shb_hardware = 2; ///< shb_hardware: the machine's hardware
inline constexpr std::uint16_t shb_os = 3;       ///< shb_os: the operating system
inline constexpr std::uint16_t shb_userappl = 4; ///< shb_userappl: the application that wrote the section
///@}
/// @name Interface description block (§4.2)
/// Interface Description Block options: the interface's name, description, timestamp resolution and offset, capture
/// filter, OS, FCS length and hardware.
///@{
inline constexpr std::uint16_t if_name = 2;        ///< if_name: the interface's name ("eth0")
inline constexpr std::uint16_t if_description = 3; ///< if_description: free text about the interface
inline constexpr std::uint16_t if_tsresol = 9;     ///< if_tsresol: timestamp resolution, 10^-n or 2^-n seconds
inline constexpr std::uint16_t if_filter = 11;     ///< if_filter: the capture filter (first byte: 0 text, 1 BPF)
inline constexpr std::uint16_t if_os = 12;         ///< if_os: the OS the interface was captured on
inline constexpr std::uint16_t if_fcslen = 13;     ///< if_fcslen: bytes of FCS at the end of each frame
inline constexpr std::uint16_t if_tsoffset = 14;   ///< if_tsoffset: seconds added to every timestamp
inline constexpr std::uint16_t if_hardware = 15;   ///< if_hardware: the interface's hardware
///@}
/// @name Enhanced packet block (§4.3)
/// Enhanced Packet Block options: direction and reception flags, hash, drop count, packet id, queue and verdict.
///@{
inline constexpr std::uint16_t epb_flags = 2;     ///< epb_flags: direction, reception type, FCS length, link errors
inline constexpr std::uint16_t epb_hash = 3;      ///< epb_hash: a hash of the packet, with its algorithm
inline constexpr std::uint16_t epb_dropcount = 4; ///< epb_dropcount: packets lost since the previous one
inline constexpr std::uint16_t epb_packetid = 5;  ///< epb_packetid: identifies a packet seen at several points
inline constexpr std::uint16_t epb_queue = 6;     ///< epb_queue: the receive queue it came from
inline constexpr std::uint16_t epb_verdict = 7;   ///< epb_verdict: a hardware, eBPF or XDP verdict
///@}
/// @name Interface statistics block (§4.6)
/// Interface Statistics Block options: capture start and end times and the interface's counters of received, dropped,
/// filter-accepted, OS-dropped and delivered packets.
///@{
inline constexpr std::uint16_t isb_starttime = 2;    ///< isb_starttime: start of the capture
inline constexpr std::uint16_t isb_endtime = 3;      ///< isb_endtime: end of the capture
inline constexpr std::uint16_t isb_ifrecv = 4;       ///< isb_ifrecv: packets the interface received
inline constexpr std::uint16_t isb_ifdrop = 5;       ///< isb_ifdrop: packets the interface dropped
inline constexpr std::uint16_t isb_filteraccept = 6; ///< isb_filteraccept: packets the filter accepted
inline constexpr std::uint16_t isb_osdrop = 7;       ///< isb_osdrop: packets the OS dropped
inline constexpr std::uint16_t isb_usrdeliv = 8;     ///< isb_usrdeliv: packets delivered to the application
///@}
/// @name Name resolution block records (§4.5)
/// Name Resolution Block record types: end of records, an IPv4 or an IPv6 address with its names.
///@{
inline constexpr std::uint16_t nrb_record_end = 0;  ///< nrbrec_end: the last record
inline constexpr std::uint16_t nrb_record_ipv4 = 1; ///< nrbrec_ipv4: an IPv4 address and its names
inline constexpr std::uint16_t nrb_record_ipv6 = 2; ///< nrbrec_ipv6: an IPv6 address and its names
///@}
} // namespace option

/// The largest captured length rawpkt accepts in a record: anything larger
/// is a damaged file, not a packet (libpcap's limit for its largest link
/// types is 256 KiB; 256 MiB leaves room for any jumbo or reassembled record).
inline constexpr std::uint32_t max_captured_len = 256u << 20;

/// An interface of a capture file: the pcap file header describes one,
/// each pcapng Interface Description Block another.
struct interface_info {
    link_type link = link_type::ethernet; ///< the link-layer header of its frames (LINKTYPE_*)
    std::uint32_t snaplen = 0;            ///< 0: no limit given
    /// Timestamp units per second (if_tsresol: 10^6 by default, 10^9 for
    /// nanosecond pcap files).
    std::uint64_t ticks_per_second = 1'000'000;
    /// Seconds added to every timestamp (if_tsoffset).
    std::int64_t tsoffset_s = 0;
    std::string name{};        ///< if_name
    std::string description{}; ///< if_description
    std::string hardware{};    ///< if_hardware
    std::string os{};          ///< if_os
    std::string filter{};      ///< if_filter, as text when the first byte says so
    /// Bytes of frame check sequence at the end of each frame (if_fcslen).
    std::optional<std::uint8_t> fcslen{};
    /// Which section (0-based) of the file described it.
    std::uint32_t section = 0;

    friend bool operator==(const interface_info&, const interface_info&) = default;
};

/// A pcapng Section Header Block (a pcap file is one section).
struct section_info {
    bool big_endian = false; ///< the section is written big-endian (its byte-order magic says so)
    std::uint16_t major = 0; ///< format major version (pcap 2, pcapng 1)
    std::uint16_t minor = 0; ///< format minor version (pcap 4, pcapng 0)
    /// Byte offset of the section's header in the file.
    std::uint64_t offset = 0;
    std::vector<std::string> comments{}; ///< opt_comment, in order
    std::string hardware{};              ///< shb_hardware
    std::string os{};                    ///< shb_os
    std::string user_application{};      ///< shb_userappl
};

/// A pcapng Interface Statistics Block.
struct interface_statistics {
    std::uint32_t interface = 0;                    ///< global interface index (see reader::interfaces())
    std::int64_t timestamp_ns = 0;                  ///< when the block was written, ns since the Unix epoch
    std::optional<std::int64_t> start_ns{};         ///< isb_starttime in ns since the Unix epoch
    std::optional<std::int64_t> end_ns{};           ///< isb_endtime in ns since the Unix epoch
    std::optional<std::uint64_t> received{};        ///< isb_ifrecv
    std::optional<std::uint64_t> dropped{};         ///< isb_ifdrop
    std::optional<std::uint64_t> filter_accepted{}; ///< isb_filteraccept
    std::optional<std::uint64_t> os_dropped{};      ///< isb_osdrop
    std::optional<std::uint64_t> delivered{};       ///< isb_usrdeliv
    std::vector<std::string> comments{};            ///< opt_comment, in order
};

/// One record of a pcapng Name Resolution Block: an address and its names.
struct name_record {
    bool ipv6 = false;                   ///< an IPv6 address (nrbrec_ipv6); false: IPv4
    std::vector<std::uint8_t> address{}; ///< 4 or 16 bytes, network order
    std::vector<std::string> names{};    ///< the names of the address, in order
};

} // namespace rawpkt::pcap
