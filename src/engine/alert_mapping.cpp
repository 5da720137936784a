#include "engine/alert_mapping.h"

namespace liandong::engine {

namespace {

struct LevelMap {
  const char* level;
  const char* severity;
  const char* urgency;
};
constexpr LevelMap kLevels[] = {{"red", "Extreme", "Immediate"},
                                {"orange", "Severe", "Immediate"},
                                {"yellow", "Moderate", "Expected"},
                                {"blue", "Minor", "Future"}};

const char* level_zh(std::string_view level) {
  if (level == "red") return "红色";
  if (level == "orange") return "橙色";
  if (level == "yellow") return "黄色";
  return "蓝色";
}

// A ring of a GeoJSON Polygon geometry's outer boundary, as CAP wants it (closed).
std::vector<core::LonLat> outer_ring(const nlohmann::json& geometry) {
  std::vector<core::LonLat> ring;
  if (!geometry.is_object() || geometry.value("type", "") != "Polygon") return ring;
  const auto& coords = geometry.value("coordinates", nlohmann::json::array());
  if (!coords.is_array() || coords.empty() || !coords[0].is_array()) return ring;
  for (const auto& p : coords[0])
    if (p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number())
      ring.push_back({p[0].get<double>(), p[1].get<double>()});
  if (ring.size() >= 3 && !(ring.front() == ring.back())) ring.push_back(ring.front());
  return ring.size() >= 4 ? ring : std::vector<core::LonLat>{};
}

}  // namespace

std::string cap_category(std::string_view type, const taxonomy::Taxonomy& taxonomy) {
  static const std::pair<const char*, const char*> kByType[] = {
      {"fire", "Fire"},          {"forest_fire", "Fire"},          {"hazmat_leak", "CBRNE"},
      {"water_pollution", "Env"}, {"air_pollution", "Env"},        {"traffic_accident", "Transport"},
      {"earthquake", "Geo"},     {"landslide", "Geo"},             {"building_collapse", "Infra"},
      {"flood", "Met"},          {"typhoon", "Met"},               {"rainstorm", "Met"},
      {"infectious_disease", "Health"}, {"food_poisoning", "Health"}, {"public_disorder", "Security"}};
  for (const auto& [t, c] : kByType)
    if (type == t) return c;
  const taxonomy::IncidentType* it = taxonomy.find(type);
  if (!it) return "Other";
  switch (it->category) {
    case core::Category::kNaturalDisaster: return "Met";
    case core::Category::kAccidentDisaster: return "Safety";
    case core::Category::kPublicHealth: return "Health";
    case core::Category::kSocialSafety: return "Security";
  }
  return "Other";
}

AlertContent content_for_warning(const Warning& w, const taxonomy::Taxonomy& taxonomy, const FenceRecord* fence) {
  AlertContent c;
  c.categories = {cap_category(w.type, taxonomy)};
  const taxonomy::IncidentType* type = taxonomy.find(w.type);
  c.event = type ? type->name_zh + "预警" : std::string("预警");
  for (const auto& m : kLevels)
    if (w.level == m.level) {
      c.severity = m.severity;
      c.urgency = m.urgency;
    }
  if (c.severity.empty()) c.severity = "Unknown", c.urgency = "Unknown";
  c.certainty = w.source == "detector" || w.source == "geofence" ? "Observed" : "Likely";
  c.response_types = {w.level == "red" || w.level == "orange" ? "Prepare" : "Monitor"};
  c.headline = std::string(level_zh(w.level)) + "预警：" + w.title;
  c.description = w.description.empty() ? w.title : w.description;
  c.area_desc = w.title;
  if (fence) {
    auto ring = outer_ring(fence->area);
    if (!ring.empty()) {
      c.polygons.push_back(std::move(ring));
      c.area_desc = fence->name;
    }
  }
  if (c.polygons.empty() && w.location) c.circles.push_back(AlertCircle{*w.location, 5.0});
  c.geocodes = {w.jurisdiction};
  return c;
}

std::string approval_for(std::string_view level) {
  if (level == "red") return "warning.approve.red";
  if (level == "orange") return "warning.approve.orange";
  return "";
}

std::string level_for_severity(std::string_view severity) {
  if (severity == "Extreme") return "red";
  if (severity == "Severe") return "orange";
  if (severity == "Moderate") return "yellow";
  return "blue";
}

bool opens_incident(const AlertRecord& a) {
  const auto& c = a.content;
  return a.cap_status == "Actual" && (c.severity == "Extreme" || c.severity == "Severe") &&
         (c.urgency == "Immediate" || c.urgency == "Expected") && (c.certainty == "Observed" || c.certainty == "Likely");
}

}  // namespace liandong::engine
