// The plan commands: plans and their life-cycle, activation (by grade, by hand, in drills), level
// changes and stand-down, tasks, and the timers (deadlines, drill injects).
//
// Every handler validates before its first emit (Tx's rule); where one step depends on an earlier
// one (a task released after its predecessor completes), the later step is computed from the state
// the earlier emit left.
#include <algorithm>
#include <map>

#include "core/ids.h"
#include "core/jurisdiction.h"
#include "engine/internal/handlers.h"
#include "engine/internal/json_fields.h"
#include "plans/activation.h"
#include "plans/lifecycle.h"
#include "plans/parse.h"
#include "plans/plan_json.h"

namespace liandong::engine::internal {

using nlohmann::json;

namespace {

const char* kDefaultRole = "duty_officer";

std::optional<core::Grade> parse_level(const std::string& s) { return core::parse_grade(s); }
std::string level_str(plans::Level l) { return std::string(core::to_string(l)); }

json forces_json(const std::vector<plans::Force>& forces) {
  json a = json::array();
  for (const auto& f : forces) a.push_back({{"type", f.type}, {"count", f.count}, {"capabilities", f.capabilities}});
  return a;
}

core::Result<const PlanRecord*> get_plan(const Tx& tx, const std::string& id) {
  const PlanRecord* p = tx.view().find_plan(id);
  if (!p) return core::not_found("no plan " + id + " on this node");
  return p;
}

// The next role up in rank that may act on plans (holds plan.activate); "" when there is none.
std::string next_role_up(const access::RoleCatalog& roles, const std::string& role) {
  const access::Role* from = roles.find(role);
  int rank = from ? from->rank : 0;
  const access::Role* best = nullptr;
  for (const auto& r : roles.roles()) {
    if (r.rank <= rank) continue;
    if (std::find(r.permissions.begin(), r.permissions.end(), "plan.activate") == r.permissions.end()) continue;
    if (!best || r.rank < best->rank || (r.rank == best->rank && r.name < best->name)) best = &r;
  }
  return best ? best->name : std::string();
}

// The agency of `kind` in `jurisdiction` or the nearest jurisdiction above it; "" when none.
std::string find_agency(const View& v, const std::string& kind, const std::string& jurisdiction) {
  auto code = core::JurisdictionCode::parse(jurisdiction);
  if (!code) return {};
  for (int up = 0; up < 3; ++up) {
    for (size_t i = 0; i < v.agencies.size(); ++i)
      if (v.agencies[i].kind == kind && v.agencies[i].jurisdiction == code->str()) return v.agencies[i].id;
    auto parent = code->parent();
    if (parent == *code) break;
    code = parent;
  }
  return {};
}

plans::Facts facts_of(const Incident& inc) {
  plans::Facts f;
  f.category = inc.category;
  f.type = inc.type;
  f.jurisdiction = inc.jurisdiction;
  f.confirmed_grade = inc.confirmed_grade;
  f.figures = inc.figures;
  return f;
}

// The task of `activation` with `key` that is not stood down, or nullptr.
const Task* task_by_key(const View& v, const Activation& a, const std::string& key) {
  const Task* found = nullptr;
  for (const auto& id : a.task_ids) {
    const Task* t = v.find_task(id);
    if (t && t->key == key && t->status != "stood_down") found = t;
  }
  return found;
}

std::string task_owner_kind(const plans::Plan& plan, const std::string& owner) {
  for (const auto& g : plan.groups)
    if (g.key == owner) return g.lead;
  return owner;
}

// Creates the tasks a step adds, in dependency order, then the notifications, for activation `act`.
core::Status add_tasks_and_notify(Tx& tx, const std::string& activation_id, const plans::Plan& plan,
                                  const plans::LevelSpec& level, const plans::Step& step, const std::string& why) {
  // Copies: every emit replaces the records it changes, so references into the view do not outlive it.
  const bool exercise = tx.view().find_activation(activation_id)->exercise;
  const Incident inc_copy = *tx.view().find_incident(tx.view().find_activation(activation_id)->incident_id);
  const std::string& incident_id = inc_copy.id;
  const std::string& jurisdiction = inc_copy.jurisdiction;
  std::map<std::string, const plans::TaskSpec*> adding;
  for (const auto* t : step.add_tasks) adding[t->key] = t;
  std::string level_name = level_str(level.level);
  for (const auto& key : plans::task_order(level)) {
    auto it = adding.find(key);
    if (it == adding.end()) continue;
    const plans::TaskSpec& spec = *it->second;
    Task t;
    t.id = next_id(tx, core::kKindTask, tx.view().tasks.size());
    t.jurisdiction = jurisdiction;
    t.activation_id = activation_id;
    t.incident_id = incident_id;
    t.key = spec.key;
    t.level = level_name;
    t.owner = spec.owner;
    t.agency_id = find_agency(tx.view(), task_owner_kind(plan, spec.owner), jurisdiction);
    t.role = spec.role.empty() ? kDefaultRole : spec.role;
    t.description = spec.description;
    t.exercise = exercise;
    t.created_at = tx.now();
    t.deadline = tx.now() + spec.deadline;
    bool waiting = false;
    const Activation& now_act = *tx.view().find_activation(activation_id);
    for (const auto& dep : spec.depends_on) {
      const Task* d = task_by_key(tx.view(), now_act, dep);
      if (!d) continue;  // not at this level: ignored (the validator keeps dependencies within a level)
      t.depends_on.push_back(d->id);
      if (d->status != "completed") waiting = true;
    }
    t.status = waiting ? "waiting" : "open";
    LD_RETURN_IF_ERROR(tx.emit("task.created", jurisdiction, {{"task", to_json(t)}}));
  }
  for (const auto* n : step.notify) {
    Notification x;
    x.id = next_id(tx, core::kKindNotification, tx.view().notifications.size());
    x.jurisdiction = jurisdiction;
    x.incident_id = incident_id;
    x.activation_id = activation_id;
    x.role = n->role;
    x.agency = n->agency;
    x.channel = n->channel.empty() ? "console" : n->channel;
    x.message = !n->message.empty()
                    ? n->message
                    : plan.title + " " + level_name + "级响应" + why + ": " + inc_copy.title + " (" + incident_id + ")";
    x.exercise = exercise;
    x.delivery = exercise ? "suppressed_exercise" : "logged";
    x.at = tx.now();
    LD_RETURN_IF_ERROR(tx.emit("notification.sent", jurisdiction, {{"notification", to_json(x)}}));
  }
  return core::Status::ok();
}

json reports_json(const Tx& tx, const std::vector<const plans::ReportDue*>& reports, const std::string& level) {
  json a = json::array();
  for (const auto* r : reports)
    a.push_back({{"type", r->type},
                 {"recipient_level", r->recipient_level},
                 {"due_at", core::format_utc(tx.now() + r->deadline)},
                 {"level", level}});
  return a;
}

// Starts an activation of `version` at `level` on `inc`.
core::Result<std::string> activate(Tx& tx, const Incident& inc, const PlanRecord& plan, const PlanVersion& version,
                                   plans::Level level, bool automatic, bool exercise, const std::string& reason,
                                   std::vector<Inject> injects = {}) {
  const plans::LevelSpec* spec = version.plan.find_level(level);
  if (!spec) return core::invalid("plan " + plan.id + " v" + std::to_string(version.number) + " has no level " +
                                      level_str(level),
                                  "level");
  plans::Step step = plans::step(version.plan, std::nullopt, level);
  Activation a;
  a.id = next_id(tx, core::kKindActivation, tx.view().activations.size());
  a.jurisdiction = inc.jurisdiction;
  a.incident_id = inc.id;
  a.plan_id = plan.id;
  a.plan_version = version.number;
  a.level = level_str(level);
  a.automatic = automatic;
  a.exercise = exercise;
  a.activated_at = tx.now();
  a.lead = spec->lead;
  a.command_post = spec->command_post;
  a.forces = step.forces;
  for (const auto* r : step.add_reports) a.reports_due.push_back({r->type, r->recipient_level, tx.now() + r->deadline, a.level});
  a.history.push_back({"", a.level, tx.now(), tx.by(), reason});
  a.injects = std::move(injects);
  std::string id = a.id;
  std::vector<ReportDueRecord> due = a.reports_due;
  LD_RETURN_IF_ERROR(tx.emit("activation.started", inc.jurisdiction, {{"activation", to_json(a)}, {"reason", reason}}));
  LD_RETURN_IF_ERROR(add_tasks_and_notify(tx, id, version.plan, *spec, step, ""));
  LD_RETURN_IF_ERROR(reports_on_plan(tx, id, due));
  return id;
}

core::Status stand_down_tasks(Tx& tx, const Activation& a, const std::vector<std::string>* keys, const std::string& reason) {
  for (const auto& id : a.task_ids) {
    const Task* t = tx.view().find_task(id);
    if (!t || t->finished()) continue;
    if (keys && std::find(keys->begin(), keys->end(), t->key) == keys->end()) continue;
    LD_RETURN_IF_ERROR(tx.emit("task.stood_down", t->jurisdiction, {{"task_id", t->id}, {"reason", reason}}));
  }
  return core::Status::ok();
}

// `by_hand`: a person set the level; the activation then keeps it when a grade is confirmed later.
core::Status change_level(Tx& tx, const Activation& act, plans::Level to, const std::string& reason, bool by_hand) {
  const PlanRecord* plan = tx.view().find_plan(act.plan_id);
  const PlanVersion& version = plan->versions[act.plan_version - 1];
  const plans::LevelSpec* spec = version.plan.find_level(to);
  auto from = parse_level(act.level);
  plans::Step step = plans::step(version.plan, from, to);
  std::string id = act.id, from_s = act.level, to_s = level_str(to);
  std::string why = "level " + from_s + " → " + to_s + (reason.empty() ? "" : " (" + reason + ")");
  Activation copy = act;  // the record changes under us as events apply
  LD_RETURN_IF_ERROR(stand_down_tasks(tx, copy, &step.stand_down_tasks, why));
  LD_RETURN_IF_ERROR(tx.emit("activation.level_changed", copy.jurisdiction,
                             {{"activation_id", id},
                              {"incident_id", copy.incident_id},
                              {"from", from_s},
                              {"to", to_s},
                              {"reason", reason},
                              {"automatic", copy.automatic && !by_hand},
                              {"lead", spec->lead},
                              {"command_post", spec->command_post},
                              {"forces", forces_json(step.forces)},
                              {"reports_due", reports_json(tx, step.add_reports, to_s)}}));
  std::vector<ReportDueRecord> due;
  for (const auto* r : step.add_reports) due.push_back({r->type, r->recipient_level, tx.now() + r->deadline, to_s});
  LD_RETURN_IF_ERROR(add_tasks_and_notify(tx, id, version.plan, *spec, step,
                                          plans::graver(to, *from) ? "（升级）" : "（降级）"));
  return reports_on_plan(tx, id, due);
}

core::Status stand_down(Tx& tx, const Activation& act, const std::string& reason) {
  Activation copy = act;
  LD_RETURN_IF_ERROR(stand_down_tasks(tx, copy, nullptr, "stood down: " + reason));
  return tx.emit("activation.stood_down", copy.jurisdiction,
                 {{"activation_id", copy.id}, {"incident_id", copy.incident_id}, {"reason", reason}});
}

// The plan that fits the incident best: types named beat category only, a named jurisdiction beats
// none; then the lowest plan id. nullptr when none is in scope with a matching level.
const PlanRecord* best_plan(const View& v, const plans::Facts& facts, plans::Level* level) {
  const PlanRecord* best = nullptr;
  int best_score = -1;
  for (size_t i = 0; i < v.plans.size(); ++i) {
    const PlanRecord& p = v.plans[i];
    const PlanVersion* eff = p.effective();
    if (!eff || !plans::in_scope(eff->plan, facts)) continue;
    auto l = plans::select_level(eff->plan, facts);
    if (!l) continue;
    int score = (eff->plan.scope.types.empty() ? 0 : 2) + (eff->plan.scope.jurisdictions.empty() ? 0 : 1);
    if (score > best_score) {
      best = &p;
      best_score = score;
      *level = *l;
    }
  }
  return best;
}

core::Result<Outcome> activation_answer(const Tx& tx, const std::string& activation_id, bool created) {
  const Activation* a = tx.view().find_activation(activation_id);
  json j = to_json(*a);
  json tasks = json::array();
  for (const auto& id : a->task_ids) tasks.push_back(to_json(*tx.view().find_task(id)));
  j["tasks"] = std::move(tasks);
  return Outcome{std::move(j), created};
}

// Why `t` may not take `action` now, or "" when it may.
std::string task_refusal(const View& v, const Task& t, const std::string& action) {
  if (t.finished()) return "task " + t.id + " is " + t.status;
  if (action == "note") return "";
  if (t.status == "waiting") {
    std::string open;
    for (const auto& id : t.depends_on) {
      const Task* d = v.find_task(id);
      if (d && d->status != "completed") open += (open.empty() ? "" : ", ") + d->id + " (" + d->key + ")";
    }
    return "task " + t.id + " waits for " + open;
  }
  if (action == "accept" && t.status != "open") return "task " + t.id + " is " + t.status + "; only an open task is accepted";
  if (action == "start" && t.status != "open" && t.status != "accepted")
    return "task " + t.id + " is " + t.status + "; only an open or accepted task is started";
  return "";
}

// Applies a validated task action and releases the tasks that waited only for it.
core::Status do_task(Tx& tx, const Task& task, const std::string& action, const std::string& note) {
  std::string to = action == "accept" ? "accepted" : action == "start" ? "in_progress" : action == "complete" ? "completed" : "";
  std::string id = task.id, activation_id = task.activation_id, jurisdiction = task.jurisdiction, from = task.status;
  LD_RETURN_IF_ERROR(tx.emit("task.updated", jurisdiction,
                             {{"task_id", id}, {"incident_id", task.incident_id}, {"action", action}, {"from", from},
                              {"to", to.empty() ? from : to}, {"note", note}}));
  if (action != "complete") return core::Status::ok();
  const Activation& a = *tx.view().find_activation(activation_id);
  std::vector<std::string> ids = a.task_ids;
  for (const auto& tid : ids) {
    const Task* t = tx.view().find_task(tid);
    if (!t || t->status != "waiting") continue;
    bool ready = std::all_of(t->depends_on.begin(), t->depends_on.end(), [&](const std::string& d) {
      const Task* p = tx.view().find_task(d);
      return !p || p->status == "completed" || p->status == "stood_down";
    });
    if (ready) LD_RETURN_IF_ERROR(tx.emit("task.released", t->jurisdiction, {{"task_id", t->id}, {"after", id}}));
  }
  return core::Status::ok();
}

core::Result<const Activation*> get_active_activation(const Tx& tx, const std::string& id) {
  const Activation* a = tx.view().find_activation(id);
  if (!a) return core::not_found("no activation " + id + " on this node");
  if (!a->active()) return core::conflict("activation " + id + " was stood down");
  return a;
}

}  // namespace

core::Status activate_for_grade(Tx& tx, const std::string& incident_id) {
  const Incident* inc = tx.view().find_incident(incident_id);
  if (!inc || !inc->confirmed_grade || is_final_status(inc->status)) return core::Status::ok();
  plans::Facts facts = facts_of(*inc);
  const bool exercise = inc->exercise;
  const std::string grade(core::to_string(*inc->confirmed_grade));
  bool any = false;
  for (const Activation* a : tx.view().activations_of(incident_id)) {
    if (!a->active()) continue;
    any = true;
    if (!a->automatic) continue;  // a level set by hand stays until a person changes it
    const PlanRecord* plan = tx.view().find_plan(a->plan_id);
    const PlanVersion& version = plan->versions[a->plan_version - 1];
    auto level = plans::select_level(version.plan, facts);
    if (!level) {
      LD_RETURN_IF_ERROR(stand_down(tx, *a, "grade " + grade + " meets no level of the plan"));
    } else if (level_str(*level) != a->level) {
      LD_RETURN_IF_ERROR(change_level(tx, *a, *level, "grade confirmed " + grade, false));
    }
  }
  if (any || exercise) return core::Status::ok();
  plans::Level level{};
  const PlanRecord* plan = best_plan(tx.view(), facts, &level);
  if (!plan) return core::Status::ok();
  const Incident now_inc = *tx.view().find_incident(incident_id);
  auto r = activate(tx, now_inc, *plan, *plan->effective(), level, true, false, "grade confirmed " + grade);
  return r.status();
}

core::Status stand_down_incident(Tx& tx, const std::string& incident_id, const std::string& reason) {
  for (const Activation* a : tx.view().activations_of(incident_id))
    if (a->active()) LD_RETURN_IF_ERROR(stand_down(tx, *a, reason));
  return core::Status::ok();
}

// --- plans ---

core::Result<Outcome> handle_plans(Tx& tx, const CreatePlan& c) {
  std::string jurisdiction = c.jurisdiction.empty() ? tx.rules().node : c.jurisdiction;
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, jurisdiction));
  if (const PlanRecord* other = tx.view().find_plan_by_key(c.plan.key))
    return core::conflict("plan key '" + c.plan.key + "' is plan " + other->id + "; save a new version of it instead",
                          "key");
  PlanRecord p;
  p.id = next_id(tx, core::kKindPlan, tx.view().plans.size());
  p.jurisdiction = jurisdiction;
  p.key = c.plan.key;
  PlanVersion v;
  v.number = 1;
  v.status = std::string(plans::kDraft);
  v.source = c.source;
  v.plan = c.plan;
  v.author = tx.by();
  v.saved_at = tx.now();
  v.steps.push_back({v.status, tx.by(), tx.now(), "created"});
  p.versions.push_back(std::move(v));
  std::string id = p.id;
  LD_RETURN_IF_ERROR(tx.emit("plan.created", jurisdiction, {{"plan", to_json(p, true)}}));
  return Outcome{to_json(*tx.view().find_plan(id), true), true};
}

