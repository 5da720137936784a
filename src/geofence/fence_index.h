// FenceIndex: which fences contain a point, for many points, fast
// (docs/GEOFENCE.md "The index").
//
// Built once from a list of fences and then immutable: `containing` is const
// and safe to call from any number of threads at once; several Trackers may
// share one index. A fence is named by its position in the list given to build
// (a dense uint32_t).
//
// Containment: a point is in a fence when it is inside the outer ring and not
// strictly inside a hole; points on any ring's boundary (within 1e-9 degrees,
// ~0.1 mm) count as inside.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "geofence/fence.h"

namespace liandong::geofence {

namespace internal {
struct IndexData;
}

class FenceIndex {
 public:
  // Validates and normalizes every fence (normalize_fence, errors name
  // "fences[i]..."), refuses duplicate ids and more than kMaxFences fences, and
  // builds the grids. kInvalidArgument on any problem; nothing is dropped
  // silently. An empty list gives an index that contains nothing.
  static core::Result<FenceIndex> build(std::vector<Fence> fences);

  FenceIndex(FenceIndex &&) noexcept;
  FenceIndex &operator=(FenceIndex &&) noexcept;
  ~FenceIndex();

  // Clears `out` and fills it with the fences containing `p`, ascending. A
  // non-finite point is in no fence. Does not allocate once `out` has capacity
  // for the answer.
  void containing(core::LonLat p, std::vector<uint32_t> &out) const;

  // The reference answer without any index: every fence's box, then its edges
  // one by one. For tests and the benchmark's baseline; same contract as
  // containing.
  void containing_naive(core::LonLat p, std::vector<uint32_t> &out) const;

  size_t size() const;
  const Fence &fence(uint32_t i) const;  // i < size()
  // Bytes held by the index structures (grids, edges, boxes; not the Fence
  // records themselves).
  size_t memory_bytes() const;

 private:
  explicit FenceIndex(std::unique_ptr<internal::IndexData> d);
  std::unique_ptr<internal::IndexData> d_;
};

}  // namespace liandong::geofence
