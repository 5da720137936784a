#include "engine/internal/tx.h"

#include <gtest/gtest.h>

#include "engine/json_text.h"

namespace liandong::engine::internal {
namespace {

using nlohmann::json;

constexpr const char* kNode = "441200";

core::Timestamp at(int64_t ms) { return core::from_unix_millis(ms); }

Alarm alarm_of(int n, std::string incident_id) {
  Alarm a;
  a.id = std::string(kNode) + "-ALM-" + std::to_string(n);
  a.jurisdiction = "441202";
  a.channel = "119";
  a.reported_at = at(1795000000000 + n);
  a.received_at = at(1795000000100 + n);
  a.category = core::Category::kAccidentDisaster;
  a.type = "fire";
  a.address = "惠城区 江北 " + std::to_string(n) + " 号";
  a.incident_id = a.first_incident_id = std::move(incident_id);
  a.by = "441200-KEY-1";
  return a;
}

Incident incident_from(const Alarm& a, int n) {
  Incident i;
  i.id = std::string(kNode) + "-INC-" + std::to_string(n);
  i.jurisdiction = a.jurisdiction;
  i.category = a.category;
  i.type = a.type;
  i.priority = core::Priority::kP2;
  i.title = "火灾 · " + a.address;
  i.description = a.description;
  i.location = a.location;
  i.address = a.address;
  i.figures = a.figures;
  i.alarm_ids = {a.id};
  i.last_alarm_at = a.reported_at;
  return i;
}

// A fresh state and a Tx on it, as the engine's writer has for a command.
struct Writer {
  explicit Writer(Actor a) : actor(std::move(a)) { rules.node = kNode; }
  State state{kNode};
  Rules rules;
  std::vector<Event> out;
  Actor actor;
  Tx tx{state, rules, at(1795000000500), actor, out};
};

// alarm.received through emit() with the record's journal tree: the path every other event takes.
core::Status emit_tree_alarm(Tx& tx, const Alarm& a, bool joined) {
  json d = json::object();
  d.emplace("alarm", to_journal_json(a));
  d.emplace("incident_id", a.incident_id);
  d.emplace("joined", joined);
  return tx.emit("alarm.received", a.jurisdiction, std::move(d));
}

// incident.grade_proposed through emit() with its members in a tree, as propose_grade made it
// before the typed path.
core::Status emit_tree_grade(Tx& tx, const Incident& inc, const taxonomy::GradeProposal& p) {
  json d = json::object();
  d.emplace("incident_id", inc.id);
  d.emplace("grade", core::to_string(p.grade));
  d.emplace("family", p.family);
  d.emplace("criterion", p.criterion);
  d.emplace("reason", p.reason_zh);
  d.emplace("reason_en", p.reason_en);
  return tx.emit("incident.grade_proposed", inc.jurisdiction, std::move(d));
}

// One alarm opening an incident, the rules' grade proposal for it, and a second alarm joining it,
// made both ways: the typed emits, and emit() with the records' journal trees.
void make(Writer& w, const Alarm& first, const Alarm& second, const taxonomy::GradeProposal& grade, bool typed) {
  Incident inc = incident_from(first, 1);
  inc.opened_at = inc.updated_at = w.tx.now();
  if (typed) {
    EXPECT_TRUE(w.tx.emit_alarm_received(first, false).is_ok());
    EXPECT_TRUE(w.tx.emit_incident_opened(inc).is_ok());
    EXPECT_TRUE(w.tx.emit_grade_proposed(inc.id, inc.jurisdiction, grade).is_ok());
    EXPECT_TRUE(w.tx.emit_alarm_received(second, true).is_ok());
  } else {
    EXPECT_TRUE(emit_tree_alarm(w.tx, first, false).is_ok());
    json d = json::object();
    d.emplace("incident_id", inc.id);
    d.emplace("incident", to_journal_json(inc, false));
    EXPECT_TRUE(w.tx.emit("incident.opened", inc.jurisdiction, std::move(d)).is_ok());
    EXPECT_TRUE(emit_tree_grade(w.tx, inc, grade).is_ok());
    EXPECT_TRUE(emit_tree_alarm(w.tx, second, true).is_ok());
  }
}

// The state a replay of the events' texts builds (what a restart sees).
State replayed(const std::vector<Event>& events) {
  State state(kNode);
  for (const auto& e : events) {
    Event read = e;
    read.data = json::parse(e.data_text);  // from the text, as the store gives it back (also for events never slim)
    read.data_slim = false;
    EXPECT_TRUE(state.apply(read).is_ok()) << e.type;
  }
  return state;
}

// Whether two states hold equal alarm and incident records (serialize_view cannot tell: it writes
// bytes that are not UTF-8 as U+FFFD, as the journal does).
bool same_records(const State& a, const State& b) {
  const View &x = a.view(), &y = b.view();
  if (x.alarms.size() != y.alarms.size() || x.incidents.size() != y.incidents.size()) return false;
  for (size_t i = 0; i < x.alarms.size(); ++i)
    if (!(x.alarms[i] == y.alarms[i])) return false;
  for (size_t i = 0; i < x.incidents.size(); ++i)
    if (!(x.incidents[i] == y.incidents[i])) return false;
  return serialize_view(x) == serialize_view(y);
}

struct Case {
  const char* name;
  Alarm first, second;
  Actor actor;
  bool lossless = true;  // false: a string is not UTF-8, so the texts replace bytes
  taxonomy::GradeProposal grade{core::Grade::kIV, "production_safety", "below grade III",
                                "未达较大事故标准", "below the thresholds of grade III"};
};

std::vector<Case> cases() {
  std::vector<Case> out;
  Alarm a = alarm_of(1, "441200-INC-1"), b = alarm_of(2, "441200-INC-1");
  b.first_joined = true;
  out.push_back({"address only, no caller", a, b, Actor("441200-KEY-1", "127.0.0.1:40000")});

  Alarm full = a;
  full.caller = Caller{"王小明", "13812345678"};
  full.location = core::LonLat{114.41623456789012, 23.1};
  full.description = "仓库起火 \"三楼\" \\ 有烟\n\t\x01 end";
  full.figures = {1, 2, 3, 0, 5, 0, 1'000'000'000'000LL};
  full.idempotency_key = "k-1";
  Alarm joining = b;
  joining.caller = Caller{"", ""};
  joining.location = core::LonLat{114.0, -0.000001};
  joining.figures.deaths = 4;
  out.push_back({"caller, location, escapes, figures, key", full, joining, Actor("441200-PER-3")});
  out.back().grade = {core::Grade::kI, "natural_disaster", "deaths >= 30",
                      "死亡 30 人以上 \"特别重大\"\n", "30 or more deaths \\ \t\x01 end"};
  out.push_back({"no actor", full, joining, Actor()});
  out.back().grade = {core::Grade::kII, "", "", "", ""};

  Alarm bad = a;
  bad.description = "bad \xff\xfe bytes";
  bad.caller = Caller{"name \xc0\xaf", "138"};
  Alarm bad_joining = b;
  bad_joining.address = "cut \xe4\xb8";
  out.push_back({"not UTF-8", bad, bad_joining, Actor("441200-KEY-1"), false});
  out.back().grade.reason_zh = "cut \xe4\xb8";
  out.back().grade.criterion = "\xff";

  Alarm replacement = a;
  replacement.description = "a real U+FFFD \xEF\xBF\xBD in the text";
  out.push_back({"U+FFFD as sent", replacement, b, Actor("441200-KEY-1")});
  Alarm plain = a;
  out.push_back({"U+FFFD in the grade's reason only", plain, b, Actor("441200-KEY-1")});
  out.back().grade.reason_en = "a real U+FFFD \xEF\xBF\xBD here";
  out.push_back({"grade reason not UTF-8 only", plain, b, Actor("441200-KEY-1"), false});
  out.back().grade.reason_zh = "bad \xff";
  return out;
}

TEST(TxTypedEmit, SameEventsAsTheTreePathAndTheStateAReplayBuilds) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    Writer typed(c.actor), tree(c.actor);
    make(typed, c.first, c.second, c.grade, true);
    make(tree, c.first, c.second, c.grade, false);
    ASSERT_EQ(typed.out.size(), 4u);
    ASSERT_EQ(tree.out.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
      const Event& t = typed.out[i];
      const Event& r = tree.out[i];
      SCOPED_TRACE(t.type);
      EXPECT_EQ(t.type, r.type);
      EXPECT_EQ(t.jurisdiction, r.jurisdiction);
      EXPECT_EQ(t.data_text, r.data_text);
      EXPECT_EQ(t.hash, r.hash);
      EXPECT_EQ(t.prev_hash, r.prev_hash);
      EXPECT_EQ(compute_hash(t), t.hash);
      EXPECT_TRUE(t.data_slim);
      if (t.type == "incident.grade_proposed") {
        // slim() leaves a grade proposal whole; the typed one keeps what listeners read.
        json kept = json::object();
        for (const char* k : {"incident_id", "by", "by_address"})
          if (r.data.contains(k)) kept[k] = r.data[k];
        EXPECT_EQ(t.data, kept);
        json scratch;
        EXPECT_EQ(full_data(t, scratch), json::parse(r.data_text));
      } else {
        EXPECT_EQ(t.data, r.data);  // slim the same way slim() leaves the tree path's
      }
      EXPECT_EQ(has_personal_data(t), has_personal_data(r));
      EXPECT_EQ(to_json_text(t), to_json_text(r));
    }
    EXPECT_TRUE(verify_chain(0, kGenesisHash, typed.out).is_ok());
    // The typed path's state is what a restart rebuilds from the journal, always; the tree path's
    // is too when every string is UTF-8 (it applies the tree, raw bytes and all).
    EXPECT_TRUE(same_records(typed.state, replayed(typed.out)));
    if (c.lossless) EXPECT_TRUE(same_records(typed.state, tree.state));
    else EXPECT_FALSE(same_records(tree.state, replayed(tree.out)));
  }
}

