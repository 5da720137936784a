#include "api/route_table.h"

#include <stdexcept>
#include <string>

namespace liandong::api {

const std::vector<RouteSpec>& route_table() {
  static const std::vector<RouteSpec> kTable = {
      // Alarms and incidents
      {"POST", "/api/v1/alarms", "incident.report", "", "Report an alarm"},
      {"GET", "/api/v1/alarms/{id}", "incident.read", "alarm", "An alarm (?reveal=personal needs personal.read)"},
      {"POST", "/api/v1/alarms/{id}/nuisance", "alarm.manage", "alarm", "Close an alarm as nuisance"},
      {"POST", "/api/v1/alarms/{id}/locate", "alarm.manage", "alarm", "Place an unlocated alarm"},
      {"POST", "/api/v1/alarms/{id}/split", "alarm.manage", "alarm", "Split an alarm into its own incident"},
      {"GET", "/api/v1/incidents", "incident.read", "", "List incidents"},
      {"GET", "/api/v1/incidents/{id}", "incident.read", "incident", "An incident with alarms and timeline"},
      {"PATCH", "/api/v1/incidents/{id}", "incident.manage", "incident", "Change an incident's fields"},
      {"POST", "/api/v1/incidents/{id}/status", "incident.manage", "incident", "Change status"},
      {"POST", "/api/v1/incidents/{id}/priority", "incident.manage", "incident", "Set priority"},
      {"POST", "/api/v1/incidents/{id}/grade", "incident.grade.confirm", "incident", "Confirm a grade"},
      {"POST", "/api/v1/incidents/{id}/merge", "incident.manage", "incident", "Merge another incident into this one"},
      // The node
      {"GET", "/api/v1/health", "public", "", "Liveness and journal position"},
      {"GET", "/api/v1/node", "signed_in", "", "This node's jurisdiction"},
      {"GET", "/api/v1/taxonomy", "signed_in", "", "Shared codes and incident types"},
      {"GET", "/api/v1/layers/boundaries", "public", "", "Jurisdiction boundaries (GeoJSON)"},
      {"GET", "/api/v1/openapi.json", "public", "", "This API's OpenAPI 3 document"},
      {"GET", "/metrics", "public", "", "Prometheus metrics"},
      {"POST", "/api/v1/test/clock", "public", "", "Set the test clock (only with --test-clock)"},
      // Units, positions and dispatch
      {"GET", "/api/v1/units", "unit.read", "", "Units (with positions), stations and agencies; CSV or GeoJSON export"},
      {"POST", "/api/v1/units", "unit.manage", "", "Register a unit"},
      {"POST", "/api/v1/units/import", "unit.manage", "", "Import units (CSV or GeoJSON), all or nothing"},
      {"GET", "/api/v1/units/{id}", "unit.read", "unit", "A unit with its position and status history"},
      {"PATCH", "/api/v1/units/{id}", "unit.manage", "unit", "Change a unit's call sign, type, agency, station, capabilities, crew"},
      {"POST", "/api/v1/units/{id}/status", "unit.status", "unit", "Report a unit's status"},
      {"POST", "/api/v1/units/{id}/recall", "unit.dispatch", "unit", "Take a unit off its incident"},
      {"POST", "/api/v1/units/{id}/reassign", "unit.dispatch", "unit", "Send an assigned unit to a higher-priority incident"},
      {"GET", "/api/v1/units/{id}/track", "unit.read", "unit", "A unit's stored position fixes"},
      {"POST", "/api/v1/stations", "unit.manage", "", "Register a station"},
      {"POST", "/api/v1/agencies", "unit.manage", "", "Register an agency"},
      {"POST", "/api/v1/positions", "position.ingest", "", "Position fixes of units (AVL)"},
      {"POST", "/api/v1/incidents/{id}/recommend", "unit.dispatch", "incident", "Recommend the closest capable units"},
      {"POST", "/api/v1/incidents/{id}/dispatch", "unit.dispatch", "incident", "Dispatch units to the incident"},
      {"GET", "/api/v1/incidents/{id}/intervals", "incident.read", "incident", "The incident's response intervals"},
      {"GET", "/api/v1/intervals", "incident.read", "", "Response intervals: percentiles per agency against targets"},
      {"GET", "/api/v1/coverage", "unit.read", "", "Share of the road network reached in time, and move-ups"},
      // Plans, activations, tasks, drills and reviews (docs/API.md "Plans")
      {"GET", "/api/v1/plans", "plan.read", "", "The plan library: search by text and status, with drill and review dates"},
      {"POST", "/api/v1/plans", "plan.edit", "", "Create a plan from its YAML (version 1, a draft)"},
      {"POST", "/api/v1/plans/validate", "plan.read", "", "Check a plan's YAML without saving it"},
      {"GET", "/api/v1/plans/{id}", "plan.read", "plan", "A plan with every version (YAML and parsed)"},
      {"POST", "/api/v1/plans/{id}/versions", "plan.edit", "plan", "Save a draft, or start a revision"},
      {"POST", "/api/v1/plans/{id}/versions/{n}/status", "plan.edit", "plan",
       "Move a version along its life-cycle (review, approve, file and retire need plan.approve)"},
      {"GET", "/api/v1/plans/{id}/diff", "plan.read", "plan", "Line diff of two versions"},
      {"POST", "/api/v1/plans/{id}/findings", "plan.edit", "plan", "Attach a review finding to the plan"},
      {"POST", "/api/v1/plans/{id}/drills", "plan.activate", "plan", "Run the plan as a drill on an exercise incident"},
      {"GET", "/api/v1/incidents/{id}/activations", "plan.read", "incident", "The incident's plan activations, tasks and notifications"},
      {"POST", "/api/v1/incidents/{id}/activations", "plan.activate", "incident", "Activate a plan at a level by hand"},
      {"GET", "/api/v1/incidents/{id}/review", "plan.read", "incident", "After-action review (JSON, or ?format=html)"},
      {"GET", "/api/v1/activations/{id}", "plan.read", "activation", "An activation with its tasks"},
      {"POST", "/api/v1/activations/{id}/level", "plan.activate", "activation", "Change an activation's level"},
      {"POST", "/api/v1/activations/{id}/stand-down", "plan.activate", "activation", "Stand an activation down"},
      {"GET", "/api/v1/tasks", "plan.read", "", "Tasks: by incident, status, agency, overdue"},
      {"GET", "/api/v1/tasks/{id}", "plan.read", "task", "A task with its notes"},
      {"POST", "/api/v1/tasks/{id}/accept", "task.update", "task", "Accept a task"},
      {"POST", "/api/v1/tasks/{id}/start", "task.update", "task", "Start a task"},
      {"POST", "/api/v1/tasks/{id}/complete", "task.update", "task", "Complete a task"},
      {"POST", "/api/v1/tasks/{id}/notes", "task.update", "task", "Add a note to a task"},
      {"GET", "/api/v1/notifications", "plan.read", "", "The notification log"},
      // Monitoring and early warning (docs/API.md "Monitoring")
      {"GET", "/api/v1/monitoring/stations", "monitoring.read", "", "Monitoring stations with their state and newest values; CSV or GeoJSON export"},
      {"POST", "/api/v1/monitoring/stations", "monitoring.manage", "", "Register a monitoring station"},
      {"POST", "/api/v1/monitoring/stations/import", "monitoring.manage", "", "Import monitoring stations (CSV or GeoJSON), all or nothing"},
      {"GET", "/api/v1/monitoring/stations/{id}", "monitoring.read", "monitoring_station", "A monitoring station"},
      {"PATCH", "/api/v1/monitoring/stations/{id}", "monitoring.manage", "monitoring_station", "Change a monitoring station"},
      {"GET", "/api/v1/monitoring/stations/{id}/readings", "monitoring.read", "monitoring_station",
       "A parameter's readings for a chart (down-sampled), with its limits and conditions"},
      {"POST", "/api/v1/readings", "monitoring.ingest", "", "Readings as a JSON array (telemetry)"},
      {"POST", "/api/v1/readings/lines", "monitoring.ingest", "", "Readings in the line protocol (docs/READINGS.md)"},
      {"GET", "/api/v1/warnings", "warning.read", "", "Warnings (open by default)"},
      {"POST", "/api/v1/warnings", "warning.issue", "", "Raise a warning by hand"},
      {"GET", "/api/v1/warnings/{id}", "warning.read", "warning", "A warning with its life-cycle"},
      {"POST", "/api/v1/warnings/{id}/confirm", "warning.issue", "warning", "Confirm a raised warning"},
      {"POST", "/api/v1/warnings/{id}/issue", "warning.issue", "warning", "Issue a warning"},
      {"POST", "/api/v1/warnings/{id}/update", "warning.issue", "warning", "Change a warning's level or text"},
      {"POST", "/api/v1/warnings/{id}/lift", "warning.issue", "warning", "Lift a warning"},
      {"POST", "/api/v1/warnings/{id}/link", "warning.issue", "warning", "Attach a warning to an incident, or open one from it"},
      {"GET", "/api/v1/river", "monitoring.read", "", "The river network (GeoJSON)"},
      {"POST", "/api/v1/river", "monitoring.manage", "", "Load the river network (GeoJSON), replacing the old one"},
      {"POST", "/api/v1/river/predict", "monitoring.read", "",
       "Where and when a pollutant arrives downstream: sites, intakes, jurisdictions entered"},
      {"GET", "/api/v1/objects", "monitoring.read", "", "Tracked objects with their newest positions"},
      {"POST", "/api/v1/objects", "monitoring.manage", "", "Register a tracked object (hazardous-goods vehicle, vessel)"},
      {"GET", "/api/v1/fences", "monitoring.read", "", "Geofences with their rules and hits"},
      {"POST", "/api/v1/fences", "monitoring.manage", "", "Create a geofence"},
      {"PATCH", "/api/v1/fences/{id}", "monitoring.manage", "fence", "Switch a fence on or off, or change its warning level"},
      // CAP alerts (docs/API.md "Alerts")
      {"GET", "/api/v1/alerts", "warning.read", "", "CAP alerts issued and received (?direction, state, warning_id)"},
      {"POST", "/api/v1/alerts", "warning.issue", "", "Draft a CAP alert (Alert, Update or Cancel) from a warning"},
      {"POST", "/api/v1/alerts/preview", "warning.issue", "",
       "The CAP document a draft would be, with the validator's issues (nothing is saved)"},
      {"GET", "/api/v1/alerts/{id}", "warning.read", "alert", "An alert with its document and approval trail"},
      {"PATCH", "/api/v1/alerts/{id}", "warning.issue", "alert", "Change a draft's content"},
      {"POST", "/api/v1/alerts/{id}/submit", "warning.issue", "alert",
       "Submit a draft: blue and yellow are published at once, orange and red wait for approval"},
      {"POST", "/api/v1/alerts/{id}/approve", "warning.approve.orange", "alert",
       "Approve and publish (a red alert also needs warning.approve.red; never by its drafter or submitter)"},
      {"POST", "/api/v1/alerts/{id}/reject", "warning.approve.orange", "alert",
       "Send a pending alert back to draft with a reason (a red one also needs warning.approve.red)"},
      // Information reports (docs/API.md "Reports")
      {"GET", "/api/v1/reports", "report.read", "", "Reports sent and received (?from, to, status, type, incident_id)"},
      {"POST", "/api/v1/reports", "report.write", "", "Draft a report, pre-filled from the record"},
      {"GET", "/api/v1/reports/{id}", "report.read", "report", "A report with its versions and missing elements"},
      {"PATCH", "/api/v1/reports/{id}", "report.write", "report", "Change a report's working copy"},
      {"POST", "/api/v1/reports/{id}/submit", "report.write", "report",
       "Submit the working copy as the next version (422 naming each missing element)"},
      {"POST", "/api/v1/reports/{id}/receive", "report.review", "report",
       "Acknowledge receipt (report.review over the receiving office)"},
      {"POST", "/api/v1/reports/{id}/return", "report.review", "report",
       "Return a report for completion with a reason (report.review over the receiving office)"},
      {"GET", "/api/v1/reports/{id}/document", "report.read", "report", "The report as HTML or PDF (?format, version)"},
      {"GET", "/api/v1/report-obligations", "report.read", "",
       "Reports owed, with deadlines (?status, jurisdiction, incident_id)"},
      {"GET", "/api/v1/report-rules", "report.read", "", "The report rules in force"},
      {"GET", "/api/v1/stats/incidents", "report.read", "",
       "Incident statistics by period, category, type, grade, jurisdiction, agency (JSON or CSV)"},
      {"GET", "/api/v1/cap/feed", "public", "", "Atom feed of current public alerts (public)"},
      {"GET", "/api/v1/cap/alerts/{id}", "public", "alert", "A published alert's CAP 1.2 document (public)"},
      {"POST", "/api/v1/cap/inbox", "alert.receive", "", "Push a CAP alert, bare or in an EDXL-DE envelope"},
      {"GET", "/api/v1/alert-subscribers", "alert.manage", "", "Webhook subscribers with their delivery counts"},
      {"POST", "/api/v1/alert-subscribers", "alert.manage", "", "Add a webhook subscriber (its secret is shown once)"},
      {"PATCH", "/api/v1/alert-subscribers/{id}", "alert.manage", "subscriber", "Change a subscriber"},
      {"DELETE", "/api/v1/alert-subscribers/{id}", "alert.manage", "subscriber", "Remove a subscriber"},
      {"GET", "/api/v1/alert-subscribers/{id}/deliveries", "alert.manage", "subscriber",
       "A subscriber's deliveries (?state=pending|delivered|dead)"},
      {"POST", "/api/v1/deliveries/{id}/retry", "alert.manage", "delivery", "Send a dead delivery again"},
      {"GET", "/api/v1/alert-feeds", "alert.manage", "", "Outside CAP feeds the node reads, with their status"},
      {"POST", "/api/v1/alert-feeds", "alert.manage", "", "Read an outside CAP feed (Atom, RSS or one CAP URL)"},
      {"PATCH", "/api/v1/alert-feeds/{id}", "alert.manage", "feed", "Change an outside feed"},
      {"DELETE", "/api/v1/alert-feeds/{id}", "alert.manage", "feed", "Stop reading an outside feed"},
      // The road network: map layer, address search, routes (the console's map and alarm form)
      {"GET", "/api/v1/roads", "incident.read", "", "Roads in a box (GeoJSON; major roads only when zoomed out)"},
      {"GET", "/api/v1/roads/info", "incident.read", "", "Whether a road network is loaded, its size and extent"},
      {"GET", "/api/v1/geocode", "incident.read", "", "Address search: ranked places for a text"},
      {"GET", "/api/v1/route", "incident.read", "", "Fastest road route between two points"},
      // Sign-in and sessions
      {"POST", "/api/v1/session", "public", "", "Sign in"},
      {"GET", "/api/v1/session", "signed_in", "", "Who is signed in, with permissions"},
      {"DELETE", "/api/v1/session", "signed_in", "", "Sign out"},
      {"POST", "/api/v1/session/password", "signed_in", "", "Change one's own password"},
      {"GET", "/api/v1/roles", "signed_in", "", "Roles and permissions"},
      // People, keys, sessions (administration)
      {"GET", "/api/v1/people", "people.manage", "", "List people"},
      {"POST", "/api/v1/people", "people.manage", "", "Create a person"},
      {"GET", "/api/v1/people/{id}", "people.manage", "person", "A person"},
      {"PATCH", "/api/v1/people/{id}", "people.manage", "person", "Change a person's name, agency or roles"},
      {"POST", "/api/v1/people/{id}/password", "people.manage", "person", "Reset a person's password"},
      {"POST", "/api/v1/people/{id}/disable", "people.manage", "person", "Disable a person (closes sessions)"},
      {"POST", "/api/v1/people/{id}/enable", "people.manage", "person", "Enable a person"},
      {"GET", "/api/v1/keys", "people.manage", "", "List API keys"},
      {"POST", "/api/v1/keys", "people.manage", "", "Create an API key (shown once)"},
      {"POST", "/api/v1/keys/{id}/revoke", "people.manage", "key", "Revoke an API key"},
      {"GET", "/api/v1/sessions", "people.manage", "", "List sessions"},
      {"DELETE", "/api/v1/sessions/{id}", "people.manage", "session", "Revoke a session"},
      // Audit
      {"GET", "/api/v1/audit", "audit.read", "", "Search the audit trail (the journal)"},
      {"GET", "/api/v1/audit/export", "audit.read", "", "Export the audit trail (CSV or NDJSON)"},
      {"GET", "/api/v1/audit/verify", "audit.read", "", "Verify the journal's hash chain"},
  };
  return kTable;
}

const RouteSpec* find_route(std::string_view method, std::string_view pattern) {
  for (const auto& r : route_table())
    if (r.method == method && r.pattern == pattern) return &r;
  return nullptr;
}

http::RouteInfo route_info(std::string_view method, std::string_view pattern) {
  const RouteSpec* r = find_route(method, pattern);
  if (!r)
    throw std::logic_error("route " + std::string(method) + " " + std::string(pattern) +
                           " is not in the route table (src/api/route_table.cpp)");
  http::RouteInfo info;
  info.summary = std::string(r->summary);
  info.permission = std::string(r->permission);
  info.is_public = r->permission == "public";
  info.scope = std::string(r->scope);
  return info;
}

const std::vector<TopicSpec>& topic_table() {
  static const std::vector<TopicSpec> kTopics = {
      {"incidents", "incident.read"}, {"alarms", "incident.read"},    {"units", "unit.read"},
      {"positions", "unit.read"},     {"tasks", "plan.read"},         {"warnings", "warning.read"},
      {"readings", "monitoring.read"}, {"alerts", "warning.read"},    {"reports", "report.read"},
      {"audit", "audit.read"},
  };
  return kTopics;
}

std::string_view topic_permission(std::string_view topic) {
  for (const auto& t : topic_table())
    if (t.topic == topic) return t.permission;
  return {};
}

std::string_view read_permission(std::string_view scope) {
  if (scope == "incident" || scope == "alarm") return "incident.read";
  if (scope == "unit") return "unit.read";
  if (scope == "plan" || scope == "activation" || scope == "task") return "plan.read";
  if (scope == "person" || scope == "key" || scope == "session") return "people.manage";
  if (scope == "monitoring_station" || scope == "fence") return "monitoring.read";
  if (scope == "warning" || scope == "alert") return "warning.read";
  if (scope == "report") return "report.read";
  if (scope == "subscriber" || scope == "feed" || scope == "delivery") return "alert.manage";
  return {};
}

}  // namespace liandong::api
