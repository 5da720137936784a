#include "app/stats_feeder.h"

#include <algorithm>

#include "core/log.h"
#include "core/thread_name.h"

namespace liandong::app {

namespace {

// The incident an event is about, or "".
std::string incident_of(const engine::Event& e) {
  const auto& d = e.data;
  auto str = [](const nlohmann::json& j, const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (auto id = str(d, "incident_id"); !id.empty()) return id;
  for (const char* key : {"obligation", "incident", "task", "activation"})
    if (auto it = d.find(key); it != d.end() && it->is_object()) {
      auto id = str(*it, std::string_view(key) == "incident" ? "id" : "incident_id");
      if (!id.empty()) return id;
    }
  return {};
}

// Sorts `ids` and drops repeats; returns the size left.
size_t dedupe(std::vector<std::string>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids.size();
}

}  // namespace

stats::Fact incident_fact(const engine::View& view, const engine::Incident& inc, const std::vector<size_t>& obligations) {
  stats::Fact f;
  f.id = inc.id;
  f.jurisdiction = inc.jurisdiction;
  f.category = core::to_string(inc.category);
  f.type = inc.type;
  auto grade = inc.confirmed_grade ? inc.confirmed_grade : inc.proposed_grade;
  f.grade = grade ? std::string(core::to_string(*grade)) : std::string();
  for (const auto& a : inc.assignments)
    if (!a.agency_id.empty() && std::find(f.agencies.begin(), f.agencies.end(), a.agency_id) == f.agencies.end())
      f.agencies.push_back(a.agency_id);
  f.opened_at = inc.opened_at;
  if (inc.closed_at && *inc.closed_at >= inc.opened_at) f.closed_at = inc.closed_at;
  f.cancelled = inc.status == engine::kStatusCancelled || !inc.merged_into.empty();
  f.exercise = inc.exercise;
  f.deaths = inc.figures.deaths;
  f.injuries = inc.figures.serious_injuries + inc.figures.injuries;
  f.missing = inc.figures.missing;
  f.affected = inc.figures.affected;
  f.direct_loss_yuan = inc.figures.direct_loss_yuan;
  for (const auto& a : inc.assignments) {
    int64_t d = core::to_unix_millis(a.dispatched_at) - core::to_unix_millis(inc.opened_at);
    if (d >= 0 && (!f.dispatch_ms || d < *f.dispatch_ms)) f.dispatch_ms = d;
    if (a.on_scene_at) {
      int64_t s = core::to_unix_millis(*a.on_scene_at) - core::to_unix_millis(inc.opened_at);
      if (s >= 0 && (!f.arrival_ms || s < *f.arrival_ms)) f.arrival_ms = s;
    }
  }
  for (size_t i : obligations) {
    if (i >= view.obligations.size()) continue;
    const auto& o = view.obligations[i];
    if (o.incident_id != inc.id) continue;
    if (o.status == engine::kObligationFulfilled) {
      ++f.reports_due;
      if (o.late) {
        ++f.reports_late;
        f.report_delay_ms += o.delay_ms;
      } else {
        ++f.reports_on_time;
      }
    } else if (o.status == engine::kObligationOverdue) {
      ++f.reports_due;
      ++f.reports_late;
    }
  }
  return f;
}

StatsFeeder::~StatsFeeder() { stop(); }

void StatsFeeder::index(const engine::View& view) {
  for (; indexed_ < view.obligations.size(); ++indexed_) {
    const auto& o = view.obligations[indexed_];
    if (!o.incident_id.empty()) by_incident_[o.incident_id].push_back(indexed_);
  }
}

core::Status StatsFeeder::write(const std::vector<std::string>& ids, uint64_t cursor) {
  auto view = engine_.view();
  index(*view);
  static const std::vector<size_t> kNone;
  std::vector<stats::Fact> facts;
  facts.reserve(ids.size());
  for (const auto& id : ids) {
    const auto* inc = view->find_incident(id);
    if (!inc) continue;
    auto it = by_incident_.find(id);
    auto f = incident_fact(*view, *inc, it == by_incident_.end() ? kNone : it->second);
    // A fact the store would refuse (say, a type over its limits) is left out and said so, rather
    // than holding up every later update.
    if (auto st = stats::validate(f, id); !st.is_ok()) {
      core::log::error("incident left out of the statistics", {{"incident", id}, {"error", st.to_string()}});
      continue;
    }
    facts.push_back(std::move(f));
  }
  return store_.upsert(facts, std::max(cursor, store_.cursor()));
}

core::Status StatsFeeder::start() {
  auto view = engine_.view();
  if (store_.cursor() < view->seq) {
    std::vector<std::string> all;
    all.reserve(view->incidents.size());
    for (size_t i = 0; i < view->incidents.size(); ++i) all.push_back(view->incidents[i].id);
    LD_RETURN_IF_ERROR(write(all, view->seq));
  }
  std::lock_guard lk(mu_);
  running_ = true;
  stopping_ = false;
  written_seq_ = pending_seq_ = store_.cursor();
  thread_ = std::thread([this] {
    core::name_this_thread("ld-stats");
    core::make_this_thread_background();
    run();
  });
  return core::Status::ok();
}

void StatsFeeder::on_events(std::span<const engine::Event> events) {
  if (events.empty()) return;
  std::lock_guard lk(mu_);
  if (!running_) return;  // the next start catches up from the view
  for (const auto& e : events) {
    auto id = incident_of(e);
    if (!id.empty()) pending_.push_back(std::move(id));
  }
  // Behind a slow or failing write, repeats would pile up without bound: thin them out whenever
  // the list has doubled since (amortised: each id is sorted a bounded number of times).
  if (pending_.size() > 2 * pending_unique_ + 4096) pending_unique_ = dedupe(pending_);
  // The cursor follows every batch (events that touch no incident too), so that a restart does not
  // find it behind and write everything again.
  pending_seq_ = std::max(pending_seq_, events.back().seq);
  // Only a feeder waiting for work is woken: one pacing between writes takes what came meanwhile
  // when its pause ends (waking it for every batch cost a context switch a commit for nothing).
  if (waiting_) cv_.notify_one();
}

void StatsFeeder::run() {
  for (;;) {
    std::vector<std::string> ids;
    uint64_t seq = 0;
    {
      std::unique_lock lk(mu_);
      waiting_ = true;
      cv_.wait(lk, [&] { return stopping_ || !pending_.empty() || pending_seq_ > written_seq_; });
      waiting_ = false;
      if (pending_.empty() && pending_seq_ <= written_seq_) return;  // stopping, all written
      ids.swap(pending_);
      pending_unique_ = 0;
      seq = pending_seq_;
    }
    dedupe(ids);
    // The engine tells its listeners of a batch before it publishes the View that holds it: wait
    // for that View, so the facts are built from the batch's own state, not the one before it.
    engine_.view_at_least(seq, std::chrono::seconds(5));
    for (int attempt = 0;; ++attempt) {
      auto st = write(ids, seq);
      if (st.is_ok()) break;
      core::log::error("statistics not updated", {{"error", st.to_string()}, {"attempt", std::to_string(attempt)}});
      std::unique_lock lk(mu_);
      if (cv_.wait_for(lk, std::chrono::seconds(1), [&] { return stopping_; })) return;
    }
    std::unique_lock lk(mu_);
    written_seq_ = std::max(written_seq_, seq);
    // Paced: under a burst, one transaction every kPace takes every incident touched meanwhile,
    // instead of one for each committed batch (hundreds a second, each rewriting the same pages).
    cv_.wait_for(lk, kPace, [&] { return stopping_; });
  }
}

void StatsFeeder::stop() {
  {
    std::lock_guard lk(mu_);
    if (!running_) return;
    stopping_ = true;
    running_ = false;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace liandong::app
