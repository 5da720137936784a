#include "engine/internal/handlers.h"

#include <algorithm>
#include <optional>

#include "core/ids.h"
#include "core/jurisdiction.h"

namespace liandong::engine::internal {

using nlohmann::json;

namespace {

constexpr core::Millis kMaxFuture{5 * 60 * 1000};

core::Result<const Alarm*> get_alarm(const Tx& tx, const std::string& id) {
  const Alarm* a = tx.view().find_alarm(id);
  if (!a) return core::not_found("no alarm " + id + " on this node");
  return a;
}

core::Result<const Incident*> get_incident(const Tx& tx, const std::string& id) {
  const Incident* i = tx.view().find_incident(id);
  if (!i) return core::not_found("no incident " + id + " on this node");
  return i;
}

core::Result<const Incident*> get_open_incident(const Tx& tx, const std::string& id) {
  auto i = get_incident(tx, id);
  if (i && is_final_status((*i)->status))
    return core::conflict("incident " + id + " is " + (*i)->status + " and can no longer change");
  return i;
}

}  // namespace

std::string next_id(const Tx& tx, std::string_view kind, size_t count) {
  return core::format_id(tx.rules().node, kind, count + 1);
}

namespace {

// Proposes the grade from the incident's figures when the proposal differs from the current one.
core::Status propose_grade(Tx& tx, const std::string& incident_id) {
  const Incident* inc = tx.view().find_incident(incident_id);
  const auto* type = tx.rules().taxonomy->find(inc->type);
  std::string family = type ? type->family : std::string();
  auto p = tx.rules().grade_rules->propose(family, inc->figures);
  if (inc->proposed_grade && *inc->proposed_grade == p.grade) return core::Status::ok();
  std::string id = inc->id, jurisdiction = inc->jurisdiction;  // `inc` dangles once the state changes
  return tx.emit_grade_proposed(id, jurisdiction, std::move(p));
}

core::Priority default_priority(const Figures& f) {
  if (f.deaths >= 3 || f.serious_injuries >= 10) return core::Priority::kP1;
  if (f.deaths > 0 || f.serious_injuries > 0 || f.injuries > 0 || f.missing > 0) return core::Priority::kP2;
  return core::Priority::kP3;
}

std::string make_title(const Tx& tx, std::string_view type, const std::string& address,
                       const std::optional<core::LonLat>& loc) {
  const auto* t = tx.rules().taxonomy->find(type);
  std::string name = t ? t->name_zh : std::string(type);
  if (!address.empty()) return name + " · " + address;
  if (loc) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " · %.5f, %.5f", loc->lon, loc->lat);
    return name + buf;
  }
  return name;
}

Incident incident_from_alarm(const Tx& tx, const Alarm& a, std::string id, core::Priority priority) {
  Incident inc;
  inc.id = std::move(id);
  inc.jurisdiction = a.jurisdiction;
  inc.category = a.category;
  inc.type = a.type;
  inc.priority = priority;
  inc.title = make_title(tx, a.type, a.address, a.location);
  inc.description = a.description;
  inc.location = a.location;
  inc.address = a.address;
  inc.figures = a.figures;
  inc.alarm_ids = {a.id};
  inc.opened_at = inc.updated_at = tx.now();
  inc.last_alarm_at = a.reported_at;
  return inc;
}

json incident_answer(const Tx& tx, const std::string& id) {
  return to_json(*tx.view().find_incident(id), false);
}

}  // namespace

