// Dispatch in the engine: the registries, unit status, dispatch, mutual aid, recall and
// reassignment, each through Engine::execute over a MemoryJournal and a FakeClock.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <set>

#include "dispatch/unit_status.h"
#include "engine/engine.h"
#include "engine/state.h"
#include "engine/testing/memory_journal.h"

namespace liandong::engine {
namespace {

using core::Code;
using nlohmann::json;

core::Timestamp at(const char* s) { return *core::parse_rfc3339(s); }
std::string utc(core::Timestamp t) { return core::format_utc(t); }
std::string utc(const std::optional<core::Timestamp>& t) { return t ? core::format_utc(*t) : "(none)"; }

constexpr core::Millis kSecond{1000};
constexpr core::Millis kMinute{60 * 1000};

class DispatchTest : public ::testing::Test {
 protected:
  DispatchTest() : clock_(at("2026-11-29T05:00:00Z")) {}

  // (Re)starts the engine on the fixture's journal.
  void start(EngineOptions o = {}, Engine::Listener listener = nullptr) {
    e_.reset();
    o.node = "441200";
    e_ = std::make_unique<Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                  taxonomy::GradeRules::defaults());
    if (listener) e_->set_listener(std::move(listener));
    auto st = e_->start();
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  core::Result<Outcome> run(Command c, Actor a = "dispatcher-1") { return e_->execute(std::move(c), std::move(a)); }

  // Opens an incident from a fire alarm, far from the others (so it never joins one).
  std::string incident(const std::string& jurisdiction = "", std::optional<core::Priority> priority = {}) {
    ReportAlarm a;
    a.jurisdiction = jurisdiction;
    a.channel = "119";
    a.reported_at = clock_.now();
    a.location = core::LonLat{113.0 + 0.1 * incidents_++, 23.1};
    a.type = "fire";
    a.description = "smoke on the third floor";
    auto r = run(a);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    if (!r.is_ok()) return "";
    EXPECT_EQ(r->body["joined"], false);
    std::string id = r->body["incident_id"];
    if (priority) {
      EXPECT_TRUE(run(SetPriority{id, *priority}).is_ok());
    }
    return id;
  }

  Unit unit_spec(const std::string& call_sign, const std::string& type = "engine",
                 const std::string& jurisdiction = "441200") {
    Unit u;
    u.jurisdiction = jurisdiction;
    u.call_sign = call_sign;
    u.type = type;
    u.crew = 4;
    return u;
  }

  std::string unit(const std::string& call_sign, const std::string& type = "engine",
                   const std::string& jurisdiction = "441200") {
    auto r = run(RegisterUnit{unit_spec(call_sign, type, jurisdiction)}, "registrar");
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["id"].get<std::string>() : "";
  }

  core::Result<Outcome> dispatch(const std::string& incident_id, const std::vector<std::string>& ids,
                                 bool recommended = false) {
    DispatchUnits d;
    d.incident_id = incident_id;
    for (const auto& id : ids) d.units.push_back({id, std::nullopt});
    d.recommended = recommended;
    return run(d);
  }

  core::Result<Outcome> status(const std::string& id, const std::string& to,
                               std::optional<core::Timestamp> when = std::nullopt, const std::string& reason = "",
                               Actor actor = "crew") {
    return run(ChangeUnitStatus{id, to, reason, when}, std::move(actor));
  }

  // Copies, so that they outlive the view they came from.
  Unit unit_rec(const std::string& id) {
    auto v = e_->view();
    const Unit* u = v->find_unit(id);
    EXPECT_NE(u, nullptr) << id;
    return u ? *u : Unit{};
  }
  Incident incident_rec(const std::string& id) {
    auto v = e_->view();
    const Incident* i = v->find_incident(id);
    EXPECT_NE(i, nullptr) << id;
    return i ? *i : Incident{};
  }

  std::vector<Event> events_since(size_t n) {
    auto all = journal_.events();
    return {all.begin() + static_cast<std::ptrdiff_t>(std::min(n, all.size())), all.end()};
  }

  testing::MemoryJournal journal_;
  core::FakeClock clock_;
  std::unique_ptr<Engine> e_;
  int incidents_ = 0;
};

// --- Registries -------------------------------------------------------------------------------

TEST_F(DispatchTest, RegistersAgencyStationAndUnitWithNodeIds) {
  start();
  auto agency = run(RegisterAgency{{"", "441200", "惠州市消防救援支队", "119"}}, "admin");
  ASSERT_TRUE(agency.is_ok()) << agency.status().to_string();
  EXPECT_TRUE(agency->created);
  EXPECT_EQ(agency->body["id"], "441200-AGY-1");
  EXPECT_EQ(agency->body["kind"], "119");
  ASSERT_TRUE(run(RegisterAgency{{"", "441202", "惠城区急救中心", "120"}}, "admin").is_ok());
  EXPECT_NE(e_->view()->find_agency("441200-AGY-2"), nullptr);

  auto station = run(RegisterStation{{"", "441202", "江北站", "441200-AGY-1", {114.41, 23.11}}}, "admin");
  ASSERT_TRUE(station.is_ok()) << station.status().to_string();
  EXPECT_EQ(station->body["id"], "441200-STN-1");
  EXPECT_EQ(station->body["agency_id"], "441200-AGY-1");

  Unit u = unit_spec("江北1号", "engine", "441202");
  u.agency_id = "441200-AGY-1";
  u.station_id = "441200-STN-1";
  u.capabilities = {"breathing_apparatus", "aerial_32m", "breathing_apparatus", "als"};
  u.crew = 6;
  // What the engine owns is ignored in the command.
  u.status_since = at("2020-01-01T00:00:00Z");
  u.incident_id = "441200-INC-7";
  u.history.push_back({"available", at("2020-01-01T00:00:00Z"), "", "x", "y"});
  auto r = run(RegisterUnit{u}, "admin");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->body["id"], "441200-UNT-1");
  EXPECT_EQ(r->body["capabilities"], json({"aerial_32m", "als", "breathing_apparatus"}));
  EXPECT_EQ(r->body["status"], "available");
  EXPECT_EQ(r->body["status_since"], utc(clock_.now()));
  EXPECT_TRUE(r->body["incident_id"].is_null());
  EXPECT_EQ(r->body["history"], json::array());

  Unit rec = unit_rec("441200-UNT-1");
  EXPECT_EQ(rec.call_sign, "江北1号");
  EXPECT_EQ(rec.jurisdiction, "441202");
  EXPECT_EQ(rec.crew, 6u);
  EXPECT_EQ(rec.status_since, clock_.now());
  EXPECT_TRUE(rec.incident_id.empty());
  EXPECT_TRUE(rec.history.empty());

  // A new unit may start out of service; the next id follows.
  Unit spare = unit_spec("备用1", "ambulance");
  spare.status = "out_of_service";
  auto r2 = run(RegisterUnit{spare}, "admin");
  ASSERT_TRUE(r2.is_ok()) << r2.status().to_string();
  EXPECT_EQ(r2->body["id"], "441200-UNT-2");
  EXPECT_EQ(r2->body["status"], "out_of_service");

