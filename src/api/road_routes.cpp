// /api/v1/roads, /roads/info, /geocode and /route: the loaded road network (api/roads.h).
#include <algorithm>
#include <charconv>
#include <cmath>

#include "api/roads.h"
#include "api/routes_common.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

constexpr size_t kMaxQueryBytes = 400;
constexpr size_t kDefaultCandidates = 10;
constexpr size_t kMaxCandidates = 50;

const char* class_name(routing::RoadClass c) {
  static constexpr const char* kNames[] = {"motorway", "trunk", "primary", "secondary",
                                           "tertiary", "residential", "service", "other"};
  const auto i = static_cast<size_t>(c);
  return i < std::size(kNames) ? kNames[i] : "other";
}

// The least important class drawn at a zoom level: major roads only when zoomed out.
routing::RoadClass least_class_at(int zoom) {
  if (zoom <= 9) return routing::RoadClass::kTrunk;
  if (zoom <= 11) return routing::RoadClass::kPrimary;
  if (zoom == 12) return routing::RoadClass::kSecondary;
  if (zoom == 13) return routing::RoadClass::kTertiary;
  if (zoom == 14) return routing::RoadClass::kResidential;
  return routing::RoadClass::kOther;
}

http::Response no_road_network() {
  return http::error_response(503, "no_road_network",
                              "no road network is loaded on this node; start it with --graph FILE "
                              "(or 'graph:' in liandong.yaml)");
}

// "lon,lat".
Parsed<core::LonLat> parse_point(std::string_view text, std::string_view name) {
  const auto comma = text.find(',');
  double v[2];
  std::string_view parts[2] = {text.substr(0, comma),
                               comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1)};
  for (int i = 0; i < 2; ++i) {
    auto [ptr, ec] = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), v[i]);
    if (parts[i].empty() || ec != std::errc{} || ptr != parts[i].data() + parts[i].size())
      return bad_query(name, std::string(name) + " must be lon,lat, e.g. 114.416,23.111");
  }
  core::LonLat p{v[0], v[1]};
  if (auto st = core::validate(p, name); !st.is_ok()) return bad_query(name, st.message());
  return p;
}

Parsed<int> parse_int(std::string_view text, std::string_view name, int min, int max) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || v < min || v > max)
    return bad_query(name, std::string(name) + " must be a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max));
  return v;
}

// Degrees to six decimals (about 10 cm): enough for a map, a third of the bytes.
void put_degrees(std::string& out, double v) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, std::round(v * 1e6) / 1e6, std::chars_format::general, 10);
  out.append(buf, ec == std::errc{} ? ptr : buf);
}

void put_coord(std::string& out, const routing::Coord& c) {
  out += '[';
  put_degrees(out, c.lon());
  out += ',';
  put_degrees(out, c.lat());
  out += ']';
}

double deg(double v) { return std::round(v * 1e7) / 1e7; }
json position(double lon, double lat) { return {{"lon", deg(lon)}, {"lat", deg(lat)}}; }
json position(const routing::Coord& c) { return position(c.lon(), c.lat()); }
double metres(double m) { return std::round(m * 10) / 10; }

