// View: an immutable, consistent snapshot of the live state, as readers see it.
//
// The engine publishes a new View after every committed batch; a reader holding a
// shared_ptr<const View> keeps seeing exactly that state (structural sharing makes this cheap).
// Thread-safe for any number of concurrent readers.
#pragma once

#include <string>

#include "core/persistent_vector.h"
#include "engine/access_records.h"
#include "engine/plan_records.h"
#include "engine/records.h"

namespace liandong::engine {

struct View {
  std::string node;            // the node's jurisdiction code
  uint64_t seq = 0;            // journal position this view reflects
  std::string hash;            // hash of event `seq`
  core::PersistentVector<Alarm> alarms;        // index = id sequence − 1
  core::PersistentVector<Incident> incidents;  // index = id sequence − 1
  core::PersistentVector<Agency> agencies;
  core::PersistentVector<Station> stations;
  core::PersistentVector<Unit> units;
  core::PersistentVector<Person> people;     // index = id sequence − 1
  core::PersistentVector<ApiKey> keys;       // index = id sequence − 1
  core::PersistentVector<Session> sessions;  // index = id sequence − 1
  core::PersistentVector<PlanRecord> plans;            // index = id sequence − 1
  core::PersistentVector<Activation> activations;      // index = id sequence − 1
  core::PersistentVector<Task> tasks;                  // index = id sequence − 1
  core::PersistentVector<Notification> notifications;  // index = id sequence − 1

  // nullptr when `id` is not a record of this node of that kind.
  const Alarm* find_alarm(std::string_view id) const;
  const Incident* find_incident(std::string_view id) const;
  const Unit* find_unit(std::string_view id) const;
  const Agency* find_agency(std::string_view id) const;
  const Station* find_station(std::string_view id) const;
  const Person* find_person(std::string_view id) const;
  const ApiKey* find_key(std::string_view id) const;
  const Session* find_session(std::string_view id) const;
  const PlanRecord* find_plan(std::string_view id) const;
  const Activation* find_activation(std::string_view id) const;
  const Task* find_task(std::string_view id) const;
  const Notification* find_notification(std::string_view id) const;
  // The plan with this key, or nullptr. Linear in the number of plans.
  const PlanRecord* find_plan_by_key(std::string_view key) const;
  // The activations of an incident, oldest first (active and stood down). Linear in activations.
  std::vector<const Activation*> activations_of(std::string_view incident_id) const;
  // The person with this sign-in name (exact), or nullptr. Linear in the number of people.
  const Person* find_person_by_name(std::string_view name) const;
};

// The index of `id` in a vector of `size` records of `kind` on node `node`, or -1.
int64_t index_of(std::string_view id, std::string_view node, std::string_view kind, size_t size);

}  // namespace liandong::engine