  auto evs = journal_.events();
  ASSERT_EQ(evs.size(), 5u);
  EXPECT_EQ(evs[0].type, "agency.registered");
  EXPECT_EQ(evs[2].type, "station.registered");
  EXPECT_EQ(evs[3].type, "unit.registered");
  EXPECT_EQ(evs[3].jurisdiction, "441202");
  EXPECT_EQ(evs[3].data["by"], "admin");
  EXPECT_EQ(evs[3].data["unit"]["id"], "441200-UNT-1");
}

TEST_F(DispatchTest, RegistrationValidationNamesTheField) {
  start();
  ASSERT_TRUE(run(RegisterAgency{{"", "441200", "支队", "119"}}).is_ok());
  ASSERT_TRUE(run(RegisterStation{{"", "441200", "站", "441200-AGY-1", {114.4, 23.1}}}).is_ok());
  ASSERT_FALSE(unit("E1").empty());
  const size_t journaled = journal_.size();

  struct Case {
    const char* name;
    Command command;
    Code code;
    const char* field;
  };
  auto with = [&](auto&& change) {
    Unit u = unit_spec("E2");
    change(u);
    return RegisterUnit{u};
  };
  std::vector<std::string> too_many;
  for (int i = 0; i < 33; ++i) too_many.push_back("cap" + std::to_string(i));
  std::vector<Case> cases = {
      {"agency without name", RegisterAgency{{"", "441200", "", "119"}}, Code::kInvalidArgument, "name"},
      {"agency outside the node", RegisterAgency{{"", "440100", "广州", "119"}}, Code::kInvalidArgument,
       "jurisdiction"},
      {"station of unknown agency", RegisterStation{{"", "441200", "站2", "441200-AGY-9", {114.4, 23.1}}},
       Code::kInvalidArgument, "agency_id"},
      {"station off the map", RegisterStation{{"", "441200", "站2", "", {200, 23.1}}}, Code::kInvalidArgument,
       "location.lon"},
      {"station without name", RegisterStation{{"", "441200", "", "", {114.4, 23.1}}}, Code::kInvalidArgument,
       "name"},
      {"unknown type", with([](Unit& u) { u.type = "spaceship"; }), Code::kInvalidArgument, "type"},
      {"unknown agency", with([](Unit& u) { u.agency_id = "441200-AGY-2"; }), Code::kInvalidArgument,
       "agency_id"},
      {"agency of another node", with([](Unit& u) { u.agency_id = "441300-AGY-1"; }), Code::kInvalidArgument,
       "agency_id"},
      {"unknown station", with([](Unit& u) { u.station_id = "441200-STN-2"; }), Code::kInvalidArgument,
       "station_id"},
      {"empty call sign", with([](Unit& u) { u.call_sign = ""; }), Code::kInvalidArgument, "call_sign"},
      {"long call sign", with([](Unit& u) { u.call_sign = std::string(65, 'x'); }), Code::kInvalidArgument,
       "call_sign"},
      {"duplicate call sign", with([](Unit& u) { u.call_sign = "E1"; }), Code::kConflict, "call_sign"},
      {"empty capability", with([](Unit& u) { u.capabilities = {"als", ""}; }), Code::kInvalidArgument,
       "capabilities[1]"},
      {"capability with a space", with([](Unit& u) { u.capabilities = {"foam tank"}; }), Code::kInvalidArgument,
       "capabilities[0]"},
      {"long capability", with([](Unit& u) { u.capabilities = {"als", std::string(49, 'a')}; }),
       Code::kInvalidArgument, "capabilities[1]"},
      {"33 capabilities", with([&](Unit& u) { u.capabilities = too_many; }), Code::kInvalidArgument,
       "capabilities"},
      {"crew 201", with([](Unit& u) { u.crew = 201; }), Code::kInvalidArgument, "crew"},
      {"unit outside the node", with([](Unit& u) { u.jurisdiction = "440103"; }), Code::kInvalidArgument,
       "jurisdiction"},
      {"malformed jurisdiction", with([](Unit& u) { u.jurisdiction = "44x2"; }), Code::kInvalidArgument,
       "jurisdiction"},
      {"no jurisdiction", with([](Unit& u) { u.jurisdiction = ""; }), Code::kInvalidArgument, "jurisdiction"},
      {"new unit dispatched", with([](Unit& u) { u.status = "dispatched"; }), Code::kInvalidArgument, "status"},
      {"unknown status", with([](Unit& u) { u.status = "asleep"; }), Code::kInvalidArgument, "status"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = run(c.command);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), c.code) << r.status().to_string();
    EXPECT_EQ(r.status().field(), c.field) << r.status().to_string();
  }
  EXPECT_EQ(journal_.size(), journaled);  // nothing journaled for a refusal
  EXPECT_EQ(e_->view()->units.size(), 1u);

  // The limits themselves are accepted: crew 200, 48-character codes, 32 distinct capabilities
  // (repeats do not count).
  auto edge = with([&](Unit& u) {
    u.crew = 200;
    u.capabilities.assign(too_many.begin(), too_many.begin() + 30);
    u.capabilities.push_back(std::string(48, 'z'));
    u.capabilities.push_back("A.b-c_9");
    u.capabilities.push_back("cap0");  // 32 distinct and a repeat
  });
  auto ok = run(edge);
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->body["capabilities"].size(), 32u);
  auto caps = ok->body["capabilities"].get<std::vector<std::string>>();
  EXPECT_TRUE(std::is_sorted(caps.begin(), caps.end()));
}

TEST_F(DispatchTest, RegisterUnitsIsAllOrNothing) {
  start();
  ASSERT_FALSE(unit("E1").empty());
  const size_t n = journal_.size();
  auto refused = [&](std::vector<Unit> units, Code code, const std::string& field) {
    auto r = run(RegisterUnits{std::move(units)});
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), code) << r.status().to_string();
    EXPECT_EQ(r.status().field(), field) << r.status().to_string();
  };
  refused({unit_spec("E2"), unit_spec("E3", "spaceship")}, Code::kInvalidArgument, "units[1].type");
  refused({unit_spec("E2"), unit_spec("E2")}, Code::kConflict, "units[1].call_sign");
  refused({unit_spec("E2"), unit_spec("E1")}, Code::kConflict, "units[1].call_sign");
  refused({unit_spec("E2", "engine", "440100")}, Code::kInvalidArgument, "units[0].jurisdiction");
  refused({}, Code::kInvalidArgument, "units");
  EXPECT_EQ(journal_.size(), n);
  EXPECT_EQ(e_->view()->units.size(), 1u);

  Unit e2 = unit_spec("E2");
  e2.capabilities = {"foam", "als", "foam"};
  auto r = run(RegisterUnits{{e2, unit_spec("A1", "ambulance")}});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->body["created"], 2);
  EXPECT_EQ(r->body["units"], json({"441200-UNT-2", "441200-UNT-3"}));
  EXPECT_EQ(journal_.size(), n + 2);
  EXPECT_EQ(unit_rec("441200-UNT-2").capabilities, (std::vector<std::string>{"als", "foam"}));
  EXPECT_EQ(unit_rec("441200-UNT-3").type, "ambulance");
  EXPECT_EQ(unit_rec("441200-UNT-3").status_since, clock_.now());
}

TEST_F(DispatchTest, ExtraUnitTypesComeFromTheOptions) {
  start();
  auto refused = run(RegisterUnit{unit_spec("无人机1", "drone")});
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "type");
  EXPECT_EQ(journal_.size(), 0u);

  EngineOptions o;
  o.extra_unit_types = {"drone", "engine", "drone"};
  start(o);
  const auto& types = e_->unit_types();
  ASSERT_EQ(types.size(), core::default_unit_types().size() + 1);  // repeats and shared types dropped
  EXPECT_EQ(types.front(), core::default_unit_types().front());
  EXPECT_EQ(types.back(), "drone");
  auto r = run(RegisterUnit{unit_spec("无人机1", "drone")});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->body["type"], "drone");
  // A shared type is still accepted, and a drone goes out like any unit.
  std::string engine_id = unit("E1", "engine");
  std::string inc = incident();
  ASSERT_TRUE(dispatch(inc, {r->body["id"], engine_id}).is_ok());
  EXPECT_EQ(incident_rec(inc).assignments.at(0).unit_type, "drone");
}

