// View: an immutable, consistent snapshot of the live state, as readers see it.
//
// The engine publishes a new View after every committed batch; a reader holding a
// shared_ptr<const View> keeps seeing exactly that state (structural sharing makes this cheap).
// Thread-safe for any number of concurrent readers.
#pragma once

#include <string>

#include "core/persistent_vector.h"
#include "engine/access_records.h"
#include "engine/alert_records.h"
#include "engine/report_records.h"
#include "engine/monitoring_records.h"
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
  core::PersistentVector<MonitoringStation> monitoring_stations;  // index = id sequence − 1
  core::PersistentVector<Warning> warnings;                       // index = id sequence − 1
  core::PersistentVector<TrackedObject> tracked_objects;          // index = id sequence − 1
  core::PersistentVector<FenceRecord> fences;                     // index = id sequence − 1
  std::shared_ptr<const RiverRecord> river;                       // null until a network is loaded
  core::PersistentVector<AlertRecord> alerts;                     // index = id sequence − 1
  core::PersistentVector<Subscriber> subscribers;                 // index = id sequence − 1
  core::PersistentVector<FeedRecord> feeds;                       // index = id sequence − 1
  core::PersistentVector<ReportRecord> reports;                   // index = id sequence − 1
  core::PersistentVector<Obligation> obligations;                 // index = id sequence − 1
  // The seq of the last event that changed subscribers or feeds (the publisher and the feed
  // reader follow them).
  uint64_t subscribers_seq = 0;
  uint64_t feeds_seq = 0;
  // The seq of the last event that changed what the watch derives its detectors (stations) or its
  // fence index (fences, tracked objects) from: it rebuilds when these move.
  uint64_t stations_seq = 0;
  uint64_t fences_seq = 0;

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
  const MonitoringStation* find_monitoring_station(std::string_view id) const;
  const Warning* find_warning(std::string_view id) const;
  const TrackedObject* find_tracked_object(std::string_view id) const;
  const FenceRecord* find_fence(std::string_view id) const;
  const AlertRecord* find_alert(std::string_view id) const;
  const Subscriber* find_subscriber(std::string_view id) const;
  const FeedRecord* find_feed(std::string_view id) const;
  const ReportRecord* find_report(std::string_view id) const;
  const Obligation* find_obligation(std::string_view id) const;
  // The newest alert received with this sender and CAP identifier, or nullptr. Linear.
  const AlertRecord* find_received(std::string_view sender, std::string_view identifier) const;
  // The open warning a detector raised for this station and parameter, or nullptr. Linear.
  const Warning* open_detector_warning(std::string_view station_id, std::string_view parameter) const;
  // The open warning a fence raised for this object, or nullptr. Linear.
  const Warning* open_fence_warning(std::string_view fence_id, std::string_view object_id) const;
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
