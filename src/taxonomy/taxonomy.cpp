#include "taxonomy/taxonomy.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "taxonomy/families.h"
#include "taxonomy/internal/defaults.h"
#include "core/yaml_support.h"

namespace liandong::taxonomy {
namespace {

using core::yaml::error_at;

// One type entry as written: every field optional until we know whether it adds or overrides.
struct Entry {
  std::string code;
  std::optional<core::Category> category;
  std::optional<std::string> family, name_zh, name_en, group;
};

core::Result<Entry> read_entry(std::string_view source, const YAML::Node& node) {
  Entry e;
  auto status = core::yaml::for_each_entry(
      source, node, "a type",
      [&](const std::string& key, const YAML::Node& key_node,
          const YAML::Node& value) -> core::Status {
        auto text = core::yaml::scalar(source, value, "'" + key + "'");
        if (!text) return text.status();
        if (key == "code") {
          if (!core::yaml::is_code(*text))
            return error_at(source, value,
                            "type code '" + *text + "' must be lower-case letters, digits and _");
          e.code = *text;
        } else if (key == "category") {
          e.category = core::parse_category(*text);
          if (!e.category)
            return error_at(source, value,
                            "unknown category '" + *text +
                                "' (expected natural_disaster, accident_disaster, public_health "
                                "or social_safety)");
        } else if (key == "family") {
          if (!is_rule_family(*text))
            return error_at(source, value,
                            "unknown family '" + *text + "' (expected " +
                                std::string(rule_family_list()) + ")");
          e.family = *text;
        } else if (key == "name_zh" || key == "name_en") {
          if (text->empty()) return error_at(source, value, "'" + key + "' must not be empty");
          (key == "name_zh" ? e.name_zh : e.name_en) = *text;
        } else if (key == "group") {
          if (!text->empty() && !core::yaml::is_code(*text))
            return error_at(source, value,
                            "group '" + *text + "' must be lower-case letters, digits and _");
          e.group = *text;
        } else {
          return error_at(source, key_node,
                          "unknown field '" + key +
                              "' (expected code, category, family, name_zh, name_en, group)");
        }
        return core::Status::ok();
      });
  if (!status) return status;
  if (e.code.empty()) return error_at(source, node, "a type needs a 'code'");
  return e;
}

core::Status apply(std::string_view source, const YAML::Node& node,
                   std::vector<IncidentType>& types, std::map<std::string, std::string>& seen_at) {
  auto entry = read_entry(source, node);
  if (!entry) return entry.status();
  Entry& e = *entry;
  std::string here = core::yaml::where(source, node.Mark());
  auto [it, inserted] = seen_at.emplace(e.code, here);
  if (!inserted)
    return error_at(source, node,
                    "duplicate type code '" + e.code + "' (first at " + it->second + ")");

  for (IncidentType& t : types) {
    if (t.code != e.code) continue;
    if (e.category) t.category = *e.category;
    if (e.family) t.family = *e.family;
    if (e.name_zh) t.name_zh = *e.name_zh;
    if (e.name_en) t.name_en = *e.name_en;
    if (e.group) t.group = *e.group;
    return core::Status::ok();
  }
  for (auto [field, present] : {std::pair{"category", e.category.has_value()},
                                {"family", e.family.has_value()},
                                {"name_zh", e.name_zh.has_value()},
                                {"name_en", e.name_en.has_value()}}) {
    if (!present) return error_at(source, node, "new type '" + e.code + "' needs '" + field + "'");
  }
  types.push_back({e.code, *e.category, *e.family, *e.name_zh, *e.name_en, e.group.value_or("")});
  return core::Status::ok();
}

// Applies the document to types, which starts as the base's table.
core::Status load(std::string_view text, std::string_view source,
                  std::vector<IncidentType>& types) {
  auto doc = core::yaml::parse(text, source);
  if (!doc) return doc.status();
  const YAML::Node& root = *doc;
  if (root.IsNull()) return core::Status::ok();
  std::map<std::string, std::string> seen_at;
  return core::yaml::for_each_entry(
      source, root, "the top level",
      [&](const std::string& key, const YAML::Node& key_node,
          const YAML::Node& value) -> core::Status {
        if (key != "types")
          return error_at(source, key_node, "unknown field '" + key + "' (expected types)");
        if (value.IsNull()) return core::Status::ok();
        if (!value.IsSequence()) return error_at(source, value, "'types' must be a list");
        for (const YAML::Node& item : value)
          LD_RETURN_IF_ERROR(apply(source, item, types, seen_at));
        return core::Status::ok();
      });
}

}  // namespace

const Taxonomy& Taxonomy::defaults() {
  static const Taxonomy kDefaults = [] {
    auto loaded = load_yaml(internal::default_types_yaml(), "default_types.yaml", Taxonomy{});
    if (!loaded) {  // a build defect, caught by taxonomy_test
      std::fprintf(stderr, "liandong: bad default taxonomy: %s\n",
                   loaded.status().message().c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return kDefaults;
}

std::string_view Taxonomy::default_yaml() { return internal::default_types_yaml(); }

core::Result<Taxonomy> Taxonomy::load_yaml(std::string_view yaml_text, std::string_view source_name,
                                           const Taxonomy& base) {
  Taxonomy out = base;
  try {
    LD_RETURN_IF_ERROR(load(yaml_text, source_name, out.types_));
  } catch (const YAML::Exception& e) {
    return core::invalid(core::yaml::where(source_name, e.mark) + ": " + e.msg);
  } catch (const std::exception& e) {
    return core::invalid(std::string(source_name) + ": " + e.what());
  }
  return out;
}

const IncidentType* Taxonomy::find(std::string_view code) const {
  for (const IncidentType& t : types_)
    if (t.code == code) return &t;
  return nullptr;
}

bool Taxonomy::compatible(std::string_view a, std::string_view b) const {
  if (a == b) return true;
  const IncidentType* ta = find(a);
  const IncidentType* tb = find(b);
  return ta && tb && !ta->group.empty() && ta->group == tb->group;
}

}  // namespace liandong::taxonomy