TEST_F(DispatchTest, UpdateUnitChangesOnlyWhatIsGiven) {
  start();
  ASSERT_TRUE(run(RegisterAgency{{"", "441200", "支队", "119"}}).is_ok());
  ASSERT_TRUE(run(RegisterStation{{"", "441200", "站", "441200-AGY-1", {114.4, 23.1}}}).is_ok());
  Unit spec = unit_spec("E1");
  spec.agency_id = "441200-AGY-1";
  spec.station_id = "441200-STN-1";
  spec.capabilities = {"foam", "als"};
  ASSERT_TRUE(run(RegisterUnit{spec}).is_ok());
  const std::string id = "441200-UNT-1";
  std::string other = unit("E2");
  Unit before = unit_rec(id);

  size_t n = journal_.size();
  UpdateUnit crew;
  crew.unit_id = id;
  crew.crew = 5;
  auto r = run(crew, "admin");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_FALSE(r->created);
  EXPECT_EQ(r->body["crew"], 5);
  auto evs = events_since(n);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, "unit.updated");
  EXPECT_EQ(evs[0].data["unit_id"], id);
  EXPECT_EQ(evs[0].data["changes"], json({{"crew", 5}}));
  EXPECT_EQ(evs[0].data["by"], "admin");
  Unit after = unit_rec(id);
  EXPECT_EQ(after.crew, 5u);
  EXPECT_EQ(after.call_sign, before.call_sign);
  EXPECT_EQ(after.type, before.type);
  EXPECT_EQ(after.agency_id, before.agency_id);
  EXPECT_EQ(after.station_id, before.station_id);
  EXPECT_EQ(after.capabilities, before.capabilities);
  EXPECT_EQ(after.status, before.status);
  EXPECT_EQ(after.status_since, before.status_since);

  // Several fields at once; capabilities normalised.
  UpdateUnit several;
  several.unit_id = id;
  several.call_sign = "江北1号";
  several.station_id = "";
  several.capabilities = std::vector<std::string>{"hazmat_suits", "als", "als"};
  n = journal_.size();
  ASSERT_TRUE(run(several).is_ok());
  evs = events_since(n);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data["changes"],
            json({{"call_sign", "江北1号"}, {"station_id", ""}, {"capabilities", {"als", "hazmat_suits"}}}));
  after = unit_rec(id);
  EXPECT_EQ(after.call_sign, "江北1号");
  EXPECT_EQ(after.station_id, "");
  EXPECT_EQ(after.agency_id, "441200-AGY-1");
  EXPECT_EQ(after.capabilities, (std::vector<std::string>{"als", "hazmat_suits"}));

  // Nothing different: answered, no event.
  UpdateUnit same;
  same.unit_id = id;
  same.call_sign = "江北1号";
  same.crew = 5;
  same.type = "engine";
  same.capabilities = std::vector<std::string>{"hazmat_suits", "als"};
  n = journal_.size();
  auto unchanged = run(same);
  ASSERT_TRUE(unchanged.is_ok()) << unchanged.status().to_string();
  EXPECT_EQ(unchanged->body["call_sign"], "江北1号");
  EXPECT_EQ(journal_.size(), n);
  UpdateUnit empty;
  empty.unit_id = id;
  EXPECT_TRUE(run(empty).is_ok());
  EXPECT_EQ(journal_.size(), n);

  // Refusals name the field and journal nothing.
  auto refuse = [&](UpdateUnit u, Code code, const std::string& field) {
    auto r = run(u);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), code) << r.status().to_string();
    EXPECT_EQ(r.status().field(), field) << r.status().to_string();
  };
  UpdateUnit u;
  u.unit_id = id;
  u.call_sign = "E2";
  refuse(u, Code::kConflict, "call_sign");
  u.call_sign = "";
  refuse(u, Code::kInvalidArgument, "call_sign");
  u = {};
  u.unit_id = id;
  u.agency_id = "441200-AGY-5";
  refuse(u, Code::kInvalidArgument, "agency_id");
  u = {};
  u.unit_id = id;
  u.station_id = "441200-STN-5";
  refuse(u, Code::kInvalidArgument, "station_id");
  u = {};
  u.unit_id = id;
  u.crew = 201;
  refuse(u, Code::kInvalidArgument, "crew");
  u = {};
  u.unit_id = id;
  u.capabilities = std::vector<std::string>{"ok", "not ok"};
  refuse(u, Code::kInvalidArgument, "capabilities[1]");
  u = {};
  u.unit_id = id;
  u.type = "spaceship";
  refuse(u, Code::kInvalidArgument, "type");
  u = {};
  u.unit_id = "441200-UNT-9";
  u.crew = 3;
  EXPECT_EQ(run(u).status().code(), Code::kNotFound);
  EXPECT_EQ(journal_.size(), n);

  // The type changes only while the unit serves no incident.
  std::string inc = incident();
  ASSERT_TRUE(dispatch(inc, {id}).is_ok());
  n = journal_.size();
  UpdateUnit type;
  type.unit_id = id;
  type.type = "rescue";
  refuse(type, Code::kConflict, "type");
  EXPECT_EQ(journal_.size(), n);
  UpdateUnit crew_while_assigned;
  crew_while_assigned.unit_id = id;
  crew_while_assigned.crew = 3;
  crew_while_assigned.type = "engine";  // the same type is no change
  EXPECT_TRUE(run(crew_while_assigned).is_ok());
  ASSERT_TRUE(status(id, "available", std::nullopt, "stood down").is_ok());
  auto typed = run(type);
  ASSERT_TRUE(typed.is_ok()) << typed.status().to_string();
  EXPECT_EQ(unit_rec(id).type, "rescue");
  EXPECT_EQ(unit_rec(other).call_sign, "E2");
}

// --- Status life-cycle ---------------------------------------------------------------------------

// The table of dispatch/unit_status.h, written out again so that a change to it fails here.
const std::map<std::string, std::set<std::string>>& transition_table() {
  static const std::map<std::string, std::set<std::string>> kTable = {
      {"available", {"dispatched", "out_of_service"}},
      {"dispatched", {"en_route", "on_scene", "available", "out_of_service"}},
      {"en_route", {"on_scene", "returning", "available", "out_of_service"}},
      {"on_scene", {"transporting", "returning", "available", "out_of_service"}},
      {"transporting", {"at_hospital", "returning", "available"}},
      {"at_hospital", {"returning", "available"}},
      {"returning", {"available", "dispatched", "out_of_service"}},
      {"out_of_service", {"available"}},
  };
  return kTable;
}

TEST_F(DispatchTest, EveryTransitionOfTheTableAndNoOther) {
  start();
  // How a fresh unit reaches each status ("dispatched" is a DispatchUnits).
  const std::map<std::string, std::vector<std::string>> paths = {
      {"available", {}},
      {"dispatched", {"dispatched"}},
      {"en_route", {"dispatched", "en_route"}},
      {"on_scene", {"dispatched", "on_scene"}},
      {"transporting", {"dispatched", "on_scene", "transporting"}},
      {"at_hospital", {"dispatched", "on_scene", "transporting", "at_hospital"}},
      {"returning", {"dispatched", "en_route", "returning"}},
      {"out_of_service", {"out_of_service"}},
  };
  ASSERT_EQ(paths.size(), core::unit_statuses().size());
  const std::string inc = incident();
  int n = 0, valid = 0;
  for (const auto& [from, path] : paths) {
    for (auto to_view : core::unit_statuses()) {
      std::string to(to_view);
      if (to == from || to == "dispatched") continue;
      SCOPED_TRACE(from + " -> " + to);
      std::string id = unit("U" + std::to_string(++n), "ambulance");
      for (const auto& step : path) {
        clock_.advance(kMinute);
        auto r = step == "dispatched" ? dispatch(inc, {id}) : status(id, step);
        ASSERT_TRUE(r.is_ok()) << step << ": " << r.status().to_string();
      }
      ASSERT_EQ(unit_rec(id).status, from);
      clock_.advance(kMinute);
      const auto when = clock_.now() - 30 * kSecond;
      const size_t journaled = journal_.size();
      const bool expect_valid = transition_table().at(from).count(to) > 0;
      EXPECT_EQ(dispatch::is_valid_unit_transition(from, to), expect_valid);
      auto r = status(id, to, when, "radio", Actor("crew-7", "10.1.2.3"));
      Unit u = unit_rec(id);
      if (expect_valid) {
        ++valid;
        ASSERT_TRUE(r.is_ok()) << r.status().to_string();
        EXPECT_EQ(r->body["status"], to);
        EXPECT_EQ(u.status, to);
        EXPECT_EQ(utc(u.status_since), utc(when));
        ASSERT_FALSE(u.history.empty());
        EXPECT_EQ(u.history.back().status, to);
        EXPECT_EQ(utc(u.history.back().at), utc(when));
        EXPECT_EQ(u.history.back().by, "crew-7");
        EXPECT_EQ(u.history.back().reason, "radio");
        EXPECT_EQ(u.history.size(), path.size() + 1);
        // The unit keeps its incident exactly while the new status is an assigned one.
        const bool had_incident = dispatch::is_assigned(from);
        EXPECT_EQ(u.history.back().incident_id, had_incident ? inc : "");
        EXPECT_EQ(u.incident_id, had_incident && dispatch::is_assigned(to) ? inc : "");
        auto evs = events_since(journaled);
        ASSERT_EQ(evs.size(), 1u);
        EXPECT_EQ(evs[0].type, "unit.status_changed");
        EXPECT_EQ(evs[0].data["unit_id"], id);
        EXPECT_EQ(evs[0].data["from"], from);
        EXPECT_EQ(evs[0].data["to"], to);
        EXPECT_EQ(evs[0].data["at"], utc(when));
        EXPECT_EQ(evs[0].data["reason"], "radio");
        EXPECT_EQ(evs[0].data["by"], "crew-7");
        EXPECT_EQ(evs[0].data["by_address"], "10.1.2.3");
        EXPECT_EQ(evs[0].data.value("incident_id", ""), had_incident ? inc : "");
      } else {
        ASSERT_FALSE(r.is_ok());
        EXPECT_EQ(r.status().code(), Code::kConflict) << r.status().to_string();
        EXPECT_EQ(r.status().field(), "status");
        EXPECT_EQ(journal_.size(), journaled);
        EXPECT_EQ(u.status, from);
      }
    }
  }
  EXPECT_EQ(valid, 21);  // the table's entries, less the two into `dispatched`
}

