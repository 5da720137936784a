#include "access/principal.h"

#include <gtest/gtest.h>

namespace liandong::access {
namespace {

Principal person(std::vector<Grant> grants, std::string agency = "441300-AGY-1") {
  return Principal(Kind::kPerson, "441300-USR-1", "p", std::move(agency), "441300", std::move(grants),
                   RoleCatalog::defaults());
}

TEST(Jurisdiction, CoversByPrefix) {
  EXPECT_TRUE(jurisdiction_covers("441300", "441302", true));
  EXPECT_FALSE(jurisdiction_covers("441300", "441302", false));
  EXPECT_TRUE(jurisdiction_covers("441300", "441300", false));
  EXPECT_TRUE(jurisdiction_covers("440000", "441302", true));
  EXPECT_FALSE(jurisdiction_covers("441300", "441400", true));
  EXPECT_FALSE(jurisdiction_covers("441302", "441303", true));
  EXPECT_FALSE(jurisdiction_covers("441300", "4413", true));
}

TEST(Principal, PermissionsFollowRoleAndPlace) {
  auto p = person({{"call_taker", "441302", true, false}});
  EXPECT_TRUE(p.may("incident.report", {"441302"}));
  EXPECT_FALSE(p.may("incident.report", {"441303"}));  // a sibling county
  EXPECT_FALSE(p.may("incident.report", {"441300"}));  // the city above
  EXPECT_FALSE(p.may("incident.grade.confirm", {"441302"}));
  EXPECT_TRUE(p.may_somewhere("incident.read"));
  EXPECT_FALSE(p.may_somewhere("audit.read"));
  EXPECT_TRUE(p.may(kSignedIn, {"999999"}));
  EXPECT_TRUE(p.may(kPublic, {"999999"}));
}

TEST(Principal, AgencyOnlyGrantsCoverOwnRecordsOnly) {
  auto p = person({{"agency_liaison", "441300", true, true}}, "441300-AGY-2");
  EXPECT_TRUE(p.may("unit.manage", {"441302", "441300-AGY-2"}));
  EXPECT_FALSE(p.may("unit.manage", {"441302", "441300-AGY-3"}));
  EXPECT_FALSE(p.may("unit.manage", {"441302", ""}));
}

TEST(Principal, AnonymousHoldsNothing) {
  Principal nobody;
  EXPECT_FALSE(nobody.signed_in());
  EXPECT_FALSE(nobody.may(kSignedIn, {"441300"}));
  EXPECT_FALSE(nobody.may("incident.read", {"441300"}));
  EXPECT_TRUE(nobody.may(kPublic, {"441300"}));
  EXPECT_TRUE(nobody.permissions().empty());
}

TEST(Principal, ListsPermissionsSortedAndMergesGrants) {
  auto p = person({{"auditor", "441300", true, false}, {"call_taker", "441302", true, false}});
  auto perms = p.permissions();
  EXPECT_TRUE(std::is_sorted(perms.begin(), perms.end()));
  EXPECT_NE(std::find(perms.begin(), perms.end(), "audit.read"), perms.end());
  EXPECT_NE(std::find(perms.begin(), perms.end(), "incident.report"), perms.end());
  EXPECT_TRUE(p.may("incident.read", {"441303"}));     // auditor's city-wide read
  EXPECT_FALSE(p.may("incident.report", {"441303"}));  // call-taker only in 441302
}

TEST(Principal, ApprovalNeedsASecondPersonWithThePermission) {
  auto sup = person({{"supervisor", "441300", true, false}});
  EXPECT_TRUE(check_approval(sup, "441300-USR-9", "warning.approve.red", {"441302"}));
  auto same = check_approval(sup, "441300-USR-1", "warning.approve.red", {"441302"});
  EXPECT_EQ(same.code(), core::Code::kPermissionDenied);
  EXPECT_NE(same.message().find("second person"), std::string::npos);
  auto duty = person({{"duty_officer", "441300", true, false}});
  EXPECT_EQ(check_approval(duty, "441300-USR-9", "warning.approve.red", {"441302"}).code(),
            core::Code::kPermissionDenied);
  EXPECT_EQ(check_approval(Principal{}, "x", "warning.approve.red", {"441302"}).code(), core::Code::kUnauthenticated);
}

TEST(Grant, Validation) {
  EXPECT_TRUE(validate_grant({"dispatcher", "441300"}, RoleCatalog::defaults()));
  EXPECT_FALSE(validate_grant({"wizard", "441300"}, RoleCatalog::defaults()));
  EXPECT_FALSE(validate_grant({"dispatcher", "4413"}, RoleCatalog::defaults()));
  EXPECT_FALSE(validate_grant({"dispatcher", "abc"}, RoleCatalog::defaults()));
}

}  // namespace
}  // namespace liandong::access
