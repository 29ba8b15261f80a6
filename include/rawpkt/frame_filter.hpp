// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// tcpdump filter expressions run over frames in the program: for capture
/// files and replays, where no kernel filters for us. The expression is
/// compiled by libpcap (datalink::compile_filter) once for each link type
/// the frames come with, and each frame runs through libpcap's BPF
/// interpreter (bpf_filter), so an expression means exactly what it means
/// to tcpdump -r.
///
/// ```cpp
/// rawpkt::frame_filter filter{"tcp port 80"};
/// std::string why;
/// if (!filter.prepare(reader.link(), &why)) return fail(why);   // "syntax error", ...
/// for (const rawpkt::frame& f : reader)
///     if (const auto m = filter.matches(f); m && *m) use(f);
/// ```
///
/// Without libpcap (RAWPKT_WITH_LIBPCAP off) every expression fails to
/// compile with errc::unsupported; an empty filter matches every frame.
#pragma once

#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/frame.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace rawpkt {

/// A tcpdump filter expression applied to frames read from a file or any other source, compiled once per link type with
/// libpcap's compiler and run in user space. Not thread-safe: one per thread.
class frame_filter {
public:
    /// No expression: every frame matches.
    frame_filter() = default;
    /// `snaplen` is the largest number of bytes the program looks at.
    explicit frame_filter(std::string expression, std::uint32_t snaplen = 262144)
        : expression_(std::move(expression)), snaplen_(snaplen) {}

    /// No expression: matches() is true for every frame.
    [[nodiscard]] bool empty() const noexcept { return expression_.empty(); }
    /// The expression as given.
    [[nodiscard]] const std::string& expression() const noexcept { return expression_; }

    /// Compiles the expression for frames of `link` (once; later calls for
    /// the same link type return at once). On failure *message gets
    /// libpcap's text ("syntax error", "unknown host 'x'", "802.11 link-layer
    /// types supported only on 802.11").
    [[nodiscard]] status prepare(link_type link, std::string* message = nullptr);

    /// True when `f` passes the filter (compiling for f.link first if
    /// needed). An error when the expression does not compile for f.link.
    [[nodiscard]] result<bool> matches(const frame& f, std::string* message = nullptr);

private:
    struct program {
        link_type link;
        std::vector<datalink::bpf_instruction> code;
    };
    const program* find(link_type link) const noexcept;

    std::string expression_;
    std::uint32_t snaplen_ = 262144;
    std::vector<program> programs_;
};

} // namespace rawpkt