TEST_F(DispatchTest, RepeatedStatusIsNoOpAndDispatchedOnlyByDispatch) {
  start();
  std::string id = unit("E1");
  clock_.advance(kMinute);
  ASSERT_TRUE(status(id, "out_of_service").is_ok());
  Unit before = unit_rec(id);
  size_t n = journal_.size();
  clock_.advance(kMinute);
  auto again = status(id, "out_of_service", clock_.now() - kSecond, "again");
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->body["status"], "out_of_service");
  EXPECT_EQ(journal_.size(), n);
  EXPECT_EQ(unit_rec(id).status_since, before.status_since);
  EXPECT_EQ(unit_rec(id).history.size(), before.history.size());

  ASSERT_TRUE(status(id, "available").is_ok());
  n = journal_.size();
  auto d = status(id, "dispatched");
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(d.status().field(), "status");
  auto bogus = status(id, "sleeping");
  EXPECT_EQ(bogus.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bogus.status().field(), "status");
  EXPECT_EQ(status("441200-UNT-9", "available").status().code(), Code::kNotFound);
  EXPECT_EQ(status("not-an-id", "available").status().code(), Code::kNotFound);
  EXPECT_EQ(journal_.size(), n);
  EXPECT_EQ(unit_rec(id).status, "available");
}

