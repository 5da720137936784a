// State::apply for the plan events: plans and their versions, activations, tasks, notifications and
// drill injects; and the timers (task deadlines, drill injects) derived from those records.
#include <algorithm>
#include <cstdio>

#include "core/ids.h"
#include "engine/internal/json_fields.h"
#include "engine/state.h"

namespace liandong::engine {

using nlohmann::json;

namespace {

core::Status data_loss(const Event& e, const std::string& why) {
  return {core::Code::kDataLoss, "event " + std::to_string(e.seq) + " (" + e.type + "): " + why};
}

std::string str(const json& d, const char* key) { return internal::str_or(d, key); }

}  // namespace

namespace {

bool task_pending(const Task& t) { return !t.finished() && !t.overdue_at; }

}  // namespace

void State::set_task_timer(size_t index, const Task& t, bool add) {
  Timer k{core::to_unix_millis(t.deadline), index, Timer::kTask};
  if (add && task_pending(t)) timers_.insert(k);
  else if (!add) timers_.erase(k);
}

void State::set_inject_timers(size_t index, const Activation& a, bool add) {
  for (size_t i = 0; i < a.injects.size(); ++i) {
    Timer k{core::to_unix_millis(a.activated_at + a.injects[i].after), index, static_cast<uint32_t>(i)};
    if (add && a.active() && !a.injects[i].done) timers_.insert(k);
    else if (!add) timers_.erase(k);
  }
}

std::optional<core::Timestamp> State::next_timer() const {
  if (timers_.empty()) return std::nullopt;
  return core::from_unix_millis(timers_.begin()->due);
}

std::vector<std::string> State::due_timers(core::Timestamp now, size_t limit) const {
  std::vector<std::string> out;
  int64_t t = core::to_unix_millis(now);
  for (auto it = timers_.begin(); it != timers_.end() && it->due <= t && out.size() < limit; ++it) {
    if (it->inject == Timer::kTask) {
      out.push_back(v_.tasks[it->record].id);
    } else if (it->inject == Timer::kObligation) {
      out.push_back(v_.obligations[it->record].id);
    } else {
      char digits[24];  // zero-padded: keys sort as the injects' order
      std::snprintf(digits, sizeof digits, "%06u", it->inject);
      out.push_back(v_.activations[it->record].id + "#" + digits);
    }
  }
  return out;
}

core::Status State::apply_plan(const Event& e) {
  const json& d = e.data;
  auto plan_at = [&](const std::string& id) { return index_of(id, v_.node, core::kKindPlan, v_.plans.size()); };
  auto act_at = [&](const std::string& id) {
    return index_of(id, v_.node, core::kKindActivation, v_.activations.size());
  };
  auto task_at = [&](const std::string& id) { return index_of(id, v_.node, core::kKindTask, v_.tasks.size()); };
  auto incident_at = [&](const std::string& id) {
    return index_of(id, v_.node, core::kKindIncident, v_.incidents.size());
  };
  // Adds a line to the incident's timeline (the review reads it).
  auto note_incident = [&](const std::string& incident_id, std::string summary) -> core::Status {
    auto idx = incident_at(incident_id);
    if (idx < 0) return data_loss(e, "unknown incident " + incident_id);
    Incident inc = v_.incidents[idx];
    add_timeline(inc, e, std::move(summary));
    put_incident(idx, std::move(inc));
    return core::Status::ok();
  };

  // Plans.
  if (e.type == "plan.created") {
    auto p = plan_record_from_json(internal::member_or_empty(d, "plan"));
    if (!p) return data_loss(e, p.status().message());
    if (p->id != core::format_id(v_.node, core::kKindPlan, v_.plans.size() + 1))
      return data_loss(e, "plan id " + p->id + " out of sequence");
    v_.plans.push_back(std::make_shared<const PlanRecord>(std::move(*p)));
    return core::Status::ok();
  }
  if (e.type.rfind("plan.", 0) == 0) {
    auto idx = plan_at(str(d, "plan_id"));
    if (idx < 0) return data_loss(e, "unknown plan " + str(d, "plan_id"));
    PlanRecord p = v_.plans[idx];
    if (e.type == "plan.version_saved") {
      // The version comes as the plan record's form of one version (with its plan).
      json wrapper = {{"id", p.id}, {"jurisdiction", p.jurisdiction}, {"key", p.key}, {"findings", json::array()},
                      {"versions", json::array({internal::member_or_empty(d, "version")})}};
      auto one = plan_record_from_json(wrapper);
      if (!one) return data_loss(e, one.status().message());
      PlanVersion v = std::move(one->versions[0]);
      if (v.number == p.versions.size() && p.versions.back().status == "draft") p.versions.back() = std::move(v);
      else if (v.number == p.versions.size() + 1) p.versions.push_back(std::move(v));
      else return data_loss(e, "version " + std::to_string(v.number) + " out of sequence");
    } else if (e.type == "plan.version_changed") {
      auto n = d.value("version", 0u);
      if (n == 0 || n > p.versions.size()) return data_loss(e, "unknown version");
      PlanVersion& v = p.versions[n - 1];
      v.status = str(d, "to");
      v.steps.push_back({v.status, str(d, "by"), e.time, str(d, "note")});
      if (v.status == "reviewed" || v.status == "approved") p.last_reviewed_at = e.time;
    } else if (e.type == "plan.finding_added") {
      p.findings.push_back({e.time, str(d, "by"), str(d, "incident_id"), str(d, "text")});
    } else if (e.type == "plan.drilled") {
      p.last_drilled_at = e.time;
    } else {
      return core::Status::ok();  // later versions' plan events
    }
    v_.plans.set(idx, std::make_shared<const PlanRecord>(std::move(p)));
    return core::Status::ok();
  }

  // Activations.
  if (e.type == "activation.started") {
    auto a = activation_from_json(internal::member_or_empty(d, "activation"));
    if (!a) return data_loss(e, a.status().message());
    if (a->id != core::format_id(v_.node, core::kKindActivation, v_.activations.size() + 1))
      return data_loss(e, "activation id " + a->id + " out of sequence");
    a->activated_at = e.time;
    set_inject_timers(v_.activations.size(), *a, true);
    LD_RETURN_IF_ERROR(note_incident(a->incident_id, std::string(a->exercise ? "drill: " : "") + "plan " + a->plan_id +
                                                         " v" + std::to_string(a->plan_version) + " activated at level " +
                                                         a->level + (a->automatic ? " (on the confirmed grade)" : "") +
                                                         (str(d, "reason").empty() ? "" : " (" + str(d, "reason") + ")")));
    v_.activations.push_back(std::make_shared<const Activation>(std::move(*a)));
    return core::Status::ok();
  }
  if (e.type.rfind("activation.", 0) == 0) {
    auto idx = act_at(str(d, "activation_id"));
    if (idx < 0) return data_loss(e, "unknown activation " + str(d, "activation_id"));
    Activation a = v_.activations[idx];
    if (e.type == "activation.level_changed") {
      std::string from = a.level, to = str(d, "to");
      a.level = to;
      a.forces.clear();
      try {
        for (const auto& f : d.at("forces"))
          a.forces.push_back({f.at("type").get<std::string>(), f.at("count").get<uint32_t>(),
                              f.at("capabilities").get<std::vector<std::string>>()});
        for (const auto& r : d.at("reports_due")) {
          auto due = core::parse_rfc3339(r.at("due_at").get<std::string>(), "due_at");
          if (!due) return data_loss(e, due.status().message());
          a.reports_due.push_back({r.at("type").get<std::string>(), r.at("recipient_level").get<std::string>(), *due, to});
        }
      } catch (const std::exception& ex) {
        return data_loss(e, std::string("bad level change: ") + ex.what());
      }
      a.lead = str(d, "lead");
      a.command_post = str(d, "command_post");
      if (auto it = d.find("automatic"); it != d.end() && it->is_boolean()) a.automatic = it->get<bool>();
      a.history.push_back({from, to, e.time, str(d, "by"), str(d, "reason")});
      LD_RETURN_IF_ERROR(note_incident(a.incident_id, "plan " + a.plan_id + " level " + from + " → " + to +
                                                          (str(d, "reason").empty() ? "" : " (" + str(d, "reason") + ")")));
    } else if (e.type == "activation.stood_down") {
      set_inject_timers(size_t(idx), a, false);
      a.history.push_back({a.level, "", e.time, str(d, "by"), str(d, "reason")});
      a.status = "stood_down";
      a.level.clear();
      a.stood_down_at = e.time;
      LD_RETURN_IF_ERROR(note_incident(a.incident_id, "plan " + a.plan_id + " stood down (" + str(d, "reason") + ")"));
    } else {
      return core::Status::ok();
    }
    v_.activations.set(idx, std::make_shared<const Activation>(std::move(a)));
    return core::Status::ok();
  }

  // Tasks.
  if (e.type == "task.created") {
    auto t = task_from_json(internal::member_or_empty(d, "task"));
    if (!t) return data_loss(e, t.status().message());
    if (t->id != core::format_id(v_.node, core::kKindTask, v_.tasks.size() + 1))
      return data_loss(e, "task id " + t->id + " out of sequence");
    auto aidx = act_at(t->activation_id);
    if (aidx < 0) return data_loss(e, "unknown activation " + t->activation_id);
    Activation a = v_.activations[aidx];
    a.task_ids.push_back(t->id);
    v_.activations.set(aidx, std::make_shared<const Activation>(std::move(a)));
    t->created_at = e.time;
    set_task_timer(v_.tasks.size(), *t, true);
    v_.tasks.push_back(std::make_shared<const Task>(std::move(*t)));
    return core::Status::ok();
  }
  if (e.type.rfind("task.", 0) == 0) {
    auto idx = task_at(str(d, "task_id"));
    if (idx < 0) return data_loss(e, "unknown task " + str(d, "task_id"));
    Task t = v_.tasks[idx];
    const bool was_pending = task_pending(t);  // the deadline never changes: only leaving counts
    std::string by = str(d, "by");
    if (e.type == "task.updated") {
      std::string action = str(d, "action");
      core::Timestamp at = e.time;
      if (action == "accept") t.accepted_at = at;
      if (action == "start") {
        t.started_at = at;
        if (!t.accepted_at) t.accepted_at = at;
      }
      if (action == "complete") t.completed_at = at;
      if (!str(d, "to").empty()) t.status = str(d, "to");
      t.notes.push_back({at, by, action, str(d, "note")});
      if (action == "complete")
        LD_RETURN_IF_ERROR(note_incident(t.incident_id, "task " + t.key + " completed" +
                                                            (t.completed_at > t.deadline ? " (late)" : "")));
    } else if (e.type == "task.released") {
      t.status = "open";
      t.notes.push_back({e.time, by, "release", "predecessors done"});
    } else if (e.type == "task.overdue") {
      t.overdue_at = e.time;
      t.escalated_to = str(d, "escalated_to");
      t.notes.push_back({e.time, by, "overdue", t.escalated_to.empty() ? "" : "escalated to " + t.escalated_to});
      LD_RETURN_IF_ERROR(note_incident(t.incident_id, "task " + t.key + " overdue" +
                                                          (t.escalated_to.empty() ? "" : ", escalated to " + t.escalated_to)));
    } else if (e.type == "task.stood_down") {
      t.status = "stood_down";
      t.notes.push_back({e.time, by, "stand_down", str(d, "reason")});
    } else {
      return core::Status::ok();
    }
    if (was_pending && !task_pending(t)) set_task_timer(size_t(idx), t, false);
    v_.tasks.set(idx, std::make_shared<const Task>(std::move(t)));
    return core::Status::ok();
  }

  if (e.type == "notification.sent") {
    auto n = notification_from_json(internal::member_or_empty(d, "notification"));
    if (!n) return data_loss(e, n.status().message());
    if (n->id != core::format_id(v_.node, core::kKindNotification, v_.notifications.size() + 1))
      return data_loss(e, "notification id " + n->id + " out of sequence");
    n->at = e.time;
    v_.notifications.push_back(std::make_shared<const Notification>(std::move(*n)));
    return core::Status::ok();
  }

  if (e.type == "drill.inject") {
    auto idx = act_at(str(d, "activation_id"));
    if (idx < 0) return data_loss(e, "unknown activation " + str(d, "activation_id"));
    Activation a = v_.activations[idx];
    auto i = d.value("index", size_t{0});
    if (i >= a.injects.size()) return data_loss(e, "unknown inject");
    set_inject_timers(size_t(idx), a, false);
    a.injects[i].done = true;
    set_inject_timers(size_t(idx), a, true);
    LD_RETURN_IF_ERROR(note_incident(a.incident_id, "drill inject: " + a.injects[i].action +
                                                        (str(d, "summary").empty() ? "" : " — " + str(d, "summary"))));
    v_.activations.set(idx, std::make_shared<const Activation>(std::move(a)));
    return core::Status::ok();
  }
  return core::Status::ok();  // later versions' events of these kinds
}

}  // namespace liandong::engine
