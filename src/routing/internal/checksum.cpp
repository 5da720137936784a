#include "routing/internal/checksum.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace liandong::routing::internal {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the graph file and its checksum are little-endian; add byte swaps for this machine");

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kP3 = 0x165667B19E3779F9ull;
constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kP5 = 0x27D4EB2F165667C5ull;

uint64_t read64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
uint32_t read32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t round(uint64_t acc, uint64_t word) { return std::rotl(acc + word * kP2, 31) * kP1; }
uint64_t merge(uint64_t h, uint64_t lane) { return (h ^ round(0, lane)) * kP1 + kP4; }

// Whole stripes of p[0, size); returns the bytes consumed.
size_t stripes(uint64_t lane[4], const unsigned char* p, size_t size) {
  uint64_t v0 = lane[0], v1 = lane[1], v2 = lane[2], v3 = lane[3];
  size_t i = 0;
  for (; i + 32 <= size; i += 32) {
    v0 = round(v0, read64(p + i));
    v1 = round(v1, read64(p + i + 8));
    v2 = round(v2, read64(p + i + 16));
    v3 = round(v3, read64(p + i + 24));
  }
  lane[0] = v0, lane[1] = v1, lane[2] = v2, lane[3] = v3;
  return i;
}

}  // namespace

Checksum64::Checksum64() : lane_{kP1 + kP2, kP2, 0, 0 - kP1} {}

void Checksum64::update(const void* data, size_t size) {
  if (size == 0) return;
  const auto* p = static_cast<const unsigned char*>(data);
  total_ += size;
  if (pending_size_ > 0) {
    const size_t take = std::min(size, sizeof pending_ - pending_size_);
    std::memcpy(pending_ + pending_size_, p, take);
    pending_size_ += take;
    p += take;
    size -= take;
    if (pending_size_ < sizeof pending_) return;
    stripes(lane_, pending_, sizeof pending_);
    pending_size_ = 0;
  }
  const size_t done = stripes(lane_, p, size);
  pending_size_ = size - done;
  std::memcpy(pending_, p + done, pending_size_);
}

uint64_t Checksum64::digest() const {
  uint64_t h;
  if (total_ >= 32) {
    h = std::rotl(lane_[0], 1) + std::rotl(lane_[1], 7) + std::rotl(lane_[2], 12) +
        std::rotl(lane_[3], 18);
    for (uint64_t lane : lane_) h = merge(h, lane);
  } else {
    h = kP5;  // + seed 0
  }
  h += total_;
  const unsigned char* p = pending_;
  size_t left = pending_size_;
  for (; left >= 8; p += 8, left -= 8) h = std::rotl(h ^ round(0, read64(p)), 27) * kP1 + kP4;
  if (left >= 4) {
    h = std::rotl(h ^ (uint64_t(read32(p)) * kP1), 23) * kP2 + kP3;
    p += 4;
    left -= 4;
  }
  for (; left > 0; ++p, --left) h = std::rotl(h ^ (*p * kP5), 11) * kP1;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

uint64_t checksum64(const void* data, size_t size) {
  Checksum64 c;
  c.update(data, size);
  return c.digest();
}

}  // namespace liandong::routing::internal
