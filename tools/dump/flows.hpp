// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump's flow modes: --follow tcp,N and --flows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rawpkt::dump {

/// N of "tcp,N"; nothing for anything else.
[[nodiscard]] std::optional<std::uint64_t> parse_follow(const std::string& spec);
/// Prints TCP stream `stream` of the capture as tshark -z follow,tcp,raw,N does.
int follow_tcp(const std::string& path, std::uint64_t stream);
/// Prints the capture's flows: "table", "json" (JSON lines) or "csv".
int list_flows(const std::string& path, const std::string& format);

} // namespace rawpkt::dump
