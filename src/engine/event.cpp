#include "engine/event.h"

#include "access/mask.h"
#include "core/sha256.h"
#include "engine/json_text.h"

#include <cstdio>
#include <cstdlib>

namespace liandong::engine {

using nlohmann::json;

namespace {

// nlohmann's compact dump: the reference the hash chain is defined by (compute_hash uses it).
std::string nlohmann_compact(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The compact JSON text of an event as an object with keys in sorted order (nlohmann's order):
// `data` (already serialised), optionally `hash`, then jurisdiction, origin, optionally
// `prev_hash`, seq, time, type. Built by concatenation around the data text; event_test checks it
// gives the same bytes as dumping the object.
std::string event_text(const Event& e, const std::string& data, bool with_hashes) {
  std::string out;
  out.reserve(data.size() + e.jurisdiction.size() + e.origin.size() + e.type.size() + 256);
  out.append("{\"data\":").append(data);
  if (with_hashes) append_json_string(out.append(",\"hash\":"), e.hash);
  append_json_string(out.append(",\"jurisdiction\":"), e.jurisdiction);
  append_json_string(out.append(",\"origin\":"), e.origin);
  if (with_hashes) append_json_string(out.append(",\"prev_hash\":"), e.prev_hash);
  out.append(",\"seq\":").append(std::to_string(e.seq));
  out.append(",\"time\":\"");
  core::append_utc(out, e.time);
  out.append("\"");
  append_json_string(out.append(",\"type\":"), e.type);
  out.push_back('}');
  return out;
}

// The canonical body: {data, jurisdiction, origin, seq, time, type}.
std::string body_with(const Event& e, const std::string& data) { return event_text(e, data, false); }

// Sets e.hash from e.prev_hash and e.data_text.
void chain(Event& e) {
  core::Sha256 h;
  h.update(e.prev_hash);
  h.update(body_with(e, e.data_text));
  e.hash = h.hex_digest();
}

}  // namespace

std::string data_json(const Event& e) { return e.data_text.empty() ? json_text(e.data) : e.data_text; }

const json& full_data(const Event& e, json& scratch) {
  if (!e.data_slim) return e.data;
  // data_text was dumped by seal() from a JSON value or written by the typed path as such a
  // dump (seal_text), so it parses. Were it ever not to (someone
  // cleared or changed the text of a slim event, whose only whole data it is), builds with checks
  // on stop here; others answer with the slim members, which is what there is.
  scratch = json::parse(e.data_text, nullptr, /*allow_exceptions=*/false);
  if (scratch.is_discarded()) {
#ifndef NDEBUG
    std::fprintf(stderr, "slim event %s seq %llu has no parsable data text\n", e.type.c_str(),
                 static_cast<unsigned long long>(e.seq));
    std::abort();
#endif
    return e.data;
  }
  return scratch;
}

Event whole_event(const Event& e) {
  Event w = e;
  if (e.data_slim) {
    json scratch;
    w.data = full_data(e, scratch);
    w.data_slim = false;
  }
  return w;
}

void slim(Event& e) {
  if (e.data_text.empty() || e.data_slim) return;
  const char* member = e.type == "alarm.received" ? "alarm" : e.type == "incident.opened" ? "incident" : nullptr;
  if (!member) return;
  auto it = e.data.find(member);
  if (it == e.data.end()) return;
  json kept;
  if (it->is_object())
    if (auto c = it->find("caller"); c != it->end() && !c->is_null()) kept["caller"] = std::move(*c);
  if (kept.is_null())
    e.data.erase(it);
  else
    *it = std::move(kept);
  e.data_slim = true;
}

std::string canonical_body(const Event& e) { return body_with(e, data_json(e)); }

std::string compute_hash(const Event& e) {
  // Verification recomputes from `data` itself, never from a cached text, and with nlohmann's
  // own dump: json_text (what seal() uses) differing from it would show here. (A slim event's
  // data is its text, parsed: slim events are live ones; a store never gives one back.)
  json scratch;
  core::Sha256 h;
  h.update(e.prev_hash);
  h.update(body_with(e, nlohmann_compact(full_data(e, scratch))));
  return h.hex_digest();
}

void seal(Event& e, const std::string& prev_hash) {
  e.prev_hash = prev_hash;
  e.data_text = json_text(e.data);
#ifndef NDEBUG
  // The hash chain is defined over nlohmann's dump (json_text.h): in builds with checks on (the
  // sanitizer build the tests run in), every event sealed is compared.
  if (e.data_text != nlohmann_compact(e.data)) {
    std::fprintf(stderr, "json_text differs from nlohmann's dump for event %s:\n%s\n%s\n", e.type.c_str(),
                 e.data_text.c_str(), nlohmann_compact(e.data).c_str());
    std::abort();
  }
#endif
  chain(e);
}

void seal_text(Event& e, const std::string& prev_hash) {
#ifndef NDEBUG
  json parsed = json::parse(e.data_text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object() || nlohmann_compact(parsed) != e.data_text) {
    std::fprintf(stderr, "event %s: its data text is not nlohmann's dump of itself:\n%s\n", e.type.c_str(),
                 e.data_text.c_str());
    std::abort();
  }
#endif
  e.prev_hash = prev_hash;
  chain(e);
}

core::Status verify_chain(uint64_t after_seq, const std::string& after_hash, std::span<const Event> events,
                          uint64_t* bad_seq) {
  uint64_t seq = after_seq;
  const std::string* prev = &after_hash;
  for (const auto& e : events) {
    if (bad_seq) *bad_seq = seq + 1;
    if (e.seq != seq + 1)
      return {core::Code::kDataLoss, "journal gap: expected seq " + std::to_string(seq + 1) + ", found " +
                                         std::to_string(e.seq)};
    if (e.prev_hash != *prev)
      return {core::Code::kDataLoss, "journal chain broken at seq " + std::to_string(e.seq) +
                                         ": prev_hash does not match the previous event"};
    if (compute_hash(e) != e.hash)
      return {core::Code::kDataLoss, "journal event " + std::to_string(e.seq) +
                                         " does not match its hash (its content was changed)"};
    seq = e.seq;
    prev = &e.hash;
  }
  if (bad_seq) *bad_seq = 0;
  return core::Status::ok();
}

json to_json(const Event& e) {
  json scratch;
  return {{"seq", e.seq},       {"origin", e.origin},     {"jurisdiction", e.jurisdiction},
          {"time", core::format_utc(e.time)}, {"type", e.type}, {"data", full_data(e, scratch)},
          {"prev_hash", e.prev_hash}, {"hash", e.hash}};
}

bool has_secrets(const Event& e) {
  return e.type.starts_with("person.") || e.type.starts_with("key.") || e.type.starts_with("session.") ||
         e.type.starts_with("subscriber.");
}

bool has_personal_data(const Event& e) {
  if (e.type != "alarm.received") return false;
  auto a = e.data.find("alarm");
  return a != e.data.end() && a->is_object() && a->contains("caller") && !(*a)["caller"].is_null();
}

namespace {

json redacted_data(const json& data) {
  json out = data;
  auto redact = [](json& obj) {
    for (auto it = obj.begin(); it != obj.end(); ++it)
      if ((it.key().size() > 5 && it.key().ends_with("_hash")) || it.key() == "secret") *it = "[redacted]";
  };
  redact(out);
  for (auto& [k, v] : out.items())
    if (v.is_object()) redact(v);
  return out;
}

json masked_data(const json& data) {
  json out = data;
  json& caller = out["alarm"]["caller"];
  caller = {{"name", access::mask_name(caller.value("name", ""))},
            {"number", access::mask_phone(caller.value("number", ""))},
            {"masked", true}};
  return out;
}

}  // namespace

json to_public_json(const Event& e) {
  json j = to_json(e);
  if (has_secrets(e)) j["data"] = redacted_data(j["data"]);
  if (has_personal_data(e)) j["data"] = masked_data(j["data"]);
  return j;
}

std::string to_json_text(const Event& e) {
  json scratch;
  if (has_secrets(e)) return event_text(e, json_text(redacted_data(full_data(e, scratch))), true);
  if (has_personal_data(e)) return event_text(e, json_text(masked_data(full_data(e, scratch))), true);
  return event_text(e, data_json(e), true);
}

core::Result<Event> event_from_json(const json& j) {
  if (!j.is_object()) return core::invalid("event must be a JSON object", "event");
  Event e;
  auto str = [&](const char* k, std::string& out) -> core::Status {
    auto it = j.find(k);
    if (it == j.end() || !it->is_string()) return core::invalid(std::string("missing string ") + k, k);
    out = it->get<std::string>();
    return core::Status::ok();
  };
  auto it = j.find("seq");
  if (it == j.end() || !it->is_number_unsigned()) return core::invalid("missing seq", "seq");
  e.seq = it->get<uint64_t>();
  LD_RETURN_IF_ERROR(str("origin", e.origin));
  LD_RETURN_IF_ERROR(str("jurisdiction", e.jurisdiction));
  LD_RETURN_IF_ERROR(str("type", e.type));
  LD_RETURN_IF_ERROR(str("prev_hash", e.prev_hash));
  LD_RETURN_IF_ERROR(str("hash", e.hash));
  std::string t;
  LD_RETURN_IF_ERROR(str("time", t));
  auto ts = core::parse_rfc3339(t, "time");
  if (!ts) return ts.status();
  e.time = *ts;
  auto d = j.find("data");
  if (d == j.end() || !d->is_object()) return core::invalid("missing data object", "data");
  e.data = *d;
  return e;
}

std::string_view topic_of(std::string_view type) {
  auto dot = type.find('.');
  auto head = type.substr(0, dot);
  if (head == "incident") return "incidents";
  if (head == "alarm") return "alarms";
  if (head == "unit" || head == "agency" || head == "station") return "units";
  if (head == "position") return "positions";  // telemetry frames (not journal events)
  if (head == "task" || head == "plan" || head == "activation" || head == "notification" || head == "drill")
    return "tasks";
  if (head == "warning") return "warnings";
  // Monitoring's own events (stations, detectors, fences, the river) go with the readings.
  if (head == "monitor" || head == "river" || head == "object" || head == "fence" || head == "readings")
    return "readings";  // "readings.telemetry": the readings telemetry frames
  if (head == "alert" || head == "subscriber" || head == "feed") return "alerts";
  if (head == "report") return "reports";
  if (head == "audit" || head == "node" || head == "person" || head == "key" || head == "session" ||
      head == "access" || head == "personal")
    return "audit";
  return "";
}

}  // namespace liandong::engine
