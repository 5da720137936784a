// Report routes (docs/API.md "Reports"): drafting information reports from the record, editing the
// working copy, submitting versions (refused with the missing elements named), the receiving
// level's receipt and return, the rendered documents (HTML, PDF), the obligations board, the rules
// in force, and the incident statistics (JSON or CSV).
#include <algorithm>

#include "api/internal/report_document.h"
#include "api/routes_common.h"
#include "reports/content.h"
#include "reports/hierarchy.h"
#include "stats/fact_store.h"
#include "typeset/document.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

std::string id_param(const http::Request& req) { return std::string(*req.param("id")); }

http::Response not_found(std::string_view what, std::string_view id) {
  return http::error_response(404, "not_found", "no " + std::string(what) + " " + std::string(id) + " on this node");
}

// The drafter's contact line: display name (else sign-in name).
std::string contact_of(const engine::View& view, const http::Request& req) {
  if (const auto* p = view.find_person(who(req).id())) return p->display_name.empty() ? p->name : p->display_name;
  return who(req).id();
}

bool may_review(const http::Request& req, const engine::ReportRecord& r) {
  return may(req, "report.review", r.to_jurisdiction);
}

// The display names of the people a report's trail names (drafter, submitters, receipt, returns):
// a report bears who wrote and received it. Ids that are not people (keys, the demo) are left out.
json people_of(const engine::View& view, const engine::ReportRecord& r) {
  json names = json::object();
  auto add = [&](const std::string& id) {
    if (names.contains(id)) return;
    if (const auto* p = view.find_person(id)) names[id] = p->display_name.empty() ? p->name : p->display_name;
  };
  add(r.created_by);
  for (const auto& v : r.versions) add(v.by);
  if (r.received) add(r.received->by);
  for (const auto& x : r.returns) add(x.by);
  return names;
}

json report_json(const http::Request& req, const engine::View& view, const engine::ReportRecord& r) {
  json j = engine::to_json(r);
  j["may_review"] = !r.versions.empty() && may_review(req, r);
  j["people"] = people_of(view, r);
  return j;
}

void list_reports(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"from", "to", "status", "type", "incident_id", "limit"}))
    return respond(std::move(*bad));
  auto from = req.query_param("from");
  auto to = req.query_param("to");
  auto status = req.query_param("status");
  auto type = req.query_param("type");
  auto incident = req.query_param("incident_id");
  auto limit_or = clamped_limit(req, 200, 2000);
  if (failed(limit_or)) return respond(std::move(error_of(limit_or)));
  size_t limit = value_of(limit_or);
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = view->reports.size(); i-- > 0 && items.size() < limit;) {
    const auto& r = view->reports[i];
    // A report is seen by readers of its office and of the office it went to.
    if (!may(req, "report.read", r.jurisdiction) && !(r.versions.size() && may(req, "report.read", r.to_jurisdiction)))
      continue;
    if (from && r.jurisdiction != *from) continue;
    if (to && (r.to_jurisdiction != *to || r.versions.empty())) continue;
    if (status && r.status != *status) continue;
    if (type && r.type != *type) continue;
    if (incident && r.incident_id != *incident) continue;
    json j = report_json(req, *view, r);
    j.erase("versions");
    j["version_count"] = r.versions.size();
    items.push_back(std::move(j));
  }
  respond(http::json_response(200, {{"reports", std::move(items)}}));
}

void get_report(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* r = view->find_report(id_param(req));
  if (!r) return respond(not_found("report", id_param(req)));
  respond(http::json_response(200, report_json(req, *view, *r)));
}