TEST_F(DispatchTest, StatusTimeIsCheckedAgainstLastChangeAndClock) {
  start();
  std::string id = unit("E1");
  const auto registered = clock_.now();
  clock_.advance(10 * kMinute);
  const size_t n = journal_.size();

  auto before_last = status(id, "out_of_service", registered - kSecond);
  EXPECT_EQ(before_last.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(before_last.status().field(), "at");
  auto far_ahead = status(id, "out_of_service", clock_.now() + 5 * kMinute + kSecond);
  EXPECT_EQ(far_ahead.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(far_ahead.status().field(), "at");
  EXPECT_EQ(journal_.size(), n);

  // Slightly ahead (a unit's clock running fast): taken as now.
  auto ahead = status(id, "out_of_service", clock_.now() + 4 * kMinute);
  ASSERT_TRUE(ahead.is_ok()) << ahead.status().to_string();
  EXPECT_EQ(utc(unit_rec(id).status_since), utc(clock_.now()));
  EXPECT_EQ(events_since(n).at(0).data["at"], utc(clock_.now()));
  const auto last = clock_.now();

  // In the past but not before the last change: taken as given; exactly the last change is fine.
  clock_.advance(10 * kMinute);
  EXPECT_EQ(status(id, "available", last - kSecond).status().field(), "at");
  ASSERT_TRUE(status(id, "available", last).is_ok());
  EXPECT_EQ(utc(unit_rec(id).status_since), utc(last));
  ASSERT_TRUE(status(id, "out_of_service", last + 3 * kMinute).is_ok());
  EXPECT_EQ(utc(unit_rec(id).status_since), utc(last + 3 * kMinute));
  EXPECT_EQ(utc(unit_rec(id).history.back().at), utc(last + 3 * kMinute));
  // No time given: the node's clock.
  ASSERT_TRUE(status(id, "available").is_ok());
  EXPECT_EQ(utc(unit_rec(id).status_since), utc(clock_.now()));
}

TEST_F(DispatchTest, HistoryKeepsTheLastTwentyChanges) {
  start();
  std::string id = unit("E1");
  constexpr int kChanges = 50;
  for (int k = 1; k <= kChanges; ++k) {
    clock_.advance(kMinute);
    ASSERT_TRUE(status(id, k % 2 ? "out_of_service" : "available", std::nullopt, "r" + std::to_string(k),
                       "mechanic")
                    .is_ok());
  }
  Unit u = unit_rec(id);
  ASSERT_EQ(u.history.size(), kUnitHistory);
  EXPECT_EQ(u.history.front().reason, "r31");
  EXPECT_EQ(u.history.front().status, "out_of_service");
  EXPECT_EQ(u.history.back().reason, "r50");
  EXPECT_EQ(u.history.back().status, "available");
  EXPECT_EQ(u.history.back().by, "mechanic");
  EXPECT_EQ(u.history.back().at, clock_.now());
  EXPECT_EQ(u.status_since, clock_.now());
  for (size_t i = 1; i < u.history.size(); ++i) EXPECT_LT(u.history[i - 1].at, u.history[i].at);
  EXPECT_EQ(journal_.size(), 1u + kChanges);  // the journal keeps them all
}

// --- Dispatch ------------------------------------------------------------------------------------

TEST_F(DispatchTest, DispatchesSeveralUnitsAndTheIncidentResponds) {
  start();
  ASSERT_TRUE(run(RegisterAgency{{"", "441200", "支队", "119"}}).is_ok());
  Unit spec = unit_spec("E1");
  spec.agency_id = "441200-AGY-1";
  ASSERT_TRUE(run(RegisterUnit{spec}).is_ok());
  std::string e1 = "441200-UNT-1";
  std::string a1 = unit("A1", "ambulance");
  std::string idle = unit("E9");
  std::string inc = incident();
  clock_.advance(kMinute);
  const auto t = clock_.now();
  const size_t n = journal_.size();

  DispatchUnits d;
  d.incident_id = inc;
  d.units = {{e1, 300}, {a1, std::nullopt}};
  d.recommended = true;
  auto r = run(d, Actor("dispatcher-1", "10.0.0.8"));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_FALSE(r->created);
  EXPECT_EQ(r->body["id"], inc);
  EXPECT_EQ(r->body["status"], "responding");
  ASSERT_EQ(r->body["assignments"].size(), 2u);

  auto evs = events_since(n);
  ASSERT_EQ(evs.size(), 3u);
  EXPECT_EQ(evs[0].type, "unit.dispatched");
  EXPECT_EQ(evs[0].data["unit_id"], e1);
  EXPECT_EQ(evs[0].data["incident_id"], inc);
  EXPECT_EQ(evs[0].data["from"], "available");
  EXPECT_EQ(evs[0].data["eta_s"], 300);
  EXPECT_EQ(evs[0].data["recommended"], true);
  EXPECT_EQ(evs[0].data["by"], "dispatcher-1");
  EXPECT_EQ(evs[0].data["by_address"], "10.0.0.8");
  EXPECT_FALSE(evs[0].data.contains("mutual_aid_rule"));
  EXPECT_EQ(evs[1].type, "unit.dispatched");
  EXPECT_EQ(evs[1].data["unit_id"], a1);
  EXPECT_FALSE(evs[1].data.contains("eta_s"));
  EXPECT_EQ(evs[2].type, "incident.status_changed");
  EXPECT_EQ(evs[2].data["from"], "reported");
  EXPECT_EQ(evs[2].data["to"], "responding");

  Incident i = incident_rec(inc);
  EXPECT_EQ(i.status, "responding");
  ASSERT_EQ(i.assignments.size(), 2u);
  const Assignment& a = i.assignments[0];
  EXPECT_EQ(a.unit_id, e1);
  EXPECT_EQ(a.call_sign, "E1");
  EXPECT_EQ(a.unit_type, "engine");
  EXPECT_EQ(a.agency_id, "441200-AGY-1");
  EXPECT_EQ(a.dispatched_at, t);
  ASSERT_TRUE(a.eta_s.has_value());
  EXPECT_EQ(*a.eta_s, 300u);
  EXPECT_TRUE(a.recommended);
  EXPECT_TRUE(a.active());
  EXPECT_EQ(a.ended, "");
  EXPECT_FALSE(a.en_route_at || a.on_scene_at || a.cleared_at);
  EXPECT_TRUE(a.mutual_aid_rule.empty());
  EXPECT_EQ(i.assignments[1].unit_id, a1);
  EXPECT_EQ(i.assignments[1].unit_type, "ambulance");
  EXPECT_FALSE(i.assignments[1].eta_s.has_value());

  for (const auto& id : {e1, a1}) {
    Unit u = unit_rec(id);
    EXPECT_EQ(u.status, "dispatched");
    EXPECT_EQ(u.incident_id, inc);
    EXPECT_EQ(u.status_since, t);
    ASSERT_EQ(u.history.size(), 1u);
    EXPECT_EQ(u.history[0].status, "dispatched");
    EXPECT_EQ(u.history[0].incident_id, inc);
    EXPECT_EQ(u.history[0].by, "dispatcher-1");
  }
  EXPECT_EQ(unit_rec(idle).status, "available");

  // A further unit later: the incident is already responding, no second status change.
  const size_t m = journal_.size();
  ASSERT_TRUE(dispatch(inc, {idle}).is_ok());
  evs = events_since(m);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, "unit.dispatched");
  EXPECT_FALSE(incident_rec(inc).assignments[2].recommended);
}

TEST_F(DispatchTest, IncidentBecomesRespondingFromReportedOrVerifiedOnly) {
  start();
  std::string verified = incident(), contained = incident();
  ASSERT_TRUE(run(ChangeStatus{verified, "verified", ""}).is_ok());
  ASSERT_TRUE(run(ChangeStatus{contained, "contained", "fire knocked down"}).is_ok());
  std::string e1 = unit("E1"), e2 = unit("E2");
  ASSERT_TRUE(dispatch(verified, {e1}).is_ok());
  EXPECT_EQ(incident_rec(verified).status, "responding");
  EXPECT_EQ(incident_rec(verified).timeline.back().summary, "verified → responding (units dispatched)");
  const size_t n = journal_.size();
  ASSERT_TRUE(dispatch(contained, {e2}).is_ok());
  EXPECT_EQ(incident_rec(contained).status, "contained");
  EXPECT_EQ(journal_.size(), n + 1);  // the dispatch only
}

TEST_F(DispatchTest, AssignmentRecordsTheUnitsTimesAndClearing) {
  start();
  std::string a1 = unit("A1", "ambulance");
  std::string inc = incident();
  ASSERT_TRUE(dispatch(inc, {a1}).is_ok());
  const auto dispatched = clock_.now();
  clock_.advance(5 * kMinute);
  const auto left = clock_.now() - 4 * kMinute;  // reported late
  ASSERT_TRUE(status(a1, "en_route", left).is_ok());
  clock_.advance(5 * kMinute);
  const auto arrived = clock_.now();
  ASSERT_TRUE(status(a1, "on_scene").is_ok());
  clock_.advance(5 * kMinute);
  ASSERT_TRUE(status(a1, "transporting").is_ok());
  clock_.advance(5 * kMinute);
  ASSERT_TRUE(status(a1, "at_hospital").is_ok());

  Assignment a = incident_rec(inc).assignments.at(0);
  EXPECT_EQ(a.dispatched_at, dispatched);
  EXPECT_EQ(utc(a.en_route_at), utc(left));
  EXPECT_EQ(utc(a.on_scene_at), utc(arrived));
  EXPECT_TRUE(a.active());
  EXPECT_EQ(unit_rec(a1).incident_id, inc);  // still serving while at hospital

  clock_.advance(5 * kMinute);
  const auto cleared = clock_.now();
  ASSERT_TRUE(status(a1, "returning", std::nullopt, "patient handed over").is_ok());
  a = incident_rec(inc).assignments.at(0);
  EXPECT_EQ(a.ended, "cleared");
  EXPECT_FALSE(a.active());
  EXPECT_EQ(utc(a.cleared_at), utc(cleared));
  EXPECT_EQ(utc(a.en_route_at), utc(left));
  EXPECT_EQ(utc(a.on_scene_at), utc(arrived));
  Unit u = unit_rec(a1);
  EXPECT_EQ(u.status, "returning");
  EXPECT_TRUE(u.incident_id.empty());
  EXPECT_EQ(u.history.back().incident_id, inc);  // the entry names the incident it left
  EXPECT_EQ(u.history.back().reason, "patient handed over");

  // Home again: nothing more happens to the ended assignment.
  clock_.advance(5 * kMinute);
  ASSERT_TRUE(status(a1, "available").is_ok());
  EXPECT_EQ(utc(incident_rec(inc).assignments.at(0).cleared_at), utc(cleared));

  // Sent to the same incident again: a second assignment with its own times; the first keeps its.
  clock_.advance(kMinute);
  ASSERT_TRUE(dispatch(inc, {a1}).is_ok());
  clock_.advance(kMinute);
  const auto second_arrival = clock_.now();
  ASSERT_TRUE(status(a1, "on_scene").is_ok());  // straight to on scene: no en-route time
  auto as = incident_rec(inc).assignments;
  ASSERT_EQ(as.size(), 2u);
  EXPECT_EQ(utc(as[0].on_scene_at), utc(arrived));
  EXPECT_EQ(as[0].ended, "cleared");
  EXPECT_TRUE(as[1].active());
  EXPECT_FALSE(as[1].en_route_at.has_value());
  EXPECT_EQ(utc(as[1].on_scene_at), utc(second_arrival));
}

TEST_F(DispatchTest, ClearingToAvailableOrOutOfServiceEndsTheAssignment) {
  start();
  std::string inc = incident();
  std::string cancelled = unit("E1"), stood_down = unit("E2"), broken = unit("E3");
  ASSERT_TRUE(dispatch(inc, {cancelled, stood_down, broken}).is_ok());
  ASSERT_TRUE(status(stood_down, "on_scene").is_ok());
  ASSERT_TRUE(status(broken, "en_route").is_ok());
  clock_.advance(kMinute);
  ASSERT_TRUE(status(cancelled, "available", std::nullopt, "not needed").is_ok());
  ASSERT_TRUE(status(stood_down, "available").is_ok());
  ASSERT_TRUE(status(broken, "out_of_service", std::nullopt, "flat tyre").is_ok());
  for (const auto& a : incident_rec(inc).assignments) {
    SCOPED_TRACE(a.call_sign);
    EXPECT_EQ(a.ended, "cleared");
    EXPECT_EQ(utc(a.cleared_at), utc(clock_.now()));
  }
  for (const auto& id : {cancelled, stood_down, broken}) EXPECT_TRUE(unit_rec(id).incident_id.empty());
  EXPECT_EQ(unit_rec(broken).status, "out_of_service");
  // The incident stays responding; its record shows who was there.
  EXPECT_EQ(incident_rec(inc).status, "responding");
}

TEST_F(DispatchTest, DispatchRefusalsNameTheUnitAndJournalNothing) {
  start();
  std::string inc = incident();
  std::string free1 = unit("E1"), free2 = unit("E2"), busy = unit("E3"), arrived = unit("E4"), broken = unit("E5");
  std::string other = incident();
  ASSERT_TRUE(dispatch(other, {busy, arrived}).is_ok());
  ASSERT_TRUE(status(arrived, "on_scene").is_ok());
  ASSERT_TRUE(status(broken, "out_of_service").is_ok());
  std::string closed = incident(), cancelled = incident();
  ASSERT_TRUE(run(ChangeStatus{closed, "closed", "false alarm"}).is_ok());
  ASSERT_TRUE(run(ChangeStatus{cancelled, "cancelled", "duplicate"}).is_ok());
  const size_t n = journal_.size();

  auto refused = [&](const std::string& incident_id, const std::vector<std::string>& ids, Code code,
                     const std::string& field) {
    auto r = dispatch(incident_id, ids);
    if (r.is_ok()) {
      ADD_FAILURE() << "accepted";
      return std::string();
    }
    EXPECT_EQ(r.status().code(), code) << r.status().to_string();
    EXPECT_EQ(r.status().field(), field) << r.status().to_string();
    return r.status().message();
  };
  refused(inc, {free1, free2, free1}, Code::kInvalidArgument, "units[2].unit_id");
  refused(inc, {free1, "441200-UNT-99"}, Code::kInvalidArgument, "units[1].unit_id");
  refused(inc, {"E1"}, Code::kInvalidArgument, "units[0].unit_id");
  auto msg = refused(inc, {busy}, Code::kConflict, "units[0].unit_id");
  EXPECT_NE(msg.find(other), std::string::npos) << msg;  // says where it is
  refused(inc, {free1, arrived}, Code::kConflict, "units[1].unit_id");
  refused(inc, {broken}, Code::kConflict, "units[0].unit_id");
  refused(inc, {}, Code::kInvalidArgument, "units");
  refused(closed, {free1}, Code::kConflict, "");
  refused(cancelled, {free1}, Code::kConflict, "");
  EXPECT_EQ(dispatch("441200-INC-99", {free1}).status().code(), Code::kNotFound);
  std::vector<std::string> many;
  for (int i = 0; i < 101; ++i) many.push_back("441200-UNT-" + std::to_string(i + 1));
  refused(inc, many, Code::kInvalidArgument, "units");

  // All or nothing: the good units of a refused list stay where they were.
  refused(inc, {free1, free2, broken}, Code::kConflict, "units[2].unit_id");
  EXPECT_EQ(journal_.size(), n);
  EXPECT_EQ(unit_rec(free1).status, "available");
  EXPECT_EQ(unit_rec(free2).status, "available");
  Incident i = incident_rec(inc);
  EXPECT_EQ(i.status, "reported");
  EXPECT_TRUE(i.assignments.empty());
  EXPECT_EQ(incident_rec(closed).status, "closed");
}

TEST_F(DispatchTest, ReturningUnitMayBeSentAgain) {
  start();
  std::string e1 = unit("E1");
  std::string first = incident(), second = incident();
  ASSERT_TRUE(dispatch(first, {e1}).is_ok());
  ASSERT_TRUE(status(e1, "en_route").is_ok());
  ASSERT_TRUE(status(e1, "returning", std::nullopt, "not needed").is_ok());
  const size_t n = journal_.size();
  ASSERT_TRUE(dispatch(second, {e1}).is_ok());
  EXPECT_EQ(events_since(n).at(0).data["from"], "returning");
  Unit u = unit_rec(e1);
  EXPECT_EQ(u.status, "dispatched");
  EXPECT_EQ(u.incident_id, second);
  EXPECT_EQ(incident_rec(first).assignments.at(0).ended, "cleared");
  EXPECT_TRUE(incident_rec(second).assignments.at(0).active());
}

// --- Mutual aid ----------------------------------------------------------------------------------

TEST_F(DispatchTest, OutsideItsAreaAUnitNeedsAMutualAidRule) {
  start();
  std::string own = unit("惠城1", "engine", "441202");
  std::string neighbour = unit("惠阳1", "engine", "441203");
  std::string neighbour_amb = unit("惠阳急1", "ambulance", "441203");
  std::string city = unit("市1", "engine", "441200");
  std::string inc = incident("441202");
  ASSERT_EQ(incident_rec(inc).jurisdiction, "441202");
  const size_t n = journal_.size();

  auto r = dispatch(inc, {own, neighbour});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_EQ(r.status().field(), "units[1].unit_id");
  EXPECT_NE(r.status().message().find("no mutual-aid rule"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("441203"), std::string::npos) << r.status().message();
  EXPECT_EQ(journal_.size(), n);

  // A city-level unit is in its own area anywhere in the city, and a county's unit at a
  // city-level incident.
  ASSERT_TRUE(dispatch(inc, {own, city}).is_ok());
  std::string city_inc = incident("441200");
  ASSERT_TRUE(dispatch(city_inc, {neighbour_amb}).is_ok());
  for (const auto& a : incident_rec(inc).assignments) EXPECT_TRUE(a.mutual_aid_rule.empty());

  // Reassignment checks the rule too.
  std::string low = incident("441203", core::Priority::kP4);
  ASSERT_TRUE(dispatch(low, {neighbour}).is_ok());
  ASSERT_TRUE(run(SetPriority{inc, core::Priority::kP1}).is_ok());
  auto moved = run(ReassignUnit{neighbour, inc, "structure fire", std::nullopt});
  EXPECT_EQ(moved.status().code(), Code::kConflict);
  EXPECT_EQ(moved.status().field(), "incident_id");
}

TEST_F(DispatchTest, MutualAidRuleAllowsItsTypesAndIsRecorded) {
  EngineOptions o;
  const std::string rule = "惠阳—惠城 互助";
  o.mutual_aid = {{"城区救护互助", "441203", "441202", {"rescue"}}, {rule, "441203", "441202", {"engine", "ladder"}}};
  start(o);
  std::string engine_id = unit("惠阳1", "engine", "441203");
  std::string amb = unit("惠阳急1", "ambulance", "441203");
  std::string far = unit("远郊1", "engine", "441224");
  std::string inc = incident("441202");

  auto other_type = dispatch(inc, {amb});
  EXPECT_EQ(other_type.status().code(), Code::kConflict);
  EXPECT_EQ(other_type.status().field(), "units[0].unit_id");
  auto other_county = dispatch(inc, {far});
  EXPECT_EQ(other_county.status().code(), Code::kConflict);

  const size_t n = journal_.size();
  DispatchUnits d;
  d.incident_id = inc;
  d.units = {{engine_id, 900}};
  auto r = run(d);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  auto evs = events_since(n);
  ASSERT_GE(evs.size(), 1u);
  EXPECT_EQ(evs[0].data["mutual_aid_rule"], rule);
  EXPECT_EQ(evs[0].jurisdiction, "441202");  // the incident's
  Incident i = incident_rec(inc);
  ASSERT_EQ(i.assignments.size(), 1u);
  EXPECT_EQ(i.assignments[0].mutual_aid_rule, rule);
  EXPECT_EQ(r->body["assignments"][0]["mutual_aid_rule"], rule);
  bool logged = false;
  for (const auto& t : i.timeline)
    if (t.summary == "dispatched 惠阳1 (ETA 15 min 0 s) under mutual aid " + rule) logged = true;
  EXPECT_TRUE(logged);

  // A rule lets units of `from` help in `to`, not the other way round.
  std::string back = incident("441203");
  std::string huicheng = unit("惠城1", "engine", "441202");
  EXPECT_EQ(dispatch(back, {huicheng}).status().code(), Code::kConflict);
}

// --- Recall --------------------------------------------------------------------------------------

TEST_F(DispatchTest, RecallReturnsTheUnitAndEndsTheAssignment) {
  start();
  std::string inc = incident();
  std::string d = unit("E1"), er = unit("E2"), os = unit("E3"), tr = unit("A1", "ambulance");
  ASSERT_TRUE(dispatch(inc, {d, er, os, tr}).is_ok());
  ASSERT_TRUE(status(er, "en_route").is_ok());
  ASSERT_TRUE(status(os, "on_scene").is_ok());
  ASSERT_TRUE(status(tr, "on_scene").is_ok());
  ASSERT_TRUE(status(tr, "transporting").is_ok());
  clock_.advance(kMinute);

  const std::map<std::string, std::string> expect = {
      {d, "available"}, {er, "returning"}, {os, "returning"}, {tr, "returning"}};
  for (const auto& [id, to] : expect) {
    SCOPED_TRACE(id);
    const std::string from = unit_rec(id).status;
    const size_t n = journal_.size();
    auto r = run(RecallUnit{id, "enough units on scene"}, "commander");
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->body["status"], to);
    EXPECT_TRUE(r->body["incident_id"].is_null());
    auto evs = events_since(n);
    ASSERT_EQ(evs.size(), 1u);
    EXPECT_EQ(evs[0].type, "unit.recalled");
    EXPECT_EQ(evs[0].data["from"], from);
    EXPECT_EQ(evs[0].data["to"], to);
    EXPECT_EQ(evs[0].data["incident_id"], inc);
    EXPECT_EQ(evs[0].data["reason"], "enough units on scene");
    Unit u = unit_rec(id);
    EXPECT_EQ(u.status, to);
    EXPECT_TRUE(u.incident_id.empty());
    EXPECT_EQ(u.status_since, clock_.now());
    EXPECT_EQ(u.history.back().status, to);
    EXPECT_EQ(u.history.back().reason, "enough units on scene");
    EXPECT_EQ(u.history.back().by, "commander");
    EXPECT_EQ(u.history.back().incident_id, inc);
  }
  for (const auto& a : incident_rec(inc).assignments) {
    EXPECT_EQ(a.ended, "recalled");
    EXPECT_EQ(utc(a.cleared_at), utc(clock_.now()));
  }
  // A recalled unit is free: it may be sent again.
  EXPECT_TRUE(dispatch(incident(), {d, er}).is_ok());
}

TEST_F(DispatchTest, RecallNeedsAReasonAndAUnitServingAnIncident) {
  start();
  std::string inc = incident();
  std::string e1 = unit("E1"), idle = unit("E2"), home = unit("E3");
  ASSERT_TRUE(dispatch(inc, {e1, home}).is_ok());
  ASSERT_TRUE(status(home, "en_route").is_ok());
  ASSERT_TRUE(status(home, "returning").is_ok());
  const size_t n = journal_.size();
  auto no_reason = run(RecallUnit{e1, ""});
  EXPECT_EQ(no_reason.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(no_reason.status().field(), "reason");
  EXPECT_EQ(run(RecallUnit{idle, "x"}).status().code(), Code::kConflict);
  EXPECT_EQ(run(RecallUnit{home, "x"}).status().code(), Code::kConflict);  // already cleared
  EXPECT_EQ(run(RecallUnit{"441200-UNT-9", "x"}).status().code(), Code::kNotFound);
  EXPECT_EQ(journal_.size(), n);
  EXPECT_EQ(unit_rec(e1).status, "dispatched");
}

// --- Reassignment --------------------------------------------------------------------------------

TEST_F(DispatchTest, ReassignsToAHigherPriorityIncident) {
  start();
  std::string low = incident("", core::Priority::kP4);
  std::string high = incident("", core::Priority::kP1);
  std::string e1 = unit("E1");
  ASSERT_TRUE(dispatch(low, {e1}).is_ok());
  clock_.advance(kMinute);
  ASSERT_TRUE(status(e1, "en_route").is_ok());
  clock_.advance(kMinute);
  const auto t = clock_.now();
  const size_t n = journal_.size();

  auto r = run(ReassignUnit{e1, high, "persons trapped", 240}, "duty-officer");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->body["status"], "dispatched");
  EXPECT_EQ(r->body["incident_id"], high);
  auto evs = events_since(n);
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].type, "unit.reassigned");
  EXPECT_EQ(evs[0].jurisdiction, "441200");
  EXPECT_EQ(evs[0].data["from_incident_id"], low);
  EXPECT_EQ(evs[0].data["incident_id"], high);
  EXPECT_EQ(evs[0].data["from"], "en_route");
  EXPECT_EQ(evs[0].data["reason"], "persons trapped");
  EXPECT_EQ(evs[0].data["eta_s"], 240);
  EXPECT_EQ(evs[1].type, "incident.status_changed");
  EXPECT_EQ(evs[1].data["incident_id"], high);
  EXPECT_EQ(evs[1].data["to"], "responding");

  Assignment old = incident_rec(low).assignments.at(0);
  EXPECT_EQ(old.ended, "reassigned");
  EXPECT_EQ(utc(old.cleared_at), utc(t));
  EXPECT_TRUE(old.en_route_at.has_value());
  Incident h = incident_rec(high);
  EXPECT_EQ(h.status, "responding");
  ASSERT_EQ(h.assignments.size(), 1u);
  const Assignment& now = h.assignments[0];
  EXPECT_TRUE(now.active());
  EXPECT_EQ(now.unit_id, e1);
  EXPECT_EQ(now.call_sign, "E1");
  EXPECT_EQ(now.dispatched_at, t);
  EXPECT_EQ(now.eta_s, std::optional<uint32_t>(240));
  EXPECT_FALSE(now.en_route_at.has_value());
  EXPECT_FALSE(now.recommended);

  Unit u = unit_rec(e1);
  EXPECT_EQ(u.status, "dispatched");
  EXPECT_EQ(u.incident_id, high);
  EXPECT_EQ(u.status_since, t);
  EXPECT_EQ(u.history.back().status, "dispatched");
  EXPECT_EQ(u.history.back().incident_id, high);
  EXPECT_EQ(u.history.back().reason, "persons trapped");
  EXPECT_EQ(u.history.back().by, "duty-officer");
  EXPECT_EQ(incident_rec(low).status, "responding");  // the low incident is not changed back

  // Its status changes now count for the new incident only.
  clock_.advance(kMinute);
  ASSERT_TRUE(status(e1, "on_scene").is_ok());
  EXPECT_EQ(utc(incident_rec(high).assignments[0].on_scene_at), utc(clock_.now()));
  EXPECT_FALSE(incident_rec(low).assignments[0].on_scene_at.has_value());
}

