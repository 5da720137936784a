#include "engine/view.h"

#include "core/ids.h"

namespace liandong::engine {

int64_t index_of(std::string_view id, std::string_view node, std::string_view kind, size_t size) {
  auto p = core::parse_id(id);
  if (!p || p->node != node || p->kind != kind || p->seq > size) return -1;
  return static_cast<int64_t>(p->seq - 1);
}

const Alarm* View::find_alarm(std::string_view id) const {
  auto i = index_of(id, node, core::kKindAlarm, alarms.size());
  return i < 0 ? nullptr : alarms.at(i).get();
}

const Incident* View::find_incident(std::string_view id) const {
  auto i = index_of(id, node, core::kKindIncident, incidents.size());
  return i < 0 ? nullptr : incidents.at(i).get();
}

const Unit* View::find_unit(std::string_view id) const {
  auto i = index_of(id, node, core::kKindUnit, units.size());
  return i < 0 ? nullptr : units.at(i).get();
}

const Agency* View::find_agency(std::string_view id) const {
  for (size_t i = 0; i < agencies.size(); ++i)
    if (agencies[i].id == id) return agencies.at(i).get();
  return nullptr;
}

const Person* View::find_person(std::string_view id) const {
  auto i = index_of(id, node, core::kKindPerson, people.size());
  return i < 0 ? nullptr : people.at(i).get();
}

const ApiKey* View::find_key(std::string_view id) const {
  auto i = index_of(id, node, core::kKindKey, keys.size());
  return i < 0 ? nullptr : keys.at(i).get();
}

const Session* View::find_session(std::string_view id) const {
  auto i = index_of(id, node, core::kKindSession, sessions.size());
  return i < 0 ? nullptr : sessions.at(i).get();
}

const Person* View::find_person_by_name(std::string_view name) const {
  for (size_t i = 0; i < people.size(); ++i)
    if (people[i].name == name) return people.at(i).get();
  return nullptr;
}

}  // namespace liandong::engine
