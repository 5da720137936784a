// The access commands through a real Engine on a memory journal: people, keys, sessions, the
// audit records, replay and snapshots, and the redaction of secrets in the public event form.
#include <gtest/gtest.h>

#include "access/secrets.h"
#include "engine/engine.h"
#include "engine/state.h"
#include "engine/testing/memory_journal.h"

namespace liandong::engine {
namespace {

using nlohmann::json;

core::Timestamp at(const char* s) { return *core::parse_rfc3339(s); }

class AccessTest : public ::testing::Test {
 protected:
  AccessTest() : clock_(at("2026-11-29T05:00:00Z")) {
    hash_ = *access::hash_password("a long password", access::PasswordCost::minimum());
  }
  std::unique_ptr<Engine> make() {
    EngineOptions o;
    o.node = "441300";
    return std::make_unique<Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                    taxonomy::GradeRules::defaults());
  }
  CreatePerson person(std::string name, std::string role = "dispatcher", std::string where = "441302") {
    return CreatePerson{name, "", "", where, {{role, where, true, false}}, hash_};
  }
  OpenSession session(const std::string& person_id) {
    return OpenSession{person_id, access::keyed_hash("k", access::random_hex(8)), clock_.now() + std::chrono::hours(12)};
  }

  testing::MemoryJournal journal_;
  core::FakeClock clock_;
  std::string hash_;
};

TEST_F(AccessTest, CreatesPeopleWithCheckedNamesAndGrants) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  auto r = e->execute(person("zhang.san"), Actor("cli", "admin-socket"));
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(r->body["id"], "441300-USR-1");
  EXPECT_FALSE(r->body.contains("password_hash"));
  EXPECT_EQ(e->execute(person("zhang.san"), "cli").status().code(), core::Code::kConflict);
  EXPECT_EQ(e->execute(person("Zhang San"), "cli").status().field(), "name");
  EXPECT_EQ(e->execute(person("li.si", "wizard"), "cli").status().field(), "roles[0].role");
  EXPECT_EQ(e->execute(person("li.si", "dispatcher", "441400"), "cli").status().code(), core::Code::kInvalidArgument);
  auto nopw = person("wang.wu");
  nopw.password_hash = "plain";
  EXPECT_EQ(e->execute(nopw, "cli").status().field(), "password");
  EXPECT_EQ(e->view()->people.size(), 1u);
  // who and from where are in the event
  const auto ev = journal_.events().back();
  EXPECT_EQ(ev.type, "person.created");
  EXPECT_EQ(ev.data["by"], "cli");
  EXPECT_EQ(ev.data["by_address"], "admin-socket");
}

TEST_F(AccessTest, PasswordChangeClosesOtherSessionsAndDisableClosesAll) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(person("a.b"), "cli"));
  auto s1 = e->execute(session("441300-USR-1"), Actor("441300-USR-1", "10.0.0.5:4000"));
  auto s2 = e->execute(session("441300-USR-1"), "441300-USR-1");
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(e->view()->find_session("441300-SES-1")->from, "10.0.0.5:4000");
  auto new_hash = *access::hash_password("another long one", access::PasswordCost::minimum());
  ASSERT_TRUE(e->execute(SetPassword{"441300-USR-1", new_hash, "changed", "441300-SES-2"}, "441300-USR-1"));
  auto v = e->view();
  EXPECT_TRUE(access::verify_password(v->find_person("441300-USR-1")->password_hash, "another long one"));
  EXPECT_FALSE(v->find_session("441300-SES-1")->live(clock_.now()));
  EXPECT_EQ(v->find_session("441300-SES-1")->close_reason, "password_changed");
  EXPECT_TRUE(v->find_session("441300-SES-2")->live(clock_.now()));

  ASSERT_TRUE(e->execute(SetPersonDisabled{"441300-USR-1", true}, "admin"));
  EXPECT_FALSE(e->view()->find_session("441300-SES-2")->live(clock_.now()));
  EXPECT_EQ(e->execute(session("441300-USR-1"), "x").status().code(), core::Code::kUnauthenticated);
  ASSERT_TRUE(e->execute(SetPersonDisabled{"441300-USR-1", false}, "admin"));
  EXPECT_TRUE(e->execute(session("441300-USR-1"), "x"));
  // sessions expire by time
  clock_.advance(std::chrono::hours(13));
  EXPECT_FALSE(e->view()->find_session("441300-SES-3")->live(clock_.now()));
}