void roads_layer(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (!ctx.roads) return respond(no_road_network());
  if (auto bad = unknown_params(req, {"bbox", "zoom"})) return respond(std::move(*bad));
  auto bbox_text = req.query_param("bbox");
  if (!bbox_text) return respond(bad_query("bbox", "bbox=minLon,minLat,maxLon,maxLat is required"));
  auto box = core::parse_bbox(*bbox_text);
  if (!box) return respond(bad_query("bbox", box.status().message()));
  int zoom = 0;
  if (auto z = req.query_param("zoom")) {
    auto parsed = parse_int(*z, "zoom", 0, 24);
    if (failed(parsed)) return respond(std::move(error_of(parsed)));
    zoom = value_of(parsed);
  } else {
    // About a 1000-pixel view of the box.
    const double span = std::max(box->max_lon - box->min_lon, 1e-9);
    zoom = std::clamp(static_cast<int>(std::floor(std::log2(360.0 / span * 1000 / 256))), 0, 24);
  }
  const Roads& roads = *ctx.roads;
  const routing::Graph& g = roads.graph();
  const routing::RoadClass least = least_class_at(zoom);
  std::vector<routing::ArcId> arcs;
  roads.snap_index().for_each_arc_in(box->min_lon, box->min_lat, box->max_lon, box->max_lat, [&](routing::ArcId a) {
    if (roads.drawn(a) && g.road_class[a] <= least) arcs.push_back(a);
  });
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  const bool truncated = arcs.size() > roads.options().max_road_features;
  if (truncated) {
    // Keep the major roads, and whole classes when possible: a cut map still shows the network's
    // skeleton rather than some of every road.
    std::stable_sort(arcs.begin(), arcs.end(),
                     [&](routing::ArcId a, routing::ArcId b) { return g.road_class[a] < g.road_class[b]; });
    size_t keep = roads.options().max_road_features;
    const routing::RoadClass cut = g.road_class[arcs[keep]];
    size_t whole = keep;
    while (whole > 0 && g.road_class[arcs[whole - 1]] == cut) --whole;
    if (whole > 0) keep = whole;
    arcs.resize(keep);
    std::sort(arcs.begin(), arcs.end());
  }
  std::string out = R"({"type":"FeatureCollection","zoom":)" + std::to_string(zoom) +
                    R"(,"truncated":)" + (truncated ? "true" : "false") + R"(,"features":[)";
  out.reserve(out.size() + arcs.size() * 160);
  bool first = true;
  for (routing::ArcId a : arcs) {
    const routing::NodeId tail = roads.tail(a);
    out += first ? "" : ",";
    first = false;
    out += R"({"type":"Feature","properties":{"class":")";
    out += class_name(g.road_class[a]);
    out += R"(","oneway":)";
    out += roads.two_way(a) ? "false" : "true";
    out += R"(},"geometry":{"type":"LineString","coordinates":[)";
    put_coord(out, g.coord[tail]);
    for (uint32_t s = g.shape_first[a]; s < g.shape_first[a + 1]; ++s) {
      out += ',';
      put_coord(out, g.shape[s]);
    }
    out += ',';
    put_coord(out, g.coord[g.head[a]]);
    out += "]}}";
  }
  out += "]}";
  http::Response r;
  r.content_type = "application/geo+json";
  r.body = std::move(out);
  respond(std::move(r));
}

void roads_info(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {})) return respond(std::move(*bad));
  if (!ctx.roads)
    return respond(http::json_response(
        200, {{"loaded", false}, {"message", "no road network is loaded; start the node with --graph FILE"}}));
  const Roads& roads = *ctx.roads;
  const auto& meta = roads.network().meta;
  const auto& b = roads.bbox();
  respond(http::json_response(200, {{"loaded", true},
                                    {"source", meta.source},
                                    {"profile", meta.profile},
                                    {"created", meta.created},
                                    {"nodes", roads.graph().node_count()},
                                    {"arcs", roads.graph().arc_count()},
                                    {"roads", roads.road_count()},
                                    {"places", roads.places().size()},
                                    {"bbox", {deg(b.min_lon), deg(b.min_lat), deg(b.max_lon), deg(b.max_lat)}},
                                    {"snap_max_m", roads.options().snap_max_m}}));
}

