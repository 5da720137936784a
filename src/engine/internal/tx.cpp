#include "engine/internal/tx.h"

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>

#include "engine/json_text.h"
#include "engine/record_text.h"

namespace liandong::engine::internal {

using nlohmann::json;

namespace {

// A member of an object text: its key and the JSON text of its value.
struct Member {
  std::string_view key, value;
};

// The compact text of the object `rest` with more members (`added`: sorted by key, JSON texts
// for values, none of a name `rest` has) each in its sorted place: what json_text gives for `rest`
// with those members added.
std::string object_text_with(const json& rest, std::initializer_list<Member> added, size_t size_hint) {
  std::string out;
  out.reserve(size_hint + 192);
  out.push_back('{');
  bool first = true;
  auto separate = [&] {
    if (!first) out.push_back(',');
    first = false;
  };
  auto next = added.begin();
  auto put_added = [&] {
    separate();
    append_json_string(out, next->key);
    out.push_back(':');
    out.append(next->value);
    ++next;
  };
  for (auto it = rest.begin(); it != rest.end(); ++it) {
    while (next != added.end() && std::string_view(it.key()) > next->key) put_added();
    separate();
    append_json_string(out, it.key());
    out.push_back(':');
    append_json_text(out, it.value());
  }
  while (next != added.end()) put_added();
  out.push_back('}');
  return out;
}

// Whether a record's journal text reads back to the record as it is: not when json_text replaced
// bytes that are not UTF-8 by U+FFFD (a text holding U+FFFD may have; one without it has not), nor
// when a time is outside the years RFC 3339 can write (parse_rfc3339 refuses those, so no command
// should carry one).
bool reads_back_as_is(std::string_view text, std::initializer_list<core::Timestamp> times) {
  for (auto t : times)
    if (!core::in_rfc3339_range(t)) return false;
  return text.find("\xEF\xBF\xBD") == std::string_view::npos;
}

bool times_in_range(const Incident& i) {
  auto ok = [](core::Timestamp t) { return core::in_rfc3339_range(t); };
  if (!ok(i.opened_at) || !ok(i.updated_at) || !ok(i.last_alarm_at) || (i.closed_at && !ok(*i.closed_at)))
    return false;
  for (const auto& g : i.grade_history)
    if (!ok(g.at)) return false;
  for (const auto& a : i.assignments)
    for (auto t : {std::optional(a.dispatched_at), a.en_route_at, a.on_scene_at, a.cleared_at})
      if (t && !ok(*t)) return false;
  return true;
}

// Builds with checks on: the record must be what its journal text reads back to (State::apply's
// typed forms rely on it). Aborts, naming both, when it is not.
template <typename Record, typename Read>
void check_reads_back(const Event& e, const char* member, const Record& record, Read read) {
#ifndef NDEBUG
  json whole = json::parse(e.data_text);
  auto back = read(member ? whole.at(member) : whole);
  if (!back || !(*back == record)) {
    std::fprintf(stderr, "event %s seq %llu: the record does not read back from its journal text:\n%s\n",
                 e.type.c_str(), static_cast<unsigned long long>(e.seq), e.data_text.c_str());
    std::abort();
  }
#else
  (void)e, (void)member, (void)record, (void)read;
#endif
}

}  // namespace

Event Tx::new_event(std::string type, std::string jurisdiction, json data) const {
  Event e;
  e.seq = state_.seq() + 1;
  e.origin = rules_.node;
  e.jurisdiction = std::move(jurisdiction);
  e.time = now_;
  e.type = std::move(type);
  if (!actor_.by.empty()) data["by"] = actor_.by;
  if (!actor_.from.empty()) data["by_address"] = actor_.from;
  e.data = std::move(data);
  return e;
}

core::Status Tx::emit(std::string type, std::string jurisdiction, json data) {
  Event e = new_event(std::move(type), std::move(jurisdiction), std::move(data));
  seal(e, state_.hash());
  LD_RETURN_IF_ERROR(state_.apply(e));
  slim(e);
  out_.push_back(std::move(e));
  return core::Status::ok();
}

core::Status Tx::apply_whole(const Event& e) { return state_.apply(whole_event(e)); }

core::Status Tx::emit_alarm_received(Alarm alarm, bool joined) {
  json rest = json::object();
  rest.emplace("incident_id", alarm.incident_id);
  rest.emplace("joined", joined);
  Event e = new_event("alarm.received", alarm.jurisdiction, std::move(rest));
  std::string record;
  record.reserve(1024);
  append_journal_text(record, alarm);
  e.data_text = object_text_with(e.data, {{"alarm", record}}, record.size());
  // What slim() (event.h) leaves of an alarm.received's record: its caller, when it has one
  // (has_personal_data reads it). TxTypedEmit compares the two paths' slim data.
  if (alarm.caller) {
    json caller = json::object();
    caller.emplace("name", alarm.caller->name);
    caller.emplace("number", alarm.caller->number);
    e.data["alarm"] = json::object({{"caller", std::move(caller)}});
  }
  bool as_is = reads_back_as_is(record, {alarm.reported_at, alarm.received_at});
  return seal_and_apply(std::move(e), as_is, "alarm", std::move(alarm), alarm_from_json);
}

core::Status Tx::emit_incident_opened(Incident incident) {
  json rest = json::object();
  rest.emplace("incident_id", incident.id);
  Event e = new_event("incident.opened", incident.jurisdiction, std::move(rest));
  std::string record;
  record.reserve(1024);
  append_journal_text(record, incident, /*with_timeline=*/false);
  e.data_text = object_text_with(e.data, {{"incident", record}}, record.size());
  bool as_is = reads_back_as_is(record, {}) && times_in_range(incident);
  return seal_and_apply(std::move(e), as_is, "incident", std::move(incident), incident_from_json);
}

core::Status Tx::emit_grade_proposed(const std::string& incident_id, const std::string& jurisdiction,
                                    taxonomy::GradeProposal p) {
  json rest = json::object();
  rest.emplace("incident_id", incident_id);
  Event e = new_event("incident.grade_proposed", jurisdiction, std::move(rest));
  auto quoted = [](std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
  };
  std::string criterion = quoted(p.criterion), family = quoted(p.family), grade = quoted(core::to_string(p.grade)),
              reason = quoted(p.reason_zh), reason_en = quoted(p.reason_en);
  e.data_text = object_text_with(e.data,
                                 {{"criterion", criterion},
                                  {"family", family},
                                  {"grade", grade},
                                  {"reason", reason},
                                  {"reason_en", reason_en}},
                                 criterion.size() + family.size() + reason.size() + reason_en.size());
  bool as_is = reads_back_as_is(e.data_text, {});
  State::ProposedGrade record{incident_id, p.grade, std::move(p.criterion), std::move(p.reason_zh)};
  auto read = [](const json& d) -> std::optional<State::ProposedGrade> {
    auto text = [&](const char* key) { return d.at(key).get<std::string>(); };
    auto g = core::parse_grade(text("grade"));
    if (!g) return std::nullopt;
    return State::ProposedGrade{text("incident_id"), *g, text("criterion"), text("reason")};
  };
  return seal_and_apply(std::move(e), as_is, nullptr, std::move(record), read);
}

template <typename Record, typename Read>
core::Status Tx::seal_and_apply(Event e, bool as_is, const char* member, Record record, Read read) {
  e.data_slim = true;
  seal_text(e, state_.hash());
  if (as_is) {
    check_reads_back(e, member, record, read);
    LD_RETURN_IF_ERROR(state_.apply(e, std::move(record)));
  } else {
    LD_RETURN_IF_ERROR(apply_whole(e));
  }
  out_.push_back(std::move(e));
  return core::Status::ok();
}

}  // namespace liandong::engine::internal
