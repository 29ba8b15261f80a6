// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump's flow modes: --follow tcp,N and --flows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace rawpkt::dump {

/// The bounds of the flow modes (--max-flows, --follow-max).
struct flow_limits {
    std::size_t max_flows = 65536;                   ///< flows or TCP connections tracked at once
    std::size_t follow_max = std::size_t{256} << 20; ///< bytes of the followed stream kept for printing
};

/// N of "tcp,N"; nothing for anything else.
[[nodiscard]] std::optional<std::uint64_t> parse_follow(const std::string& spec);
/// Prints TCP stream `stream` of the capture as tshark -z follow,tcp,raw,N does.
int follow_tcp(const std::string& path, std::uint64_t stream, const flow_limits& limits);
/// Prints the capture's flows: "table", "json" (JSON lines) or "csv".
int list_flows(const std::string& path, const std::string& format, const flow_limits& limits);

} // namespace rawpkt::dump
