#include "engine/view.h"

#include "core/ids.h"

namespace liandong::engine {

int64_t index_of(std::string_view id, std::string_view node, std::string_view kind, size_t size) {
  auto p = core::parse_id(id);
  if (!p || p->node != node || p->kind != kind || p->seq > size) return -1;
  return static_cast<int64_t>(p->seq - 1);
}

namespace {

// The record with sequence id `id` of `kind` in `records`, or nullptr.
template <typename T>
const T* find_by_id(const core::PersistentVector<T>& records, std::string_view id, std::string_view node,
                    std::string_view kind) {
  auto i = index_of(id, node, kind, records.size());
  return i < 0 ? nullptr : records.at(i).get();
}

}  // namespace

const Alarm* View::find_alarm(std::string_view id) const {
  return find_by_id(alarms, id, node, core::kKindAlarm);
}

const Incident* View::find_incident(std::string_view id) const {
  return find_by_id(incidents, id, node, core::kKindIncident);
}

const Unit* View::find_unit(std::string_view id) const {
  return find_by_id(units, id, node, core::kKindUnit);
}

const Agency* View::find_agency(std::string_view id) const {
  return find_by_id(agencies, id, node, core::kKindAgency);
}

const Station* View::find_station(std::string_view id) const {
  return find_by_id(stations, id, node, core::kKindStation);
}

const Person* View::find_person(std::string_view id) const {
  return find_by_id(people, id, node, core::kKindPerson);
}

const ApiKey* View::find_key(std::string_view id) const {
  return find_by_id(keys, id, node, core::kKindKey);
}

const Session* View::find_session(std::string_view id) const {
  return find_by_id(sessions, id, node, core::kKindSession);
}

const Person* View::find_person_by_name(std::string_view name) const {
  for (size_t i = 0; i < people.size(); ++i)
    if (people[i].name == name) return people.at(i).get();
  return nullptr;
}

}  // namespace liandong::engine