core::Result<Outcome> handle_plans(Tx& tx, const SavePlanDraft& c) {
  auto p = get_plan(tx, c.plan_id);
  if (!p) return p.status();
  const PlanRecord& plan = **p;
  if (plan.retired()) return core::conflict("plan " + plan.id + " is retired");
  if (c.plan.key != plan.key)
    return core::invalid("the key of plan " + plan.id + " is '" + plan.key + "', not '" + c.plan.key + "'", "key");
  const PlanVersion& latest = plan.latest();
  if (latest.status == plans::kSubmitted || latest.status == plans::kReviewed)
    return core::conflict("version " + std::to_string(latest.number) + " is " + latest.status +
                              "; return it to draft before changing it",
                          "version");
  bool replace = latest.status == plans::kDraft;
  PlanVersion v;
  v.number = replace ? latest.number : latest.number + 1;
  v.status = std::string(plans::kDraft);
  v.source = c.source;
  v.plan = c.plan;
  v.author = tx.by();
  v.saved_at = tx.now();
  v.steps = replace ? latest.steps : std::vector<LifecycleStep>{};
  v.steps.push_back({v.status, tx.by(), tx.now(), replace ? "draft saved" : "revision started"});
  const PlanVersion* eff = plan.effective();
  std::string id = plan.id, jurisdiction = plan.jurisdiction;
  bool revise = !replace && eff && eff->status != plans::kUnderRevision;
  uint32_t eff_number = eff ? eff->number : 0;
  std::string eff_status = eff ? eff->status : "";
  json vj = to_json(v, true);
  LD_RETURN_IF_ERROR(tx.emit("plan.version_saved", jurisdiction, {{"plan_id", id}, {"version", std::move(vj)}}));
  if (revise)
    LD_RETURN_IF_ERROR(tx.emit("plan.version_changed", jurisdiction,
                               {{"plan_id", id}, {"version", eff_number}, {"from", eff_status},
                                {"to", plans::kUnderRevision}, {"note", "revision v" + std::to_string(v.number) + " started"}}));
  return Outcome{to_json(*tx.view().find_plan(id), true), !replace};
}

