#include "app/node.h"

#include <signal.h>

#include <filesystem>
#include <fstream>

#include "api/body.h"
#include "app/accounts.h"
#include "app/divisions.h"
#include "app/offline.h"
#include "core/jurisdiction.h"
#include "core/log.h"

#ifndef LIANDONG_WEB_DIST
#define LIANDONG_WEB_DIST ""
#endif
#ifndef LIANDONG_DIVISIONS_DIR
#define LIANDONG_DIVISIONS_DIR ""
#endif

namespace liandong::app {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json read_json_file(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return nullptr;
  json j = json::parse(in, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

std::optional<std::string> read_text_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Centre of all coordinates in a GeoJSON FeatureCollection of polygons, or nullopt.
std::optional<core::LonLat> centre_of(const json& fc) {
  double min_lon = 1e9, min_lat = 1e9, max_lon = -1e9, max_lat = -1e9;
  bool any = false;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_array() && j.size() >= 2 && j[0].is_number() && j[1].is_number()) {
      min_lon = std::min(min_lon, j[0].get<double>()), max_lon = std::max(max_lon, j[0].get<double>());
      min_lat = std::min(min_lat, j[1].get<double>()), max_lat = std::max(max_lat, j[1].get<double>());
      any = true;
    } else if (j.is_array() || j.is_object()) {
      for (const auto& x : j) walk(x);
    }
  };
  walk(fc);
  if (!any) return std::nullopt;
  return core::LonLat{(min_lon + max_lon) / 2, (min_lat + max_lat) / 2};
}

}  // namespace

core::Result<std::unique_ptr<Node>> Node::start(NodeOptions options) {
  std::unique_ptr<Node> n(new Node());
  auto st = n->init(std::move(options));
  if (!st.is_ok()) {
    n->stop();
    return st;
  }
  return n;
}