core::Result<Outcome> report_alarm(Tx& tx, const ReportAlarm& c) {
  if (!c.idempotency_key.empty()) {
    if (const Alarm* prior = tx.state().alarm_by_key(c.idempotency_key))
      return Outcome{{{"alarm_id", prior->id}, {"incident_id", prior->first_incident_id},
                      {"joined", prior->first_joined}},
                     false};
  }
  if (!core::contains(core::alarm_channels(), c.channel))
    return core::invalid("unknown channel '" + c.channel + "' (110 119 120 122 12345 sensor linkage manual)",
                         "channel");
  std::string jurisdiction = c.jurisdiction.empty() ? tx.rules().node : c.jurisdiction;
  auto code = core::JurisdictionCode::parse(jurisdiction);
  if (!code) return code.status();
  auto node = core::JurisdictionCode::parse(tx.rules().node);
  if (!code->within(*node))
    return core::invalid("jurisdiction " + jurisdiction + " is not within this node's " + tx.rules().node,
                         "jurisdiction");
  const auto* type = tx.rules().taxonomy->find(c.type);
  if (!type) return core::invalid("unknown incident type '" + c.type + "' (see GET /api/v1/taxonomy)", "type");
  if (c.category && *c.category != type->category)
    return core::invalid("type '" + c.type + "' belongs to category " + std::string(core::to_string(type->category)),
                         "category");
  if (!c.location && c.address.empty())
    return core::invalid("an alarm needs a location or an address", "location");
  if (c.reported_at > tx.now() + kMaxFuture)
    return core::invalid("reported_at is in the future", "reported_at");

  // Is this a further report of an open incident?
  const Incident* joined = nullptr;
  auto compatible = [&](const Incident* i) { return tx.rules().taxonomy->compatible(i->type, c.type); };
  if (c.location) {
    for (const Incident* i : tx.state().open_near(*c.location, tx.rules().dedup_radius_m, c.reported_at,
                                                  tx.rules().dedup_window))
      if (compatible(i)) { joined = i; break; }
  } else {
    for (const Incident* i : tx.state().open_at_address(c.address)) {
      auto gap = c.reported_at > i->last_alarm_at ? c.reported_at - i->last_alarm_at : i->last_alarm_at - c.reported_at;
      if (compatible(i) && gap <= tx.rules().dedup_window) { joined = i; break; }
    }
  }

  Alarm a;
  a.id = next_id(tx, core::kKindAlarm, tx.view().alarms.size());
  a.jurisdiction = jurisdiction;
  a.channel = c.channel;
  a.reported_at = c.reported_at;
  a.received_at = tx.now();
  a.caller = c.caller;
  a.location = c.location;
  a.address = c.address;
  a.category = type->category;
  a.type = c.type;
  a.description = c.description;
  a.figures = c.figures;
  a.incident_id = joined ? joined->id : next_id(tx, core::kKindIncident, tx.view().incidents.size());
  a.first_incident_id = a.incident_id;
  a.first_joined = joined != nullptr;
  a.idempotency_key = c.idempotency_key;
  a.by = tx.by();
  std::string incident_id = a.incident_id, alarm_id = a.id;
  bool was_joined = joined != nullptr;
  std::optional<Incident> inc;
  if (!was_joined) inc = incident_from_alarm(tx, a, incident_id, c.priority.value_or(default_priority(c.figures)));

  LD_RETURN_IF_ERROR(tx.emit_alarm_received(std::move(a), was_joined));
  if (inc) LD_RETURN_IF_ERROR(tx.emit_incident_opened(std::move(*inc)));
  LD_RETURN_IF_ERROR(propose_grade(tx, incident_id));
  if (!was_joined) LD_RETURN_IF_ERROR(reports_on_opened(tx, incident_id));
  return Outcome{{{"alarm_id", alarm_id}, {"incident_id", incident_id}, {"joined", was_joined}}, true};
}