core::Result<Outcome> handle_plans(Tx& tx, const ChangePlanVersion& c) {
  auto p = get_plan(tx, c.plan_id);
  if (!p) return p.status();
  const PlanRecord& plan = **p;
  if (c.version == 0 || c.version > plan.versions.size())
    return core::not_found("plan " + plan.id + " has no version " + std::to_string(c.version));
  const PlanVersion& v = plan.versions[c.version - 1];
  if (!plans::is_version_status(c.to) || c.to == plans::kUnderRevision || c.to == plans::kSuperseded)
    return core::invalid("a version is moved to submitted, reviewed, approved, filed, retired or back to draft", "to");
  if (!plans::is_valid_version_transition(v.status, c.to))
    return core::conflict("version " + std::to_string(v.number) + " of plan " + plan.id + " cannot go from " + v.status +
                              " to " + c.to,
                          "to");
  if (c.to == plans::kDraft && c.note.empty()) return core::invalid("returning a version to draft needs a reason", "note");
  if ((c.to == plans::kReviewed || c.to == plans::kApproved) && tx.by() == v.author)
    return core::Status(core::Code::kPermissionDenied, "version " + std::to_string(v.number) + " was written by " + v.author +
                           "; a second person reviews and approves it", "to");
  std::string id = plan.id, jurisdiction = plan.jurisdiction, from = v.status;
  // Approving a revision supersedes the version it revised.
  std::vector<uint32_t> superseded;
  if (c.to == plans::kApproved)
    for (const auto& other : plan.versions)
      if (other.number != v.number && plans::may_activate(other.status)) superseded.push_back(other.number);
  LD_RETURN_IF_ERROR(tx.emit("plan.version_changed", jurisdiction,
                             {{"plan_id", id}, {"version", c.version}, {"from", from}, {"to", c.to}, {"note", c.note}}));
  for (auto n : superseded)
    LD_RETURN_IF_ERROR(tx.emit("plan.version_changed", jurisdiction,
                               {{"plan_id", id},
                                {"version", n},
                                {"from", tx.view().find_plan(id)->versions[n - 1].status},
                                {"to", plans::kSuperseded},
                                {"note", "superseded by v" + std::to_string(c.version)}}));
  return Outcome{to_json(*tx.view().find_plan(id), true), false};
}

