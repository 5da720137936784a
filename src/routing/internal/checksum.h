// The graph file's checksum: XXH64 (Yann Collet's xxHash, 64-bit variant, seed 0), written out
// here so that routing needs no library for it. Being bit-exact XXH64, a file can be checked with
// any xxHash tool (`xxhsum -H1`, Python's xxhash) over all bytes but the last eight.
//
// XXH64 reads the input as little-endian 64-bit words in four lanes of 32-byte stripes; each lane
// is `acc = rotl(acc + word * P2, 31) * P1`, and the lanes are merged and mixed ("avalanche") at
// the end. It runs at memory speed (several GB/s), far faster than reading the file.
//
// Checksum64 is a plain value; not thread-safe (one per stream).
#pragma once

#include <cstddef>
#include <cstdint>

namespace liandong::routing::internal {

class Checksum64 {
 public:
  Checksum64();
  // Feeds `size` more bytes; any split of the input gives the same digest.
  void update(const void* data, size_t size);
  // The XXH64 of everything fed so far (does not change the state).
  uint64_t digest() const;

 private:
  uint64_t lane_[4];
  unsigned char pending_[32];  // the start of an unfinished stripe
  size_t pending_size_ = 0;
  uint64_t total_ = 0;
};

// XXH64 of one buffer.
uint64_t checksum64(const void* data, size_t size);

}  // namespace liandong::routing::internal
