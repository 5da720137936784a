#include "access/principal.h"

#include <algorithm>

#include "core/jurisdiction.h"

namespace liandong::access {
namespace {

std::string_view prefix_of(std::string_view code) {
  if (code.size() != 6) return code;
  if (code.substr(2) == "0000") return code.substr(0, 2);
  if (code.substr(4) == "00") return code.substr(0, 4);
  return code;
}

}  // namespace

bool jurisdiction_covers(std::string_view grant_code, std::string_view code, bool subordinates) {
  if (grant_code == code) return true;
  if (!subordinates) return false;
  auto prefix = prefix_of(grant_code);
  return prefix.size() < 6 && code.size() == 6 && code.substr(0, prefix.size()) == prefix;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kPerson: return "person";
    case Kind::kKey: return "key";
    case Kind::kAnonymous: break;
  }
  return "anonymous";
}

core::Status validate_grant(const Grant& g, const RoleCatalog& catalog) {
  if (!catalog.find(g.role)) return core::invalid("unknown role '" + g.role + "'", "role");
  auto code = core::JurisdictionCode::parse(g.jurisdiction, "jurisdiction");
  if (!code) return code.status();
  if (code->str() != g.jurisdiction)
    return core::invalid("jurisdiction must be six digits, e.g. " + code->str(), "jurisdiction");
  return core::Status::ok();
}

Principal::Principal(Kind kind, std::string id, std::string name, std::string agency_id, std::string jurisdiction,
                     std::vector<Grant> grants, const RoleCatalog& catalog)
    : kind_(kind),
      id_(std::move(id)),
      name_(std::move(name)),
      agency_id_(std::move(agency_id)),
      jurisdiction_(std::move(jurisdiction)),
      grants_(std::move(grants)) {
  for (const auto& g : grants_) {
    const Role* role = catalog.find(g.role);
    if (!role) continue;
    for (const auto& p : role->permissions)
      rules_[p].push_back(Rule{std::string(prefix_of(g.jurisdiction)), g.jurisdiction, g.subordinates, g.agency_only});
  }
}

bool Principal::may(std::string_view permission, const Scope& scope) const {
  if (permission == kPublic) return true;
  if (permission == kSignedIn) return signed_in();
  auto it = rules_.find(permission);
  if (it == rules_.end()) return false;
  for (const auto& r : it->second) {
    bool place = scope.jurisdiction == r.code ||
                 (r.subordinates && r.prefix.size() < 6 && scope.jurisdiction.size() == 6 &&
                  scope.jurisdiction.substr(0, r.prefix.size()) == r.prefix);
    if (!place) continue;
    if (r.agency_only && (scope.agency_id.empty() || scope.agency_id != agency_id_)) continue;
    return true;
  }
  return false;
}

bool Principal::may_somewhere(std::string_view permission) const {
  if (permission == kPublic) return true;
  if (permission == kSignedIn) return signed_in();
  return rules_.contains(permission);
}

std::vector<std::string> Principal::permissions() const {
  std::vector<std::string> out;
  out.reserve(rules_.size());
  for (const auto& [p, _] : rules_) out.push_back(p);
  std::sort(out.begin(), out.end());
  return out;
}

core::Status check_approval(const Principal& approver, std::string_view requested_by, std::string_view permission,
                            const Scope& scope) {
  if (!approver.signed_in()) return {core::Code::kUnauthenticated, "sign in to approve"};
  if (approver.id() == requested_by)
    return {core::Code::kPermissionDenied, "an approval needs a second person: " + approver.id() +
                                               " asked for this and cannot also approve it"};
  if (!approver.may(permission, scope))
    return {core::Code::kPermissionDenied,
            "approving needs permission '" + std::string(permission) + "' in " + std::string(scope.jurisdiction)};
  return core::Status::ok();
}

}  // namespace liandong::access
