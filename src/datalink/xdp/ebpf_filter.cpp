// SPDX-License-Identifier: BSD-3-Clause
// Classic BPF -> eBPF for the XDP filter.
//
// Registers: r6 the xdp_md context, r7 the frame's first byte, r8 one past
// its last, r9 the frame length (when the program reads `len`), r2 the
// accumulator A, r3 the index register X, r4 and r5 scratch. The sixteen
// 32-bit scratch words M[] live on the stack, zeroed at entry. All
// arithmetic is 32-bit (BPF_ALU / BPF_JMP32), as in classic BPF. Every load
// is checked against the end of the frame first; a load past it, or a
// division by a zero X, rejects the frame, as classic BPF does. Classic BPF
// jumps only forward, so the translation needs no loop and the verifier
// sees a straight DAG.
#include "ebpf_filter.hpp"

#include <rawpkt/datalink/errors.hpp>

#include <cstdint>
#include <limits>

namespace rawpkt::datalink::detail {

namespace {

// Classic BPF fields (linux/filter.h; BPF_CLASS etc. are the same in both).
constexpr std::uint16_t cls(std::uint16_t c) noexcept { return c & 0x07; }
constexpr std::uint16_t size_of(std::uint16_t c) noexcept { return c & 0x18; }
constexpr std::uint16_t mode_of(std::uint16_t c) noexcept { return c & 0xe0; }
constexpr std::uint16_t op_of(std::uint16_t c) noexcept { return c & 0xf0; }
constexpr std::uint16_t src_of(std::uint16_t c) noexcept { return c & 0x08; }
constexpr std::uint16_t cbpf_msh = 0xa0;
constexpr std::uint16_t cbpf_ret_a = 0x10;
constexpr std::uint16_t cbpf_tax = 0x00;
constexpr std::uint16_t cbpf_txa = 0x80;
// Loads at or above this offset are the kernel's ancillary data (SKF_AD_OFF,
// SKF_NET_OFF, SKF_LL_OFF are all negative).
constexpr std::uint32_t ancillary_start = 0x80000000u;
// The verifier bounds a variable packet offset by this (MAX_PACKET_OFF).
constexpr std::int32_t max_packet_offset = 0xffff;

enum reg : std::uint8_t { r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10 };
constexpr reg reg_a = r2, reg_x = r3, reg_ctx = r6, reg_data = r7, reg_end = r8, reg_len = r9;
constexpr std::int16_t scratch_base = -64;

constexpr bpf_insn insn(std::uint8_t code, reg dst, reg src, std::int16_t off, std::int32_t imm) noexcept {
    bpf_insn i{};
    i.code = code;
    i.dst_reg = dst & 0x0f;
    i.src_reg = src & 0x0f;
    i.off = off;
    i.imm = imm;
    return i;
}
constexpr std::uint8_t u8(int v) noexcept { return static_cast<std::uint8_t>(v); }
constexpr std::int32_t s32(std::uint32_t v) noexcept { return static_cast<std::int32_t>(v); }

// Where a jump goes: a classic instruction, or the reject / accept tails.
enum class label : std::uint8_t { insn, reject, accept };

class emitter {
public:
    explicit emitter(std::size_t classic_len) : start_(classic_len + 1, 0) {}