namespace {

core::Result<Outcome> mark_nuisance(Tx& tx, const MarkNuisance& c) {
  auto a = get_alarm(tx, c.alarm_id);
  if (!a) return a.status();
  if (c.reason != "malicious" && c.reason != "silent" && c.reason != "misdialled")
    return core::invalid("reason must be malicious, silent or misdialled", "reason");
  if (!(*a)->nuisance_reason.empty()) return core::conflict("alarm " + c.alarm_id + " is already closed as nuisance");
  std::string incident_id = (*a)->incident_id;
  const Incident* inc = incident_id.empty() ? nullptr : tx.view().find_incident(incident_id);
  // The incident of a nuisance call goes with it, unless units are already on their way (then the
  // dispatcher recalls them and cancels it).
  bool busy = inc && std::any_of(inc->assignments.begin(), inc->assignments.end(),
                                 [](const Assignment& x) { return x.active(); });
  bool cancel = inc && !is_final_status(inc->status) && inc->alarm_ids.size() == 1 && !busy;
  std::string prior_status = inc ? inc->status : std::string();  // `inc` dangles after emit()
  std::string jurisdiction = (*a)->jurisdiction;
  LD_RETURN_IF_ERROR(tx.emit("alarm.nuisance", jurisdiction,
                             {{"alarm_id", c.alarm_id},
                              {"incident_id", incident_id.empty() ? json(nullptr) : json(incident_id)},
                              {"reason", c.reason}}));
  if (cancel) {
    LD_RETURN_IF_ERROR(tx.emit("incident.status_changed", jurisdiction,
                               {{"incident_id", incident_id},
                                {"from", prior_status},
                                {"to", kStatusCancelled},
                                {"reason", "its only alarm was a nuisance call (" + c.reason + ")"}}));
    LD_RETURN_IF_ERROR(reports_on_withdrawn(tx, incident_id, "骚扰电话"));
  }
  return Outcome{to_json(*tx.view().find_alarm(c.alarm_id)), false};
}

core::Result<Outcome> locate_alarm(Tx& tx, const LocateAlarm& c) {
  auto a = get_alarm(tx, c.alarm_id);
  if (!a) return a.status();
  LD_RETURN_IF_ERROR(core::validate(c.location, "location"));
  if ((*a)->location) return core::conflict("alarm " + c.alarm_id + " is already located; edit the incident instead");
  if (!(*a)->nuisance_reason.empty()) return core::conflict("alarm " + c.alarm_id + " was closed as nuisance");
  LD_RETURN_IF_ERROR(tx.emit("alarm.located", (*a)->jurisdiction,
                             {{"alarm_id", c.alarm_id}, {"incident_id", (*a)->incident_id},
                              {"location", to_json(c.location)}}));
  return Outcome{to_json(*tx.view().find_alarm(c.alarm_id)), false};
}

core::Result<Outcome> split_alarm(Tx& tx, const SplitAlarm& c) {
  auto a = get_alarm(tx, c.alarm_id);
  if (!a) return a.status();
  if (!(*a)->nuisance_reason.empty()) return core::conflict("alarm " + c.alarm_id + " was closed as nuisance");
  auto from = get_open_incident(tx, (*a)->incident_id);
  if (!from) return from.status();
  if ((*from)->alarm_ids.size() < 2)
    return core::conflict("alarm " + c.alarm_id + " is the only alarm of " + (*from)->id + "; nothing to split");
  Alarm alarm = **a;
  std::string from_id = (*from)->id;
  std::string id = next_id(tx, core::kKindIncident, tx.view().incidents.size());
  Incident inc = incident_from_alarm(tx, alarm, id, (*from)->priority);
  LD_RETURN_IF_ERROR(tx.emit("incident.opened", alarm.jurisdiction, {{"incident_id", id}, {"incident", to_journal_json(inc, false)}}));
  LD_RETURN_IF_ERROR(tx.emit("alarm.split", alarm.jurisdiction,
                             {{"alarm_id", alarm.id}, {"from_incident_id", from_id}, {"incident_id", id}}));
  LD_RETURN_IF_ERROR(propose_grade(tx, id));
  LD_RETURN_IF_ERROR(reports_on_opened(tx, id));
  return Outcome{{{"incident_id", id}, {"alarm_id", alarm.id}}, true};
}

core::Result<Outcome> merge_incidents(Tx& tx, const MergeIncidents& c) {
  auto into = get_open_incident(tx, c.into);
  if (!into) return into.status();
  auto from = get_open_incident(tx, c.from);
  if (!from) return from.status();
  if (c.into == c.from) return core::invalid("cannot merge an incident into itself", "from");
  for (const auto& a : (*from)->assignments)
    if (a.active())
      return core::conflict("incident " + c.from + " has units assigned (" + a.call_sign +
                                "…): reassign or recall them before merging it",
                            "from");
  std::string into_jurisdiction = (*into)->jurisdiction;
  LD_RETURN_IF_ERROR(stand_down_incident(tx, c.from, "merged into " + c.into));
  LD_RETURN_IF_ERROR(tx.emit("incident.merged", into_jurisdiction, {{"incident_id", c.into}, {"merged_id", c.from}}));
  LD_RETURN_IF_ERROR(reports_on_withdrawn(tx, c.from, "并入 " + c.into));
  LD_RETURN_IF_ERROR(propose_grade(tx, c.into));
  return Outcome{incident_answer(tx, c.into), false};
}

core::Result<Outcome> update_incident(Tx& tx, const UpdateIncident& c) {
  auto inc = get_open_incident(tx, c.incident_id);
  if (!inc) return inc.status();
  if (!c.changes.is_object() || c.changes.empty()) return core::invalid("nothing to change", "changes");
  json changes = c.changes;
  std::string type = changes.value("type", (*inc)->type);
  const auto* t = tx.rules().taxonomy->find(type);
  if (!t) return core::invalid("unknown incident type '" + type + "'", "type");
  if (changes.contains("category") && changes["category"] != core::to_string(t->category))
    return core::invalid("type '" + type + "' belongs to category " + std::string(core::to_string(t->category)),
                         "category");
  if (changes.contains("type")) changes["category"] = core::to_string(t->category);
  bool regrade = changes.contains("type") || changes.contains("figures");
  LD_RETURN_IF_ERROR(tx.emit("incident.updated", (*inc)->jurisdiction, {{"incident_id", c.incident_id}, {"changes", changes}}));
  if (regrade) LD_RETURN_IF_ERROR(propose_grade(tx, c.incident_id));
  return Outcome{incident_answer(tx, c.incident_id), false};
}

core::Result<Outcome> change_status(Tx& tx, const ChangeStatus& c) {
  auto inc = get_incident(tx, c.incident_id);
  if (!inc) return inc.status();
  if (!is_incident_status(c.status))
    return core::invalid("unknown status '" + c.status +
                             "' (reported verified responding contained closed cancelled)", "status");
  if (!is_valid_transition((*inc)->status, c.status))
    return core::conflict("incident " + c.incident_id + " cannot go from " + (*inc)->status + " to " + c.status,
                          "status");
  if (is_final_status(c.status)) {
    // Units still on it would be left serving a closed incident: they are cleared or recalled first.
    std::string busy;
    for (const auto& a : (*inc)->assignments)
      if (a.active()) busy += (busy.empty() ? "" : ", ") + a.call_sign;
    if (!busy.empty())
      return core::conflict("incident " + c.incident_id + " still has units assigned (" + busy +
                                "): clear or recall them before it is " + c.status,
                            "status");
  }
  std::string from_status = (*inc)->status;
  if (is_final_status(c.status))
    LD_RETURN_IF_ERROR(stand_down_incident(tx, c.incident_id, "incident " + c.status));
  LD_RETURN_IF_ERROR(tx.emit("incident.status_changed", tx.view().find_incident(c.incident_id)->jurisdiction,
                             {{"incident_id", c.incident_id}, {"from", from_status}, {"to", c.status},
                              {"reason", c.reason}}));
  if (c.status == kStatusClosed) LD_RETURN_IF_ERROR(reports_on_closed(tx, c.incident_id));
  if (c.status == kStatusCancelled) LD_RETURN_IF_ERROR(reports_on_withdrawn(tx, c.incident_id, "事件已撤销"));
  return Outcome{incident_answer(tx, c.incident_id), false};
}

core::Result<Outcome> set_priority(Tx& tx, const SetPriority& c) {
  auto inc = get_open_incident(tx, c.incident_id);
  if (!inc) return inc.status();
  if ((*inc)->priority != c.priority)
    LD_RETURN_IF_ERROR(tx.emit("incident.priority_changed", (*inc)->jurisdiction,
                               {{"incident_id", c.incident_id},
                                {"from", core::to_string((*inc)->priority)},
                                {"to", core::to_string(c.priority)}}));
  return Outcome{incident_answer(tx, c.incident_id), false};
}

core::Result<Outcome> confirm_grade(Tx& tx, const ConfirmGrade& c) {
  auto inc = get_incident(tx, c.incident_id);
  if (!inc) return inc.status();
  if ((*inc)->status == kStatusCancelled) return core::conflict("incident " + c.incident_id + " is cancelled");
  auto proposed = (*inc)->proposed_grade;
  auto before = (*inc)->confirmed_grade;
  bool first_confirmation = !before;
  if ((!proposed || *proposed != c.grade) && c.reason.empty())
    return core::invalid(std::string("a grade other than the proposed ") +
                             (proposed ? std::string(core::to_string(*proposed)) : "(none)") + " needs a reason",
                         "reason");
  LD_RETURN_IF_ERROR(tx.emit("incident.grade_confirmed", (*inc)->jurisdiction,
                             {{"incident_id", c.incident_id},
                              {"grade", core::to_string(c.grade)},
                              {"proposed", proposed ? json(core::to_string(*proposed)) : json(nullptr)},
                              {"reason", c.reason}}));
  LD_RETURN_IF_ERROR(activate_for_grade(tx, c.incident_id));
  if (first_confirmation || *before != c.grade)
    LD_RETURN_IF_ERROR(reports_on_grade(tx, c.incident_id, first_confirmation));
  return Outcome{incident_answer(tx, c.incident_id), false};
}

}  // namespace