TEST_F(DispatchTest, ReassignmentRefusals) {
  start();
  std::string p4 = incident("", core::Priority::kP4);
  std::string p4b = incident("", core::Priority::kP4);
  std::string p1 = incident("", core::Priority::kP1);
  std::string p1_closed = incident("", core::Priority::kP1);
  ASSERT_TRUE(run(ChangeStatus{p1_closed, "closed", "out"}).is_ok());
  std::string low_unit = unit("E1"), high_unit = unit("E2"), idle = unit("E3"), carrying = unit("A1", "ambulance");
  ASSERT_TRUE(dispatch(p4, {low_unit, carrying}).is_ok());
  ASSERT_TRUE(dispatch(p1, {high_unit}).is_ok());
  ASSERT_TRUE(status(carrying, "on_scene").is_ok());
  ASSERT_TRUE(status(carrying, "transporting").is_ok());
  const size_t n = journal_.size();

  auto refused = [&](ReassignUnit c, Code code, const std::string& field) {
    auto r = run(c);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), code) << r.status().to_string();
    EXPECT_EQ(r.status().field(), field) << r.status().to_string();
  };
  refused({low_unit, p4b, "closer", std::nullopt}, Code::kConflict, "incident_id");   // same priority
  refused({high_unit, p4, "why not", std::nullopt}, Code::kConflict, "incident_id");  // from higher
  refused({low_unit, p1, "", std::nullopt}, Code::kInvalidArgument, "reason");
  refused({idle, p1, "go", std::nullopt}, Code::kConflict, "unit_id");
  refused({low_unit, p4, "again", std::nullopt}, Code::kConflict, "incident_id");   // already there
  refused({carrying, p1, "go", std::nullopt}, Code::kConflict, "unit_id");          // transporting
  refused({low_unit, p1_closed, "go", std::nullopt}, Code::kConflict, "");
  EXPECT_EQ(run(ReassignUnit{low_unit, "441200-INC-99", "go", std::nullopt}).status().code(), Code::kNotFound);
  EXPECT_EQ(run(ReassignUnit{"441200-UNT-99", p1, "go", std::nullopt}).status().code(), Code::kNotFound);
  EXPECT_EQ(journal_.size(), n);
  EXPECT_EQ(unit_rec(low_unit).incident_id, p4);
  EXPECT_TRUE(incident_rec(p4).assignments[0].active());

  // P3 is higher than P4: allowed.
  ASSERT_TRUE(run(SetPriority{p4b, core::Priority::kP3}).is_ok());
  EXPECT_TRUE(run(ReassignUnit{low_unit, p4b, "closer", std::nullopt}).is_ok());
}

