#include "engine/engine.h"
#include "core/codes.h"

#include <algorithm>

#include <future>
#include <optional>

#include "core/log.h"
#include "core/thread_name.h"
#include "engine/internal/handlers.h"
#include "engine/state.h"

namespace liandong::engine {

struct Engine::Item {
  Command command;
  Actor actor;
  Done done;
};

// A batch the writer ran, on its way through the committer.
struct Engine::Commit {
  std::vector<Event> events;
  std::vector<std::pair<Done, core::Result<Outcome>>> answers;
  std::shared_ptr<const View> view;  // the state just after this batch (null when it has no events)
  CommitStats stats;
  bool poisoned = false;  // a handler failed after emitting: the batch must not be saved
};

namespace {

// What a committed event adds to the journal, roughly (its data text and the columns around it),
// for the snapshot schedule; events replayed at start are counted at kReplayedEventBytes each.
constexpr size_t kEventOverheadBytes = 200;
constexpr size_t kReplayedEventBytes = 500;
// After a snapshot that took T (serialising and storing), the next starts no sooner than
// kSnapshotRest × T later.
constexpr int kSnapshotRest = 4;
// A failed snapshot counts as one that took this long, so the next try is not at the next commit.
constexpr std::chrono::seconds kSnapshotRetry{1};

}  // namespace

Engine::Engine(EngineOptions options, JournalStore& store, const core::Clock& clock, taxonomy::Taxonomy taxonomy,
               taxonomy::GradeRules grade_rules)
    : options_(std::move(options)),
      store_(store),
      clock_(clock),
      taxonomy_(std::move(taxonomy)),
      grade_rules_(std::move(grade_rules)),
      state_(std::make_unique<State>(options_.node)),
      published_(state_->publish()) {
  for (auto t : core::default_unit_types()) unit_types_.emplace_back(t);
  report_offices_ = options_.report_offices.empty() ? std::vector<std::string>{options_.node} : options_.report_offices;
  for (const auto& t : options_.extra_unit_types)
    if (std::find(unit_types_.begin(), unit_types_.end(), t) == unit_types_.end()) unit_types_.push_back(t);
  if (!options_.roles) options_.roles = std::shared_ptr<const access::RoleCatalog>(&access::RoleCatalog::defaults(), [](auto*) {});
}

Engine::~Engine() { stop(); }

core::Status Engine::recover() {
  auto snap = store_.latest_snapshot();
  if (!snap) return snap.status();
  auto state = std::make_unique<State>(options_.node);
  last_snapshot_seq_ = 0;
  last_snapshot_bytes_ = 0;
  if (snap->has_value()) {
    const Snapshot& s = **snap;
    auto loaded = State::load(s.body, options_.node);
    if (!loaded) return {core::Code::kDataLoss, "snapshot at seq " + std::to_string(s.seq) + " is unreadable: " +
                                                     loaded.status().message()};
    if (loaded->seq() != s.seq || loaded->hash() != s.hash)
      return {core::Code::kDataLoss, "snapshot at seq " + std::to_string(s.seq) + " does not match its journal position"};
    state = std::make_unique<State>(std::move(*loaded));
    last_snapshot_seq_ = s.seq;
    last_snapshot_bytes_ = s.body.size();
  }
  size_t replayed = 0;
  for (;;) {
    auto events = store_.read_after(state->seq(), 10000);
    if (!events) return events.status();
    if (events->empty()) break;
    LD_RETURN_IF_ERROR(verify_chain(state->seq(), state->hash(), *events));
    for (const auto& e : *events) LD_RETURN_IF_ERROR(state->apply(e));
    replayed += events->size();
  }
  auto head = store_.head();
  if (!head) return head.status();
  if (head->seq != state->seq())
    return {core::Code::kDataLoss, "journal head " + std::to_string(head->seq) + " but replay reached " +
                                       std::to_string(state->seq())};
  journal_bytes_since_ = replayed * kReplayedEventBytes;
  state_ = std::move(state);
  {
    std::lock_guard lk(view_mu_);
    published_ = state_->publish();
  }
  core::log::info("engine recovered", {{"seq", std::to_string(state_->seq())},
                                       {"snapshot_seq", std::to_string(last_snapshot_seq_)},
                                       {"replayed", std::to_string(replayed)}});
  return core::Status::ok();
}

core::Status Engine::start() {
  std::lock_guard lk(mu_);
  if (started_) return core::conflict("engine already started");
  LD_RETURN_IF_ERROR(recover());
  started_ = true;
  committer_ = std::thread([this] { commit_loop(); });
  writer_ = std::thread([this] { run(); });
  return core::Status::ok();
}

void Engine::submit(Command command, Actor actor, Done done) {
  {
    std::lock_guard lk(mu_);
    if (!started_ || stopping_) {
      done(core::unavailable("the node is not accepting changes (starting or shutting down)"));
      return;
    }
    if (queue_.size() >= options_.queue_limit) {
      done(core::unavailable("the node is busy; retry shortly"));
      return;
    }
    queue_.push_back(Item{std::move(command), std::move(actor), std::move(done)});
  }
  cv_.notify_one();
}

core::Status Engine::attach_follower(const std::function<core::Status(std::shared_ptr<const View>)>& start,
                                     Follower follower) {
  // Under follower_mu_: a batch published after the view `start` gets cannot reach the committer's
  // follower call before the follower is set.
  std::lock_guard lk(follower_mu_);
  LD_RETURN_IF_ERROR(start(view()));
  follower_ = std::move(follower);
  return core::Status::ok();
}

core::Result<Outcome> Engine::execute(Command command, Actor actor) {
  std::promise<core::Result<Outcome>> p;
  auto f = p.get_future();
  submit(std::move(command), std::move(actor), [&p](core::Result<Outcome> r) { p.set_value(std::move(r)); });
  return f.get();
}

std::shared_ptr<const View> Engine::view() const {
  std::lock_guard lk(view_mu_);
  return published_;
}

std::shared_ptr<const View> Engine::view_at_least(uint64_t seq, core::Millis limit) const {
  std::unique_lock lk(view_mu_);
  view_cv_.wait_for(lk, limit, [&] { return published_->seq >= seq; });
  return published_;
}

size_t Engine::queue_depth() const {
  std::lock_guard lk(mu_);
  return queue_.size();
}

void Engine::run() {
  core::name_this_thread("ld-writer");
  std::vector<Item> batch;
  bool idle_timers = false;  // the last FireTimers changed nothing: do not spin on a due timer
  for (;;) {
    bool fire = false;
    {
      std::unique_lock lk(mu_);
      auto due = [&] {
        auto t = state_->next_timer();
        return t && *t <= clock_.now();
      };
      auto wake = [&] { return !queue_.empty() || stopping_ || poked_; };
      if (!wake() && (idle_timers || !due())) {
        if (idle_timers) {
          // A due timer fired nothing (it should not happen): wait for a change, not the clock.
          cv_.wait(lk, wake);
        } else if (auto next = state_->next_timer()) {
          // Timers pending: sleep until the first is due by this clock, at most a second (a clock
          // that jumps — the test clock — pokes the engine).
          auto wait = std::clamp<core::Millis>(std::chrono::duration_cast<core::Millis>(*next - clock_.now()),
                                               core::Millis{1}, core::Millis{1000});
          cv_.wait_for(lk, wait, wake);
        } else {
          cv_.wait(lk, wake);
        }
      }
      bool poked = poked_;
      poked_ = false;
      if (queue_.empty() && stopping_) break;  // stopping and drained
      fire = due() && (!idle_timers || poked || !queue_.empty());
      size_t n = std::min(queue_.size(), options_.max_batch);
      batch.clear();
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    // Checked after the wait, just before running anything: a failure answered before these
    // commands were submitted must not leave them running on the state it left ahead.
    if (broken_) {
      // A batch was not saved: the state is ahead of the journal. Let the committer refuse what it
      // holds, then rebuild the state from the store before running anything else.
      wait_committed();
      auto st = recover();
      if (!st.is_ok()) {
        core::log::error("cannot rebuild state; the node stops accepting changes", {{"error", st.to_string()}});
        {
          std::lock_guard lk(mu_);
          stopping_ = true;
          for (auto& item : queue_) batch.push_back(std::move(item));
          queue_.clear();
        }
        for (auto& item : batch) item.done(core::unavailable("the node stopped accepting changes: " + st.message()));
        break;
      }
      broken_ = false;
    }
    if (!batch.empty()) {
      process(batch);
      idle_timers = false;  // the state changed: timers may have too
    }
    if (fire) {
      std::vector<Item> timers;
      timers.push_back(Item{Command{FireTimers{}}, Actor("system"), [](core::Result<Outcome>) {}});
      uint64_t before = state_->seq();
      process(timers);
      idle_timers = state_->seq() == before;
      if (idle_timers) core::log::warn("a due timer fired nothing; timers wait for the next change", {});
    }
  }
}

plans::Known Engine::plan_codes() const {
  plans::Known k;
  k.unit_types = unit_types_;
  for (auto t : core::report_types()) k.report_types.emplace_back(t);
  for (const auto& r : options_.roles->roles()) k.roles.push_back(r.name);
  for (const auto& t : taxonomy_.types()) k.incident_types.push_back(t.code);
  return k;
}

void Engine::poke() {
  {
    std::lock_guard lk(mu_);
    poked_ = true;
  }
  cv_.notify_one();
}


void Engine::process(std::vector<Item>& batch) {
  internal::Rules rules{.node = options_.node,
                        .taxonomy = &taxonomy_,
                        .grade_rules = &grade_rules_,
                        .roles = options_.roles.get(),
                        .dedup_radius_m = options_.dedup_radius_m,
                        .dedup_window = options_.dedup_window,
                        .unit_types = unit_types_,
                        .mutual_aid = options_.mutual_aid,
                        .alert_sender = options_.alert_sender.empty() ? options_.node + "@liandong" : options_.alert_sender,
                        .alert_body_code = options_.alert_body_code,
                        .report_rules = !options_.report_duties ? nullptr
                                        : options_.report_rules ? options_.report_rules.get()
                                                                : &reports::default_rules(),
                        .zone = options_.zone,
                        .report_offices = report_offices_,
                        .jurisdiction_names = &options_.jurisdiction_names};
  Commit c;
  c.answers.reserve(batch.size());
  auto handle_start = std::chrono::steady_clock::now();
  for (auto& item : batch) {
    internal::Tx tx(*state_, rules, clock_.now(), item.actor, c.events);
    auto r = internal::handle(tx, item.command);
    if (!r.is_ok() && tx.emitted()) {
      core::log::error("command failed after emitting events; abandoning the batch",
                       {{"command", command_name(item.command)}, {"error", r.status().to_string()}});
      c.poisoned = true;
    }
    c.answers.emplace_back(std::move(item.done), std::move(r));
  }
  c.stats = CommitStats{c.answers.size(), c.events.size(),
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - handle_start).count(), 0, true};
  if (!c.events.empty() && !c.poisoned) c.view = state_->publish();
  hand_over(std::move(c));
}

void Engine::hand_over(Commit c) {
  {
    std::unique_lock lk(commit_mu_);
    // One batch in commit and one waiting is enough to keep both threads busy; beyond that the
    // writer waits, and the commands queued meanwhile make its next batch larger.
    commit_cv_.wait(lk, [&] { return commits_in_hand_ < 2; });
    commits_.push_back(std::move(c));
    ++commits_in_hand_;
  }
  commit_cv_.notify_all();
}

void Engine::wait_committed() {
  std::unique_lock lk(commit_mu_);
  commit_cv_.wait(lk, [&] { return commits_in_hand_ == 0 && !snapshot_in_flight_; });
}

void Engine::commit_loop() {
  core::name_this_thread("ld-commit");
  for (;;) {
    Commit c;
    {
      std::unique_lock lk(commit_mu_);
      commit_cv_.wait(lk, [&] { return !commits_.empty() || committer_stop_; });
      if (commits_.empty()) break;  // stopping, and every batch handed over is finished
      c = std::move(commits_.front());
      commits_.pop_front();
    }
    commit(c);
    {
      std::lock_guard lk(commit_mu_);
      --commits_in_hand_;
    }
    commit_cv_.notify_all();
  }
}

void Engine::commit(Commit& c) {
  core::Status failure;
  // A batch run after a failed one ran on a state that was never saved: even its refusals (say, of
  // a change to an incident that batch closed) are not final answers.
  const bool after_failure = broken_;
  if (after_failure) {
    failure = core::unavailable("an earlier change was not saved and the node is recovering; retry");
  } else if (c.poisoned) {
    failure = core::internal_error("the batch was abandoned because of an internal error; retry");
  } else if (!c.events.empty()) {
    auto t0 = std::chrono::steady_clock::now();
    failure = store_.append(c.events);
    c.stats.append_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  if (!failure.is_ok()) {
    // The state holds this batch (and whatever the writer has run since): the writer rebuilds it
    // from the store before it runs another command.
    if (!c.events.empty() || c.poisoned) {
      if (!broken_) {
        core::log::error("journal commit failed; rebuilding state from the store", {{"error", failure.to_string()}});
        broken_ = true;
        poke();  // the writer rebuilds the state now, not at its next command
      }
    }
    c.stats.ok = false;
    for (auto& [done, r] : c.answers)
      done(r.is_ok() || after_failure
               ? core::Result<Outcome>(core::unavailable("the change was not saved: " + failure.message()))
               : std::move(r));
    if (observer_) observer_(c.stats);
    return;
  }
  if (!c.events.empty()) {
    // The listener (the live stream) hears of the events before any reader can see them in a view
    // or an answer, so a client that resumes from a seq it has seen never meets a stream that has
    // not yet heard of that seq.
    if (listener_) listener_(c.events);
    {
      std::lock_guard lk(view_mu_);
      published_ = c.view;
    }
    view_cv_.notify_all();
    // Before the answers: whoever acts on an answer finds the followers (the fleet) told.
    {
      std::lock_guard lk(follower_mu_);
      if (follower_) follower_(c.events, c.view);
    }
    for (const auto& e : c.events) journal_bytes_since_ += e.data_text.size() + kEventOverheadBytes;
  }
  for (auto& [done, r] : c.answers) done(std::move(r));
  if (observer_) observer_(c.stats);
  maybe_snapshot();
}

void Engine::maybe_snapshot() {
  auto view = this->view();
  size_t expected_bytes;  // about the last one's size: the text is not copied as it grows
  {
    std::lock_guard lk(commit_mu_);
    if (snapshot_in_flight_ || view->seq - last_snapshot_seq_ < options_.snapshot_every ||
        journal_bytes_since_ < last_snapshot_bytes_ || std::chrono::steady_clock::now() < next_snapshot_at_)
      return;
    snapshot_in_flight_ = true;
    expected_bytes = last_snapshot_bytes_;
  }
  journal_bytes_since_ = 0;  // what is committed from now on comes after this snapshot's view
  if (snapshotter_.joinable()) snapshotter_.join();
  // Serialised and stored on a thread of its own: commits go on meanwhile (the store writes a
  // snapshot without the journal's lock; JournalStore).
  snapshotter_ = std::thread([this, view, expected_bytes] {
    core::name_this_thread("ld-snapshot");
    auto started = std::chrono::steady_clock::now();
    Snapshot s{view->seq, view->hash, serialize_view(*view, expected_bytes)};
    auto st = store_.save_snapshot(s);
    auto now = std::chrono::steady_clock::now();
    auto took = now - started;
    {
      std::lock_guard lk(commit_mu_);
      // After a failure too: the next try waits its turn instead of starting at the next commit.
      auto rest = st.is_ok() ? took : std::max<std::chrono::steady_clock::duration>(took, kSnapshotRetry);
      next_snapshot_at_ = now + kSnapshotRest * rest;
      if (st.is_ok() && s.seq > last_snapshot_seq_) {
        last_snapshot_seq_ = s.seq;
        last_snapshot_bytes_ = s.body.size();
      }
      snapshot_in_flight_ = false;
    }
    if (st.is_ok())
      core::log::info("snapshot saved", {{"seq", std::to_string(s.seq)},
                                         {"bytes", std::to_string(s.body.size())},
                                         {"ms", std::to_string(std::chrono::duration_cast<core::Millis>(took).count())}});
    else
      core::log::warn("snapshot not saved", {{"seq", std::to_string(s.seq)}, {"error", st.to_string()}});
    commit_cv_.notify_all();
  });
}

core::Status Engine::write_snapshot_now() {
  if (state_->seq() == last_snapshot_seq_) return core::Status::ok();
  LD_RETURN_IF_ERROR(store_.save_snapshot(Snapshot{state_->seq(), state_->hash(), state_->serialize()}));
  last_snapshot_seq_ = state_->seq();
  return core::Status::ok();
}

void Engine::stop() {
  {
    std::lock_guard lk(mu_);
    if (!started_) return;
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  // The writer handed over its last batch: the committer finishes them all, then leaves.
  {
    std::lock_guard lk(commit_mu_);
    committer_stop_ = true;
  }
  commit_cv_.notify_all();
  if (committer_.joinable()) committer_.join();
  if (snapshotter_.joinable()) snapshotter_.join();  // a snapshot under way is finished first
  if (broken_) {
    core::log::warn("the last changes were not saved; no final snapshot", {});
  } else {
    auto st = write_snapshot_now();
    if (!st.is_ok()) core::log::warn("final snapshot not saved", {{"error", st.to_string()}});
  }
  core::log::info("engine stopped", {{"seq", std::to_string(state_->seq())}});
}

}  // namespace liandong::engine