core::Result<Outcome> handle_plans(Tx& tx, const AddPlanFinding& c) {
  auto p = get_plan(tx, c.plan_id);
  if (!p) return p.status();
  if (c.text.empty()) return core::invalid("a finding needs its text", "text");
  if (!c.incident_id.empty() && !tx.view().find_incident(c.incident_id))
    return core::not_found("no incident " + c.incident_id + " on this node");
  std::string id = (*p)->id;
  LD_RETURN_IF_ERROR(tx.emit("plan.finding_added", (*p)->jurisdiction,
                             {{"plan_id", id}, {"incident_id", c.incident_id}, {"text", c.text}}));
  return Outcome{to_json(*tx.view().find_plan(id), false), true};
}

// --- activation ---

core::Result<Outcome> handle_plans(Tx& tx, const ActivatePlan& c) {
  const Incident* inc = tx.view().find_incident(c.incident_id);
  if (!inc) return core::not_found("no incident " + c.incident_id + " on this node");
  if (is_final_status(inc->status)) return core::conflict("incident " + inc->id + " is " + inc->status);
  auto p = get_plan(tx, c.plan_id);
  if (!p) return p.status();
  auto level = parse_level(c.level);
  if (!level) return core::invalid("level must be I, II, III or IV", "level");
  const PlanVersion* eff = (*p)->effective();
  if (!eff)
    return core::conflict("plan " + (*p)->id + " has no approved or filed version; only those activate", "plan_id");
  if (c.reason.empty()) return core::invalid("activating a plan by hand needs a reason", "reason");
  for (const Activation* a : tx.view().activations_of(inc->id)) {
    if (!a->active() || a->plan_id != (*p)->id) continue;
    if (a->level == c.level) return activation_answer(tx, a->id, false);
    std::string id = a->id;
    const PlanVersion& v = (*p)->versions[a->plan_version - 1];
    if (!v.plan.find_level(*level))
      return core::invalid("plan " + (*p)->id + " v" + std::to_string(v.number) + " has no level " + c.level, "level");
    LD_RETURN_IF_ERROR(change_level(tx, *a, *level, c.reason, true));
    return activation_answer(tx, id, false);
  }
  if (!eff->plan.find_level(*level))
    return core::invalid("plan " + (*p)->id + " v" + std::to_string(eff->number) + " has no level " + c.level, "level");
  auto id = activate(tx, *inc, **p, *eff, *level, false, inc->exercise, c.reason);
  if (!id) return id.status();
  return activation_answer(tx, *id, true);
}

