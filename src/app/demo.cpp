#include "app/demo.h"

#include <filesystem>
#include <fstream>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>

#include "core/log.h"
#include "geocode/index.h"
#include "roadimport/network.h"
#include "roadimport/synth.h"

namespace liandong::app::demo {

using nlohmann::json;

namespace {

struct County {
  const char* code;
  const char* name;
  double min_lon, min_lat, max_lon, max_lat;  // synthetic outline
  double lon, lat;                            // seat
  std::vector<const char*> streets;
};

const std::vector<County>& counties() {
  static const std::vector<County> k = {
      {"441302", "惠城区", 114.33, 22.98, 114.60, 23.25, 114.416, 23.112, {"江北文昌一路", "麦地路", "河南岸演达大道", "下埔路", "惠州大道"}},
      {"441303", "惠阳区", 114.25, 22.62, 114.62, 22.98, 114.456, 22.789, {"淡水人民路", "开城大道", "白云二路", "沿河路"}},
      {"441322", "博罗县", 113.95, 23.12, 114.33, 23.45, 114.289, 23.173, {"罗阳北门路", "博罗大道", "商业街", "石湾大道"}},
      {"441323", "惠东县", 114.62, 22.62, 115.30, 23.25, 114.720, 22.985, {"平山华侨城", "南堤路", "惠东大道", "蕉田路"}},
      {"441324", "龙门县", 113.95, 23.45, 114.45, 23.90, 114.254, 23.727, {"龙城西林路", "迎宾大道", "城南路"}},
  };
  return k;
}

struct AlarmKind {
  const char* type;
  const char* channel;
  int weight;
  std::vector<const char*> texts;
};

const std::vector<AlarmKind>& kinds() {
  static const std::vector<AlarmKind> k = {
      {"fire", "119", 22, {"居民楼三楼起火，有浓烟冒出", "厂房着火，火势较大", "路边车辆自燃", "商铺卷闸门内冒烟"}},
      {"traffic_accident", "122", 26, {"两车相撞，有人受伤", "货车侧翻，堵塞两条车道", "电动车与小车碰撞，伤者倒地", "多车追尾"}},
      {"medical_emergency", "120", 16, {"老人突发胸痛，呼吸困难", "工地工人从高处坠落", "孕妇腹痛需急送医院"}},
      {"public_disorder", "110", 12, {"多人在街头斗殴", "商场内有人持刀滋事", "聚集人员堵塞道路"}},
      {"hazmat_leak", "119", 5, {"化工厂储罐泄漏，有刺激性气味", "槽罐车泄漏液体"}},
      {"water_pollution", "12345", 5, {"河面出现大量死鱼，水体发黑", "排污口排放异色污水"}},
      {"flood", "12345", 5, {"道路积水深约半米，车辆被困", "低洼小区进水"}},
      {"building_collapse", "119", 3, {"老旧房屋部分坍塌，疑有人员被困"}},
      {"food_poisoning", "120", 3, {"学校多名学生午餐后呕吐腹泻", "饭店聚餐后多人腹痛"}},
      {"gas_explosion", "119", 3, {"餐馆燃气爆炸，玻璃震碎"}},
  };
  return k;
}

json box(double a, double b, double c, double d) {
  return json::array({json::array({json::array({a, b}), json::array({c, b}), json::array({c, d}),
                                   json::array({a, d}), json::array({a, b})})});
}

}  // namespace

json boundaries() {
  json features = json::array();
  for (const auto& c : counties())
    features.push_back({{"type", "Feature"},
                        {"properties", {{"code", c.code}, {"name", c.name}, {"synthetic", true}}},
                        {"geometry", {{"type", "Polygon"}, {"coordinates", box(c.min_lon, c.min_lat, c.max_lon, c.max_lat)}}}});
  return {{"type", "FeatureCollection"},
          {"properties", {{"note", "Synthetic county outlines for the demo; not legal boundaries."}}},
          {"features", features}};
}

core::Result<json> create_accounts(engine::Engine& engine, const std::string& data_dir,
                                   const access::PasswordCost& cost) {
  namespace fs = std::filesystem;
  auto file = fs::path(data_dir) / "demo-accounts.json";
  std::string password;
  if (std::ifstream in(file); in) {
    json old = json::parse(in, nullptr, false);
    if (old.is_object()) password = old.value("password", "");
  }
  if (password.empty()) password = "demo-" + access::random_token("", 9);
  auto hash = access::hash_password(password, cost);
  if (!hash) return hash.status();
  // The human roles, each with the agency whose desk it sits at in the demo.
  const std::pair<const char*, const char*> roles[] = {
      {"call_taker", "110"},       {"dispatcher", "119"},        {"duty_officer", ""},
      {"supervisor", ""},          {"incident_commander", "119"}, {"agency_liaison", "120"},
      {"monitoring_analyst", "environment"}, {"report_reviewer", ""}, {"auditor", ""},
      {"administrator", ""}};
  auto view = engine.view();
  json accounts = json::array();
  for (auto [role, kind] : roles) {
    std::string agency;
    for (size_t i = 0; i < view->agencies.size(); ++i)
      if (view->agencies[i].kind == kind) agency = view->agencies[i].id;
    if (!view->find_person_by_name(role)) {
      const auto* r = engine.roles().find(role);
      std::string display = r ? r->title_zh + " (演示)" : std::string(role);
      auto out = engine.execute(
          engine::CreatePerson{role, display, agency, kCity, {{role, kCity, true, false}}, *hash}, "demo");
      if (!out) return out.status();
    }
    accounts.push_back({{"name", role}, {"role", role}});
  }
  json doc = {{"password", password}, {"accounts", accounts}};
  {
    std::ofstream out(file, std::ios::trunc);
    out << doc.dump(2) << "\n";
    if (!out) return core::unavailable("cannot write " + file.string());
  }
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  return doc;
}

core::Result<std::string> ensure_road_network(const std::string& data_dir, uint32_t nodes) {
  namespace fs = std::filesystem;
  const std::string path = (fs::path(data_dir) / "roads.ldg").string();
  if (fs::exists(path)) return path;
  const auto started = std::chrono::steady_clock::now();
  roadimport::SynthOptions o;  // centred on 惠州's city centre, in 惠城区
  o.nodes = nodes;
  o.seed = 1;
  roadimport::SynthCity city = roadimport::synth_city(o);
  const size_t places = city.places.size();
  auto written = roadimport::contract_and_save(
      std::move(city.graph), city.places,
      {"synth " + std::to_string(nodes) + " seed 1 (the demo's synthetic 惠州)", "synth", ""}, path);
  if (!written) return written.status();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  core::log::info("demo road network made", {{"path", path}, {"nodes", std::to_string(nodes)},
                                             {"places", std::to_string(places)}, {"ms", std::to_string(ms.count())}});
  return path;
}

core::Status seed(engine::Engine& engine) {
  if (!engine.view()->agencies.empty()) return core::Status::ok();
  auto run = [&](engine::Command c) -> core::Result<json> {
    auto r = engine.execute(std::move(c), "demo");
    if (!r) return r.status();
    return r->body;
  };
  struct AgencySpec {
    const char* kind;
    const char* name;
  };
  const AgencySpec agencies[] = {{"110", "惠州市公安局110指挥中心"}, {"119", "惠州市消防救援支队"},
                                 {"120", "惠州市紧急医疗救援指挥中心"}, {"122", "惠州市公安局交通警察支队"},
                                 {"health", "惠州市卫生健康局"},       {"environment", "惠州市生态环境局"}};
  std::map<std::string, std::string> agency_id;
  for (const auto& a : agencies) {
    auto r = run(engine::RegisterAgency{{"", kCity, a.name, a.kind}});
    if (!r) return r.status();
    agency_id[a.kind] = (*r)["id"];
  }
  int n = 0;
  auto unit = [&](const County& c, const std::string& station, const char* agency, const char* type,
                  const std::string& call_sign, double dlon, double dlat) -> core::Status {
    engine::Unit u;
    u.jurisdiction = c.code;
    u.call_sign = call_sign;
    u.type = type;
    u.agency_id = agency_id[agency];
    u.station_id = station;
    (void)dlon, (void)dlat;  // units stand at their station until their first position fix
    u.crew = std::string(type) == "ambulance" ? 3 : std::string(type) == "patrol" ? 2 : 5;
    if (std::string(type) == "engine") u.capabilities = {"breathing_apparatus", "foam"};
    if (std::string(type) == "ladder") u.capabilities = {"aerial_32m", "breathing_apparatus"};
    if (std::string(type) == "rescue") u.capabilities = {"extrication", "rope_rescue"};
    if (std::string(type) == "ambulance") u.capabilities = {call_sign.back() == '1' ? "als" : "bls"};
    auto r = run(engine::RegisterUnit{u});
    ++n;
    return r.is_ok() ? core::Status::ok() : r.status();
  };
  auto station = [&](const County& c, const std::string& name, const char* agency, double dlon,
                     double dlat) -> core::Result<std::string> {
    auto r = run(engine::RegisterStation{{"", c.code, name, agency_id[agency], {c.lon + dlon, c.lat + dlat}}});
    if (!r) return r.status();
    return (*r)["id"].get<std::string>();
  };
  for (const auto& c : counties()) {
    std::string short_name = std::string(c.name).substr(0, 6);  // two Chinese characters
    auto fire = station(c, short_name + "消防救援站", "119", 0.006, 0.004);
    if (!fire) return fire.status();
    LD_RETURN_IF_ERROR(unit(c, *fire, "119", "engine", short_name + "水罐1", 0.006, 0.004));
    LD_RETURN_IF_ERROR(unit(c, *fire, "119", "engine", short_name + "水罐2", 0.006, 0.004));
    LD_RETURN_IF_ERROR(unit(c, *fire, "119", "ladder", short_name + "登高1", 0.006, 0.004));
    LD_RETURN_IF_ERROR(unit(c, *fire, "119", "rescue", short_name + "抢险1", 0.006, 0.004));
    LD_RETURN_IF_ERROR(unit(c, *fire, "119", "water_tender", short_name + "供水1", 0.006, 0.004));
    auto hospital = station(c, short_name + "人民医院急救站", "120", -0.008, 0.003);
    if (!hospital) return hospital.status();
    LD_RETURN_IF_ERROR(unit(c, *hospital, "120", "ambulance", short_name + "急救1", -0.008, 0.003));
    LD_RETURN_IF_ERROR(unit(c, *hospital, "120", "ambulance", short_name + "急救2", -0.008, 0.003));
    auto police = station(c, short_name + "公安分局", "110", 0.002, -0.007);
    if (!police) return police.status();
    LD_RETURN_IF_ERROR(unit(c, *police, "110", "patrol", short_name + "巡逻1", 0.002, -0.007));
    LD_RETURN_IF_ERROR(unit(c, *police, "110", "patrol", short_name + "巡逻2", 0.002, -0.007));
    LD_RETURN_IF_ERROR(unit(c, *police, "122", "traffic", short_name + "交巡1", 0.002, -0.007));
  }
  const County& centre = counties()[0];
  auto special = station(centre, "惠州特勤消防站", "119", 0.015, -0.01);
  if (!special) return special.status();
  LD_RETURN_IF_ERROR(unit(centre, *special, "119", "hazmat", "特勤化救1", 0.015, -0.01));
  LD_RETURN_IF_ERROR(unit(centre, *special, "119", "boat", "东江水上救援1", 0.02, -0.015));
  LD_RETURN_IF_ERROR(unit(centre, *special, "119", "team", "重型救援队", 0.015, -0.01));
  core::log::info("demo seeded", {{"agencies", std::to_string(std::size(agencies))}, {"units", std::to_string(n)}});
  return core::Status::ok();
}

void AlarmTrickle::use_places(const std::vector<geocode::PlaceRecord>* places) {
  addresses_.clear();
  if (!places) return;
  for (const auto& p : *places)
    if (p.kind == geocode::PlaceKind::kAddress) addresses_.push_back(&p);
}

void AlarmTrickle::start() { thread_ = std::thread([this] { run(); }); }

void AlarmTrickle::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void AlarmTrickle::run() {
  std::mt19937 rng(seed_);
  std::uniform_real_distribution<double> u01(0, 1);
  std::vector<int> weights;
  for (const auto& k : kinds()) weights.push_back(k.weight);
  std::discrete_distribution<size_t> pick_kind(weights.begin(), weights.end());
  struct Recent {
    size_t kind;
    core::LonLat where;
    std::string address;
  };
  std::deque<Recent> recent;
  const char* names[] = {"王先生", "李女士", "张先生", "陈女士", "刘先生", "黄女士", "匿名"};
  while (!stop_) {
    auto wait = std::chrono::milliseconds(static_cast<int64_t>(interval_.count() * (0.5 + u01(rng))));
    for (auto slept = std::chrono::milliseconds(0); slept < wait && !stop_; slept += std::chrono::milliseconds(100))
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (stop_) break;
    engine::ReportAlarm a;
    size_t kind_index;
    if (!recent.empty() && u01(rng) < 0.25) {
      // A second caller about the same event: close by, same type.
      const Recent& r = recent[static_cast<size_t>(u01(rng) * recent.size()) % recent.size()];
      kind_index = r.kind;
      a.location = core::LonLat{r.where.lon + (u01(rng) - 0.5) * 0.002, r.where.lat + (u01(rng) - 0.5) * 0.002};
      a.address = r.address;
    } else if (!addresses_.empty() && u01(rng) < 0.5) {
      // A house on the demo city's streets: the address as the caller gives it, the position a
      // few metres off it (a phone's fix).
      kind_index = pick_kind(rng);
      const geocode::PlaceRecord& p = *addresses_[static_cast<size_t>(u01(rng) * addresses_.size()) % addresses_.size()];
      a.location = core::LonLat{p.lon + (u01(rng) - 0.5) * 0.0004, p.lat + (u01(rng) - 0.5) * 0.0004};
      a.address = geocode::label(p);
      recent.push_back({kind_index, *a.location, a.address});
      if (recent.size() > 6) recent.pop_front();
    } else {
      kind_index = pick_kind(rng);
      const County& c = counties()[static_cast<size_t>(u01(rng) * counties().size()) % counties().size()];
      // Most alarms cluster near the county seat, as calls do.
      double spread = u01(rng) < 0.7 ? 0.04 : 0.15;
      double lon = std::clamp(c.lon + (u01(rng) - 0.5) * spread * 2, c.min_lon, c.max_lon);
      double lat = std::clamp(c.lat + (u01(rng) - 0.5) * spread * 2, c.min_lat, c.max_lat);
      a.location = core::LonLat{lon, lat};
      a.jurisdiction = c.code;
      a.address = std::string(c.name) + c.streets[static_cast<size_t>(u01(rng) * c.streets.size()) % c.streets.size()] +
                  std::to_string(1 + static_cast<int>(u01(rng) * 300)) + "号";
      recent.push_back({kind_index, *a.location, a.address});
      if (recent.size() > 6) recent.pop_front();
    }
    const AlarmKind& k = kinds()[kind_index];
    if (a.jurisdiction.empty()) {
      for (const auto& c : counties())
        if (a.location->lon >= c.min_lon && a.location->lon <= c.max_lon && a.location->lat >= c.min_lat &&
            a.location->lat <= c.max_lat)
          a.jurisdiction = c.code;
    }
    if (u01(rng) < 0.08) a.location.reset();  // the caller could only give an address
    a.channel = k.channel;
    a.type = k.type;
    a.description = k.texts[static_cast<size_t>(u01(rng) * k.texts.size()) % k.texts.size()];
    a.reported_at = core::SystemClock().now();
    std::string number = "13";
    for (int i = 0; i < 9; ++i) number += static_cast<char>('0' + static_cast<int>(u01(rng) * 10) % 10);
    a.caller = engine::Caller{names[static_cast<size_t>(u01(rng) * 7) % 7], number};
    if (u01(rng) < 0.3) a.figures.injuries = static_cast<int64_t>(u01(rng) * 4);
    if (u01(rng) < 0.05) a.figures.deaths = static_cast<int64_t>(u01(rng) * 4);
    engine_.submit(std::move(a), "demo", [](core::Result<engine::Outcome> r) {
      if (!r.is_ok()) core::log::warn("demo alarm refused", {{"error", r.status().to_string()}});
    });
  }
}

}  // namespace liandong::app::demo
