#include "engine/record_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace liandong::engine {

using nlohmann::json;

namespace {

// Whether s is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<size_t>(len);
  }
  return true;
}

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
  void time(std::string_view k, core::Timestamp t) { str(k, core::format_utc(t)); }
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
  void number(std::string_view k, double v) {
    key(k);
    if (!std::isfinite(v)) {
      out_.append("null");
      return;
    }
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void boolean(std::string_view k, bool v) { key(k), out_.append(v ? "true" : "false"); }
  void raw(std::string_view k, const json& v) {
    key(k), out_.append(v.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  void lonlat(std::string_view k, const core::LonLat& p) {
    key(k);
    Obj o(out_);
    o.number("lon", p.lon);
    o.number("lat", p.lat);
    o.close();
  }
  void figures(std::string_view k, const Figures& f) {
    key(k);
    Obj o(out_);
    o.integer("deaths", f.deaths);
    o.integer("serious_injuries", f.serious_injuries);
    o.integer("injuries", f.injuries);
    o.integer("missing", f.missing);
    o.integer("affected", f.affected);
    o.integer("evacuated", f.evacuated);
    o.integer("direct_loss_yuan", f.direct_loss_yuan);
    o.close();
  }
  void close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

bool all_zero(const Figures& f) {
  return f.deaths == 0 && f.serious_injuries == 0 && f.injuries == 0 && f.missing == 0 && f.affected == 0 &&
         f.evacuated == 0 && f.direct_loss_yuan == 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  // Eight bytes at a time (a snapshot is mostly strings): a word with no byte below 0x20, no '"',
  // no '\\' and none at or above 0x80 needs no closer look.
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero_byte = [](uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  bool plain = true, ascii = true;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    bool below_space = ((w - 0x20 * kOnes) & ~w & kHighs) != 0;
    if (!below_space && !has_zero_byte(w ^ ('"' * kOnes)) && !has_zero_byte(w ^ ('\\' * kOnes)) && (w & kHighs) == 0)
      continue;
    break;  // the rest byte by byte
  }
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
    if (c >= 0x80) ascii = false;
  }
  if (plain && (ascii || valid_utf8(s))) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  out.append(json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace));
}

void append_journal_text(std::string& out, const Alarm& a) {
  // The members of to_journal_json(const Alarm&) (records.cpp), in the same order.
  Obj o(out);
  o.str("id", a.id);
  o.str("jurisdiction", a.jurisdiction);
  o.str("channel", a.channel);
  o.time("reported_at", a.reported_at);
  o.time("received_at", a.received_at);
  o.str("category", core::to_string(a.category));
  o.str("type", a.type);
  o.str_or_null("incident_id", a.incident_id);
  o.str("first_incident_id", a.first_incident_id);
  o.str("by", a.by);
  if (a.caller) {
    o.key("caller");
    Obj c(out);
    c.str("name", a.caller->name);
    c.str("number", a.caller->number);
    c.close();
  }
  if (a.location) o.lonlat("location", *a.location);
  if (!a.address.empty()) o.str("address", a.address);
  if (!a.description.empty()) o.str("description", a.description);
  if (!all_zero(a.figures)) o.figures("figures", a.figures);
  if (a.first_joined) o.boolean("first_joined", true);
  if (!a.nuisance_reason.empty()) o.str("nuisance_reason", a.nuisance_reason);
  if (!a.idempotency_key.empty()) o.str("idempotency_key", a.idempotency_key);
  o.close();
}

void append_journal_text(std::string& out, const Incident& i, bool with_timeline) {
  // The members of to_journal_json(const Incident&, bool) (records.cpp), in the same order.
  Obj o(out);
  o.str("id", i.id);
  o.str("jurisdiction", i.jurisdiction);
  o.str("status", i.status);
  o.str("category", core::to_string(i.category));
  o.str("type", i.type);
  o.str("priority", core::to_string(i.priority));
  o.str("title", i.title);
  o.key("alarm_ids");
  out.push_back('[');
  for (size_t k = 0; k < i.alarm_ids.size(); ++k) {
    if (k) out.push_back(',');
    append_json_string(out, i.alarm_ids[k]);
  }
  out.push_back(']');
  o.time("opened_at", i.opened_at);
  o.time("updated_at", i.updated_at);
  o.time("last_alarm_at", i.last_alarm_at);
  if (!i.description.empty()) o.str("description", i.description);
  if (i.location) o.lonlat("location", *i.location);
  if (!i.address.empty()) o.str("address", i.address);
  if (!all_zero(i.figures)) o.figures("figures", i.figures);
  if (i.proposed_grade || i.confirmed_grade || !i.grade_history.empty()) {
    o.key("grade");
    Obj g(out);
    g.key("proposed");
    if (i.proposed_grade) append_json_string(out, core::to_string(*i.proposed_grade));
    else out.append("null");
    g.key("confirmed");
    if (i.confirmed_grade) append_json_string(out, core::to_string(*i.confirmed_grade));
    else out.append("null");
    g.key("history");
    out.push_back('[');
    for (size_t k = 0; k < i.grade_history.size(); ++k) {
      const auto& h = i.grade_history[k];
      if (k) out.push_back(',');
      Obj e(out);
      e.str("kind", h.kind);
      e.str("grade", core::to_string(h.grade));
      e.str("by", h.by);
      e.time("at", h.at);
      e.str("reason", h.reason);
      e.str("criterion", h.criterion);
      e.close();
    }
    out.push_back(']');
    g.close();
  }
  if (i.closed_at) o.time("closed_at", *i.closed_at);
  if (!i.merged_into.empty()) o.str("merged_into", i.merged_into);
  if (!i.assignments.empty()) {
    json assignments = json::array();
    for (const auto& a : i.assignments) assignments.push_back(to_json(a));
    o.raw("assignments", assignments);
  }
  if (i.exercise) o.boolean("exercise", true);
  if (with_timeline) {
    o.key("timeline");
    out.push_back('[');
    for (size_t k = 0; k < i.timeline.size(); ++k) {
      const auto& t = i.timeline[k];
      if (k) out.push_back(',');
      Obj e(out);
      e.unsigned_integer("seq", t.seq);
      e.time("time", t.time);
      e.str("type", t.type);
      e.str("by", t.by);
      e.str("summary", t.summary);
      e.close();
    }
    out.push_back(']');
  }
  o.close();
}

}  // namespace liandong::engine