// A time RFC 3339 cannot write (the API refuses it; a command made in code could carry one) does
// not read back from the text: both paths refuse the event and emit nothing, rather than journal
// what a restart could not replay.
TEST(TxTypedEmit, ARecordWhoseTimeCannotBeWrittenIsRefusedAsByTheTreePath) {
  for (bool typed : {true, false}) {
    SCOPED_TRACE(typed ? "typed" : "tree");
    Writer w(Actor("441200-KEY-1"));
    Alarm a = alarm_of(1, "441200-INC-1");
    a.reported_at = *core::parse_rfc3339("0000-01-01T00:00:00Z") - core::Millis{8 * 3600 * 1000};
    core::Status st = typed ? w.tx.emit_alarm_received(a, false) : emit_tree_alarm(w.tx, a, false);
    EXPECT_EQ(st.code(), core::Code::kDataLoss) << st.to_string();
    EXPECT_TRUE(w.out.empty());
    EXPECT_EQ(w.state.seq(), 0u);
    EXPECT_EQ(w.state.view().alarms.size(), 0u);
  }
}

TEST(TxTypedEmit, AnAlarmOutOfSequenceIsRefusedAndNothingIsEmitted) {
  Writer w(Actor("441200-KEY-1"));
  auto st = w.tx.emit_alarm_received(alarm_of(2, "441200-INC-1"), false);  // the first must be ALM-1
  EXPECT_EQ(st.code(), core::Code::kDataLoss);
  EXPECT_TRUE(w.out.empty());
  EXPECT_EQ(w.state.seq(), 0u);
  Incident inc = incident_from(alarm_of(1, ""), 5);
  EXPECT_EQ(w.tx.emit_incident_opened(inc).code(), core::Code::kDataLoss);
  EXPECT_TRUE(w.out.empty());
}

}  // namespace
}  // namespace liandong::engine::internal
