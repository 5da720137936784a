#include "engine/engine.h"
#include "core/codes.h"

#include <algorithm>

#include <future>
#include <optional>

#include "core/log.h"
#include "engine/internal/handlers.h"
#include "engine/state.h"

namespace liandong::engine {

struct Engine::Item {
  std::optional<Command> command;
  Actor actor;
  Done done;
  std::optional<Snapshot> snapshot;  // a snapshot serialised off-thread, to be stored by the writer
};

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
  if (snap->has_value()) {
    const Snapshot& s = **snap;
    auto loaded = State::load(s.body, options_.node);
    if (!loaded) return {core::Code::kDataLoss, "snapshot at seq " + std::to_string(s.seq) + " is unreadable: " +
                                                     loaded.status().message()};
    if (loaded->seq() != s.seq || loaded->hash() != s.hash)
      return {core::Code::kDataLoss, "snapshot at seq " + std::to_string(s.seq) + " does not match its journal position"};
    state = std::make_unique<State>(std::move(*loaded));
    last_snapshot_seq_ = s.seq;
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
    queue_.push_back(Item{std::move(command), std::move(actor), std::move(done), std::nullopt});
  }
  cv_.notify_one();
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
    if (!batch.empty()) {
      process(batch);
      idle_timers = false;  // the state changed: timers may have too
    }
    if (fire) {
      std::vector<Item> timers;
      timers.push_back(Item{Command{FireTimers{}}, Actor("system"), [](core::Result<Outcome>) {}, std::nullopt});
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
  std::vector<Event> events;
  std::vector<std::pair<Done, core::Result<Outcome>>> answers;
  answers.reserve(batch.size());
  std::vector<Snapshot> snapshots;
  bool poisoned = false;
  auto handle_start = std::chrono::steady_clock::now();
  for (auto& item : batch) {
    if (item.snapshot) {
      snapshots.push_back(std::move(*item.snapshot));
      continue;
    }
    internal::Tx tx(*state_, rules, clock_.now(), item.actor, events);
    auto r = internal::handle(tx, *item.command);
    if (!r.is_ok() && tx.emitted()) {
      core::log::error("command failed after emitting events; abandoning the batch",
                       {{"command", command_name(*item.command)}, {"error", r.status().to_string()}});
      poisoned = true;
    }
    answers.emplace_back(std::move(item.done), std::move(r));
  }

  CommitStats stats{answers.size(), events.size(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - handle_start).count(), 0, true};
  core::Status failure;
  if (poisoned) {
    failure = core::internal_error("the batch was abandoned because of an internal error; retry");
  } else if (!events.empty()) {
    auto t0 = std::chrono::steady_clock::now();
    failure = store_.append(events);
    stats.append_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  if (!failure.is_ok()) {
    stats.ok = false;
    core::log::error("journal commit failed; rebuilding state from the store", {{"error", failure.to_string()}});
    auto st = recover();
    if (!st.is_ok()) {
      core::log::error("cannot rebuild state; the node stops accepting changes", {{"error", st.to_string()}});
      std::lock_guard lk(mu_);
      stopping_ = true;
    }
    for (auto& [done, r] : answers)
      done(r.is_ok() ? core::Result<Outcome>(core::unavailable("the change was not saved: " + failure.message()))
                     : std::move(r));
    if (observer_) observer_(stats);
    return;
  }
  // The listener (the live stream) hears of the events before any reader can see them in a view
  // or an answer, so a client that resumes from a seq it has seen never meets a stream that has
  // not yet heard of that seq.
  if (!events.empty() && listener_) listener_(events);
  if (!events.empty()) {
    auto view = state_->publish();
    {
      std::lock_guard lk(view_mu_);
      published_ = view;
    }
    view_cv_.notify_all();
    // Before the answers: whoever acts on an answer finds the followers (the fleet) told.
    if (follower_) follower_(events, std::move(view));
  }
  for (auto& [done, r] : answers) done(std::move(r));
  if (observer_) observer_(stats);

  for (const auto& s : snapshots) {
    auto st = store_.save_snapshot(s);
    if (!st.is_ok()) core::log::warn("snapshot not saved", {{"seq", std::to_string(s.seq)}, {"error", st.to_string()}});
    else last_snapshot_seq_ = std::max(last_snapshot_seq_, s.seq);
    snapshot_in_flight_ = false;
  }
  maybe_snapshot();
}

void Engine::maybe_snapshot() {
  if (snapshot_in_flight_ || state_->seq() - last_snapshot_seq_ < options_.snapshot_every) return;
  snapshot_in_flight_ = true;
  if (snapshotter_.joinable()) snapshotter_.join();
  auto view = this->view();
  snapshotter_ = std::thread([this, view] {
    Snapshot s{view->seq, view->hash, serialize_view(*view)};
    {
      std::lock_guard lk(mu_);
      queue_.push_back(Item{std::nullopt, {}, {}, std::move(s)});
    }
    cv_.notify_one();
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
  if (snapshotter_.joinable()) snapshotter_.join();
  // Drop what the snapshotter queued after the writer left (snapshots only: commands are refused
  // once stopping_ is set); the final snapshot below supersedes it.
  {
    std::lock_guard lk(mu_);
    queue_.clear();
  }
  auto st = write_snapshot_now();
  if (!st.is_ok()) core::log::warn("final snapshot not saved", {{"error", st.to_string()}});
  core::log::info("engine stopped", {{"seq", std::to_string(state_->seq())}});
}

}  // namespace liandong::engine
