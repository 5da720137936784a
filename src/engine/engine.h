// Engine: the jurisdiction's live state, owned by one writer thread.
//
// submit() queues a command; the writer takes whatever is queued (up to max_batch), runs each
// command against the state, and hands the batch's events to the committer thread, which appends
// them to the journal in one durable commit (group commit: many commands, one fsync), then hands
// the events to the listener (the live stream), publishes the View of that batch, and answers every
// command of the batch. While one batch is committed the writer runs the next (a pipeline two
// batches deep), so fsync and the store's work are off the writer's path. A command is answered
// only after its events are durable, so a crash never loses an acknowledged command, and an event
// is never visible (view, answer, stream) before it is durable; batches are committed, published
// and answered in the order the writer ran them.
//
// If a journal append fails, that batch and every later one already run are answered kUnavailable,
// and the writer rebuilds the state from the store before it runs anything else. Snapshots are
// serialised and stored by a thread of their own (ld-snapshot) while commits go on, when snapshot_every events
// and at least as many journal bytes as the last snapshot's size have passed since the last one (so
// their cost stays proportional to the events however large the state grows, and replay at start
// stays within about one snapshot's worth), and no sooner than four times the last one's duration
// after it ended (so that under a sustained burst snapshots take at most a fifth of a core; replay
// at start may then grow past one snapshot's worth); and at stop(). start() loads the newest
// snapshot and applies the journal after it.
//
// Thread-safety: submit(), execute(), view() and stats() may be called from any thread. The
// listener, follower, observer and `done` callbacks run on the committer thread, one batch at a
// time, and must not block.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include "core/time.h"
#include "dispatch/mutual_aid.h"
#include "engine/commands.h"
#include "engine/journal_store.h"
#include "engine/view.h"
#include "plans/parse.h"
#include "reports/rules.h"
#include "taxonomy/grade_rules.h"
#include "taxonomy/taxonomy.h"

namespace liandong::engine {

struct EngineOptions {
  std::string node;                              // six-digit node code (required)
  double dedup_radius_m = 300;                   // a further report lies within this distance...
  core::Millis dedup_window{30 * 60 * 1000};     // ...and this time of an open incident's last alarm
  uint64_t snapshot_every = 200000;               // events between snapshots
  size_t max_batch = 4096;                       // commands per group commit
  size_t queue_limit = 100000;                   // queued commands before submit() refuses (busy)
  // Unit types beyond the shared ones (core::default_unit_types()).
  std::vector<std::string> extra_unit_types;
  // When a unit may respond outside its own area (dispatch/mutual_aid.h); checked with
  // dispatch::check() by whoever reads it from configuration.
  std::vector<dispatch::MutualAidRule> mutual_aid;
  // CAP alerts the node issues (docs/ALERTS.md): the sender (empty: "{node}@liandong") and the
  // issuing body's code in GB/T 35965.1 identifiers (docs/CAP.md).
  std::string alert_sender;
  std::string alert_body_code = "11000000";
  // Information reports (docs/REPORTS.md): the rule set in force (null: reports::default_rules()),
  // the zone of local deadlines, the duty offices that owe daily reports (empty: the node's own
  // office) and the names of jurisdictions for drafts.
  std::shared_ptr<const reports::RuleSet> report_rules;
  bool report_duties = true;  // false: no obligations at all (for tests of other parts)
  std::string zone = "Asia/Shanghai";
  std::vector<std::string> report_offices;
  std::map<std::string, std::string> jurisdiction_names;
  // Roles that grants may name (null: access::RoleCatalog::defaults()).
  std::shared_ptr<const access::RoleCatalog> roles;
};

// Figures of one commit, for metrics.
struct CommitStats {
  size_t commands = 0;
  size_t events = 0;
  double handle_seconds = 0;  // running the commands' handlers (validation, events, applying them)
  double append_seconds = 0;  // journal append incl. fsync
  bool ok = true;
};

class Engine {
 public:
  using Done = std::function<void(core::Result<Outcome>)>;
  using Listener = std::function<void(std::span<const Event>)>;
  using CommitObserver = std::function<void(const CommitStats&)>;
  using Follower = std::function<void(std::span<const Event>, std::shared_ptr<const View>)>;

