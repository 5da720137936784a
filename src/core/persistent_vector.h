// PersistentVector<T>: a vector with O(1) snapshots and copy-on-write chunks.
//
// The engine's writer mutates one PersistentVector; after each commit it hands readers a copy.
// Copying shares every chunk (a copy costs size/kChunk pointer copies); a later write to a shared
// chunk copies only that chunk (kChunk element pointers). Elements are immutable once stored
// (shared_ptr<const T>), so a reader's copy never changes under it.
//
// Thread-safety: distinct objects may be used from distinct threads, even when they share chunks;
// one object is not safe for concurrent mutation.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace liandong::core {

template <typename T>
class PersistentVector {
 public:
  static constexpr size_t kChunk = 256;
  using Ptr = std::shared_ptr<const T>;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // nullptr only for slots written as nullptr.
  const Ptr& at(size_t i) const { return (*chunks_[i / kChunk])[i % kChunk]; }
  const T& operator[](size_t i) const { return *at(i); }

  void push_back(Ptr value) {
    if (size_ % kChunk == 0) {
      auto c = std::make_shared<Chunk>();
      c->reserve(kChunk);
      chunks_.push_back(std::move(c));
    }
    mutable_chunk(size_ / kChunk).push_back(std::move(value));
    ++size_;
  }

  void set(size_t i, Ptr value) { mutable_chunk(i / kChunk)[i % kChunk] = std::move(value); }

 private:
  using Chunk = std::vector<Ptr>;

  Chunk& mutable_chunk(size_t c) {
    auto& slot = chunks_[c];
    if (slot.use_count() > 1) {
      auto copy = std::make_shared<Chunk>(*slot);
      copy->reserve(kChunk);
      slot = std::move(copy);
    }
    return *slot;
  }

  std::vector<std::shared_ptr<Chunk>> chunks_;
  size_t size_ = 0;
};

}  // namespace liandong::core