    void put(bpf_insn i) { out_.push_back(i); }
    void mov32_imm(reg dst, std::uint32_t k) { put(insn(u8(BPF_ALU | BPF_MOV | BPF_K), dst, r0, 0, s32(k))); }
    void mov32_reg(reg dst, reg src) { put(insn(u8(BPF_ALU | BPF_MOV | BPF_X), dst, src, 0, 0)); }
    void mov64_reg(reg dst, reg src) { put(insn(u8(BPF_ALU64 | BPF_MOV | BPF_X), dst, src, 0, 0)); }
    void add64_imm(reg dst, std::int32_t k) { put(insn(u8(BPF_ALU64 | BPF_ADD | BPF_K), dst, r0, 0, k)); }
    void exit_with(std::uint32_t verdict) {
        put(insn(u8(BPF_ALU64 | BPF_MOV | BPF_K), r0, r0, 0, s32(verdict)));
        put(insn(u8(BPF_JMP | BPF_EXIT), r0, r0, 0, 0));
    }
    /// A jump (code: BPF_JMP/BPF_JMP32 | op | src) to a label, fixed later.
    void jump(std::uint8_t code, reg dst, reg src, std::int32_t imm, label to, std::size_t index = 0) {
        fixups_.push_back({out_.size(), to, index});
        put(insn(code, dst, src, 0, imm));
    }
    void jump_always(label to, std::size_t index = 0) { jump(u8(BPF_JMP | BPF_JA), r0, r0, 0, to, index); }

    /// Loads `bytes` (1, 2, 4) of the frame at r4 + 0 into `dst` in host
    /// order, rejecting the frame when they are not all inside it.
    void load_at_r4(reg dst, int bytes) {
        mov64_reg(r5, r4);
        add64_imm(r5, bytes);
        jump(u8(BPF_JMP | BPF_JGT | BPF_X), r5, reg_end, 0, label::reject);
        const int sz = bytes == 1 ? BPF_B : bytes == 2 ? BPF_H : BPF_W;
        put(insn(u8(BPF_LDX | BPF_MEM | sz), dst, r4, 0, 0));
        if (bytes > 1) put(insn(u8(BPF_ALU | BPF_END | BPF_TO_BE), dst, r0, 0, bytes * 8));
    }
    /// dst = P[k], k a constant offset.
    void load_abs(reg dst, std::uint32_t k, int bytes) {
        if (k > static_cast<std::uint32_t>(max_packet_offset)) {
            jump_always(label::reject); // no frame is that long
            return;
        }
        mov64_reg(r4, reg_data);
        add64_imm(r4, s32(k));
        load_at_r4(dst, bytes);
    }
    /// A = P[X + k]; X + k wraps at 32 bits, as in classic BPF.
    void load_ind(std::uint32_t k, int bytes) {
        mov32_reg(r4, reg_x);
        put(insn(u8(BPF_ALU | BPF_ADD | BPF_K), r4, r0, 0, s32(k)));
        jump(u8(BPF_JMP | BPF_JGT | BPF_K), r4, r0, max_packet_offset, label::reject);
        mov64_reg(r5, reg_data);
        put(insn(u8(BPF_ALU64 | BPF_ADD | BPF_X), r5, r4, 0, 0));
        mov64_reg(r4, r5);
        load_at_r4(reg_a, bytes);
    }
    void scratch_load(reg dst, std::uint32_t k) {
        put(insn(u8(BPF_LDX | BPF_MEM | BPF_W), dst, r10, static_cast<std::int16_t>(scratch_base + 4 * s32(k)), 0));
    }
    void scratch_store(reg src, std::uint32_t k) {
        put(insn(u8(BPF_STX | BPF_MEM | BPF_W), r10, src, static_cast<std::int16_t>(scratch_base + 4 * s32(k)), 0));
    }

    void mark(std::size_t classic_index) { start_[classic_index] = out_.size(); }
    void mark_tail(label l) { (l == label::reject ? reject_ : accept_) = out_.size(); }