core::Result<Outcome> handle_plans(Tx& tx, const ChangeActivationLevel& c) {
  auto a = get_active_activation(tx, c.activation_id);
  if (!a) return a.status();
  auto level = parse_level(c.level);
  if (!level) return core::invalid("level must be I, II, III or IV", "level");
  if (c.reason.empty()) return core::invalid("a change of level needs a reason", "reason");
  const PlanRecord* plan = tx.view().find_plan((*a)->plan_id);
  if (!plan->versions[(*a)->plan_version - 1].plan.find_level(*level))
    return core::invalid("plan " + plan->id + " v" + std::to_string((*a)->plan_version) + " has no level " + c.level,
                         "level");
  if ((*a)->level == c.level) return activation_answer(tx, c.activation_id, false);
  LD_RETURN_IF_ERROR(change_level(tx, **a, *level, c.reason, true));
  return activation_answer(tx, c.activation_id, false);
}

core::Result<Outcome> handle_plans(Tx& tx, const StandDown& c) {
  auto a = get_active_activation(tx, c.activation_id);
  if (!a) return a.status();
  if (c.reason.empty()) return core::invalid("standing down needs a reason", "reason");
  LD_RETURN_IF_ERROR(stand_down(tx, **a, c.reason));
  return activation_answer(tx, c.activation_id, false);
}

