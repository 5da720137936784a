// A bucket of the source index: the (time, source) entries that sources' upward searches left at
// one node, kept sorted as 64-bit keys (time << 32 | source) in blocks of at most 2 × kBlock keys,
// so that inserting or erasing in a bucket of 100,000 entries moves a kilobyte or two, not the
// whole bucket, and the entries can be read in time order from the start. The blocks' last keys
// are kept in a separate array so that finding a block reads one contiguous array. A bucket that
// empties keeps its (single, empty) block, so that sources coming and going do not make the
// allocator the bottleneck: only a bucket's only block may be empty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace liandong::routing::internal {

class Bucket {
 public:
  static constexpr size_t kBlock = 96;

  void insert(uint64_t key);
  // False when the key is not there.
  bool erase(uint64_t key);
  size_t size() const;
  bool empty() const { return blocks_.empty() || blocks_[0].empty(); }

  // Asks the CPU to start loading what insert/erase of some key will read first (the block
  // index and the block list), so that edits of many buckets overlap their cache misses.
  void prefetch() const {
    if (!last_.empty()) {
      __builtin_prefetch(last_.data() + last_.size() / 2);
      __builtin_prefetch(blocks_.data() + blocks_.size() / 2);
      if (last_.size() == 1) __builtin_prefetch(blocks_[0].data() + blocks_[0].size() / 2);
    }
  }

  // Reading in key order: position (block, index).
  struct Cursor {
    uint32_t block = 0;
    uint32_t index = 0;
  };
  bool valid(const Cursor& c) const {
    return c.block < blocks_.size() && c.index < blocks_[c.block].size();
  }
  uint64_t at(const Cursor& c) const { return blocks_[c.block][c.index]; }
  void advance(Cursor& c) const {
    if (++c.index == blocks_[c.block].size()) {
      ++c.block;
      c.index = 0;
    }
  }
  template <typename F>
  void for_each(F&& f) const {
    for (const auto& block : blocks_) {
      for (uint64_t key : block) f(key);
    }
  }

 private:
  size_t block_for(uint64_t key) const;
  std::vector<std::vector<uint64_t>> blocks_;
  std::vector<uint64_t> last_;  // blocks_[i].back()
};

inline constexpr uint64_t entry_key(uint32_t time_ms, uint32_t source) {
  return (uint64_t(time_ms) << 32) | source;
}
inline constexpr uint32_t entry_time(uint64_t key) { return uint32_t(key >> 32); }
inline constexpr uint32_t entry_source(uint64_t key) { return uint32_t(key); }

}  // namespace liandong::routing::internal