core::Status check_jurisdiction(const Tx& tx, const std::string& code) {
  auto j = core::JurisdictionCode::parse(code);
  if (!j) return j.status();
  if (!j->within(*core::JurisdictionCode::parse(tx.rules().node)))
    return core::invalid("jurisdiction " + code + " is not within this node", "jurisdiction");
  return core::Status::ok();
}

namespace {

}  // namespace

core::Result<Outcome> handle(Tx& tx, const Command& command) {
  return std::visit(
      [&](const auto& c) -> core::Result<Outcome> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, ReportAlarm>) return report_alarm(tx, c);
        else if constexpr (std::is_same_v<T, MarkNuisance>) return mark_nuisance(tx, c);
        else if constexpr (std::is_same_v<T, LocateAlarm>) return locate_alarm(tx, c);
        else if constexpr (std::is_same_v<T, SplitAlarm>) return split_alarm(tx, c);
        else if constexpr (std::is_same_v<T, MergeIncidents>) return merge_incidents(tx, c);
        else if constexpr (std::is_same_v<T, UpdateIncident>) return update_incident(tx, c);
        else if constexpr (std::is_same_v<T, ChangeStatus>) return change_status(tx, c);
        else if constexpr (std::is_same_v<T, SetPriority>) return set_priority(tx, c);
        else if constexpr (std::is_same_v<T, ConfirmGrade>) return confirm_grade(tx, c);
        else if constexpr (std::is_same_v<T, RegisterAgency> || std::is_same_v<T, RegisterStation> ||
                           std::is_same_v<T, RegisterUnit> || std::is_same_v<T, RegisterUnits> ||
                           std::is_same_v<T, UpdateUnit> ||
                           std::is_same_v<T, ChangeUnitStatus> || std::is_same_v<T, DispatchUnits> ||
                           std::is_same_v<T, RecallUnit> || std::is_same_v<T, ReassignUnit>)
          return handle_units(tx, c);
        else if constexpr (std::is_same_v<T, CreatePlan> || std::is_same_v<T, SavePlanDraft> ||
                           std::is_same_v<T, ChangePlanVersion> || std::is_same_v<T, AddPlanFinding> ||
                           std::is_same_v<T, ActivatePlan> || std::is_same_v<T, ChangeActivationLevel> ||
                           std::is_same_v<T, StandDown> || std::is_same_v<T, UpdateTask> ||
                           std::is_same_v<T, StartDrill> || std::is_same_v<T, FireTimers>)
          return handle_plans(tx, c);
        else if constexpr (std::is_same_v<T, RegisterMonitoringStations> ||
                           std::is_same_v<T, UpdateMonitoringStation> || std::is_same_v<T, RecordDetections> ||
                           std::is_same_v<T, RaiseWarning> || std::is_same_v<T, ChangeWarning> ||
                           std::is_same_v<T, LinkWarning> || std::is_same_v<T, LoadRiverNetwork> ||
                           std::is_same_v<T, RegisterTrackedObject> || std::is_same_v<T, CreateFence> ||
                           std::is_same_v<T, UpdateFence> || std::is_same_v<T, RecordFenceHits>)
          return handle_monitoring(tx, c);
        else if constexpr (std::is_same_v<T, DraftAlert> || std::is_same_v<T, EditAlert> ||
                           std::is_same_v<T, SubmitAlert> || std::is_same_v<T, ReviewAlert> ||
                           std::is_same_v<T, ReceiveAlert> || std::is_same_v<T, CreateSubscriber> ||
                           std::is_same_v<T, UpdateSubscriber> || std::is_same_v<T, CreateFeed> ||
                           std::is_same_v<T, UpdateFeed>)
          return handle_alerts(tx, c);
        else if constexpr (std::is_same_v<T, DraftReport> || std::is_same_v<T, EditReport> ||
                           std::is_same_v<T, SubmitReport> || std::is_same_v<T, ReviewReport> ||
                           std::is_same_v<T, EnsureReportDuty>)
          return handle_reports(tx, c);
        else return handle_access(tx, c);
      },
      command);
}

}  // namespace liandong::engine::internal

