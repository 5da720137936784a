// The command handlers: validate a command against the state, emit its events, give its answer.
#pragma once

#include "engine/commands.h"
#include "engine/internal/tx.h"

namespace liandong::engine::internal {

core::Result<Outcome> handle(Tx& tx, const Command& command);

// The dispatch commands (unit_handlers.cpp).
core::Result<Outcome> handle_units(Tx& tx, const RegisterAgency& c);
core::Result<Outcome> handle_units(Tx& tx, const RegisterStation& c);
core::Result<Outcome> handle_units(Tx& tx, const RegisterUnit& c);
core::Result<Outcome> handle_units(Tx& tx, const RegisterUnits& c);
core::Result<Outcome> handle_units(Tx& tx, const UpdateUnit& c);
core::Result<Outcome> handle_units(Tx& tx, const ChangeUnitStatus& c);
core::Result<Outcome> handle_units(Tx& tx, const DispatchUnits& c);
core::Result<Outcome> handle_units(Tx& tx, const RecallUnit& c);
core::Result<Outcome> handle_units(Tx& tx, const ReassignUnit& c);

// The plan commands (plan_handlers.cpp).
core::Result<Outcome> handle_plans(Tx& tx, const CreatePlan& c);
core::Result<Outcome> handle_plans(Tx& tx, const SavePlanDraft& c);
core::Result<Outcome> handle_plans(Tx& tx, const ChangePlanVersion& c);
core::Result<Outcome> handle_plans(Tx& tx, const AddPlanFinding& c);
core::Result<Outcome> handle_plans(Tx& tx, const ActivatePlan& c);
core::Result<Outcome> handle_plans(Tx& tx, const ChangeActivationLevel& c);
core::Result<Outcome> handle_plans(Tx& tx, const StandDown& c);
core::Result<Outcome> handle_plans(Tx& tx, const UpdateTask& c);
core::Result<Outcome> handle_plans(Tx& tx, const StartDrill& c);
core::Result<Outcome> handle_plans(Tx& tx, const FireTimers& c);
// After a grade is confirmed: activates the matching plan, changes its level or stands it down.
core::Status activate_for_grade(Tx& tx, const std::string& incident_id);
// Stands down every active activation of the incident (closed, cancelled, merged away).
core::Status stand_down_incident(Tx& tx, const std::string& incident_id, const std::string& reason);

// The monitoring commands (monitoring_handlers.cpp).
core::Result<Outcome> handle_monitoring(Tx& tx, const RegisterMonitoringStations& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const UpdateMonitoringStation& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const RecordDetections& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const RaiseWarning& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const ChangeWarning& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const LinkWarning& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const LoadRiverNetwork& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const RegisterTrackedObject& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const CreateFence& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const UpdateFence& c);
core::Result<Outcome> handle_monitoring(Tx& tx, const RecordFenceHits& c);
// A warning's life-cycle step: emits "warning.{action}" with `data` (plus warning_id).
core::Status warning_step(Tx& tx, const Warning& w, const std::string& action, nlohmann::json data);
// Raises a new warning: assigns its id (the next WRN), status "raised" and its first step.
core::Status raise(Tx& tx, Warning w);
// Reports an alarm (handlers.cpp): a warning opening an incident goes the way of any alarm.
core::Result<Outcome> report_alarm(Tx& tx, const ReportAlarm& c);

// The alert commands (alert_handlers.cpp).
core::Result<Outcome> handle_alerts(Tx& tx, const DraftAlert& c);
core::Result<Outcome> handle_alerts(Tx& tx, const EditAlert& c);
core::Result<Outcome> handle_alerts(Tx& tx, const SubmitAlert& c);
core::Result<Outcome> handle_alerts(Tx& tx, const ReviewAlert& c);
core::Result<Outcome> handle_alerts(Tx& tx, const ReceiveAlert& c);
core::Result<Outcome> handle_alerts(Tx& tx, const CreateSubscriber& c);
core::Result<Outcome> handle_alerts(Tx& tx, const UpdateSubscriber& c);
core::Result<Outcome> handle_alerts(Tx& tx, const CreateFeed& c);
core::Result<Outcome> handle_alerts(Tx& tx, const UpdateFeed& c);

// The report commands (report_handlers.cpp) and the report duties other handlers call, each after
// its own events: they emit the obligations the report rules and plans give (never fail but for the
// journal).
core::Result<Outcome> handle_reports(Tx& tx, const DraftReport& c);
core::Result<Outcome> handle_reports(Tx& tx, const EditReport& c);
core::Result<Outcome> handle_reports(Tx& tx, const SubmitReport& c);
core::Result<Outcome> handle_reports(Tx& tx, const ReviewReport& c);
core::Result<Outcome> handle_reports(Tx& tx, const EnsureReportDuty& c);
// A new incident: its office (and the unit where it happened) learn of it.
core::Status reports_on_opened(Tx& tx, const std::string& incident_id);
// A grade was confirmed (first time or a change).
core::Status reports_on_grade(Tx& tx, const std::string& incident_id, bool first_confirmation);
// An activation started or changed level: its plan's report list for that level.
core::Status reports_on_plan(Tx& tx, const std::string& activation_id, const std::vector<ReportDueRecord>& added);
// The incident was closed (final reports), or cancelled / merged away (what it owed is cancelled).
core::Status reports_on_closed(Tx& tx, const std::string& incident_id);
core::Status reports_on_withdrawn(Tx& tx, const std::string& incident_id, const std::string& reason);
// A timer of an obligation fell due: overdue, escalated, and the next daily one.
core::Status reports_on_due(Tx& tx, const std::string& obligation_id);

// The access commands (access_handlers.cpp).
core::Result<Outcome> handle_access(Tx& tx, const CreatePerson& c);
core::Result<Outcome> handle_access(Tx& tx, const UpdatePerson& c);
core::Result<Outcome> handle_access(Tx& tx, const SetPassword& c);
core::Result<Outcome> handle_access(Tx& tx, const SetPersonDisabled& c);
core::Result<Outcome> handle_access(Tx& tx, const CreateKey& c);
core::Result<Outcome> handle_access(Tx& tx, const RevokeKey& c);
core::Result<Outcome> handle_access(Tx& tx, const OpenSession& c);
core::Result<Outcome> handle_access(Tx& tx, const CloseSession& c);
core::Result<Outcome> handle_access(Tx& tx, const RecordRefusal& c);
core::Result<Outcome> handle_access(Tx& tx, const RecordReveal& c);

// Shared with access_handlers.cpp: the next id of `kind` after `count` records, and whether a
// jurisdiction code lies within the node.
std::string next_id(const Tx& tx, std::string_view kind, size_t count);
core::Status check_jurisdiction(const Tx& tx, const std::string& code);

}  // namespace liandong::engine::internal
