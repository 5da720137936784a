// The audit trail: search, export and verify the journal (docs/API.md "Audit").
//
// The journal is the audit trail; these routes read it from the store, page by page, and show an
// auditor the events of the jurisdictions their audit.read covers, in the public form (secrets
// redacted, callers masked).

#include "api/routes_common.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

constexpr size_t kPage = 1000;
constexpr size_t kMaxScan = 200'000;  // events examined per request before answering with next_after

struct AuditFilter {
  uint64_t after = 0;
  size_t limit = 100;
  std::string by;
  std::string type;  // prefix
  std::string jurisdiction;
  std::optional<core::Timestamp> from, to;
};

Parsed<AuditFilter> parse_filter(const http::Request& req, size_t max_limit) {
  AuditFilter f;
  f.limit = std::min<size_t>(100, max_limit);
  auto bad = [](const char* field, std::string msg) { return http::error_response(400, "invalid_query", msg, field); };
  if (auto v = req.query_param("after"); v && !parse_whole(*v, f.after)) return bad("after", "after must be a journal seq");
  if (auto v = req.query_param("limit")) {
    uint64_t n = 0;
    if (!parse_whole(*v, n) || n < 1 || n > max_limit) return bad("limit", "limit must be 1 to " + std::to_string(max_limit));
    f.limit = n;
  }
  if (auto v = req.query_param("by")) f.by = *v;
  if (auto v = req.query_param("type")) f.type = *v;
  if (auto v = req.query_param("jurisdiction")) f.jurisdiction = *v;
  for (auto [key, out] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
    if (auto v = req.query_param(key)) {
      auto t = core::parse_rfc3339(*v, key);
      if (!t) return time_error(*v, t.status());
      *out = *t;
    }
  }
  return f;
}

bool matches(const http::Request& req, const AuditFilter& f, const engine::Event& e) {
  if (!may(req, "audit.read", e.jurisdiction)) return false;
  if (!f.type.empty() && !e.type.starts_with(f.type)) return false;
  if (!f.jurisdiction.empty() && e.jurisdiction != f.jurisdiction) return false;
  if (f.from && e.time < *f.from) return false;
  if (f.to && e.time >= *f.to) return false;
  if (!f.by.empty()) {
    auto it = e.data.find("by");
    if (it == e.data.end() || !it->is_string() || it->get_ref<const std::string&>() != f.by) return false;
  }
  return true;
}

// Reads matching events after f.after: up to f.limit of them; `next` is where to resume (0: the
// end of the journal was reached).
core::Status scan(ApiContext& ctx, const http::Request& req, const AuditFilter& f, std::vector<engine::Event>& out,
                  uint64_t& next) {
  uint64_t after = f.after;
  size_t scanned = 0;
  next = 0;
  while (scanned < kMaxScan) {
    auto page = ctx.journal->read_after(after, kPage);
    if (!page) return page.status();
    for (auto& e : *page) {
      after = e.seq;
      ++scanned;
      if (!matches(req, f, e)) continue;
      out.push_back(std::move(e));
      if (out.size() == f.limit) {
        next = after;
        return core::Status::ok();
      }
    }
    if (page->size() < kPage) return core::Status::ok();
  }
  next = after;
  return core::Status::ok();
}

void search(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto parsed = parse_filter(req, 1000);
  if (failed(parsed)) return respond(std::move(error_of(parsed)));
  std::vector<engine::Event> events;
  uint64_t next = 0;
  auto st = scan(ctx, req, value_of(parsed), events, next);
  if (!st.is_ok()) return respond(http::status_response(st));
  json items = json::array();
  for (const auto& e : events) items.push_back(engine::to_public_json(e));
  respond(http::json_response(200, {{"events", std::move(items)}, {"next_after", next ? json(next) : json(nullptr)}}));
}

std::string csv_field(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void export_trail(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto format = req.query_param("format").value_or("ndjson");
  if (format != "csv" && format != "ndjson")
    return respond(http::error_response(400, "invalid_query", "format must be csv or ndjson", "format"));
  auto parsed = parse_filter(req, 100'000);
  if (failed(parsed)) return respond(std::move(error_of(parsed)));
  AuditFilter f = value_of(parsed);
  if (!req.query_param("limit")) f.limit = 100'000;
  std::vector<engine::Event> events;
  uint64_t next = 0;
  auto st = scan(ctx, req, f, events, next);
  if (!st.is_ok()) return respond(http::status_response(st));
  http::Response r;
  r.status = 200;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = "seq,time,type,jurisdiction,by,by_address,origin,hash,data\r\n";
    for (const auto& e : events) {
      json pub = engine::to_public_json(e);
      const json& d = pub["data"];
      r.body += std::to_string(e.seq) + "," + core::format_utc(e.time) + "," + csv_field(e.type) + "," +
                e.jurisdiction + "," + csv_field(d.value("by", "")) + "," + csv_field(d.value("by_address", "")) + "," +
                e.origin + "," + e.hash + "," + csv_field(d.dump()) + "\r\n";
    }
  } else {
    r.content_type = "application/x-ndjson";
    for (const auto& e : events) r.body += engine::to_json_text(e) + "\n";
  }
  r.with_header("Content-Disposition", std::string("attachment; filename=\"liandong-audit-") + ctx.node.code + "." +
                                           std::string(format) + "\"");
  if (next) r.with_header("X-Next-After", std::to_string(next));
  respond(std::move(r));
}

void verify(ApiContext& ctx, http::Request&, http::Responder respond) {
  if (!ctx.verify_journal) return respond(http::error_response(501, "not_implemented", "no journal verifier"));
  respond(http::json_response(200, ctx.verify_journal()));
}

}  // namespace

void add_audit_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/audit", search);
  add(r, ctx, "GET", "/api/v1/audit/export", export_trail);
  add(r, ctx, "GET", "/api/v1/audit/verify", verify);
}

}  // namespace liandong::api::internal