void create_report(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"type", "incident_id", "jurisdiction", "to_jurisdiction", "channel", "period_from", "period_to",
          "reporting_unit", "contact"});
  engine::DraftReport c;
  c.type = f.str("type", true, 16).value_or("");
  c.incident_id = f.str("incident_id", false, 64).value_or("");
  c.jurisdiction = f.str("jurisdiction", false, 6).value_or("");
  c.to_jurisdiction = f.str("to_jurisdiction", false, 6).value_or("");
  c.channel = f.str("channel", false, 16).value_or("written");
  c.period_from = f.time("period_from");
  c.period_to = f.time("period_to");
  c.reporting_unit = f.str("reporting_unit", false, 200).value_or("");
  c.contact = f.str("contact", false, 200).value_or("");
  if (!f.ok()) return respond(f.take_error());
  auto view = ctx.engine->view();
  std::string office = c.jurisdiction;
  if (office.empty() && !c.incident_id.empty())
    if (const auto* inc = view->find_incident(c.incident_id)) office = inc->jurisdiction;
  if (office.empty()) office = view->node;
  if (!may(req, "report.write", office)) return respond(forbidden("report.write", office));
  if (c.contact.empty()) c.contact = contact_of(*view, req);
  submit(ctx, req, std::move(c), std::move(respond));
}

void edit_report(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"content"});
  if (!f.ok()) return respond(f.take_error());
  auto view = ctx.engine->view();
  const auto* r = view->find_report(id_param(req));
  if (!r) return respond(not_found("report", id_param(req)));
  if (!may(req, "report.write", r->jurisdiction)) return respond(forbidden("report.write", r->jurisdiction));
  auto it = value_of(body).find("content");
  if (it == value_of(body).end() || !it->is_object()) return respond(invalid_field("content", "content is an object"));
  auto content = reports::content_from_json(*it, "content");
  if (!content) return respond(invalid_field(content.status().field(), content.status().message()));
  submit(ctx, req, engine::EditReport{r->id, std::move(*content)}, std::move(respond));
}

void submit_report(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req, true);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"note"});
  std::string note = f.str("note", false, 2000).value_or("");
  if (!f.ok()) return respond(f.take_error());
  auto view = ctx.engine->view();
  const auto* r = view->find_report(id_param(req));
  if (!r) return respond(not_found("report", id_param(req)));
  if (!may(req, "report.write", r->jurisdiction)) return respond(forbidden("report.write", r->jurisdiction));
  // The engine refuses too; here the answer lists every missing element for the editor.
  auto missing = reports::missing_elements(r->type, r->channel, r->content);
  if (!missing.empty()) {
    json list = json::array();
    std::string names;
    for (const auto& m : missing) {
      list.push_back({{"element", m.element}, {"name_zh", m.name_zh}, {"why", m.why}});
      names += (names.empty() ? "" : "、") + m.name_zh;
    }
    return respond(http::json_response(422, {{"code", "report.incomplete"},
                                             {"message", "报告缺少必备要素：" + names},
                                             {"field", "content." + missing.front().element},
                                             {"missing", std::move(list)}}));
  }
  submit(ctx, req, engine::SubmitReport{r->id, std::move(note)}, std::move(respond));
}

void review_report(ApiContext& ctx, http::Request& req, http::Responder respond, bool receive) {
  auto body = json_object_body(req, true);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"reason"});
  std::string reason = f.str("reason", !receive, 2000).value_or("");
  if (!f.ok()) return respond(f.take_error());
  auto view = ctx.engine->view();
  const auto* r = view->find_report(id_param(req));
  if (!r) return respond(not_found("report", id_param(req)));
  // The receiving level reviews: the permission is over the office it went to.
  if (!may_review(req, *r)) return respond(forbidden("report.review", r->to_jurisdiction));
  submit(ctx, req, engine::ReviewReport{r->id, receive ? "receive" : "return", std::move(reason)}, std::move(respond));
}

