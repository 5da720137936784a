// ReaderPool: a small pool of read-only connections shared by the SQLite stores. acquire() lends
// an idle one or opens a new one (outside the lock: opening touches the disk); the Lease gives it
// back when it ends, keeping at most `max_idle` idle. Thread-safe. The pool must outlive its leases.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/status.h"

namespace liandong::store::internal {

template <typename Reader>
class ReaderPool {
 public:
  using Open = std::function<core::Result<std::unique_ptr<Reader>>()>;
  ReaderPool(Open open, size_t max_idle) : open_(std::move(open)), max_idle_(max_idle) {}

  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Reader> r) : pool_(pool), r_(std::move(r)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (!r_) return;
      std::lock_guard lk(pool_->mu_);
      if (pool_->idle_.size() < pool_->max_idle_) pool_->idle_.push_back(std::move(r_));
    }
    Reader& get() { return *r_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Reader> r_;
  };

  core::Result<Lease> acquire() {
    {
      std::lock_guard lk(mu_);
      if (!idle_.empty()) {
        auto r = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(r));
      }
    }
    auto r = open_();
    if (!r) return r.status();
    return Lease(this, std::move(*r));
  }

 private:
  Open open_;
  size_t max_idle_;
  std::mutex mu_;  // guards idle_
  std::vector<std::unique_ptr<Reader>> idle_;
};

}  // namespace liandong::store::internal
