// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// A decoded frame as one line of JSON: the frame's own fields, then each
/// decoded layer with its position and its fields, named and formatted as
/// rawpkt::fields prints them (tshark's names; values are strings, as in
/// `tshark -T json`).
///
/// ```json
/// {"frame.number":"1","frame.time_epoch":"1425763067.790511000","frame.len":"102","frame.cap_len":"102",
///  "layers":[{"protocol":"eth","offset":0,"header_len":14,"length":102,"eth.src":"...",...},...],
///  "stop":"end"}
/// ```
///
/// Keys: "frame.number", "frame.time_epoch", "frame.len", "frame.cap_len",
/// "frame.interface" (when not 0), "frame.comment" (when there is one),
/// "layers" (each: "protocol" as rawpkt::protocol_name() says, "offset",
/// "header_len", "length", "depth" inside tunnels, "truncated", "quoted",
/// "fragment" when set, then the fields), "payload_len", "stop" (end,
/// unsupported, fragment, error) and "error" with the message when decoding
/// stopped on one.
#pragma once

#include <rawpkt/decode.hpp>
#include <rawpkt/frame.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace rawpkt {

/// Appends the JSON object for a decoded frame (no newline). `number` is
/// its frame.number.
void append_json(std::string& out, const frame& f, std::uint64_t number, const decoded& d);

/// Appends `s` as a JSON string, quotes included (RFC 8259 §7 escapes;
/// bytes that are not valid UTF-8 become U+FFFD).
void append_json_string(std::string& out, std::string_view s);

} // namespace rawpkt