    /// Resolves the jumps; false when one is out of reach of a 16-bit offset.
    bool resolve() {
        for (const fixup& f : fixups_) {
            const std::size_t to = f.to == label::insn ? start_[f.index] : f.to == label::reject ? reject_ : accept_;
            const std::ptrdiff_t off = static_cast<std::ptrdiff_t>(to) - static_cast<std::ptrdiff_t>(f.at) - 1;
            if (off < 0 || off > std::numeric_limits<std::int16_t>::max()) return false;
            out_[f.at].off = static_cast<std::int16_t>(off);
        }
        return true;
    }
    std::vector<bpf_insn> take() { return std::move(out_); }

private:
    struct fixup {
        std::size_t at;
        label to;
        std::size_t index;
    };
    std::vector<bpf_insn> out_;
    std::vector<std::size_t> start_;
    std::vector<fixup> fixups_;
    std::size_t reject_ = 0;
    std::size_t accept_ = 0;
};

int load_bytes(std::uint16_t code) noexcept {
    switch (size_of(code)) {
    case BPF_W: return 4;
    case BPF_H: return 2;
    case BPF_B: return 1;
    default: return 0;
    }
}

bool reads_length(std::span<const bpf_instruction> program) noexcept {
    for (const bpf_instruction& i : program) {
        if ((cls(i.code) == BPF_LD || cls(i.code) == BPF_LDX) && mode_of(i.code) == BPF_LEN) return true;
    }
    return false;
}

error untranslatable(std::size_t index, std::uint64_t why) noexcept {
    return make_error(errc::unsupported, step::xdp_filter, 0, why, index);
}

} // namespace

result<std::vector<bpf_insn>> translate_filter(std::span<const bpf_instruction> program, const xdp_accept& accept) {
    if (const status s = check_program(std::vector<bpf_instruction>(program.begin(), program.end())); !s) {
        return s.error();
    }
    emitter e(program.size());
    // Prologue: keep the context, zero A, X and M[], find the frame.
    e.mov64_reg(reg_ctx, r1);
    if (reads_length(program)) {
        // The frame's length; the packet pointers cannot be subtracted.
        e.put(insn(u8(BPF_JMP | BPF_CALL), r0, r0, 0, BPF_FUNC_xdp_get_buff_len));
        e.mov32_reg(reg_len, r0);
    }
    e.put(insn(u8(BPF_LDX | BPF_MEM | BPF_W), reg_data, reg_ctx, 0, 0)); // xdp_md.data
    e.put(insn(u8(BPF_LDX | BPF_MEM | BPF_W), reg_end, reg_ctx, 4, 0));  // xdp_md.data_end
    e.mov32_imm(reg_a, 0);
    e.mov32_imm(reg_x, 0);
    for (std::int16_t off = scratch_base; off < 0; off += 8)
        e.put(insn(u8(BPF_ST | BPF_MEM | BPF_DW), r10, r0, off, 0));

    for (std::size_t i = 0; i < program.size(); ++i) {
        const bpf_instruction& c = program[i];
        e.mark(i);
        const std::uint16_t code = c.code;
        switch (cls(code)) {
        case BPF_LD:
        case BPF_LDX: {
            const reg dst = cls(code) == BPF_LD ? reg_a : reg_x;
            switch (mode_of(code)) {
            case BPF_IMM: e.mov32_imm(dst, c.k); break;
            case BPF_MEM: e.scratch_load(dst, c.k); break;
            case BPF_LEN: e.mov32_reg(dst, reg_len); break;
            case BPF_ABS:
                if (dst != reg_a || load_bytes(code) == 0) return untranslatable(i, 2);
                if (c.k >= ancillary_start) return untranslatable(i, 1);
                e.load_abs(reg_a, c.k, load_bytes(code));
                break;
            case BPF_IND:
                if (dst != reg_a || load_bytes(code) == 0) return untranslatable(i, 2);
                e.load_ind(c.k, load_bytes(code));
                break;
            case cbpf_msh: // X = 4 * (P[k] & 0xf): the IPv4 header length
                if (dst != reg_x) return untranslatable(i, 2);
                e.load_abs(reg_x, c.k, 1);
                e.put(insn(u8(BPF_ALU | BPF_AND | BPF_K), reg_x, r0, 0, 0xf));
                e.put(insn(u8(BPF_ALU | BPF_LSH | BPF_K), reg_x, r0, 0, 2));
                break;
            default: return untranslatable(i, 2);
            }
            break;
        }
        case BPF_ST: e.scratch_store(reg_a, c.k); break;
        case BPF_STX: e.scratch_store(reg_x, c.k); break;
        case BPF_ALU: {
            const std::uint16_t op = op_of(code);
            if (op == BPF_NEG) {
                e.put(insn(u8(BPF_ALU | BPF_NEG), reg_a, r0, 0, 0));
            } else if (src_of(code) == BPF_X) {
                // Classic BPF rejects the frame on a division by zero; eBPF
                // would give 0 and go on.
                if (op == BPF_DIV || op == BPF_MOD) e.jump(u8(BPF_JMP | BPF_JEQ | BPF_K), reg_x, r0, 0, label::reject);
                e.put(insn(u8(BPF_ALU | op | BPF_X), reg_a, reg_x, 0, 0));
            } else {
                if ((op == BPF_DIV || op == BPF_MOD) && c.k == 0) {
                    e.jump_always(label::reject);
                    break;
                }
                if ((op == BPF_LSH || op == BPF_RSH) && c.k >= 32) return untranslatable(i, 2);
                e.put(insn(u8(BPF_ALU | op | BPF_K), reg_a, r0, 0, s32(c.k)));
            }
            break;
        }
        case BPF_JMP: {
            const std::uint16_t op = op_of(code);
            if (op == BPF_JA) {
                e.jump_always(label::insn, i + 1 + c.k);
                break;
            }
            if (op != BPF_JEQ && op != BPF_JGT && op != BPF_JGE && op != BPF_JSET) return untranslatable(i, 2);
            const bool x = src_of(code) == BPF_X;
            e.jump(u8(BPF_JMP32 | op | (x ? BPF_X : BPF_K)), reg_a, x ? reg_x : r0, x ? 0 : s32(c.k), label::insn,
                   i + 1 + c.jt);
            if (c.jf != 0) e.jump_always(label::insn, i + 1 + c.jf);
            break;
        }
        case BPF_RET:
            if ((code & 0x18) == cbpf_ret_a) {
                e.jump(u8(BPF_JMP | BPF_JEQ | BPF_K), reg_a, r0, 0, label::reject);
                e.jump_always(label::accept);
            } else {
                e.jump_always(c.k == 0 ? label::reject : label::accept);
            }
            break;
        case BPF_MISC:
            if ((code & 0xf8) == cbpf_tax) {
                e.mov32_reg(reg_x, reg_a);
            } else if ((code & 0xf8) == cbpf_txa) {
                e.mov32_reg(reg_a, reg_x);
            } else {
                return untranslatable(i, 2);
            }
            break;
        default: return untranslatable(i, 2);
        }
    }
    e.mark(program.size());

    e.mark_tail(label::reject);
    e.exit_with(XDP_PASS);
    e.mark_tail(label::accept);
    if (accept.xsk_map_fd < 0) {
        e.exit_with(accept.verdict);
    } else {
        // bpf_redirect_map(xsks, ctx->rx_queue_index, XDP_PASS)
        e.put(insn(u8(BPF_LD | BPF_DW | BPF_IMM), r1, static_cast<reg>(BPF_PSEUDO_MAP_FD), 0, accept.xsk_map_fd));
        e.put(insn(0, r0, r0, 0, 0));
        e.put(insn(u8(BPF_LDX | BPF_MEM | BPF_W), r2, reg_ctx, 16, 0));
        e.put(insn(u8(BPF_ALU64 | BPF_MOV | BPF_K), r3, r0, 0, XDP_PASS));
        e.put(insn(u8(BPF_JMP | BPF_CALL), r0, r0, 0, BPF_FUNC_redirect_map));
        e.put(insn(u8(BPF_JMP | BPF_EXIT), r0, r0, 0, 0));
    }
    if (!e.resolve()) return untranslatable(program.size(), 2);
    return e.take();
}

} // namespace rawpkt::datalink::detail