  // `store` and `clock` must outlive the engine.
  Engine(EngineOptions options, JournalStore& store, const core::Clock& clock, taxonomy::Taxonomy taxonomy,
         taxonomy::GradeRules grade_rules);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Set before start().
  void set_listener(Listener listener) { listener_ = std::move(listener); }
  void set_commit_observer(CommitObserver observer) { observer_ = std::move(observer); }
  // A follower is called with every committed batch and the view that first includes it, after the
  // view is published and before the batch's commands are answered (the fleet follows unit changes
  // so). attach_follower() may be called while the engine runs: `start` gets the newest view, and
  // every batch committed after that view reaches `follower` (a batch that view already holds may
  // reach it too, so following must be idempotent). `start`'s error is returned, and then nothing
  // is attached.
  core::Status attach_follower(const std::function<core::Status(std::shared_ptr<const View>)>& start,
                               Follower follower);

  // Recovers the state (snapshot + journal, verifying the hash chain) and starts the writer.
  // kDataLoss when the journal is damaged; other store errors as the store gives them.
  core::Status start();

  // Queues a command; `done` is called exactly once (on the committer thread, or at once on refusal:
  // kUnavailable when stopping or when the queue is full).
  void submit(Command command, Actor actor, Done done);
  // submit() and wait.
  core::Result<Outcome> execute(Command command, Actor actor);

  // The latest committed state. Never blocks on the writer.
  std::shared_ptr<const View> view() const;
  // The latest committed state once it holds journal position `seq`, waiting at most `limit` (then
  // the latest, which may be older). For listeners: they hear of a batch just before its View is
  // published.
  std::shared_ptr<const View> view_at_least(uint64_t seq, core::Millis limit) const;

  // Stops accepting, commits what is queued, writes a snapshot, joins the writer. Idempotent.
  void stop();

  const taxonomy::Taxonomy& taxonomy() const { return taxonomy_; }
  const access::RoleCatalog& roles() const { return *options_.roles; }
  const EngineOptions& options() const { return options_; }
  // The unit types units may have: the shared ones, then the node's own.
  const std::vector<std::string>& unit_types() const { return unit_types_; }
  size_t queue_depth() const;
  // The codes a plan file may name on this node (unit types, report types, roles, incident types),
  // for plans::parse_plan.
  plans::Known plan_codes() const;

  // Wakes the writer to check its timers now (after a test clock was moved). Timers (task
  // deadlines, drill injects) otherwise fire by themselves within a second of falling due.
  void poke();

 private:
  struct Item;
  struct Commit;
  void run();
  void process(std::vector<Item>& batch);
  void commit_loop();
  void commit(Commit& c);
  // Hands a batch to the committer, waiting while two are already in its hands.
  void hand_over(Commit c);
  // Waits until the committer has finished every batch handed to it.
  void wait_committed();
  core::Status recover();
  void maybe_snapshot();
  core::Status write_snapshot_now();

  EngineOptions options_;
  std::vector<std::string> unit_types_;  // the shared ones, then options_.extra_unit_types
  std::vector<std::string> report_offices_;  // options_.report_offices, else the node's office
  JournalStore& store_;
  const core::Clock& clock_;
  taxonomy::Taxonomy taxonomy_;
  taxonomy::GradeRules grade_rules_;
  Listener listener_;
  CommitObserver observer_;
  std::mutex follower_mu_;  // attach_follower() against the committer's calls
  Follower follower_;

  std::unique_ptr<class State> state_;  // writer-owned
  std::shared_ptr<const View> published_;
  mutable std::mutex view_mu_;
  mutable std::condition_variable view_cv_;  // published_ changed

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  bool started_ = false;
  bool poked_ = false;
  std::thread writer_;

  // The committer's hand-over: batches run by the writer, in order, not yet committed.
  std::mutex commit_mu_;
  std::condition_variable commit_cv_;  // a batch was handed over or finished; a snapshot ended
  std::deque<Commit> commits_;
  size_t commits_in_hand_ = 0;  // handed over and not yet finished (queued + the one in commit)
  bool committer_stop_ = false;
  std::thread committer_;
  // Set by the committer when a batch was not saved: the state is ahead of the store. Later batches
  // are refused until the writer has rebuilt the state (and clears it).
  std::atomic<bool> broken_{false};

  // Snapshots. The committer decides when one starts (maybe_snapshot); the snapshot thread
  // serialises and stores it. Under commit_mu_ (or in recover() and after stop(), when neither
  // thread runs):
  uint64_t last_snapshot_seq_ = 0;
  size_t last_snapshot_bytes_ = 0;  // size of the newest snapshot's body
  std::chrono::steady_clock::time_point next_snapshot_at_{};  // none starts before (duty cycle)
  bool snapshot_in_flight_ = false;  // being serialised or stored
  // The committer's alone: event data committed since the newest snapshot's view.
  size_t journal_bytes_since_ = 0;
  std::thread snapshotter_;
};

}  // namespace liandong::engine