core::Status Node::init(NodeOptions options) {
  options_ = std::move(options);
  const NodeConfig& c = options_.config;
  auto code = core::JurisdictionCode::parse(c.jurisdiction, "jurisdiction");
  if (!code) return code.status();
  if (!core::is_known_zone(c.time_zone)) return core::invalid("unknown time zone '" + c.time_zone + "'", "time_zone");
  auto listen = parse_listen(c.listen);
  if (!listen) return listen.status();

  std::error_code ec;
  fs::create_directories(options_.data_dir, ec);
  if (ec) return core::unavailable("cannot create data folder " + options_.data_dir + ": " + ec.message());

  // Before the store: a wrong graph file stops the start with nothing opened.
  LD_RETURN_IF_ERROR(load_roads());

  if (options_.test_clock) {
    auto fake = std::make_unique<core::FakeClock>(core::SystemClock().now());
    fake_clock_ = fake.get();
    clock_ = std::move(fake);
  } else {
    clock_ = std::make_unique<core::SystemClock>();
  }

  auto store = store::SqliteStore::open((fs::path(options_.data_dir) / "journal.db").string());
  if (!store) return store.status();
  store_ = std::move(*store);
  auto owner = store_->get_meta("jurisdiction");
  if (!owner) return owner.status();
  if (owner->has_value() && **owner != code->str())
    return core::conflict("the store in " + options_.data_dir + " belongs to jurisdiction " + **owner + ", not " +
                              code->str(),
                          "jurisdiction");
  if (!owner->has_value()) LD_RETURN_IF_ERROR(store_->put_meta("jurisdiction", code->str()));

  engine::EngineOptions eo;
  eo.node = code->str();
  eo.dedup_radius_m = c.dedup_radius_m;
  eo.dedup_window = core::Millis{int64_t{c.dedup_window_min} * 60'000};
  eo.snapshot_every = c.snapshot_every;
  eo.max_batch = c.max_batch;
  eo.extra_unit_types = c.dispatch.unit_types;
  eo.mutual_aid = c.dispatch.mutual_aid;
  eo.alert_sender = c.alert_sender;
  eo.alert_body_code = c.alert_body_code;
  // A jurisdiction extends the national tables with DIR/types.yaml and DIR/grade_rules.yaml.
  taxonomy::Taxonomy types = taxonomy::Taxonomy::defaults();
  taxonomy::GradeRules rules = taxonomy::GradeRules::defaults();
  auto types_path = fs::path(options_.data_dir) / "types.yaml";
  if (auto text = read_text_file(types_path)) {
    auto t = taxonomy::Taxonomy::load_yaml(*text, types_path.string(), types);
    if (!t) return t.status();
    types = std::move(*t);
  }
  auto rules_path = fs::path(options_.data_dir) / "grade_rules.yaml";
  if (auto text = read_text_file(rules_path)) {
    auto r = taxonomy::GradeRules::load_yaml(*text, rules_path.string(), rules);
    if (!r) return r.status();
    rules = std::move(*r);
  }
  auto roles = load_roles(options_.data_dir);
  if (!roles) return roles.status();
  eo.roles = *roles;
  // Reports: the national rules, tightened by DIR/report_rules.yaml; the duty offices are the
  // node's and those of the divisions below it.
  auto report_rules = load_report_rules(options_.data_dir);
  if (!report_rules) return report_rules.status();
  eo.report_rules = *report_rules;
  eo.zone = c.time_zone;
  std::string div_dir = c.divisions_dir.empty() ? LIANDONG_DIVISIONS_DIR : c.divisions_dir;
  auto divs = Divisions::load(div_dir);
  if (divs) {
    for (const auto& d : divs->tree(code->str())) {
      eo.jurisdiction_names[d.code] = d.name;
      eo.report_offices.push_back(d.code);
    }
    for (auto up = *code; up.level() != core::Level::kProvince;) {
      up = up.parent();
      if (const auto* d = divs->find(up.str())) eo.jurisdiction_names[d->code] = d->name;
    }
  } else {
    core::log::warn("jurisdiction names unavailable", {{"error", divs.status().message()}});
  }
  engine_ = std::make_unique<engine::Engine>(eo, *store_, *clock_, std::move(types), std::move(rules));

  auto* raw_store = store_.get();
  hub_ = std::make_unique<api::http::StreamHub>(
      api::http::StreamOptions{},
      [raw_store](uint64_t after, size_t limit) { return raw_store->read_after(after, limit); }, registry_);
  auto publisher = AlertPublisher::open((fs::path(options_.data_dir) / "deliveries.db").string(), *engine_, *store_,
                                       *clock_);
  if (!publisher) return publisher.status();
  publisher_ = std::move(*publisher);
  auto facts = stats::FactStore::open((fs::path(options_.data_dir) / "stats.db").string());
  if (!facts) return facts.status();
  stats_ = std::move(*facts);
  stats_feeder_ = std::make_unique<StatsFeeder>(*stats_, *engine_);
  engine_->set_listener([hub = hub_.get(), pub = publisher_.get(), feeder = stats_feeder_.get()](
                            std::span<const engine::Event> events) {
    hub->publish(events);
    pub->on_events(events);
    feeder->on_events(events);
  });
  wire_metrics();
  LD_RETURN_IF_ERROR(engine_->start());
  LD_RETURN_IF_ERROR(start_fleet());
  LD_RETURN_IF_ERROR(start_watch());
  LD_RETURN_IF_ERROR(publisher_->start());
  LD_RETURN_IF_ERROR(stats_feeder_->start());
  // The duty offices' daily reports are owed from the first start (idempotent).
  engine_->submit(engine::EnsureReportDuty{}, engine::Actor("system", "node"), [](core::Result<engine::Outcome> r) {
    if (!r) core::log::error("report duties not created", {{"error", r.status().to_string()}});
  });
  feed_reader_ = std::make_unique<feeds::FeedReader>(*engine_, *clock_);
  feed_reader_->start();

  // What the node knows of its jurisdiction.
  api::NodeInfo& info = ctx_.node;
  info.code = code->str();
  info.name = code->str();
  info.time_zone = c.time_zone;
  info.tile_url = c.tile_url;
  if (divs) {
    if (const auto* d = divs->find(code->str())) info.name = d->name;
    for (const auto& d : divs->tree(code->str()))
      info.tree.push_back({{"code", d.code}, {"name", d.name}, {"parent", d.parent}});
  }
  json boundaries = read_json_file(fs::path(options_.data_dir) / "boundaries.geojson");
  info.boundaries = boundaries.is_object() ? boundaries : json{{"type", "FeatureCollection"}, {"features", json::array()}};
  if (auto centre = centre_of(info.boundaries)) {
    info.center_lon = centre->lon, info.center_lat = centre->lat, info.zoom = 9;
  } else if (roads_ && roads_->graph().has_coordinates()) {
    const auto& b = roads_->bbox();
    info.center_lon = (b.min_lon + b.max_lon) / 2, info.center_lat = (b.min_lat + b.max_lat) / 2, info.zoom = 13;
  } else {
    info.center_lon = 105, info.center_lat = 35, info.zoom = 4;
  }
  auto secret = node_secret(*store_);
  if (!secret) return secret.status();
  api::AccessOptions ao;
  ao.secret = *secret;
  ao.session_ttl = core::Millis{int64_t{c.access.session_hours} * 3'600'000};
  ao.password_min_length = static_cast<size_t>(c.access.password_min_length);
  ao.principal_per_second = c.limits.principal_requests_per_second;
  ao.principal_burst = c.limits.principal_burst;
  ao.backoff = backoff_options(c.access);
  ao.secure_cookies = !c.tls.cert.empty();
  auth_ = std::make_unique<api::Auth>(ao, *engine_, *clock_, registry_);
  hub_->set_authorize([auth = auth_.get()](const api::http::Request& req) { return auth->stream_filter(req); });
  ctx_.engine = engine_.get();
  ctx_.metrics = &registry_;
  ctx_.test_clock = fake_clock_;
  ctx_.auth = auth_.get();
  ctx_.clock = clock_.get();
  ctx_.journal = store_.get();
  ctx_.roads = roads_.get();
  ctx_.fleet = fleet_.get();
  ctx_.positions = positions_.get();
  ctx_.watch = watch_.get();
  ctx_.readings = readings_.get();
  ctx_.stats = stats_.get();
  wire_deliveries();
  ctx_.dispatch.targets.call_processing = core::Millis{int64_t{c.dispatch.target_call_processing_s} * 1000};
  ctx_.dispatch.targets.turnout_medical = core::Millis{int64_t{c.dispatch.target_turnout_medical_s} * 1000};
  ctx_.dispatch.targets.turnout_fire = core::Millis{int64_t{c.dispatch.target_turnout_fire_s} * 1000};
  ctx_.dispatch.targets.travel_first_engine = core::Millis{int64_t{c.dispatch.target_travel_first_engine_s} * 1000};
  ctx_.dispatch.targets.percentile = c.dispatch.target_percentile;
  ctx_.dispatch.coverage_target_s = uint32_t(c.dispatch.coverage_target_s);
  hub_->set_positions_handler([this](const json& frame, const api::http::EventFilter& sender) -> core::Result<json> {
    auto fixes = frame.find("fixes");
    if (fixes == frame.end() || !fixes->is_array() || fixes->size() > 10000)
      return core::invalid("a positions frame needs \"fixes\": an array of at most 10000 fixes", "fixes");
    auto allowed = [&sender](const std::string& jurisdiction) {
      engine::Event probe;
      probe.type = api::http::kPermissionProbe;
      probe.jurisdiction = jurisdiction;
      probe.data = {{"permission", "position.ingest"}};
      return !sender || sender(probe);
    };
    auto answer = api::ingest_positions(ctx_, *fixes, allowed);
    if (!answer) return answer.status();
    (*answer)["type"] = "positions_result";
    return answer;
  });
  hub_->set_readings_handler([this](const json& frame, const api::http::EventFilter& sender) -> core::Result<json> {
    auto allowed = [&sender](const std::string& jurisdiction) {
      engine::Event probe;
      probe.type = api::http::kPermissionProbe;
      probe.jurisdiction = jurisdiction;
      probe.data = {{"permission", "monitoring.ingest"}};
      return !sender || sender(probe);
    };
    return api::queue_reading_lines(ctx_, frame, allowed);
  });
  ctx_.verify_journal = [raw_store]() -> json {
    auto r = raw_store->verify_journal_report();
    if (!r) return {{"ok", false}, {"checked", 0}, {"first_bad_seq", nullptr}, {"message", r.status().message()}};
    return {{"ok", r->ok},
            {"checked", r->checked},
            {"first_bad_seq", r->ok ? json(nullptr) : json(r->first_bad_seq)},
            {"message", r->message}};
  };
  api::add_routes(router_, ctx_);
  std::string web = c.web_dir.empty() ? LIANDONG_WEB_DIST : c.web_dir;
  if (!web.empty() && fs::exists(fs::path(web) / "index.html")) router_.serve_static("/", web);
  else core::log::warn("console files not found; serving the API only", {{"web_dir", web}});

  api::http::ServerOptions so;
  so.host = listen->host;
  so.port = listen->port;
  so.threads = c.http_threads;
  LD_RETURN_IF_ERROR(apply_server_limits(c, so));
  api::set_max_json_depth(c.limits.json_depth);
  server_ = std::make_unique<api::http::Server>(so, router_, hub_.get(), registry_);
  LD_RETURN_IF_ERROR(server_->start());

  admin_ = std::make_unique<AdminSocket>((fs::path(options_.data_dir) / "admin.sock").string());
  add_admin_commands();
  LD_RETURN_IF_ERROR(admin_->start());

  std::string addr = listen->host + ":" + std::to_string(server_->port());
  {
    std::ofstream out(fs::path(options_.data_dir) / "node.addr.tmp");
    out << addr << "\n";
  }
  fs::rename(fs::path(options_.data_dir) / "node.addr.tmp", fs::path(options_.data_dir) / "node.addr", ec);
  wrote_addr_ = !ec;
  core::log::info("listening", {{"url", url()}, {"jurisdiction", info.code}, {"name", info.name},
                                {"data", options_.data_dir}, {"test_clock", options_.test_clock ? "on" : "off"}});
  return core::Status::ok();
}

core::Status Node::start_fleet() {
  const NodeConfig& c = options_.config;
  auto path = (fs::path(options_.data_dir) / "telemetry.db").string();
  auto store = store::SqlitePositionStore::open(path);
  if (!store) return store.status();
  positions_ = std::move(*store);
  fleet::FleetOptions fo;
  fo.stale_after = core::Millis{int64_t{c.dispatch.stale_after_s} * 1000};
  fo.mutual_aid = c.dispatch.mutual_aid;
  fo.unit_types = engine_->unit_types();
  fleet_ = std::make_unique<fleet::Fleet>(fo, roads_ ? &roads_->network() : nullptr,
                                          roads_ ? &roads_->snap_index() : nullptr, *positions_, *clock_);
  // The fleet starts from the newest view, and follows every batch committed after it (the engine
  // may already be firing timers).
  LD_RETURN_IF_ERROR(engine_->attach_follower(
      [f = fleet_.get()](std::shared_ptr<const engine::View> view) { return f->start(std::move(view)); },
      [f = fleet_.get()](std::span<const engine::Event> events, std::shared_ptr<const engine::View> view) {
        f->on_committed(events, std::move(view));
      }));
  fleet_->set_fix_listener([this](const fleet::Fix& fix) {
    auto view = engine_->view();
    const engine::Unit* u = view->find_unit(fix.object_id);
    if (!u) return;
    json data = {{"unit_id", fix.object_id}, {"jurisdiction", u->jurisdiction}, {"lon", fix.lon}, {"lat", fix.lat},
                 {"time", core::format_utc(fix.time)}, {"status", u->status}};
    if (fix.speed_kmh) data["speed_kmh"] = *fix.speed_kmh;
    if (fix.heading_deg) data["heading_deg"] = *fix.heading_deg;
    hub_->publish_telemetry("positions", fix.object_id, u->jurisdiction, data);
  });
  return core::Status::ok();
}

core::Status Node::start_watch() {
  auto store = store::SqliteReadingStore::open((fs::path(options_.data_dir) / "readings.db").string());
  if (!store) return store.status();
  readings_ = std::move(*store);
  watch_ = std::make_unique<watch::Watch>(*engine_, *readings_, *clock_);
  watch_->set_readings_listener([this](const std::vector<watch::Latest>& latest) {
    auto view = engine_->view();
    for (const auto& l : latest) {
      const engine::MonitoringStation* s = view->find_monitoring_station(l.station);
      if (!s) continue;
      hub_->publish_telemetry("readings", l.station + "/" + l.parameter, s->jurisdiction,
                              {{"station_id", l.station}, {"parameter", l.parameter},
                               {"time", core::format_utc(l.time)}, {"value", l.value}, {"level", s->level()}});
    }
  });
  watch_->set_fix_listener([this](const std::vector<watch::ObjectFix>& fixes) {
    auto view = engine_->view();
    for (const auto& f : fixes) {
      const engine::TrackedObject* o = view->find_tracked_object(f.object_id);
      if (!o) continue;
      json data = {{"object_id", f.object_id}, {"jurisdiction", o->jurisdiction}, {"kind", o->kind},
                   {"name", o->name}, {"lon", f.position.lon}, {"lat", f.position.lat},
                   {"time", core::format_utc(f.time)}};
      if (f.speed_kmh) data["speed_kmh"] = *f.speed_kmh;
      hub_->publish_telemetry("positions", f.object_id, o->jurisdiction, data);
    }
  });
  watch_->start();
  return core::Status::ok();
}

core::Status Node::load_roads() {
  const NodeConfig& c = options_.config;
  if (c.graph.empty()) {
    core::log::info("no road network; the road map, address search and routes are off (start with --graph FILE)");
    return core::Status::ok();
  }
  api::RoadsOptions ro;
  ro.snap_max_m = c.road_snap_m;
  ro.idle_queries = static_cast<size_t>(std::max(2, c.http_threads));
  const auto started = std::chrono::steady_clock::now();
  auto roads = api::Roads::load(c.graph, ro);
  if (!roads) {
    const auto& st = roads.status();
    return core::Status(st.code() == core::Code::kNotFound ? core::Code::kNotFound : core::Code::kInvalidArgument,
                        "cannot load the road network " + c.graph + ": " + st.message(), "graph");
  }
  roads_ = std::move(*roads);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  core::log::info("road network loaded", {{"graph", c.graph},
                                          {"nodes", std::to_string(roads_->graph().node_count())},
                                          {"arcs", std::to_string(roads_->graph().arc_count())},
                                          {"places", std::to_string(roads_->places().size())},
                                          {"ms", std::to_string(ms.count())}});
  return core::Status::ok();
}

void Node::wire_metrics() {
  auto* batch = registry_.histogram("liandong_journal_batch_events", "Events per journal commit.", {},
                                    {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000})->get();
  auto* commands = registry_.histogram("liandong_journal_batch_commands", "Commands per journal commit.", {},
                                       {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000})->get();
  auto* fsync = registry_.histogram("liandong_journal_commit_seconds", "Journal append incl. fsync.", {},
                                    metrics::latency_buckets())->get();
  auto* failed = registry_.counter("liandong_journal_commit_failures_total", "Failed journal commits.", {})->get();
  engine_->set_commit_observer([=](const engine::CommitStats& s) {
    if (!s.ok) return failed->inc();
    if (s.events == 0) return;
    batch->observe(static_cast<double>(s.events));
    commands->observe(static_cast<double>(s.commands));
    fsync->observe(s.append_seconds);
  });
}

void Node::add_admin_commands() {
  admin_->add("status", [this](const json&) -> core::Result<json> {
    auto v = engine_->view();
    return json{{"jurisdiction", v->node}, {"seq", v->seq}, {"pid", ::getpid()}, {"url", url()},
                {"incidents", v->incidents.size()}, {"alarms", v->alarms.size()}};
  });
  admin_->add("verify", [this](const json&) -> core::Result<json> {
    auto st = store_->verify_journal();
    if (!st.is_ok()) return st;
    return json{{"verified_through", engine_->view()->seq}};
  });
  admin_->add("audit_verify", [this](const json&) -> core::Result<json> { return ctx_.verify_journal(); });
  admin_->add("create_admin", [this](const json& req) -> core::Result<json> {
    return create_administrator(*engine_, req.value("name", ""), req.value("password", ""),
                                auth_->options().password_min_length, auth_->options().password_cost,
                                engine::Actor("cli", "admin-socket"));
  });
  admin_->add("create_key", [this](const json& req) -> core::Result<json> {
    return create_api_key(*engine_, auth_->options().secret, req.value("name", ""), req.value("role", ""),
                          req.value("jurisdiction", engine_->options().node), engine::Actor("cli", "admin-socket"));
  });
}

std::string Node::url() const {
  auto listen = parse_listen(options_.config.listen);
  std::string host = listen ? listen->host : "127.0.0.1";
  if (host == "0.0.0.0" || host == "::") host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(options_.config.tls.cert.empty() ? "http" : "https") + "://" + host + ":" + std::to_string(server_ ? server_->port() : 0) + "/";
}

void Node::wire_deliveries() {
  webhooks::Deliverer* d = &publisher_->deliverer();
  auto delivery_json = [](const webhooks::Delivery& x) {
    return json{{"delivery_id", x.delivery_id},
                {"subscriber_id", x.subscriber_id},
                {"alert_id", x.alert_id},
                {"seq", x.seq},
                {"state", webhooks::state_name(x.state)},
                {"attempts", x.attempts},
                {"last_error", x.last_error},
                {"created_at", core::format_utc(x.created_at)},
                {"next_attempt_at", core::format_utc(x.next_attempt_at)},
                {"delivered_at", x.delivered_at ? json(core::format_utc(*x.delivered_at)) : json(nullptr)},
                {"dead_reason", x.dead_reason}};
  };
  ctx_.subscriber_stats = [d](const std::string& id) -> json {
    auto stats = d->stats();
    if (!stats) return {{"error", stats.status().message()}};
    for (const auto& s : *stats)
      if (s.subscriber_id == id)
        return {{"pending", s.pending},
                {"delivered", s.delivered},
                {"dead", s.dead},
                {"oldest_pending_s", s.oldest_pending_age ? json(s.oldest_pending_age->count() / 1000.0) : json(nullptr)},
                {"last_error", s.last_error}};
    return {{"pending", 0}, {"delivered", 0}, {"dead", 0}, {"oldest_pending_s", nullptr}, {"last_error", ""}};
  };
  ctx_.list_deliveries = [d, delivery_json](const std::string& id, const std::string& state,
                                            size_t limit) -> core::Result<json> {
    std::optional<webhooks::DeliveryState> want;
    if (!state.empty()) {
      auto s = webhooks::parse_state(state);
      if (!s) return s.status();
      want = *s;
    }
    auto list = d->list(id, want, limit);
    if (!list) return list.status();
    json out = json::array();
    for (const auto& x : *list) out.push_back(delivery_json(x));
    return out;
  };
  ctx_.retry_delivery = [d](const std::string& id) { return d->retry(id); };
  ctx_.feed_status = [r = feed_reader_.get()](const std::string& id) { return feeds::to_json(r->status(id)); };
}

void Node::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (admin_) admin_->stop();
  if (server_) server_->stop(std::chrono::milliseconds(5000));  // answers what is in flight
  if (hub_) hub_->close_all();
  if (fleet_) fleet_->stop();                                   // stores the fixes still queued
  if (watch_) watch_->stop();                                   // stores the readings still queued
  if (feed_reader_) feed_reader_->stop();                       // after a poll in progress
  if (publisher_) publisher_->stop();                           // hands over what is queued
  if (stats_feeder_) stats_feeder_->stop();                     // writes what is queued
  if (engine_) engine_->stop();                                 // commits the queue, snapshots
  auth_.reset();  // after the engine: its answers to sign-ins use the Auth; a late sign-in is refused
  if (wrote_addr_) {
    std::error_code ec;
    fs::remove(fs::path(options_.data_dir) / "node.addr", ec);
    core::log::info("node stopped");
  }
}

Node::~Node() { stop(); }

void block_termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string wait_for_termination() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

}  // namespace liandong::app
