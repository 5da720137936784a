#include "access/roles.h"

#include <gtest/gtest.h>

namespace liandong::access {
namespace {

TEST(RoleCatalog, DefaultsHaveTheIssueRolesAndPermissions) {
  const auto& c = RoleCatalog::defaults();
  for (const char* r : {"call_taker", "dispatcher", "duty_officer", "supervisor", "incident_commander",
                        "agency_liaison", "monitoring_analyst", "report_reviewer", "auditor", "administrator"})
    EXPECT_NE(c.find(r), nullptr) << r;
  for (const char* p : {"incident.report", "incident.grade.confirm", "unit.dispatch", "plan.approve", "warning.issue",
                        "warning.approve.red", "audit.read", "personal.read"})
    EXPECT_TRUE(c.is_permission(p)) << p;
  EXPECT_GT(c.find("supervisor")->rank, c.find("duty_officer")->rank);
  EXPECT_EQ(c.find("supervisor")->title_zh, "值班领导");
  EXPECT_FALSE(c.is_permission("public"));
}

TEST(RoleCatalog, OverlayAddsAndReplaces) {
  auto c = RoleCatalog::load_yaml(R"(
permissions:
  drill.run: Run drills
roles:
  drill_lead: {title: Drill lead, rank: 35, permissions: [drill.run, incident.read]}
  auditor: {title: Auditor, rank: 41, permissions: [audit.read]}
)",
                                  "roles.yaml", RoleCatalog::defaults());
  ASSERT_TRUE(c) << c.status().to_string();
  EXPECT_EQ(c->find("drill_lead")->permissions.size(), 2u);
  EXPECT_EQ(c->find("auditor")->rank, 41);
  EXPECT_EQ(c->find("auditor")->permissions, std::vector<std::string>{"audit.read"});
  EXPECT_NE(c->find("dispatcher"), nullptr);
}

TEST(RoleCatalog, ErrorsNameTheLineAndTheProblem) {
  auto bad = RoleCatalog::load_yaml("roles:\n  x:\n    rank: 3\n    permissions: [no.such]\n", "r.yaml",
                                    RoleCatalog::defaults());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("r.yaml:4"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("no.such"), std::string::npos);

  auto norank = RoleCatalog::load_yaml("roles:\n  y:\n    permissions: [audit.read]\n", "r.yaml", RoleCatalog{});
  ASSERT_FALSE(norank);  // audit.read unknown in an empty base, or missing rank: either names the role
  EXPECT_NE(norank.status().message().find("'y'"), std::string::npos) << norank.status().message();

  auto reserved = RoleCatalog::load_yaml("permissions:\n  public: x\n", "r.yaml", RoleCatalog{});
  ASSERT_FALSE(reserved);
  EXPECT_NE(reserved.status().message().find("reserved"), std::string::npos);

  auto unknown_key = RoleCatalog::load_yaml("roles:\n  z: {rank: 1, permissions: [], colour: red}\n", "r.yaml",
                                            RoleCatalog::defaults());
  ASSERT_FALSE(unknown_key);
  EXPECT_NE(unknown_key.status().message().find("colour"), std::string::npos);
}

}  // namespace
}  // namespace liandong::access
