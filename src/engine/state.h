// State: the writer's mutable live state and the one place events change it.
//
// apply() is deterministic and depends only on the state and the event: the same events give the
// same state after a crash, on a replica or in a test. It checks the journal order (seq, id
// sequences) and fails with kDataLoss when an event does not fit. Derived indices (duplicate
// search, idempotency keys) are rebuilt from records, never journaled.
// Not thread-safe: owned by the engine's writer; readers use views.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "engine/event.h"
#include "engine/view.h"

namespace liandong::engine {

class State {
 public:
  explicit State(std::string node);

  const View& view() const { return v_; }
  std::shared_ptr<const View> publish() const { return std::make_shared<const View>(v_); }

  core::Status apply(const Event& e);
  // The typed forms of apply() the writer's live path uses for the two events every new alarm
  // makes: `e` is the sealed alarm.received / incident.opened (its data may be slim: the members
  // besides the record are read from it) and the record is the one its data text embeds, exactly
  // as it reads back from that text (the caller's promise; internal::Tx checks it in builds with
  // checks on). Same effect as apply() of the whole event, without parsing the record back.
  core::Status apply(const Event& e, Alarm alarm);
  core::Status apply(const Event& e, Incident incident);
  // What an incident.grade_proposed records (its data's incident_id, grade, criterion and reason;
  // family and reason_en are journaled only), for the third typed apply().
  struct ProposedGrade {
    std::string incident_id;
    core::Grade grade{};
    std::string criterion, reason;
    bool operator==(const ProposedGrade&) const = default;
  };
  core::Status apply(const Event& e, ProposedGrade proposal);

  // Duplicate search: open, located incidents within `radius_m` of `p` whose last alarm is within
  // `window` of `t`, nearest first.
  std::vector<const Incident*> open_near(const core::LonLat& p, double radius_m, core::Timestamp t,
                                         core::Millis window) const;
  // Open, unlocated incidents with exactly this (normalised) address, newest first.
  std::vector<const Incident*> open_at_address(std::string_view address) const;
  // The alarm first reported with this idempotency key, or nullptr.
  const Alarm* alarm_by_key(std::string_view key) const;
  // The indices (in the view's vectors) of the obligations and reports of an incident, or for
  // `incident_id` "" of the office `jurisdiction`'s own (daily reports, bulletins); oldest first.
  const std::vector<size_t>& obligations_of(std::string_view incident_id, std::string_view jurisdiction) const;
  const std::vector<size_t>& reports_of(std::string_view incident_id, std::string_view jurisdiction) const;

  // Serialises the whole state (the snapshot body) and rebuilds it; load() fails with
  // kInvalidArgument/kDataLoss on a malformed body.
  std::string serialize() const;
  static core::Result<State> load(std::string_view body, std::string node);

  // Timers (task deadlines, drill injects, report obligations): the earliest due time, or nullopt
  // when none is pending; and the keys due at `now` (a task or obligation id, or
  // "{activation id}#{inject index}"), earliest first, at most `limit` of them.
  // A set ordered by time: checking costs nothing while nothing is due.
  std::optional<core::Timestamp> next_timer() const;
  std::vector<std::string> due_timers(core::Timestamp now, size_t limit = SIZE_MAX) const;
  size_t pending_timers() const { return timers_.size(); }

  uint64_t seq() const { return v_.seq; }
  const std::string& hash() const { return v_.hash; }

 private:
  void index_incident(const Incident& inc, size_t idx, bool add);
  void put_incident(size_t idx, Incident inc);
  void add_timeline(Incident& inc, const Event& e, std::string summary);
  core::Status apply_inner(const Event& e);
  // kDataLoss unless `e` follows the state's seq and, when `type` is given, is of that type.
  core::Status check_next(const Event& e, std::string_view type = {}) const;
  core::Status applied(const Event& e, core::Status st);  // advances seq and hash when st is ok
  core::Status apply_alarm_received(const Event& e, Alarm a);
  core::Status apply_incident_opened(const Event& e, Incident inc);
  // A grade proposed by the rules or confirmed by a person (`grade_text` as the event spells it).
  void record_grade(Incident& inc, const Event& e, bool confirmed, core::Grade grade, std::string_view grade_text,
                    std::string reason, std::string criterion);
  core::Status apply_unit(const Event& e);  // state_units.cpp: registries and dispatch
  core::Status apply_plan(const Event& e);  // state_plans.cpp: plans, activations, tasks, notifications
  core::Status apply_monitoring(const Event& e);  // state_monitoring.cpp: stations, warnings, fences, river
  core::Status apply_alerts(const Event& e);      // state_alerts.cpp: CAP alerts, subscribers, feeds
  core::Status apply_reports(const Event& e);     // state_reports.cpp: reports and obligations
  // A timer: due time, then the record (task or activation index) and which inject (kTask for a
  // task's deadline) — plain integers, so keeping the set costs no allocation beyond its node.
  struct Timer {
    static constexpr uint32_t kTask = UINT32_MAX;
    static constexpr uint32_t kObligation = UINT32_MAX - 1;
    int64_t due;
    size_t record;
    uint32_t inject;
    auto operator<=>(const Timer&) const = default;
  };
  void set_task_timer(size_t index, const Task& t, bool add);
  void set_inject_timers(size_t index, const Activation& a, bool add);
  void set_obligation_timer(size_t index, const Obligation& o, bool add);
  void index_reports();  // obligations_by_, reports_by_ and the obligations' timers, from the view
  void rebuild_indices();

  View v_;
  std::unordered_map<std::string, size_t> by_key_;                 // idempotency key → alarm index
  // An open located incident in the duplicate-search grid, with what open_near() checks first
  // (kept here so that ruling a neighbour out does not read the incident; put_incident() renews it).
  struct Near {
    size_t idx;
    core::LonLat location;
    core::Timestamp last_alarm_at;
  };
  std::unordered_map<int64_t, std::vector<Near>> grid_;            // cell → open located incidents
  std::unordered_map<std::string, std::vector<size_t>> by_address_;  // address → open unlocated
  std::set<Timer> timers_;                                          // see next_timer()
  // incident id (or "@" + office for its own) → obligation / report indices; see obligations_of().
  std::unordered_map<std::string, std::vector<size_t>> obligations_by_;
  std::unordered_map<std::string, std::vector<size_t>> reports_by_;
};

std::string normalise_address(std::string_view address);

// The river network record from its GeoJSON source (state_monitoring.cpp); kInvalidArgument when
// the source does not parse.
core::Result<std::shared_ptr<const RiverRecord>> load_river(const std::string& source, std::string by,
                                                            core::Timestamp at);

// The snapshot body of a view (what State::serialize gives for the state the view shows).
std::string serialize_view(const View& view, size_t expected_bytes = 0);

}  // namespace liandong::engine