// --- tasks ---

core::Result<Outcome> handle_plans(Tx& tx, const UpdateTask& c) {
  const Task* t = tx.view().find_task(c.task_id);
  if (!t) return core::not_found("no task " + c.task_id + " on this node");
  if (c.action != "accept" && c.action != "start" && c.action != "complete" && c.action != "note")
    return core::invalid("action must be accept, start, complete or note", "action");
  if (c.action == "note" && c.note.empty()) return core::invalid("a note needs its text", "note");
  if (auto why = task_refusal(tx.view(), *t, c.action); !why.empty()) return core::conflict(why, "action");
  std::string id = t->id;
  LD_RETURN_IF_ERROR(do_task(tx, *t, c.action, c.note));
  return Outcome{to_json(*tx.view().find_task(id)), false};
}

// --- drills ---

core::Result<Outcome> handle_plans(Tx& tx, const StartDrill& c) {
  auto p = get_plan(tx, c.plan_id);
  if (!p) return p.status();
  const PlanVersion* version = (*p)->effective();
  if (!version) version = &(*p)->latest();  // a draft may be drilled: everything is an exercise
  auto level = parse_level(c.level);
  if (!level) return core::invalid("level must be I, II, III or IV", "level");
  if (!version->plan.find_level(*level))
    return core::invalid("plan " + (*p)->id + " v" + std::to_string(version->number) + " has no level " + c.level, "level");
  std::string jurisdiction = c.jurisdiction.empty() ? tx.rules().node : c.jurisdiction;
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, jurisdiction));
  std::string type = c.type;
  const auto& scope = version->plan.scope;
  if (type.empty() && !scope.types.empty()) type = scope.types.front();
  if (type.empty())
    for (const auto& t : tx.rules().taxonomy->types())
      if (std::find(scope.categories.begin(), scope.categories.end(), t.category) != scope.categories.end()) {
        type = t.code;
        break;
      }
  const auto* tt = tx.rules().taxonomy->find(type);
  if (!tt) return core::invalid("unknown incident type '" + type + "'", "type");
  for (size_t i = 0; i < c.injects.size(); ++i) {
    const Inject& in = c.injects[i];
    std::string at = "injects[" + std::to_string(i) + "]";
    if (in.after.count() < 0) return core::invalid("an inject's time is after the drill's start", at + ".after_s");
    if (in.action != "confirm_grade" && in.action != "figures" && in.action != "task" && in.action != "note")
      return core::invalid("action must be confirm_grade, figures, task or note", at + ".action");
  }
  Incident inc;
  inc.id = next_id(tx, core::kKindIncident, tx.view().incidents.size());
  inc.jurisdiction = jurisdiction;
  inc.status = kStatusVerified;
  inc.category = tt->category;
  inc.type = type;
  inc.priority = core::Priority::kP3;
  inc.title = c.title.empty() ? "演练 · " + version->plan.title : c.title;
  inc.description = "exercise of plan " + (*p)->id + " v" + std::to_string(version->number) + " at level " + c.level;
  inc.location = c.location;
  inc.address = c.address;
  inc.opened_at = inc.updated_at = inc.last_alarm_at = tx.now();
  inc.exercise = true;
  std::string incident_id = inc.id;
  LD_RETURN_IF_ERROR(tx.emit("incident.opened", jurisdiction, {{"incident_id", incident_id}, {"incident", to_journal_json(inc, false)},
                                                              {"exercise", true}}));
  LD_RETURN_IF_ERROR(tx.emit("incident.grade_confirmed", jurisdiction,
                             {{"incident_id", incident_id}, {"grade", c.level}, {"proposed", nullptr},
                              {"reason", "drill at level " + c.level}}));
  const Incident& opened = *tx.view().find_incident(incident_id);
  std::string plan_id = (*p)->id;
  auto id = activate(tx, opened, **p, *version, *level, true, true, "drill", c.injects);
  if (!id) return id.status();
  LD_RETURN_IF_ERROR(tx.emit("plan.drilled", jurisdiction, {{"plan_id", plan_id}, {"incident_id", incident_id},
                                                           {"activation_id", *id}}));
  auto answer = activation_answer(tx, *id, true);
  if (answer) answer->body["incident"] = to_json(*tx.view().find_incident(incident_id), false);
  return answer;
}