TEST_F(AccessTest, KeysAreCreatedAndRevoked) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  auto r = e->execute(CreateKey{"gateway", {"sensor_gateway", "441300", true, false}, access::keyed_hash("k", "x")},
                      "441300-USR-1");
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(r->body["id"], "441300-KEY-1");
  EXPECT_FALSE(r->body.contains("key_hash"));
  EXPECT_EQ(e->execute(CreateKey{"x", {"nope", "441300"}, access::keyed_hash("k", "y")}, "a").status().code(),
            core::Code::kInvalidArgument);
  ASSERT_TRUE(e->execute(RevokeKey{"441300-KEY-1"}, "a"));
  EXPECT_TRUE(e->view()->find_key("441300-KEY-1")->revoked_at.has_value());
  EXPECT_EQ(e->execute(RevokeKey{"441300-KEY-9"}, "a").status().code(), core::Code::kNotFound);
}

TEST_F(AccessTest, SecretsAreRedactedInThePublicFormButKeptInTheJournal) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(person("c.d"), "cli"));
  const Event ev = journal_.events().back();
  EXPECT_EQ(ev.data["person"]["password_hash"], hash_);
  EXPECT_EQ(to_json(ev)["data"]["person"]["password_hash"], hash_);
  auto pub = to_public_json(ev);
  EXPECT_EQ(pub["data"]["person"]["password_hash"], "[redacted]");
  EXPECT_EQ(to_json_text(ev).find("$argon2id$"), std::string::npos);
  EXPECT_NE(to_json_text(ev).find("[redacted]"), std::string::npos);
  EXPECT_EQ(topic_of(ev.type), "audit");
}

TEST_F(AccessTest, RefusalsAndRevealsAreJournaled) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(RecordRefusal{"441302", "POST", "/api/v1/incidents/{id}/grade", "incident.grade.confirm",
                                       "forbidden"},
                         Actor("441300-USR-4", "10.1.1.1:5")));
  ASSERT_TRUE(e->execute(RecordReveal{"441300-ALM-3", "441302", {"caller.name", "caller.number"}}, "441300-USR-2"));
  const auto evs = journal_.events();
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].type, "access.refused");
  EXPECT_EQ(evs[0].data["permission"], "incident.grade.confirm");
  EXPECT_EQ(evs[0].data["by_address"], "10.1.1.1:5");
  EXPECT_EQ(evs[1].type, "personal.revealed");
  EXPECT_EQ(evs[1].jurisdiction, "441302");
}

TEST_F(AccessTest, TheActorsAddressNeverOverwritesAnEventsOwnFields) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ReportAlarm a;
  a.channel = "119";
  a.reported_at = clock_.now();
  a.location = core::LonLat{114.4, 23.1};
  a.type = "fire";
  auto r = e->execute(a, Actor("441300-USR-1", "10.0.0.9:1234"));
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_TRUE(e->execute(ChangeStatus{r->body["incident_id"], "verified", ""}, Actor("441300-USR-1", "10.0.0.9:1234")));
  const auto ev = journal_.events().back();
  ASSERT_EQ(ev.type, "incident.status_changed");
  EXPECT_EQ(ev.data["from"], "reported");  // the prior status, not the address
  EXPECT_EQ(ev.data["to"], "verified");
  EXPECT_EQ(ev.data["by_address"], "10.0.0.9:1234");
  EXPECT_EQ(ev.data["by"], "441300-USR-1");
}

TEST_F(AccessTest, ReplayAndSnapshotRestoreTheAccessRecords) {
  {
    auto e = make();
    ASSERT_TRUE(e->start().is_ok());
    ASSERT_TRUE(e->execute(person("e.f", "auditor", "441300"), "cli"));
    ASSERT_TRUE(e->execute(session("441300-USR-1"), "x"));
    ASSERT_TRUE(e->execute(CreateKey{"bridge", {"cad_bridge", "441300"}, access::keyed_hash("k", "z")}, "x"));
    ASSERT_TRUE(e->execute(UpdatePerson{"441300-USR-1", "审计员甲", std::nullopt, std::nullopt}, "x"));
    e->stop();  // writes a snapshot
  }
  State replayed("441300");
  for (const auto& ev : journal_.events()) ASSERT_TRUE(replayed.apply(ev));
  auto snap = State::load(replayed.serialize(), "441300");
  ASSERT_TRUE(snap) << snap.status().to_string();
  for (const State* s : {&replayed, &*snap}) {
    const Person* p = s->view().find_person("441300-USR-1");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->display_name, "审计员甲");
    EXPECT_EQ(p->password_hash, hash_);
    EXPECT_EQ(p->roles.at(0).role, "auditor");
    EXPECT_EQ(s->view().sessions.size(), 1u);
    EXPECT_EQ(s->view().keys.size(), 1u);
  }
  auto e = make();  // recovers from the snapshot + journal
  ASSERT_TRUE(e->start().is_ok());
  EXPECT_EQ(e->view()->find_person_by_name("e.f")->id, "441300-USR-1");
}

}  // namespace
}  // namespace liandong::engine
