// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The lookup behind the flow tables: an open-addressing hash index from a
/// key's hash to a slot number in a pool the table owns. Its capacity is
/// fixed when it is built (twice the pool, a power of two), so finding,
/// adding and removing a slot never allocates. Linear probing with
/// backward-shift removal: no tombstones, probes stay short.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace rawpkt::flow::detail {

/// 64-bit hash of a trivially copyable key's bytes, eight at a time (a
/// multiply and an xor-shift per word: the hash sits on every packet's
/// path, and a byte-wise hash of a 48-byte flow key is a chain of 48
/// multiplies), folded through a final mix so that nearby addresses spread
/// over the whole table.
template <class Key>
[[nodiscard]] inline std::uint64_t hash_key(const Key& k) noexcept {
    unsigned char raw[(sizeof(Key) + 7) / 8 * 8] = {};
    std::memcpy(raw, &k, sizeof(Key));
    std::uint64_t h = 0xcbf29ce484222325ull ^ sizeof(Key);
    for (std::size_t i = 0; i < sizeof raw; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, raw + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

class slot_index {
public:
    static constexpr std::uint32_t npos = 0xffffffffu;

    explicit slot_index(std::size_t max_slots)
        : entries_(std::bit_ceil(max_slots * 2 < 16 ? std::size_t{16} : max_slots * 2)), mask_(entries_.size() - 1) {}

    /// The slot whose key `same(slot)` accepts, or npos.
    template <class Same>
    [[nodiscard]] std::uint32_t find(std::uint64_t hash, Same&& same) const noexcept {
        for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
            const entry& e = entries_[i];
            if (e.slot == npos) return npos;
            if (e.hash == hash && same(e.slot)) return e.slot;
        }
    }
    /// Adds a slot (the caller keeps the count below the pool's size).
    void insert(std::uint64_t hash, std::uint32_t slot) noexcept {
        std::size_t i = hash & mask_;
        while (entries_[i].slot != npos) i = (i + 1) & mask_;
        entries_[i] = {hash, slot};
    }
    /// Removes the entry of `slot`, added with `hash`.
    void erase(std::uint64_t hash, std::uint32_t slot) noexcept {
        std::size_t i = hash & mask_;
        while (entries_[i].slot != slot) {
            if (entries_[i].slot == npos) return;
            i = (i + 1) & mask_;
        }
        // Backward shift: pull later members of the probe run into the hole.
        for (std::size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
            if (entries_[j].slot == npos) break;
            const std::size_t home = entries_[j].hash & mask_;
            const bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                entries_[i] = entries_[j];
                i = j;
            }
        }
        entries_[i] = {};
    }

private:
    struct entry {
        std::uint64_t hash = 0;
        std::uint32_t slot = npos;
    };
    std::vector<entry> entries_;
    std::size_t mask_;
};

/// An intrusive doubly linked list over slot numbers, oldest first: the
/// order in which slots are expired or evicted.
class slot_list {
public:
    static constexpr std::uint32_t npos = 0xffffffffu;

    explicit slot_list(std::size_t slots) : links_(slots) {}

    [[nodiscard]] std::uint32_t front() const noexcept { return head_; }
    [[nodiscard]] std::uint32_t next(std::uint32_t s) const noexcept { return links_[s].next; }
    [[nodiscard]] bool empty() const noexcept { return head_ == npos; }

    void push_back(std::uint32_t s) noexcept {
        links_[s] = {tail_, npos};
        if (tail_ == npos) {
            head_ = s;
        } else {
            links_[tail_].next = s;
        }
        tail_ = s;
    }
    void remove(std::uint32_t s) noexcept {
        const link l = links_[s];
        if (l.prev == npos) {
            head_ = l.next;
        } else {
            links_[l.prev].next = l.next;
        }
        if (l.next == npos) {
            tail_ = l.prev;
        } else {
            links_[l.next].prev = l.prev;
        }
        links_[s] = {};
    }
    /// Moves a slot to the back (it was just used).
    void touch(std::uint32_t s) noexcept {
        if (tail_ == s) return;
        remove(s);
        push_back(s);
    }

private:
    struct link {
        std::uint32_t prev = npos;
        std::uint32_t next = npos;
    };
    std::vector<link> links_;
    std::uint32_t head_ = npos;
    std::uint32_t tail_ = npos;
};

} // namespace rawpkt::flow::detail
