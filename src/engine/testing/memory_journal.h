// MemoryJournal: an in-memory JournalStore for unit tests, with fault injection.
// Thread-safe. fail_appends_from(n) makes the n-th and later append() calls fail (1-based);
// fail_append_once(n) only the n-th; set_append_delay(d) makes every append take at least d (as a
// slow disk would), so that batches pile up behind the engine's committer.
#pragma once

#include <chrono>
#include <mutex>
#include <thread>

#include "engine/journal_store.h"

namespace liandong::engine::testing {

class MemoryJournal final : public JournalStore {
 public:
  core::Status append(std::span<const Event> events) override {
    std::chrono::milliseconds delay;
    {
      std::lock_guard lk(mu_);
      delay = delay_;
    }
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    std::lock_guard lk(mu_);
    ++appends_;
    if (fail_from_ && appends_ >= fail_from_) return core::unavailable("injected append failure");
    if (fail_once_ && appends_ == fail_once_) return core::unavailable("injected append failure");
    uint64_t expect = events_.size() + 1;
    for (const auto& e : events)
      if (e.seq != expect++) return core::conflict("out of sequence append");
    for (const auto& e : events) events_.push_back(whole_event(e));  // as a store reads it back
    return core::Status::ok();
  }
  core::Result<std::vector<Event>> read_after(uint64_t after, size_t limit) override {
    std::lock_guard lk(mu_);
    std::vector<Event> out;
    for (size_t i = after; i < events_.size() && out.size() < limit; ++i) out.push_back(events_[i]);
    return out;
  }
  core::Result<JournalHead> head() override {
    std::lock_guard lk(mu_);
    if (events_.empty()) return JournalHead{};
    return JournalHead{events_.back().seq, events_.back().hash};
  }
  core::Status save_snapshot(const Snapshot& s) override {
    std::lock_guard lk(mu_);
    snapshot_ = s;
    ++snapshots_saved_;
    return core::Status::ok();
  }
  core::Result<std::optional<Snapshot>> latest_snapshot() override {
    std::lock_guard lk(mu_);
    return snapshot_;
  }

  void fail_appends_from(int n) { std::lock_guard lk(mu_); fail_from_ = appends_ + n; }
  void fail_append_once(int n) { std::lock_guard lk(mu_); fail_once_ = appends_ + n; }
  void set_append_delay(std::chrono::milliseconds d) { std::lock_guard lk(mu_); delay_ = d; }
  void heal() { std::lock_guard lk(mu_); fail_from_ = 0; fail_once_ = 0; }
  size_t size() const { std::lock_guard lk(mu_); return events_.size(); }
  int appends() const { std::lock_guard lk(mu_); return appends_; }
  int snapshots_saved() const { std::lock_guard lk(mu_); return snapshots_saved_; }
  void drop_snapshot() { std::lock_guard lk(mu_); snapshot_.reset(); }
  std::vector<Event> events() const { std::lock_guard lk(mu_); return events_; }

 private:
  mutable std::mutex mu_;
  std::vector<Event> events_;
  std::optional<Snapshot> snapshot_;
  int appends_ = 0;
  int fail_from_ = 0;
  int fail_once_ = 0;
  std::chrono::milliseconds delay_{0};
  int snapshots_saved_ = 0;
};

}  // namespace liandong::engine::testing