// --- timers ---

namespace {

// Runs one drill inject: validates it against the state, then emits the inject's record and its effect.
core::Status run_inject(Tx& tx, const std::string& activation_id, size_t index) {
  const Activation& a = *tx.view().find_activation(activation_id);
  const Inject in = a.injects[index];
  const Incident& inc = *tx.view().find_incident(a.incident_id);
  std::string incident_id = inc.id, jurisdiction = inc.jurisdiction, summary;
  const json& d = in.data;
  auto record = [&](const std::string& s) {
    return tx.emit("drill.inject", jurisdiction,
                   {{"activation_id", activation_id}, {"incident_id", incident_id}, {"index", index},
                    {"action", in.action}, {"summary", s}});
  };
  if (in.action == "confirm_grade") {
    auto g = d.is_object() && d.contains("grade") && d["grade"].is_string()
                 ? core::parse_grade(d["grade"].get<std::string>())
                 : std::nullopt;
    if (!g || is_final_status(inc.status)) return record("skipped: no valid grade");
    auto before = inc.confirmed_grade;
    LD_RETURN_IF_ERROR(record("grade " + std::string(core::to_string(*g))));
    LD_RETURN_IF_ERROR(tx.emit("incident.grade_confirmed", jurisdiction,
                               {{"incident_id", incident_id}, {"grade", core::to_string(*g)}, {"proposed", nullptr},
                                {"reason", "drill inject"}}));
    LD_RETURN_IF_ERROR(activate_for_grade(tx, incident_id));
    if (before && *before == *g) return core::Status::ok();
    return reports_on_grade(tx, incident_id, !before);
  }
  if (in.action == "figures") {
    auto f = d.is_object() ? figures_from_json(d.value("figures", json::object()), "figures")
                           : core::Result<Figures>(core::invalid("figures"));
    if (!f || is_final_status(inc.status)) return record("skipped: no valid figures");
    LD_RETURN_IF_ERROR(record("figures updated"));
    return tx.emit("incident.updated", jurisdiction, {{"incident_id", incident_id}, {"changes", {{"figures", to_json(*f)}}}});
  }
  if (in.action == "task") {
    std::string key = d.is_object() ? internal::str_or(d, "task") : "";
    std::string action = d.is_object() ? internal::str_or(d, "do") : "";
    const Task* t = task_by_key(tx.view(), a, key);
    std::string why = !t ? "no task '" + key + "'"
                      : (action != "accept" && action != "start" && action != "complete") ? "bad action '" + action + "'"
                                                                                          : task_refusal(tx.view(), *t, action);
    if (!why.empty()) return record("skipped: " + why);
    Task copy = *t;
    LD_RETURN_IF_ERROR(record("task " + key + " " + action));
    return do_task(tx, copy, action, "drill inject");
  }
  return record(d.is_object() ? internal::str_or(d, "text") : "");
}

}  // namespace