void report_document(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"format", "version"})) return respond(std::move(*bad));
  std::string format(req.query_param("format").value_or("html"));
  if (format != "html" && format != "pdf") return respond(bad_query("format", "html or pdf"));
  auto view = ctx.engine->view();
  const auto* r = view->find_report(id_param(req));
  if (!r) return respond(not_found("report", id_param(req)));
  const reports::Content* content = &r->content;
  uint32_t version = 0;
  if (auto v = req.query_param("version")) {
    uint64_t n = 0;
    if (!parse_whole(*v, n) || n == 0 || n > r->versions.size())
      return respond(bad_query("version", "version is one of 1.." + std::to_string(r->versions.size())));
    version = static_cast<uint32_t>(n);
    content = &r->versions[n - 1].content;
  }
  auto doc = compose_document(*r, *content, version, ctx.engine->options());
  http::Response out;
  if (format == "html") {
    out.content_type = "text/html; charset=utf-8";
    out.body = typeset::render_html(doc);
  } else {
    auto pdf = typeset::render_pdf(doc);
    if (!pdf) return respond(http::error_response(500, "render_failed", pdf.status().message()));
    out.content_type = "application/pdf";
    out.body = std::move(*pdf);
  }
  respond(std::move(out));
}

void list_obligations(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"status", "jurisdiction", "incident_id", "limit"})) return respond(std::move(*bad));
  std::string status(req.query_param("status").value_or("active"));
  if (status != "active" && status != "open" && status != "overdue" && status != "fulfilled" && status != "cancelled" &&
      status != "all")
    return respond(bad_query("status", "active, open, overdue, fulfilled, cancelled or all"));
  auto jurisdiction = req.query_param("jurisdiction");
  auto incident = req.query_param("incident_id");
  auto limit_or = clamped_limit(req, 500, 5000);
  if (failed(limit_or)) return respond(std::move(error_of(limit_or)));
  size_t limit = value_of(limit_or);
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = view->obligations.size(); i-- > 0 && items.size() < limit;) {
    const auto& o = view->obligations[i];
    if (!may(req, "report.read", o.jurisdiction)) continue;
    if (status == "active" ? !o.active() : (status != "all" && o.status != status)) continue;
    if (jurisdiction && o.jurisdiction != *jurisdiction) continue;
    if (incident && o.incident_id != *incident) continue;
    items.push_back(engine::to_json(o));
  }
  // Soonest deadline first: the board reads top down.
  std::stable_sort(items.begin(), items.end(),
                   [](const json& a, const json& b) { return a["due_at"].get<std::string>() < b["due_at"].get<std::string>(); });
  respond(http::json_response(200, {{"obligations", std::move(items)}, {"now", core::format_utc(ctx.clock->now())}}));
}

void report_rules(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {})) return respond(std::move(*bad));
  const auto& o = ctx.engine->options();
  const reports::RuleSet& rules = o.report_rules ? *o.report_rules : reports::default_rules();
  json items = json::array();
  for (const auto& r : rules.rules) {
    json grades = json::array();
    for (auto g : r.grades) grades.push_back(core::to_string(g));
    items.push_back({{"id", r.id},
                     {"families", r.families},
                     {"grades", std::move(grades)},
                     {"from", reports::to_string(r.from)},
                     {"to", reports::to_string(r.to)},
                     {"type", r.report_type},
                     {"channel", r.channel},
                     {"trigger", reports::to_string(r.trigger)},
                     {"within_minutes", r.within.count() / 60000},
                     {"daily_minute", r.daily_minute},
                     {"office", r.office},
                     {"jurisdiction", r.jurisdiction},
                     {"local", r.local},
                     {"basis", r.basis},
                     {"where", r.where}});
  }
  respond(http::json_response(200, {{"rules", std::move(items)}, {"zone", o.zone}}));
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    auto item = s.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

json row_json(const stats::Row& r) {
  return {{"key", r.key},
          {"incidents", r.incidents},
          {"deaths", r.deaths},
          {"injuries", r.injuries},
          {"missing", r.missing},
          {"affected", r.affected},
          {"direct_loss_yuan", r.direct_loss_yuan},
          {"reports_due", r.reports_due},
          {"reports_on_time", r.reports_on_time},
          {"reports_late", r.reports_late},
          {"on_time_share", r.on_time_share},
          {"mean_delay_min", r.mean_delay_min},
          {"mean_dispatch_s", r.mean_dispatch_s},
          {"mean_arrival_s", r.mean_arrival_s},
          {"p90_arrival_s", r.p90_arrival_s}};
}

