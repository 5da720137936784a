#include <limits>

#include "reports/content.h"
#include "reports/internal/fields.h"

namespace liandong::reports {
namespace {

using nlohmann::json;

template <typename Field>
const Field* find_field(std::span<const Field> fields, std::string_view k) {
  for (const auto& f : fields) {
    if (f.key == k) return &f;
  }
  return nullptr;
}

std::string type_name(const json& v) { return v.type_name(); }

core::Result<std::optional<int64_t>> figure(const json& v, const std::string& path) {
  if (v.is_null()) return std::optional<int64_t>{};
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return core::invalid("the figure is too large", path);
    }
    return std::optional<int64_t>{v.get<int64_t>()};
  }
  if (v.is_number_integer()) {
    int64_t n = v.get<int64_t>();
    if (n < 0) return core::invalid("a figure cannot be negative (" + std::to_string(n) + ")", path);
    return std::optional<int64_t>{n};
  }
  return core::invalid("expected a whole number or null, not " + type_name(v), path);
}

core::Status read_consequences(const json& j, const std::string& path, Consequences& out) {
  if (!j.is_object()) return core::invalid("expected an object, not " + type_name(j), path);
  for (const auto& [k, v] : j.items()) {
    const std::string sub = path + "." + k;
    const auto* f = find_field<internal::FigureField>(internal::kFigureFields, k);
    if (!f) {
      return core::invalid("unknown figure '" + k.substr(0, 64) +
                               "' (deaths, injuries, missing, affected, direct_loss_yuan)",
                           sub);
    }
    auto n = figure(v, sub);
    if (!n) return n.status();
    out.*(f->member) = *n;
  }
  return core::Status::ok();
}

}  // namespace

json to_json(const Content& c) {
  json j = json::object();
  for (const auto& f : internal::kTextFields) j[std::string(f.key)] = c.*f.member;
  for (const auto& f : internal::kTimeFields) {
    const auto& t = c.*f.member;
    j[std::string(f.key)] = t ? json(core::format_utc(*t)) : json(nullptr);
  }
  json cons = json::object();
  for (const auto& f : internal::kFigureFields) {
    const auto& n = c.consequences.*f.member;
    cons[std::string(f.key)] = n ? json(*n) : json(nullptr);
  }
  j["consequences"] = std::move(cons);
  return j;
}

core::Result<Content> content_from_json(const json& j, std::string_view field) {
  const std::string base(field);
  if (!j.is_object()) return core::invalid("expected an object, not " + type_name(j), base);
  Content c;
  for (const auto& [k, v] : j.items()) {
    const std::string path = base + "." + k;
    if (k == "consequences") {
      LD_RETURN_IF_ERROR(read_consequences(v, path, c.consequences));
    } else if (const auto* tf = find_field<internal::TextField>(internal::kTextFields, k)) {
      if (!v.is_string()) return core::invalid("expected a string, not " + type_name(v), path);
      const auto& s = v.get_ref<const std::string&>();
      if (s.size() > kMaxTextBytes) {
        return core::invalid("text of " + std::to_string(s.size()) + " bytes, over the limit of " +
                                 std::to_string(kMaxTextBytes),
                             path);
      }
      c.*(tf->member) = s;
    } else if (const auto* tm = find_field<internal::TimeField>(internal::kTimeFields, k)) {
      if (v.is_null()) continue;
      if (!v.is_string()) {
        return core::invalid("expected an RFC 3339 time or null, not " + type_name(v), path);
      }
      auto t = core::parse_rfc3339(v.get_ref<const std::string&>(), path);
      if (!t) return t.status();
      c.*(tm->member) = *t;
    } else {
      return core::invalid("unknown key '" + k.substr(0, 64) + "'", path);
    }
  }
  return c;
}

}  // namespace liandong::reports
