#include "access/roles.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "core/yaml_support.h"

namespace liandong::access {
namespace internal {
std::string_view default_roles_yaml();
}

namespace {

bool is_permission_name(std::string_view s) {
  // dotted codes: incident.grade.confirm
  if (s.empty() || s.size() > 64 || s.front() == '.' || s.back() == '.') return false;
  char prev = '.';
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9' && prev != '.') || c == '_' || c == '.';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return true;
}

core::Status load_permissions(std::string_view source, const YAML::Node& node,
                              std::map<std::string, std::string, std::less<>>& out) {
  return core::yaml::for_each_entry(source, node, "'permissions'",
                                    [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) {
                                      if (!is_permission_name(key) || key == kPublic || key == kSignedIn)
                                        return core::yaml::error_at(
                                            source, key_node,
                                            "'" + key + "' is not a permission name (dotted lower-case codes, "
                                            "e.g. incident.report; 'public' and 'signed_in' are reserved)");
                                      auto text = core::yaml::scalar(source, value, "permission '" + key + "'");
                                      if (!text) return text.status();
                                      out[key] = *text;
                                      return core::Status::ok();
                                    });
}

core::Result<Role> load_role(std::string_view source, const std::string& name, const YAML::Node& key_node,
                             const YAML::Node& value, const std::map<std::string, std::string, std::less<>>& perms) {
  if (!core::yaml::is_code(name))
    return core::yaml::error_at(source, key_node, "role '" + name + "' is not a code ([a-z][a-z0-9_]*)");
  Role role;
  role.name = name;
  bool has_rank = false, has_perms = false;
  LD_RETURN_IF_ERROR(core::yaml::for_each_entry(
      source, value, "role '" + name + "'",
      [&](const std::string& key, const YAML::Node& kn, const YAML::Node& v) -> core::Status {
        if (key == "title" || key == "title_zh") {
          auto t = core::yaml::scalar(source, v, "'" + key + "' of role '" + name + "'");
          if (!t) return t.status();
          (key == "title" ? role.title : role.title_zh) = *t;
        } else if (key == "rank") {
          auto r = core::yaml::whole_number(source, v, "'rank' of role '" + name + "'");
          if (!r) return r.status();
          if (*r < 0 || *r > 1000)
            return core::yaml::error_at(source, v, "'rank' of role '" + name + "' must be 0 to 1000");
          role.rank = static_cast<int>(*r);
          has_rank = true;
        } else if (key == "permissions") {
          if (!v.IsSequence())
            return core::yaml::error_at(source, v, "'permissions' of role '" + name + "' must be a list");
          for (const auto& item : v) {
            auto p = core::yaml::scalar(source, item, "a permission of role '" + name + "'");
            if (!p) return p.status();
            if (!perms.contains(*p))
              return core::yaml::error_at(source, item,
                                          "role '" + name + "' grants unknown permission '" + *p + "'");
            if (std::find(role.permissions.begin(), role.permissions.end(), *p) == role.permissions.end())
              role.permissions.push_back(*p);
          }
          has_perms = true;
        } else {
          return core::yaml::error_at(source, kn,
                                      "unknown key '" + key + "' in role '" + name +
                                          "' (expected title, title_zh, rank, permissions)");
        }
        return core::Status::ok();
      }));
  if (!has_rank) return core::yaml::error_at(source, key_node, "role '" + name + "' has no 'rank'");
  if (!has_perms) return core::yaml::error_at(source, key_node, "role '" + name + "' has no 'permissions'");
  if (role.title.empty()) role.title = name;
  return role;
}

}  // namespace

const RoleCatalog& RoleCatalog::defaults() {
  static const RoleCatalog catalog = [] {
    auto loaded = load_yaml(internal::default_roles_yaml(), "default_roles.yaml", RoleCatalog{});
    if (!loaded) throw std::logic_error("built-in default_roles.yaml: " + loaded.status().message());
    return *std::move(loaded);
  }();
  return catalog;
}

core::Result<RoleCatalog> RoleCatalog::load_yaml(std::string_view text, std::string_view source,
                                                 const RoleCatalog& base) {
  auto doc = core::yaml::parse(text, source);
  if (!doc) return doc.status();
  RoleCatalog out = base;
  if (!doc->IsMap()) return core::yaml::error_at(source, *doc, "a roles file is a mapping with 'permissions' and 'roles'");
  // Permissions first, so that roles may use permissions the same file adds.
  if (auto p = (*doc)["permissions"]; p) LD_RETURN_IF_ERROR(load_permissions(source, p, out.permissions_));
  LD_RETURN_IF_ERROR(core::yaml::for_each_entry(
      source, *doc, "the roles file", [&](const std::string& key, const YAML::Node& kn, const YAML::Node& value) {
        if (key == "permissions") return core::Status::ok();
        if (key != "roles")
          return core::yaml::error_at(source, kn, "unknown key '" + key + "' (expected permissions, roles)");
        return core::yaml::for_each_entry(
            source, value, "'roles'", [&](const std::string& name, const YAML::Node& rk, const YAML::Node& rv) {
              auto role = load_role(source, name, rk, rv, out.permissions_);
              if (!role) return role.status();
              auto it = std::find_if(out.roles_.begin(), out.roles_.end(),
                                     [&](const Role& r) { return r.name == name; });
              if (it != out.roles_.end())
                *it = *std::move(role);
              else
                out.roles_.push_back(*std::move(role));
              return core::Status::ok();
            });
      }));
  return out;
}

const Role* RoleCatalog::find(std::string_view name) const {
  for (const auto& r : roles_)
    if (r.name == name) return &r;
  return nullptr;
}

}  // namespace liandong::access