void incident_stats(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"from", "to", "group_by", "category", "type", "grade", "agency", "jurisdiction",
                                      "jurisdiction_level", "exercises", "format"}))
    return respond(std::move(*bad));
  if (!ctx.stats) return respond(http::error_response(503, "unavailable", "statistics are not kept on this node"));
  std::string format(req.query_param("format").value_or("json"));
  if (format != "json" && format != "csv") return respond(bad_query("format", "json or csv"));
  stats::Query q;
  q.zone = ctx.engine->options().zone;
  for (const char* key : {"from", "to"})
    if (auto t = req.query_param(key)) {
      auto p = core::parse_rfc3339(*t, key);
      if (!p) return respond(bad_query(key, p.status().message()));
      (std::string_view(key) == "from" ? q.from : q.to) = *p;
    }
  for (const auto& d : split_list(req.query_param("group_by").value_or(""))) {
    auto dim = stats::parse_dim(d);
    if (!dim) return respond(bad_query("group_by", "unknown dimension '" + d +
                                                       "' (year month day category type grade jurisdiction agency)"));
    q.group_by.push_back(*dim);
  }
  q.categories = split_list(req.query_param("category").value_or(""));
  q.types = split_list(req.query_param("type").value_or(""));
  q.grades = split_list(req.query_param("grade").value_or(""));
  q.agencies = split_list(req.query_param("agency").value_or(""));
  q.jurisdiction = std::string(req.query_param("jurisdiction").value_or(""));
  q.jurisdiction_level = std::string(req.query_param("jurisdiction_level").value_or(""));
  q.include_exercises = req.query_param("exercises").value_or("") == "true";
  // Statistics cover the caller's area: a query without a jurisdiction is the caller's own.
  std::string area = q.jurisdiction.empty() ? ctx.engine->options().node : q.jurisdiction;
  if (!may(req, "report.read", area)) {
    if (!q.jurisdiction.empty()) return respond(forbidden("report.read", area));
    area = who(req).jurisdiction();
    if (!may(req, "report.read", area)) return respond(forbidden("report.read", ctx.engine->options().node));
    q.jurisdiction = area;
  }
  auto result = ctx.stats->query(q);
  if (!result) return respond(bad_query(result.status().field().empty() ? "group_by" : result.status().field(),
                                        result.status().message()));
  if (format == "csv") {
    http::Response out;
    out.content_type = "text/csv; charset=utf-8";
    out.body = stats::to_csv(*result);
    return respond(std::move(out));
  }
  json rows = json::array();
  for (const auto& r : result->rows) rows.push_back(row_json(r));
  respond(http::json_response(200, {{"columns", result->columns}, {"rows", std::move(rows)}, {"total", row_json(result->total)}}));
}

}  // namespace

void add_report_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/reports", list_reports);
  add(r, ctx, "POST", "/api/v1/reports", create_report);
  add(r, ctx, "GET", "/api/v1/reports/{id}", get_report);
  add(r, ctx, "PATCH", "/api/v1/reports/{id}", edit_report);
  add(r, ctx, "POST", "/api/v1/reports/{id}/submit", submit_report);
  add(r, ctx, "POST", "/api/v1/reports/{id}/receive",
      [](ApiContext& c, http::Request& q, http::Responder s) { review_report(c, q, std::move(s), true); });
  add(r, ctx, "POST", "/api/v1/reports/{id}/return",
      [](ApiContext& c, http::Request& q, http::Responder s) { review_report(c, q, std::move(s), false); });
  add(r, ctx, "GET", "/api/v1/reports/{id}/document", report_document);
  add(r, ctx, "GET", "/api/v1/report-obligations", list_obligations);
  add(r, ctx, "GET", "/api/v1/report-rules", report_rules);
  add(r, ctx, "GET", "/api/v1/stats/incidents", incident_stats);
}

}  // namespace liandong::api::internal