core::Result<Outcome> handle_plans(Tx& tx, const FireTimers&) {
  size_t fired = 0;
  // At most kMaxTimersPerBatch a batch: when a thousand deadlines fall due at once, commands queued
  // behind them interleave with the rest (the writer fires again at once while timers are due).
  constexpr size_t kMaxTimersPerBatch = 200;
  for (const auto& key : tx.state().due_timers(tx.now(), kMaxTimersPerBatch)) {
    auto hash = key.find('#');
    if (hash != std::string::npos) {
      std::string activation_id = key.substr(0, hash);
      size_t index = std::stoul(key.substr(hash + 1));
      const Activation* a = tx.view().find_activation(activation_id);
      if (!a || !a->active() || index >= a->injects.size() || a->injects[index].done) continue;
      LD_RETURN_IF_ERROR(run_inject(tx, activation_id, index));
      ++fired;
      continue;
    }
    if (key.find("-OBL-") != std::string::npos) {
      LD_RETURN_IF_ERROR(reports_on_due(tx, key));
      ++fired;
      continue;
    }
    const Task* t = tx.view().find_task(key);
    if (!t || t->finished() || t->overdue_at) continue;
    std::string up = next_role_up(*tx.rules().roles, t->role);
    Task copy = *t;
    LD_RETURN_IF_ERROR(tx.emit("task.overdue", copy.jurisdiction,
                               {{"task_id", copy.id}, {"incident_id", copy.incident_id},
                                {"deadline", core::format_utc(copy.deadline)}, {"escalated_to", up}}));
    if (!up.empty()) {
      Notification n;
      n.id = next_id(tx, core::kKindNotification, tx.view().notifications.size());
      n.jurisdiction = copy.jurisdiction;
      n.incident_id = copy.incident_id;
      n.activation_id = copy.activation_id;
      n.task_id = copy.id;
      n.role = up;
      n.channel = "console";
      n.message = "任务超时: " + copy.description + " (" + copy.id + ", " + copy.role + ")";
      n.exercise = copy.exercise;
      n.delivery = copy.exercise ? "suppressed_exercise" : "logged";
      n.at = tx.now();
      LD_RETURN_IF_ERROR(tx.emit("notification.sent", copy.jurisdiction, {{"notification", to_json(n)}}));
    }
    ++fired;
  }
  return Outcome{{{"fired", fired}}, false};
}

}  // namespace liandong::engine::internal
