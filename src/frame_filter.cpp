// SPDX-License-Identifier: BSD-3-Clause
// tcpdump expressions over frames in the program: libpcap compiles them,
// libpcap's bpf_filter() runs them.
#include <rawpkt/frame_filter.hpp>

#include <cstddef>

#if RAWPKT_HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

namespace rawpkt {

const frame_filter::program* frame_filter::find(link_type link) const noexcept {
    for (const auto& p : programs_) {
        if (p.link == link) return &p;
    }
    return nullptr;
}

status frame_filter::prepare(link_type link, std::string* message) {
    if (empty() || find(link) != nullptr) return {};
    auto code = datalink::compile_filter(expression_, link, snaplen_, message);
    if (!code) return code.error();
    programs_.push_back({link, std::move(*code)});
    return {};
}

result<bool> frame_filter::matches(const frame& f, std::string* message) {
    if (empty()) return true;
    const program* p = find(f.link);
    if (p == nullptr) {
        if (const status s = prepare(f.link, message); !s) return s.error();
        p = find(f.link);
    }
#if RAWPKT_HAVE_LIBPCAP
    // bpf_instruction is laid out as libpcap's struct bpf_insn.
    static_assert(sizeof(datalink::bpf_instruction) == sizeof(bpf_insn));
    static_assert(offsetof(datalink::bpf_instruction, k) == offsetof(bpf_insn, k));
    static_assert(offsetof(datalink::bpf_instruction, jt) == offsetof(bpf_insn, jt));
    const auto* insns = reinterpret_cast<const bpf_insn*>(p->code.data());
    const auto* data = reinterpret_cast<const u_char*>(f.data.data());
    const u_int wire = f.original_len > f.data.size() ? f.original_len : static_cast<u_int>(f.data.size());
    return bpf_filter(insns, data, wire, static_cast<u_int>(f.data.size())) != 0;
#else
    (void)p;
    return error::invalid(layer::datalink, errc::unsupported, length_source::none, 0);
#endif
}

} // namespace rawpkt
