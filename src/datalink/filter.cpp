// SPDX-License-Identifier: BSD-3-Clause
// Classic BPF filters: libpcap's compiler, the cooked-socket rewrite and
// the checks the kernel makes.
#include "common.hpp"

#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/filter.hpp>

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#if RAWPKT_HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

namespace rawpkt::datalink {

namespace {

// Classic BPF encoding (linux/filter.h, linux/bpf_common.h).
constexpr std::uint16_t bpf_class(std::uint16_t code) noexcept { return code & 0x07; }
constexpr std::uint16_t bpf_mode(std::uint16_t code) noexcept { return code & 0xe0; }
constexpr std::uint16_t bpf_op(std::uint16_t code) noexcept { return code & 0xf0; }
constexpr std::uint16_t cls_ld = 0x00, cls_ldx = 0x01, cls_jmp = 0x05, cls_ret = 0x06;
constexpr std::uint16_t mode_abs = 0x20, mode_ind = 0x40, mode_msh = 0xa0;
constexpr std::uint16_t op_ja = 0x00;
constexpr std::uint16_t ret_k = 0x06;
// Ancillary data loads: k at or above SKF_LL_OFF (-0x200000) is one of
// SKF_LL_OFF, SKF_NET_OFF, SKF_AD_OFF + n.
constexpr std::uint32_t skf_special = 0xffe00000u;
constexpr std::uint32_t skf_ad_off = 0xfffff000u;
constexpr std::uint32_t skf_ad_protocol = 0;
constexpr std::uint32_t skf_ad_pkttype = 4;
constexpr std::uint32_t sll_header_len = 16;
constexpr std::uint32_t sll_protocol_offset = 14;

} // namespace

std::mutex& detail::pcap_compile_mutex() noexcept {
    static std::mutex m;
    return m;
}

std::vector<bpf_instruction> accept_program(std::uint32_t snaplen) { return {{ret_k, 0, 0, snaplen}}; }
std::vector<bpf_instruction> drop_program() { return {{ret_k, 0, 0, 0}}; }

status check_program(const std::vector<bpf_instruction>& program) noexcept {
    const std::size_t n = program.size();
    if (n == 0 || n > max_bpf_instructions) {
        return make_error(errc::bad_value, step::filter_attach, 0, max_bpf_instructions, n);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const bpf_instruction& in = program[i];
        if (bpf_class(in.code) != cls_jmp) continue;
        const bool ok =
            bpf_op(in.code) == op_ja ? i + 1 + std::uint64_t{in.k} < n : i + 1 + in.jt < n && i + 1 + in.jf < n;
        if (!ok) return make_error(errc::bad_value, step::filter_attach, 0, 0, i);
    }
    if (bpf_class(program[n - 1].code) != cls_ret) return make_error(errc::bad_value, step::filter_attach, 0, 0, n - 1);
    return {};
}

result<std::vector<bpf_instruction>> cooked_program(std::vector<bpf_instruction> program) {
    for (bpf_instruction& in : program) {
        const std::uint16_t cls = bpf_class(in.code);
        if (cls != cls_ld && cls != cls_ldx) continue;
        const std::uint16_t mode = bpf_mode(in.code);
        if (mode != mode_abs && mode != mode_ind && mode != mode_msh) continue;
        if (mode == mode_abs && in.k >= skf_special) continue; // already an ancillary load
        if (in.k >= sll_header_len) {
            in.k -= sll_header_len;
        } else if (mode == mode_abs && in.k == 0) {
            in.k = skf_ad_off + skf_ad_pkttype;
        } else if (mode == mode_abs && in.k == sll_protocol_offset) {
            in.k = skf_ad_off + skf_ad_protocol;
        } else {
            return make_error(errc::unsupported, step::filter_compile, 0, 2, in.k);
        }
    }
    return program;
}

namespace {

// Loads a big-endian value of `n` bytes at `at`; false when it is not
// inside the frame.
bool load(bytes data, std::uint64_t at, unsigned n, std::uint32_t& out) noexcept {
    if (at > data.size() || data.size() - at < n) return false;
    std::uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i) v = v << 8 | std::to_integer<std::uint32_t>(data[at + i]);
    out = v;
    return true;
}

unsigned load_size(std::uint16_t code) noexcept {
    switch (code & 0x18) {
    case 0x00: return 4; // BPF_W
    case 0x08: return 2; // BPF_H
    case 0x10: return 1; // BPF_B
    default: return 0;
    }
}

} // namespace

