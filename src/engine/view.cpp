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

const PlanRecord* View::find_plan(std::string_view id) const { return find_by_id(plans, id, node, core::kKindPlan); }

const Activation* View::find_activation(std::string_view id) const {
  return find_by_id(activations, id, node, core::kKindActivation);
}

const Task* View::find_task(std::string_view id) const { return find_by_id(tasks, id, node, core::kKindTask); }

const Notification* View::find_notification(std::string_view id) const {
  return find_by_id(notifications, id, node, core::kKindNotification);
}

const MonitoringStation* View::find_monitoring_station(std::string_view id) const {
  return find_by_id(monitoring_stations, id, node, core::kKindMonitoringStation);
}

const Warning* View::find_warning(std::string_view id) const {
  return find_by_id(warnings, id, node, core::kKindWarning);
}

const TrackedObject* View::find_tracked_object(std::string_view id) const {
  return find_by_id(tracked_objects, id, node, core::kKindTrackedObject);
}

const FenceRecord* View::find_fence(std::string_view id) const { return find_by_id(fences, id, node, core::kKindFence); }
const AlertRecord* View::find_alert(std::string_view id) const { return find_by_id(alerts, id, node, core::kKindAlert); }
const Subscriber* View::find_subscriber(std::string_view id) const {
  return find_by_id(subscribers, id, node, core::kKindSubscriber);
}
const FeedRecord* View::find_feed(std::string_view id) const { return find_by_id(feeds, id, node, core::kKindFeed); }
const ReportRecord* View::find_report(std::string_view id) const {
  return find_by_id(reports, id, node, core::kKindReport);
}
const Obligation* View::find_obligation(std::string_view id) const {
  return find_by_id(obligations, id, node, core::kKindObligation);
}

const AlertRecord* View::find_received(std::string_view sender, std::string_view identifier) const {
  for (size_t i = alerts.size(); i-- > 0;) {
    const AlertRecord& a = alerts[i];
    if (!a.outgoing() && a.state != "quarantined" && a.sender == sender && a.identifier == identifier) return &a;
  }
  return nullptr;
}

const Warning* View::open_detector_warning(std::string_view station_id, std::string_view parameter) const {
  for (size_t i = warnings.size(); i-- > 0;) {
    const Warning& w = warnings[i];
    if (w.open() && w.source == "detector" && w.station_id == station_id && w.parameter == parameter)
      return warnings.at(i).get();
  }
  return nullptr;
}

const Warning* View::open_fence_warning(std::string_view fence_id, std::string_view object_id) const {
  for (size_t i = warnings.size(); i-- > 0;) {
    const Warning& w = warnings[i];
    if (w.open() && w.source == "geofence" && w.fence_id == fence_id && w.object_id == object_id)
      return warnings.at(i).get();
  }
  return nullptr;
}

const PlanRecord* View::find_plan_by_key(std::string_view key) const {
  for (size_t i = 0; i < plans.size(); ++i)
    if (plans[i].key == key) return plans.at(i).get();
  return nullptr;
}

std::vector<const Activation*> View::activations_of(std::string_view incident_id) const {
  std::vector<const Activation*> out;
  for (size_t i = 0; i < activations.size(); ++i)
    if (activations[i].incident_id == incident_id) out.push_back(activations.at(i).get());
  return out;
}

const Person* View::find_person_by_name(std::string_view name) const {
  for (size_t i = 0; i < people.size(); ++i)
    if (people[i].name == name) return people.at(i).get();
  return nullptr;
}

}  // namespace liandong::engine
