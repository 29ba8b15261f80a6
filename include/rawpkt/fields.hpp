// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Named fields of a decoded frame, formatted exactly as tshark 4.0 prints
/// them with `-T fields -e NAME`: the same names, number formats, hex widths
/// and address formats, empty when absent. A field that occurs several times
/// (stacked VLANs, tunnels, the packet quoted in an ICMP error) yields every
/// occurrence, outermost first.
///
/// Checksum status fields follow tshark with checksum validation on
/// (`-o ip.check_checksum:TRUE` and the same for TCP and UDP): 0 bad, 1 good,
/// 2 unverified (the data it covers was not all captured), 3 not present.
///
/// The dns.* fields are read from the payload of UDP or TCP (after its
/// two-byte length) on port 53, 5353 (mDNS) or 5355 (LLMNR), and
/// dhcp.option.dhcp from UDP between ports 67 and 68, as each frame holds
/// them (no TCP reassembly, like tshark with desegmentation off), unless
/// the context brings the messages of the reassembled stream. They
/// have no decoded layer of their own: fields_of() and append_at() do not
/// list them.
#pragma once

#include <rawpkt/decode.hpp>
#include <rawpkt/frame.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rawpkt::fields {

/// A field rawpkt can print, by tshark name.
enum class id : std::uint8_t {
    frame_number,
    frame_len,
    frame_cap_len,
    frame_time_epoch,
    eth_src,
    eth_dst,
    eth_type,
    vlan_id,
    vlan_priority,
    mpls_label,
    ip_version,
    ip_hdr_len,
    ip_len,
    ip_id,
    ip_flags_df,
    ip_flags_mf,
    ip_frag_offset,
    ip_ttl,
    ip_proto,
    ip_checksum,
    ip_checksum_status,
    ip_src,
    ip_dst,
    ipv6_plen,
    ipv6_nxt,
    ipv6_hlim,
    ipv6_src,
    ipv6_dst,
    ipv6_flow,
    tcp_srcport,
    tcp_dstport,
    tcp_seq_raw,
    tcp_ack_raw,
    tcp_hdr_len,
    tcp_flags,
    tcp_window_size_value,
    tcp_len,
    tcp_checksum,
    tcp_checksum_status,
    tcp_options_mss_val,
    tcp_options_wscale_shift,
    udp_srcport,
    udp_dstport,
    udp_length,
    udp_checksum,
    udp_checksum_status,
    icmp_type,
    icmp_code,
    icmp_checksum_status,
    icmpv6_type,
    icmpv6_code,
    arp_opcode,
    arp_src_hw_mac,
    arp_src_proto_ipv4,
    arp_dst_hw_mac,
    arp_dst_proto_ipv4,
    gre_proto,
    vxlan_vni,
    dns_id,
    dns_flags_response,
    dns_qry_name,
    dns_qry_type,
    dns_count_answers,
    dns_a,
    dns_aaaa,
    dns_cname,
    dns_ns,
    dns_ptr_domain_name,
    dns_mx_preference,
    dns_mx_mail_exchange,
    dns_txt,
    dns_soa_mname,
    dns_soa_rname,
    dns_soa_serial_number,
    dns_soa_refresh_interval,
    dns_soa_retry_interval,
    dns_soa_expire_limit,
    dns_soa_minimum_ttl,
    dns_srv_priority,
    dns_srv_weight,
    dns_srv_port,
    dns_srv_target,
    dns_rr_udp_payload_size,
    dns_resp_ext_rcode,
    dns_resp_edns0_version,
    dns_resp_z_do,
    dns_opt_code,
    dns_opt_len,
    dns_opt_data,
    dhcp_option_dhcp,
};

/// Every field, in the order of `id`.
[[nodiscard]] std::span<const std::string_view> names() noexcept;
/// The tshark name of a field.
[[nodiscard]] std::string_view name(id f) noexcept;
/// The field with this tshark name, if rawpkt prints it.
[[nodiscard]] std::optional<id> lookup(std::string_view name) noexcept;

/// Which occurrences of a repeated field to print (tshark's -E occurrence).
enum class occurrence : std::uint8_t { first, last, all };

/// What a field is read from: the frame record, its number in the capture
/// (from 1), and its decoded layers.
struct context {
    /// The frame as read (bytes, time, lengths); lives as long as the context.
    const frame& record;
    /// The frame's number in the capture, counting from 1 (tshark's frame.number).
    std::uint64_t number = 0;
    /// The layers decode() found in record.data.
    const decoded& layers;
    /// When set, the dns.* fields of DNS over TCP come from these messages,
    /// the ones this frame completes in its reassembled stream
    /// (flow/dns_stream.hpp), instead of from the frame's TCP payload: tshark
    /// with TCP reassembly on (its default) prints them on that frame.
    const std::vector<bytes>* tcp_dns_messages = nullptr;
};

/// Appends the field's value(s) to `out`; several occurrences are joined by
/// `aggregator`. Nothing is appended when the field is absent.
void append(std::string& out, id field, const context& ctx, occurrence which = occurrence::all, char aggregator = ',');

/// The field's value(s) as a string.
[[nodiscard]] std::string value(id field, const context& ctx, occurrence which = occurrence::all,
                                char aggregator = ',');

/// The fields a layer of this kind carries, in the order of `id` (empty for
/// layers rawpkt has no field names for). IPv6 headers list ip.version too.
[[nodiscard]] std::span<const id> fields_of(layer kind) noexcept;

/// Appends the value of `field` in the layer at `index` of ctx.layers only
/// (what the printers of single layers need); false, with nothing
/// appended, when that layer has no value for it. frame.* fields are not
/// in any layer.
bool append_at(std::string& out, id field, const context& ctx, std::size_t index);

} // namespace rawpkt::fields