namespace liandong::engine {

const char* command_name(const Command& c) {
  static constexpr const char* kNames[] = {"report_alarm",   "mark_nuisance", "locate_alarm",    "split_alarm",
                                           "merge_incidents", "update_incident", "change_status", "set_priority",
                                           "confirm_grade",  "register_agency", "register_station", "register_unit",
                                           "register_units", "update_unit",    "change_unit_status", "dispatch_units", "recall_unit",
                                           "reassign_unit",
                                           "create_person",  "update_person", "set_password",  "set_person_disabled",
                                           "create_key",     "revoke_key",    "open_session",  "close_session",
                                           "record_refusal", "record_reveal",  "create_plan",   "save_plan_draft",
                                           "change_plan_version", "add_plan_finding", "activate_plan",
                                           "change_activation_level", "stand_down", "update_task", "start_drill",
                                           "fire_timers", "register_monitoring_stations",
                                           "update_monitoring_station", "record_detections", "raise_warning",
                                           "change_warning", "link_warning", "load_river_network",
                                           "register_tracked_object", "create_fence", "update_fence",
                                           "record_fence_hits", "draft_alert", "edit_alert", "submit_alert",
                                           "review_alert", "receive_alert", "create_subscriber",
                                           "update_subscriber", "create_feed", "update_feed", "draft_report",
                                           "edit_report", "submit_report", "review_report",
                                           "ensure_report_duty"};
  static_assert(std::size(kNames) == std::variant_size_v<Command>);
  return kNames[c.index()];
}

}  // namespace liandong::engine
