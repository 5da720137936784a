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
  std::optional<std::vector<ResponseSlot>> response;
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
        } else if (key == "response") {
          auto r = parse_response(*text);
          if (!r) return error_at(source, value, "response: " + r.status().message());
          e.response = std::move(*r);
        } else if (key == "group") {
          if (!text->empty() && !core::yaml::is_code(*text))
            return error_at(source, value,
                            "group '" + *text + "' must be lower-case letters, digits and _");
          e.group = *text;
        } else {
          return error_at(source, key_node,
                          "unknown field '" + key +
                              "' (expected code, category, family, name_zh, name_en, group, response)");
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
    if (e.response) t.response = *e.response;
    return core::Status::ok();
  }
  for (auto [field, present] : {std::pair{"category", e.category.has_value()},
                                {"family", e.family.has_value()},
                                {"name_zh", e.name_zh.has_value()},
                                {"name_en", e.name_en.has_value()}}) {
    if (!present) return error_at(source, node, "new type '" + e.code + "' needs '" + field + "'");
  }
  types.push_back({e.code, *e.category, *e.family, *e.name_zh, *e.name_en, e.group.value_or(""),
                   e.response.value_or(std::vector<ResponseSlot>{})});
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


namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_code_text(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

core::Result<std::vector<ResponseSlot>> parse_response(std::string_view text) {
  std::vector<ResponseSlot> out;
  if (trim(text).empty()) return out;
  size_t start = 0;
  for (int n = 1;; ++n) {
    size_t plus = text.find('+', start);
    std::string_view part = trim(text.substr(start, plus == std::string_view::npos ? plus : plus - start));
    std::string at = "slot " + std::to_string(n) + " ('" + std::string(part) + "')";
    ResponseSlot slot;
    size_t i = 0;
    uint32_t count = 0;
    while (i < part.size() && part[i] >= '0' && part[i] <= '9' && count <= 1000) count = count * 10 + uint32_t(part[i++] - '0');
    if (i == 0) return core::invalid(at + " must start with a count, e.g. '2 engine'");
    if (count < 1 || count > 50) return core::invalid(at + ": the count must be 1 to 50");
    slot.count = count;
    std::string_view rest = trim(part.substr(i));
    size_t paren = rest.find('(');
    std::string_view type = trim(rest.substr(0, paren));
    if (!is_code_text(type)) return core::invalid(at + ": the unit type must be a code such as engine");
    slot.type = std::string(type);
    if (paren != std::string_view::npos) {
      if (rest.back() != ')') return core::invalid(at + ": capabilities go in parentheses at the end");
      std::string_view caps = rest.substr(paren + 1, rest.size() - paren - 2);
      size_t c0 = 0;
      while (true) {
        size_t comma = caps.find(',', c0);
        std::string_view cap = trim(caps.substr(c0, comma == std::string_view::npos ? comma : comma - c0));
        if (!is_code_text(cap)) return core::invalid(at + ": capability '" + std::string(cap) + "' must be a code");
        slot.capabilities.emplace_back(cap);
        if (comma == std::string_view::npos) break;
        c0 = comma + 1;
      }
    }
    out.push_back(std::move(slot));
    if (plus == std::string_view::npos) break;
    start = plus + 1;
  }
  return out;
}

std::string format_response(const std::vector<ResponseSlot>& slots) {
  std::string out;
  for (const auto& s : slots) {
    if (!out.empty()) out += " + ";
    out += std::to_string(s.count) + " " + s.type;
    if (!s.capabilities.empty()) {
      out += " (";
      for (size_t i = 0; i < s.capabilities.size(); ++i) out += (i ? ", " : "") + s.capabilities[i];
      out += ")";
    }
  }
  return out;
}

}  // namespace liandong::taxonomy
