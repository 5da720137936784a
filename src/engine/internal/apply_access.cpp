#include "engine/internal/apply_access.h"

#include "core/ids.h"
#include "engine/internal/json_fields.h"

namespace liandong::engine::internal {

using nlohmann::json;

namespace {

core::Status loss(const Event& e, const std::string& why) {
  return {core::Code::kDataLoss, "event " + std::to_string(e.seq) + " (" + e.type + "): " + why};
}

template <typename T>
core::Status load_list(const json& j, const char* key, core::PersistentVector<T>& out,
                       core::Result<T> (*conv)(const json&)) {
  auto it = j.find(key);
  if (it == j.end()) return core::Status::ok();
  if (!it->is_array()) return core::invalid(std::string("snapshot's ") + key + " is not a list");
  for (const auto& item : *it) {
    auto r = conv(item);
    if (!r) return r.status();
    out.push_back(std::make_shared<const T>(*std::move(r)));
  }
  return core::Status::ok();
}

}  // namespace

bool is_access_event(std::string_view t) {
  return t.starts_with("person.") || t.starts_with("key.") || t.starts_with("session.") || t == "access.refused" ||
         t == "personal.revealed";
}

core::Status apply_access(View& v, const Event& e) {
  const json& d = e.data;
  if (e.type == "access.refused" || e.type == "personal.revealed") return core::Status::ok();

  if (e.type == "person.created") {
    auto p = person_from_json(member_or_empty(d, "person"));
    if (!p) return loss(e, p.status().message());
    if (p->id != core::format_id(v.node, core::kKindPerson, v.people.size() + 1))
      return loss(e, "person id " + p->id + " out of sequence");
    p->version = e.seq;
    v.people.push_back(std::make_shared<const Person>(*std::move(p)));
    return core::Status::ok();
  }
  if (e.type.starts_with("person.")) {
    auto idx = index_of(str_or(d, "person_id"), v.node, core::kKindPerson, v.people.size());
    if (idx < 0) return loss(e, "unknown person " + str_or(d, "person_id"));
    Person p = v.people[idx];
    if (e.type == "person.updated") {
      const json& c = member_or_empty(d, "changes");
      if (c.contains("display_name")) p.display_name = str_or(c, "display_name");
      if (c.contains("agency_id")) p.agency_id = str_or(c, "agency_id");
      if (c.contains("roles")) {
        p.roles.clear();
        for (const auto& g : c["roles"]) {
          auto grant = grant_from_json(g, "roles");
          if (!grant) return loss(e, grant.status().message());
          p.roles.push_back(*grant);
        }
      }
    } else if (e.type == "person.password_set") {
      p.password_hash = str_or(d, "password_hash");
    } else if (e.type == "person.disabled" || e.type == "person.enabled") {
      p.disabled = e.type == "person.disabled";
    } else {
      return loss(e, "unknown event type");
    }
    p.updated_at = e.time;
    p.version = e.seq;
    v.people.set(idx, std::make_shared<const Person>(std::move(p)));
    return core::Status::ok();
  }
  if (e.type == "key.created") {
    auto k = key_from_json(member_or_empty(d, "key"));
    if (!k) return loss(e, k.status().message());
    if (k->id != core::format_id(v.node, core::kKindKey, v.keys.size() + 1))
      return loss(e, "key id " + k->id + " out of sequence");
    v.keys.push_back(std::make_shared<const ApiKey>(*std::move(k)));
    return core::Status::ok();
  }
  if (e.type == "key.revoked") {
    auto idx = index_of(str_or(d, "key_id"), v.node, core::kKindKey, v.keys.size());
    if (idx < 0) return loss(e, "unknown key " + str_or(d, "key_id"));
    ApiKey k = v.keys[idx];
    k.revoked_at = e.time;
    v.keys.set(idx, std::make_shared<const ApiKey>(std::move(k)));
    return core::Status::ok();
  }
  if (e.type == "session.opened") {
    auto s = session_from_json(member_or_empty(d, "session"));
    if (!s) return loss(e, s.status().message());
    if (s->id != core::format_id(v.node, core::kKindSession, v.sessions.size() + 1))
      return loss(e, "session id " + s->id + " out of sequence");
    s->from = str_or(d, "by_address");
    v.sessions.push_back(std::make_shared<const Session>(*std::move(s)));
    return core::Status::ok();
  }
  if (e.type == "session.closed") {
    auto idx = index_of(str_or(d, "session_id"), v.node, core::kKindSession, v.sessions.size());
    if (idx < 0) return loss(e, "unknown session " + str_or(d, "session_id"));
    Session s = v.sessions[idx];
    s.closed_at = e.time;
    s.close_reason = str_or(d, "reason");
    v.sessions.set(idx, std::make_shared<const Session>(std::move(s)));
    return core::Status::ok();
  }
  return loss(e, "unknown event type");
}

void serialize_access(const View& v, json& j) {
  auto dump = [](const auto& vec) {
    json arr = json::array();
    for (size_t i = 0; i < vec.size(); ++i) arr.push_back(to_json(vec[i]));
    return arr;
  };
  j["people"] = dump(v.people);
  j["keys"] = dump(v.keys);
  j["sessions"] = dump(v.sessions);
}

core::Status load_access(const json& j, View& v) {
  LD_RETURN_IF_ERROR(load_list<Person>(j, "people", v.people, person_from_json));
  LD_RETURN_IF_ERROR(load_list<ApiKey>(j, "keys", v.keys, key_from_json));
  return load_list<Session>(j, "sessions", v.sessions, session_from_json);
}

}  // namespace liandong::engine::internal
