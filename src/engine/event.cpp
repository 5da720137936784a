#include "engine/event.h"

#include "core/sha256.h"

namespace liandong::engine {

using nlohmann::json;

std::string canonical_body(const Event& e) {
  json body = {{"data", e.data},
               {"jurisdiction", e.jurisdiction},
               {"origin", e.origin},
               {"seq", e.seq},
               {"time", core::format_utc(e.time)},
               {"type", e.type}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string compute_hash(const Event& e) {
  core::Sha256 h;
  h.update(e.prev_hash);
  h.update(canonical_body(e));
  return h.hex_digest();
}

void seal(Event& e, const std::string& prev_hash) {
  e.prev_hash = prev_hash;
  e.hash = compute_hash(e);
}

core::Status verify_chain(uint64_t after_seq, const std::string& after_hash, std::span<const Event> events) {
  uint64_t seq = after_seq;
  const std::string* prev = &after_hash;
  for (const auto& e : events) {
    if (e.seq != seq + 1)
      return {core::Code::kDataLoss, "journal gap: expected seq " + std::to_string(seq + 1) + ", found " +
                                         std::to_string(e.seq)};
    if (e.prev_hash != *prev)
      return {core::Code::kDataLoss, "journal chain broken at seq " + std::to_string(e.seq) +
                                         ": prev_hash does not match the previous event"};
    if (compute_hash(e) != e.hash)
      return {core::Code::kDataLoss, "journal event " + std::to_string(e.seq) + " does not match its hash"};
    seq = e.seq;
    prev = &e.hash;
  }
  return core::Status::ok();
}

json to_json(const Event& e) {
  return {{"seq", e.seq},       {"origin", e.origin},     {"jurisdiction", e.jurisdiction},
          {"time", core::format_utc(e.time)}, {"type", e.type}, {"data", e.data},
          {"prev_hash", e.prev_hash}, {"hash", e.hash}};
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
  if (head == "task") return "tasks";
  if (head == "warning") return "warnings";
  if (head == "alert") return "alerts";
  if (head == "report") return "reports";
  if (head == "audit" || head == "node") return "audit";
  return "";
}

}  // namespace liandong::engine