// --- Timeline ------------------------------------------------------------------------------------

TEST_F(DispatchTest, IncidentTimelineTellsTheDispatchStory) {
  start();
  std::string low = incident("", core::Priority::kP4), high = incident("", core::Priority::kP1);
  std::string e1 = unit("E1"), e2 = unit("E2");
  DispatchUnits d;
  d.incident_id = low;
  d.units = {{e1, 330}, {e2, std::nullopt}};
  ASSERT_TRUE(run(d, "dispatcher-1").is_ok());
  ASSERT_TRUE(status(e1, "en_route", std::nullopt, "", "crew-e1").is_ok());
  ASSERT_TRUE(run(RecallUnit{e2, "not needed"}, "commander").is_ok());
  ASSERT_TRUE(run(ReassignUnit{e1, high, "persons trapped", std::nullopt}, "duty-officer").is_ok());
  ASSERT_TRUE(status(e1, "on_scene", std::nullopt, "arrived", "crew-e1").is_ok());

  auto tail = [](const Incident& i, size_t k) {
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    for (size_t j = i.timeline.size() - std::min(k, i.timeline.size()); j < i.timeline.size(); ++j)
      out.emplace_back(i.timeline[j].type, i.timeline[j].by, i.timeline[j].summary);
    return out;
  };
  using T = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(tail(incident_rec(low), 6),
            (std::vector<T>{
                {"unit.dispatched", "dispatcher-1", "dispatched E1 (ETA 5 min 30 s)"},
                {"unit.dispatched", "dispatcher-1", "dispatched E2"},
                {"incident.status_changed", "dispatcher-1", "reported → responding (units dispatched)"},
                {"unit.status_changed", "crew-e1", "E1 dispatched → en_route"},
                {"unit.recalled", "commander", "E2 recalled (not needed)"},
                {"unit.reassigned", "duty-officer", "E1 reassigned to " + high + " (persons trapped)"},
            }));
  EXPECT_EQ(tail(incident_rec(high), 3),
            (std::vector<T>{
                {"unit.reassigned", "duty-officer", "E1 reassigned here from " + low},
                {"incident.status_changed", "duty-officer", "reported → responding (units dispatched)"},
                {"unit.status_changed", "crew-e1", "E1 dispatched → on_scene (arrived)"},
            }));
  // A unit serving no incident writes to no timeline.
  const size_t before = incident_rec(low).timeline.size();
  ASSERT_TRUE(status(e2, "out_of_service").is_ok());
  EXPECT_EQ(incident_rec(low).timeline.size(), before);
}

// --- Determinism and recovery --------------------------------------------------------------------

class DispatchDeterminismTest : public DispatchTest {
 protected:
  EngineOptions options() {
    EngineOptions o;
    o.mutual_aid = {{"惠阳援惠城", "441203", "441202", {}}};
    o.extra_unit_types = {"drone"};
    return o;
  }

  // A day of dispatch: registries, several dispatches, status changes, mutual aid, recall,
  // reassignment, updates.
  void busy_day() {
    ASSERT_TRUE(run(RegisterAgency{{"", "441200", "支队", "119"}}).is_ok());
    ASSERT_TRUE(run(RegisterAgency{{"", "441202", "急救中心", "120"}}).is_ok());
    ASSERT_TRUE(run(RegisterStation{{"", "441202", "江北站", "441200-AGY-1", {114.41, 23.11}}}).is_ok());
    Unit e1 = unit_spec("E1", "engine", "441202");
    e1.agency_id = "441200-AGY-1";
    e1.station_id = "441200-STN-1";
    e1.capabilities = {"foam", "breathing_apparatus"};
    ASSERT_TRUE(run(RegisterUnit{e1}).is_ok());                      // UNT-1
    std::string e2 = unit("E2", "engine", "441203");                  // UNT-2, mutual aid
    std::string a1 = unit("A1", "ambulance", "441200");               // UNT-3
    std::string e3 = unit("E3", "ladder", "441200");                  // UNT-4
    std::string d1 = unit("D1", "drone", "441202");                   // UNT-5
    std::string low = incident("441202", core::Priority::kP4);        // INC-1
    std::string high = incident("441200", core::Priority::kP1);       // INC-2
    clock_.advance(kMinute);
    DispatchUnits d;
    d.incident_id = low;
    d.units = {{"441200-UNT-1", 300}, {e2, 840}, {a1, std::nullopt}};
    d.recommended = true;
    ASSERT_TRUE(run(d).is_ok());
    clock_.advance(kMinute);
    ASSERT_TRUE(status("441200-UNT-1", "en_route", clock_.now() - 20 * kSecond).is_ok());
    ASSERT_TRUE(status(a1, "on_scene").is_ok());
    clock_.advance(3 * kMinute);
    ASSERT_TRUE(status("441200-UNT-1", "on_scene").is_ok());
    ASSERT_TRUE(status(a1, "transporting", std::nullopt, "one casualty").is_ok());
    ASSERT_TRUE(run(ReassignUnit{e2, high, "persons trapped", 420}).is_ok());
    ASSERT_TRUE(dispatch(high, {e3, d1}).is_ok());
    clock_.advance(2 * kMinute);
    ASSERT_TRUE(run(RecallUnit{"441200-UNT-1", "fire out"}).is_ok());
    ASSERT_TRUE(status(a1, "at_hospital").is_ok());
    UpdateUnit u;
    u.unit_id = e3;
    u.crew = 7;
    u.capabilities = std::vector<std::string>{"aerial_32m"};
    ASSERT_TRUE(run(u).is_ok());
    clock_.advance(5 * kMinute);
    ASSERT_TRUE(status(a1, "available").is_ok());
    ASSERT_TRUE(status("441200-UNT-1", "available").is_ok());
    ASSERT_TRUE(status(e2, "on_scene").is_ok());
    ASSERT_TRUE(status(d1, "out_of_service", std::nullopt, "battery").is_ok());
    ASSERT_TRUE(run(ChangeStatus{low, "contained", ""}).is_ok());
  }