std::uint32_t run_program(std::span<const bpf_instruction> program, bytes data, std::uint32_t wire_len) noexcept {
    constexpr std::uint16_t cls_st = 0x02, cls_stx = 0x03, cls_alu = 0x04, cls_misc = 0x07;
    constexpr std::uint16_t mode_imm = 0x00, mode_mem = 0x60, mode_len = 0x80;
    constexpr std::uint16_t src_x = 0x08;
    constexpr std::uint32_t mem_words = 16;
    std::uint32_t a = 0, x = 0;
    std::uint32_t mem[mem_words] = {};
    const std::size_t n = program.size();
    for (std::size_t pc = 0; pc < n; ++pc) {
        const bpf_instruction& in = program[pc];
        const std::uint16_t code = in.code;
        switch (bpf_class(code)) {
        case cls_ld:
        case cls_ldx: {
            const bool to_x = bpf_class(code) == cls_ldx;
            std::uint32_t v = 0;
            switch (bpf_mode(code)) {
            case mode_imm: v = in.k; break;
            case mode_len: v = wire_len; break;
            case mode_mem:
                if (in.k >= mem_words) return 0;
                v = mem[in.k];
                break;
            case mode_abs:
            case mode_ind: {
                // Offsets at or above SKF_LL_OFF are the kernel's ancillary
                // loads: no meaning here.
                if (to_x || in.k >= skf_special) return 0;
                const std::uint64_t at = std::uint64_t{in.k} + (bpf_mode(code) == mode_ind ? x : 0u);
                const unsigned size = load_size(code);
                if (size == 0 || !load(data, at, size, v)) return 0;
                break;
            }
            case mode_msh: {
                // ldxb 4*([k]&0xf): the IPv4 header length.
                if (!to_x || in.k >= skf_special || !load(data, in.k, 1, v)) return 0;
                v = (v & 0x0f) * 4;
                break;
            }
            default: return 0;
            }
            (to_x ? x : a) = v;
            break;
        }
        case cls_st:
        case cls_stx:
            if (in.k >= mem_words) return 0;
            mem[in.k] = bpf_class(code) == cls_st ? a : x;
            break;
        case cls_alu: {
            const std::uint32_t operand = (code & src_x) != 0 ? x : in.k;
            switch (bpf_op(code)) {
            case 0x00: a += operand; break;
            case 0x10: a -= operand; break;
            case 0x20: a *= operand; break;
            case 0x30:
                if (operand == 0) return 0;
                a /= operand;
                break;
            case 0x40: a |= operand; break;
            case 0x50: a &= operand; break;
            case 0x60: a = operand < 32 ? a << operand : 0; break;
            case 0x70: a = operand < 32 ? a >> operand : 0; break;
            case 0x80: a = 0u - a; break;
            case 0x90:
                if (operand == 0) return 0;
                a %= operand;
                break;
            case 0xa0: a ^= operand; break;
            default: return 0;
            }
            break;
        }
        case cls_jmp: {
            if (bpf_op(code) == op_ja) {
                if (std::uint64_t{in.k} >= n - pc - 1) return 0;
                pc += in.k;
                break;
            }
            const std::uint32_t operand = (code & src_x) != 0 ? x : in.k;
            bool taken = false;
            switch (bpf_op(code)) {
            case 0x10: taken = a == operand; break;
            case 0x20: taken = a > operand; break;
            case 0x30: taken = a >= operand; break;
            case 0x40: taken = (a & operand) != 0; break;
            default: return 0;
            }
            const std::size_t skip = taken ? in.jt : in.jf;
            if (skip >= n - pc - 1) return 0;
            pc += skip;
            break;
        }
        case cls_ret: {
            std::uint32_t keep = 0;
            switch (code & 0x18) {
            case 0x00: keep = in.k; break; // BPF_K
            case 0x10: keep = a; break;    // BPF_A
            default: return 0;
            }
            return keep < data.size() ? keep : static_cast<std::uint32_t>(data.size());
        }
        case cls_misc:
            if ((code & 0xf8) == 0x00)
                x = a; // tax
            else if ((code & 0xf8) == 0x80)
                a = x; // txa
            else
                return 0;
            break;
        default: return 0;
        }
    }
    return 0; // ran off the end
}

#if RAWPKT_HAVE_LIBPCAP

bool has_filter_compiler() noexcept { return true; }

namespace {

int dlt_of(link_type link) noexcept {
    switch (link) {
    case link_type::raw: return DLT_RAW; // LINKTYPE_RAW (101) is DLT_RAW (12 on Linux)
    default: return static_cast<int>(link);
    }
}
} // namespace

result<std::vector<bpf_instruction>> compile_filter(std::string_view expression, link_type link, std::uint32_t snaplen,
                                                    std::string* message) {
    const std::string expr(expression);
    const std::lock_guard<std::mutex> lock(detail::pcap_compile_mutex());
    pcap_t* p = pcap_open_dead(dlt_of(link), static_cast<int>(snaplen));
    if (p == nullptr) {
        if (message != nullptr) *message = "libpcap: pcap_open_dead failed";
        return make_error(errc::no_room, step::filter_compile);
    }
    bpf_program prog{};
    if (pcap_compile(p, &prog, expr.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        if (message != nullptr) *message = pcap_geterr(p);
        pcap_close(p);
        return make_error(errc::bad_value, step::filter_compile);
    }
    std::vector<bpf_instruction> out(prog.bf_len);
    for (unsigned i = 0; i < prog.bf_len; ++i) {
        out[i] = {prog.bf_insns[i].code, prog.bf_insns[i].jt, prog.bf_insns[i].jf, prog.bf_insns[i].k};
    }
    pcap_freecode(&prog);
    pcap_close(p);
    return out;
}

std::string to_string(const bpf_instruction& insn, std::size_t index) {
    const bpf_insn b{insn.code, insn.jt, insn.jf, insn.k};
    const char* s = bpf_image(&b, static_cast<int>(index));
    return s == nullptr ? std::string{} : std::string(s);
}

#else

bool has_filter_compiler() noexcept { return false; }

result<std::vector<bpf_instruction>> compile_filter(std::string_view, link_type, std::uint32_t, std::string* message) {
    if (message != nullptr) {
        *message = "rawpkt was built without libpcap: filter expressions are not available; give a BPF program";
    }
    return make_error(errc::unsupported, step::filter_compile, 0, 1);
}

std::string to_string(const bpf_instruction& insn, std::size_t index) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "(%03zu) code 0x%04x jt %u jf %u k 0x%08x", index, insn.code, insn.jt, insn.jf,
                  insn.k);
    return buf;
}

#endif

} // namespace rawpkt::datalink