void geocode_search(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (!ctx.roads) return respond(no_road_network());
  if (auto bad = unknown_params(req, {"q", "near", "limit"})) return respond(std::move(*bad));
  auto q = req.query_param("q");
  if (!q || q->empty()) return respond(bad_query("q", "q (the text to look for) is required"));
  if (q->size() > kMaxQueryBytes)
    return respond(bad_query("q", "q must be at most " + std::to_string(kMaxQueryBytes) + " bytes"));
  geocode::SearchOptions options;
  options.limit = kDefaultCandidates;
  if (auto v = req.query_param("near")) {
    auto p = parse_point(*v, "near");
    if (failed(p)) return respond(std::move(error_of(p)));
    options.near = value_of(p);
  }
  if (auto v = req.query_param("limit")) {
    auto n = parse_int(*v, "limit", 1, static_cast<int>(kMaxCandidates));
    if (failed(n)) return respond(std::move(error_of(n)));
    options.limit = static_cast<size_t>(value_of(n));
  }
  const Roads& roads = *ctx.roads;
  json items = json::array();
  for (const auto& c : roads.place_index().search(*q, options)) {
    const geocode::PlaceRecord& p = roads.places()[c.record];
    json item = {{"kind", geocode::kind_name(p.kind)},
                 {"name", p.name},
                 {"label", geocode::label(p)},
                 {"type", p.type},
                 {"position", position(p.lon, p.lat)},
                 {"score", c.score},
                 {"why", c.why}};
    if (!p.alt_name.empty()) item["alt_name"] = p.alt_name;
    if (p.kind == geocode::PlaceKind::kAddress) {
      item["street"] = p.street;
      item["housenumber"] = p.housenumber;
    }
    if (c.distance_m >= 0) item["distance_m"] = metres(c.distance_m);
    auto snap = roads.snap_index().snap(p.lon, p.lat, roads.options().snap_max_m);
    item["on_road"] = snap.is_ok();
    item["road"] = snap ? json{{"position", position(snap->point)}, {"distance_m", metres(snap->distance_m)}}
                        : json(nullptr);
    items.push_back(std::move(item));
  }
  respond(http::json_response(200, {{"items", std::move(items)}}));
}

void route(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (!ctx.roads) return respond(no_road_network());
  if (auto bad = unknown_params(req, {"from", "to"})) return respond(std::move(*bad));
  const Roads& roads = *ctx.roads;
  routing::Snap snapped[2];
  json ends[2];
  const char* names[2] = {"from", "to"};
  for (int i = 0; i < 2; ++i) {
    auto text = req.query_param(names[i]);
    if (!text) return respond(bad_query(names[i], std::string(names[i]) + "=lon,lat is required"));
    auto p = parse_point(*text, names[i]);
    if (failed(p)) return respond(std::move(error_of(p)));
    const core::LonLat at = value_of(p);
    auto snap = roads.snap_index().snap(at.lon, at.lat, roads.options().snap_max_m);
    if (!snap) {
      if (snap.status().code() == core::Code::kNotFound)
        return respond(http::error_response(422, "not_on_road",
                                            std::string("the '") + names[i] + "' point is not on a road: " +
                                                snap.status().message(),
                                            names[i]));
      return respond(bad_query(names[i], snap.status().message()));
    }
    snapped[i] = *snap;
    ends[i] = {{"position", position(at.lon, at.lat)},
               {"snapped", position(snap->point)},
               {"distance_m", metres(snap->distance_m)}};
  }
  routing::Route r = roads.route(snapped[0].place, snapped[1].place);
  if (r.time_ms == routing::kInfinity)
    return respond(http::error_response(422, "no_route",
                                        "no road route joins the two points (the roads there are not connected)"));
  json coords = json::array();
  for (const auto& c : r.geometry) coords.push_back({deg(c.lon()), deg(c.lat())});
  if (coords.empty()) coords.push_back({snapped[0].point.lon(), snapped[0].point.lat()});
  if (coords.size() == 1) coords.push_back(coords[0]);  // a LineString needs two positions
  respond(http::json_response(200, {{"time_ms", r.time_ms},
                                    {"length_m", r.length_m},
                                    {"geometry", {{"type", "LineString"}, {"coordinates", std::move(coords)}}},
                                    {"from", std::move(ends[0])},
                                    {"to", std::move(ends[1])}}));
}

}  // namespace

void add_road_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/roads", roads_layer);
  add(r, ctx, "GET", "/api/v1/roads/info", roads_info);
  add(r, ctx, "GET", "/api/v1/geocode", geocode_search);
  add(r, ctx, "GET", "/api/v1/route", route);
}

}  // namespace liandong::api::internal