  // The parts of the state this test is about, in plain words, for readable failures.
  void expect_dispatch_state(const View& v) {
    ASSERT_EQ(v.units.size(), 5u);
    EXPECT_EQ(v.units[0].status, "available");
    EXPECT_EQ(v.units[1].status, "on_scene");
    EXPECT_EQ(v.units[1].incident_id, "441200-INC-2");
    EXPECT_EQ(v.units[2].status, "available");
    EXPECT_EQ(v.units[3].crew, 7u);
    EXPECT_EQ(v.units[3].incident_id, "441200-INC-2");
    EXPECT_EQ(v.units[4].status, "out_of_service");
    EXPECT_EQ(v.units[0].capabilities, (std::vector<std::string>{"breathing_apparatus", "foam"}));
    const Incident* low = v.find_incident("441200-INC-1");
    const Incident* high = v.find_incident("441200-INC-2");
    ASSERT_TRUE(low && high);
    ASSERT_EQ(low->assignments.size(), 3u);
    EXPECT_EQ(low->assignments[0].ended, "recalled");
    EXPECT_EQ(low->assignments[0].eta_s, std::optional<uint32_t>(300));
    EXPECT_TRUE(low->assignments[0].en_route_at && low->assignments[0].on_scene_at);
    EXPECT_EQ(low->assignments[1].ended, "reassigned");
    EXPECT_EQ(low->assignments[1].mutual_aid_rule, "惠阳援惠城");
    EXPECT_EQ(low->assignments[2].ended, "cleared");
    EXPECT_TRUE(low->assignments[2].recommended);
    ASSERT_EQ(high->assignments.size(), 3u);
    EXPECT_EQ(high->assignments[0].unit_id, "441200-UNT-2");
    EXPECT_TRUE(high->assignments[0].active());
    EXPECT_TRUE(high->assignments[0].mutual_aid_rule.empty());  // 441203 is within 441200
    EXPECT_EQ(high->assignments[2].ended, "cleared");
    EXPECT_EQ(high->status, "responding");
  }
};

TEST_F(DispatchDeterminismTest, ReplayAndSnapshotGiveTheSameState) {
  start(options());
  busy_day();
  if (HasFatalFailure()) return;
  const std::string live = serialize_view(*e_->view());
  expect_dispatch_state(*e_->view());

  // The journal's events, applied to a fresh state, give the same state.
  const auto events = journal_.events();
  State replayed("441200");
  for (const auto& ev : events) ASSERT_TRUE(replayed.apply(ev).is_ok()) << ev.seq << " " << ev.type;
  EXPECT_EQ(replayed.serialize(), live);

  // A snapshot loads to the same state, which serialises to the same body.
  auto loaded = State::load(live, "441200");
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->serialize(), live);
  expect_dispatch_state(loaded->view());

  // Half the journal from a snapshot, the rest replayed on top, gives the same state too.
  State half("441200");
  for (size_t i = 0; i < events.size() / 2; ++i) ASSERT_TRUE(half.apply(events[i]).is_ok());
  auto resumed = State::load(half.serialize(), "441200");
  ASSERT_TRUE(resumed.is_ok()) << resumed.status().to_string();
  for (size_t i = events.size() / 2; i < events.size(); ++i) ASSERT_TRUE(resumed->apply(events[i]).is_ok());
  EXPECT_EQ(resumed->serialize(), live);
}

TEST_F(DispatchDeterminismTest, RestartReproducesUnitsAndAssignments) {
  start(options());
  busy_day();
  if (HasFatalFailure()) return;
  const std::string live = serialize_view(*e_->view());
  const auto events = journal_.events();

  // Restart from the snapshot written at stop.
  start(options());
  EXPECT_EQ(serialize_view(*e_->view()), live);
  expect_dispatch_state(*e_->view());

  // Restart from the journal alone.
  e_.reset();
  journal_.drop_snapshot();
  start(options());
  EXPECT_EQ(serialize_view(*e_->view()), live);

  // Restart from a snapshot halfway, then the journal after it.
  e_.reset();
  State half("441200");
  for (size_t i = 0; i < events.size() / 2; ++i) ASSERT_TRUE(half.apply(events[i]).is_ok());
  ASSERT_TRUE(journal_.save_snapshot(Snapshot{half.seq(), half.hash(), half.serialize()}).is_ok());
  start(options());
  EXPECT_EQ(serialize_view(*e_->view()), live);
  expect_dispatch_state(*e_->view());

  // And the node goes on where it stopped.
  EXPECT_EQ(unit("E9"), "441200-UNT-6");
  ASSERT_TRUE(run(RecallUnit{"441200-UNT-2", "back to base"}).is_ok());
  EXPECT_EQ(e_->view()->find_incident("441200-INC-2")->assignments[0].ended, "recalled");
}

// --- Batches -------------------------------------------------------------------------------------

// Several commands on one unit in one group commit: each sees the one before (and none reads the
// unit record its own event replaced).
TEST_F(DispatchTest, CommandsOnOneUnitInOneBatch) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> hold{false};
  start({}, [&](std::span<const Event>) {
    if (hold.exchange(false)) released.wait();  // hold the pipeline while the rest is queued
  });
  std::string low = incident("", core::Priority::kP4), high = incident("", core::Priority::kP1);
  std::string e1 = unit("E1"), e2 = unit("E2");
  ASSERT_TRUE(dispatch(low, {e1}).is_ok());

  std::vector<Command> commands = {
      ChangeUnitStatus{e1, "en_route", "", std::nullopt},
      ReassignUnit{e1, high, "persons trapped", std::nullopt},
      ChangeUnitStatus{e1, "on_scene", "", std::nullopt},
      RecallUnit{e1, "fire out"},
      ChangeUnitStatus{e1, "available", "", std::nullopt},
      ChangeUnitStatus{e2, "out_of_service", "", std::nullopt},
      ChangeUnitStatus{e2, "available", "", std::nullopt},
      ChangeUnitStatus{e2, "out_of_service", "", std::nullopt},
  };
  const int appends = journal_.appends();
  std::vector<std::future<core::Result<Outcome>>> answers;
  hold = true;
  for (auto& c : commands) {
    auto p = std::make_shared<std::promise<core::Result<Outcome>>>();
    answers.push_back(p->get_future());
    e_->submit(c, "crew", [p](core::Result<Outcome> r) { p->set_value(std::move(r)); });
  }
  release.set_value();
  std::vector<std::string> statuses;
  for (auto& f : answers) {
    auto r = f.get();
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    statuses.push_back(r->body["status"]);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"en_route", "dispatched", "on_scene", "returning", "available",
                                                "out_of_service", "available", "out_of_service"}));
  // The listener runs on the committer, and holds the first commit: the writer runs at most two
  // more batches (the second blocks at the hand-over), and everything else is queued by then and
  // goes in the next one — at most four group commits for eight commands, several on one unit in
  // one batch.
  EXPECT_LE(journal_.appends() - appends, 4);
  EXPECT_EQ(unit_rec(e1).status, "available");
  EXPECT_EQ(unit_rec(e2).status, "out_of_service");
  EXPECT_EQ(incident_rec(low).assignments.at(0).ended, "reassigned");
  Assignment a = incident_rec(high).assignments.at(0);
  EXPECT_EQ(a.ended, "recalled");
  EXPECT_TRUE(a.on_scene_at.has_value());
  e_.reset();  // before the listener's captures go
}

}  // namespace
}  // namespace liandong::engine
