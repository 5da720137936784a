#include "engine/record_text.h"

#include "engine/json_text.h"

#include <charconv>

namespace liandong::engine {

using nlohmann::json;

namespace {

// A small writer of one JSON object's members: key(...) puts the separator and the key.
class Obj {
 public:
  explicit Obj(std::string& out) : out_(out) { out_.push_back('{'); }
  Obj& key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(k);  // our own member names: plain ASCII
    out_.append("\":");
    return *this;
  }
  void str(std::string_view k, std::string_view v) { key(k), append_json_string(out_, v); }
  void str_or_null(std::string_view k, std::string_view v) {
    key(k);
    if (v.empty()) out_.append("null");
    else append_json_string(out_, v);
  }
  void time(std::string_view k, core::Timestamp t) {
    key(k);
    out_.push_back('"');  // the digits, '-', ':', 'T', '.' and 'Z' need no escape
    core::append_utc(out_, t);
    out_.push_back('"');
  }
  void integer(std::string_view k, int64_t v) {
    key(k);
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void unsigned_integer(std::string_view k, uint64_t v) {
    key(k);
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void number(std::string_view k, double v) { key(k), append_json_number(out_, v); }
  void boolean(std::string_view k, bool v) { key(k), out_.append(v ? "true" : "false"); }
  // A member that is rare in a large state (figures, assignments): through its JSON tree.
  void tree(std::string_view k, const json& v) { key(k), append_json_text(out_, v); }
  void lonlat(std::string_view k, const core::LonLat& p) {
    key(k);
    Obj o(out_);
    o.number("lat", p.lat);
    o.number("lon", p.lon);
    o.close();
  }
  void close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

void append_journal_text(std::string& out, const Alarm& a) {
  // The members of to_journal_json(const Alarm&) (records.cpp) in nlohmann's (sorted) order.
  Obj o(out);
  if (!a.address.empty()) o.str("address", a.address);
  o.str("by", a.by);
  if (a.caller) {
    o.key("caller");
    Obj c(out);
    c.str("name", a.caller->name);
    c.str("number", a.caller->number);
    c.close();
  }
  o.str("category", core::to_string(a.category));
  o.str("channel", a.channel);
  if (!a.description.empty()) o.str("description", a.description);
  if (a.figures != Figures{}) o.tree("figures", to_json(a.figures));
  o.str("first_incident_id", a.first_incident_id);
  if (a.first_joined) o.boolean("first_joined", true);
  o.str("id", a.id);
  if (!a.idempotency_key.empty()) o.str("idempotency_key", a.idempotency_key);
  o.str_or_null("incident_id", a.incident_id);
  o.str("jurisdiction", a.jurisdiction);
  if (a.location) o.lonlat("location", *a.location);
  if (!a.nuisance_reason.empty()) o.str("nuisance_reason", a.nuisance_reason);
  o.time("received_at", a.received_at);
  o.time("reported_at", a.reported_at);
  o.str("type", a.type);
  o.close();
}

void append_journal_text(std::string& out, const Incident& i, bool with_timeline) {
  // The members of to_journal_json(const Incident&, bool) (records.cpp) in nlohmann's (sorted) order.
  Obj o(out);
  if (!i.address.empty()) o.str("address", i.address);
  o.key("alarm_ids");
  out.push_back('[');
  for (size_t k = 0; k < i.alarm_ids.size(); ++k) {
    if (k) out.push_back(',');
    append_json_string(out, i.alarm_ids[k]);
  }
  out.push_back(']');
  if (!i.assignments.empty()) {
    json assignments = json::array();
    for (const auto& a : i.assignments) assignments.push_back(to_json(a));
    o.tree("assignments", assignments);
  }
  o.str("category", core::to_string(i.category));
  if (i.closed_at) o.time("closed_at", *i.closed_at);
  if (!i.description.empty()) o.str("description", i.description);
  if (i.exercise) o.boolean("exercise", true);
  if (i.figures != Figures{}) o.tree("figures", to_json(i.figures));
  if (i.proposed_grade || i.confirmed_grade || !i.grade_history.empty()) {
    o.key("grade");
    Obj g(out);
    g.key("confirmed");
    if (i.confirmed_grade) append_json_string(out, core::to_string(*i.confirmed_grade));
    else out.append("null");
    g.key("history");
    out.push_back('[');
    for (size_t k = 0; k < i.grade_history.size(); ++k) {
      const auto& h = i.grade_history[k];
      if (k) out.push_back(',');
      Obj e(out);
      e.time("at", h.at);
      e.str("by", h.by);
      e.str("criterion", h.criterion);
      e.str("grade", core::to_string(h.grade));
      e.str("kind", h.kind);
      e.str("reason", h.reason);
      e.close();
    }
    out.push_back(']');
    g.key("proposed");
    if (i.proposed_grade) append_json_string(out, core::to_string(*i.proposed_grade));
    else out.append("null");
    g.close();
  }
  o.str("id", i.id);
  o.str("jurisdiction", i.jurisdiction);
  o.time("last_alarm_at", i.last_alarm_at);
  if (i.location) o.lonlat("location", *i.location);
  if (!i.merged_into.empty()) o.str("merged_into", i.merged_into);
  o.time("opened_at", i.opened_at);
  o.str("priority", core::to_string(i.priority));
  o.str("status", i.status);
  if (with_timeline) {
    o.key("timeline");
    out.push_back('[');
    for (size_t k = 0; k < i.timeline.size(); ++k) {
      const auto& t = i.timeline[k];
      if (k) out.push_back(',');
      Obj e(out);
      e.str("by", t.by);
      e.unsigned_integer("seq", t.seq);
      e.str("summary", t.summary);
      e.time("time", t.time);
      e.str("type", t.type);
      e.close();
    }
    out.push_back(']');
  }
  o.str("title", i.title);
  o.str("type", i.type);
  o.time("updated_at", i.updated_at);
  o.close();
}

}  // namespace liandong::engine
