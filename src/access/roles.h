// Roles and permissions, as data (src/access/default_roles.yaml, extendable per jurisdiction).
//
// A permission is a dotted name ("incident.report") that routes, stream topics and commands
// require; a role is a named set of permissions with a rank (higher = more senior, for escalation).
// The pseudo-permissions kPublic and kSignedIn are what routes declare when no grantable
// permission applies; they are not in the catalog and cannot be granted.
// Plain immutable value after loading; thread-safe to share.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace liandong::access {

inline constexpr std::string_view kPublic = "public";
inline constexpr std::string_view kSignedIn = "signed_in";

struct Role {
  std::string name;      // code: [a-z][a-z0-9_]*
  std::string title;     // English
  std::string title_zh;  // Chinese
  int rank = 0;
  std::vector<std::string> permissions;  // each in the catalog
};

class RoleCatalog {
 public:
  // The built-in table (default_roles.yaml).
  static const RoleCatalog& defaults();
  // Parses a roles file. `base` supplies permissions and roles the file may extend: a role of the
  // same name replaces the base's; new permissions are added. Errors name "source:line" and what
  // is wrong (unknown permission in a role, bad code, duplicate key, missing rank...).
  static core::Result<RoleCatalog> load_yaml(std::string_view text, std::string_view source,
                                             const RoleCatalog& base);

  const Role* find(std::string_view name) const;
  const std::vector<Role>& roles() const { return roles_; }
  // permission name → description
  const std::map<std::string, std::string, std::less<>>& permissions() const { return permissions_; }
  bool is_permission(std::string_view name) const { return permissions_.contains(name); }

 private:
  std::vector<Role> roles_;
  std::map<std::string, std::string, std::less<>> permissions_;
};

}  // namespace liandong::access
