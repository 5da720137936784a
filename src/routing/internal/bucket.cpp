#include "routing/internal/bucket.h"

#include <algorithm>

namespace liandong::routing::internal {

// The first block whose last key is >= key, or the last block.
size_t Bucket::block_for(uint64_t key) const {
  size_t lo = 0, hi = blocks_.size() - 1;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (blocks_[mid].back() < key) lo = mid + 1; else hi = mid;
  }
  return lo;
}

void Bucket::insert(uint64_t key) {
  if (blocks_.empty()) {
    blocks_.emplace_back(1, key);
    return;
  }
  const size_t b = block_for(key);
  auto& block = blocks_[b];
  block.insert(std::lower_bound(block.begin(), block.end(), key), key);
  if (block.size() > 2 * kBlock) {
    std::vector<uint64_t> upper(block.begin() + kBlock, block.end());
    block.resize(kBlock);
    block.shrink_to_fit();
    blocks_.insert(blocks_.begin() + b + 1, std::move(upper));
  }
}

bool Bucket::erase(uint64_t key) {
  if (blocks_.empty()) return false;
  const size_t b = block_for(key);
  auto& block = blocks_[b];
  const auto it = std::lower_bound(block.begin(), block.end(), key);
  if (it == block.end() || *it != key) return false;
  block.erase(it);
  if (block.empty()) {
    blocks_.erase(blocks_.begin() + b);
  } else if (block.size() < kBlock / 4 && b + 1 < blocks_.size() &&
             block.size() + blocks_[b + 1].size() <= kBlock) {
    // Merge thin neighbours so a bucket that shrank does not stay in many tiny blocks.
    block.insert(block.end(), blocks_[b + 1].begin(), blocks_[b + 1].end());
    blocks_.erase(blocks_.begin() + b + 1);
  }
  return true;
}

size_t Bucket::size() const {
  size_t n = 0;
  for (const auto& block : blocks_) n += block.size();
  return n;
}

}  // namespace liandong::routing::internal
