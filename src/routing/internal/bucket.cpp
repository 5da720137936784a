#include "routing/internal/bucket.h"

#include <algorithm>

namespace liandong::routing::internal {

// The first block whose last key is >= key, or the last block.
size_t Bucket::block_for(uint64_t key) const {
  if (last_.size() == 1) return 0;  // most buckets: no need to read last_
  const auto it = std::lower_bound(last_.begin(), last_.end(), key);
  return it == last_.end() ? last_.size() - 1 : size_t(it - last_.begin());
}

void Bucket::insert(uint64_t key) {
  if (blocks_.empty()) {
    blocks_.emplace_back().reserve(8);
    blocks_[0].push_back(key);
    last_.push_back(key);
    return;
  }
  const size_t b = block_for(key);
  auto& block = blocks_[b];
  block.insert(std::lower_bound(block.begin(), block.end(), key), key);
  last_[b] = block.back();
  if (block.size() > 2 * kBlock) {
    std::vector<uint64_t> upper(block.begin() + kBlock, block.end());
    block.resize(kBlock);
    last_[b] = block.back();
    last_.insert(last_.begin() + b + 1, upper.back());
    blocks_.insert(blocks_.begin() + b + 1, std::move(upper));
  }
}

bool Bucket::erase(uint64_t key) {
  if (empty()) return false;
  const size_t b = block_for(key);
  auto& block = blocks_[b];
  const auto it = std::lower_bound(block.begin(), block.end(), key);
  if (it == block.end() || *it != key) return false;
  block.erase(it);
  if (block.empty()) {
    if (blocks_.size() == 1) return true;  // keep the allocation; last_[0] is unused while empty
    blocks_.erase(blocks_.begin() + b);
    last_.erase(last_.begin() + b);
    return true;
  }
  last_[b] = block.back();
  if (block.size() < kBlock / 4 && b + 1 < blocks_.size() &&
      block.size() + blocks_[b + 1].size() <= kBlock) {
    // Merge thin neighbours so a bucket that shrank does not stay in many tiny blocks.
    block.insert(block.end(), blocks_[b + 1].begin(), blocks_[b + 1].end());
    last_[b] = block.back();
    blocks_.erase(blocks_.begin() + b + 1);
    last_.erase(last_.begin() + b + 1);
  }
  return true;
}

size_t Bucket::size() const {
  size_t n = 0;
  for (const auto& block : blocks_) n += block.size();
  return n;
}

}  // namespace liandong::routing::internal
