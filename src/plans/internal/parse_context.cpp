#include "plans/internal/parse_context.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "core/yaml_support.h"

namespace liandong::plans::internal {

int line_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() || mark.line < 0 ? 0 : mark.line + 1;
}

std::string shown(std::string_view s) {
  constexpr size_t kMax = 60;
  bool cut = false;
  if (s.size() > kMax) {
    size_t n = kMax;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not mid-character
    s = s.substr(0, n);
    cut = true;
  }
  std::string out;
  out.reserve(s.size() + 3);
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    out += (u < 0x20 || u == 0x7f) ? '?' : ch;
  }
  if (cut) out += "…";
  return out;
}

std::string join(const std::string& path, std::string_view key) {
  std::string k = shown(key);
  return path.empty() ? k : path + "." + k;
}

std::string at(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

void Context::add(int line, std::string path, std::string message, bool error) {
  if (error) ++errors_;
  if (diagnostics_.size() >= kMaxDiagnostics) {
    truncated_ = true;
    return;
  }
  diagnostics_.push_back({source_, line, std::move(path), std::move(message), error});
}

void Context::error(int line, std::string path, std::string message) {
  add(line, std::move(path), std::move(message), true);
}

void Context::warning(int line, std::string path, std::string message) {
  add(line, std::move(path), std::move(message), false);
}

bool Context::spend(const YAML::Node& at, size_t n) {
  if (values_ > kMaxValues) return false;
  values_ += n;
  if (values_ <= kMaxValues) return true;
  error(at, "",
        "the plan is too large to check: more than " + std::to_string(kMaxValues) +
            " values (an alias counts each time it is used)");
  return false;
}

std::vector<Diagnostic> Context::take() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  if (truncated_)
    diagnostics_.push_back(
        {source_, 0, "",
         "too many problems: only the first " + std::to_string(kMaxDiagnostics) + " are listed",
         true});
  return std::move(diagnostics_);
}

std::string_view kind_of(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "empty";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "text";
}

namespace {

// Merges (<<) inside merged mappings deeper than this are refused: an anchor may refer to itself.
constexpr int kMaxMergeDepth = 8;

// `chain`: the mappings being merged into, outermost first (a merge of one of them is a cycle).
std::optional<std::vector<Entry>> entries_at(Context& c, const YAML::Node& node,
                                             const std::string& path, std::string_view dup_hint,
                                             std::vector<YAML::Node>& chain) {
  if (!node.IsMap()) {
    c.error(node, path, "must be a mapping (key: value lines), not " + std::string(kind_of(node)));
    return std::nullopt;
  }
  if (node.size() > kMaxItems) {
    c.error(node, path,
            std::to_string(node.size()) + " entries; at most " + std::to_string(kMaxItems) +
                " are allowed here");
    return std::nullopt;
  }
  if (!c.spend(node, node.size())) return std::nullopt;
  // Keys written here win over merged ones, wherever they stand.
  std::map<std::string, int, std::less<>> first_line;
  for (const auto& kv : node) {
    const YAML::Node& key_node = kv.first;
    if (!key_node.IsScalar()) {
      c.error(key_node, path, "a key must be plain text, not " + std::string(kind_of(key_node)));
      continue;
    }
    const std::string& key = key_node.Scalar();
    if (key == "<<") continue;
    auto [it, inserted] = first_line.emplace(key, line_of(key_node));
    if (!inserted) {
      std::string msg = "duplicate key (first at line " + std::to_string(it->second) + ")";
      if (!dup_hint.empty()) msg += "; " + std::string(dup_hint);
      c.error(key_node, join(path, key), std::move(msg));
    }
  }
  std::vector<Entry> out;
  std::set<std::string, std::less<>> taken;
  for (const auto& kv : node) {
    const YAML::Node& key_node = kv.first;
    if (!key_node.IsScalar()) continue;
    const std::string& key = key_node.Scalar();
    if (key != "<<") {
      if (taken.insert(key).second) out.push_back({key, key_node, kv.second});
      continue;
    }
    // A merge: the entries of a mapping, or of each mapping of a list, that are not written here
    // (the first source wins among sources).
    const std::string mp = join(path, "<<");
    std::vector<YAML::Node> sources;
    if (kv.second.IsSequence()) {
      for (const YAML::Node& s : kv.second) sources.push_back(s);
    } else {
      sources.push_back(kv.second);
    }
    if (chain.size() > kMaxMergeDepth) {
      c.error(key_node, mp, "merges (<<) nested too deeply");
      continue;
    }
    for (const YAML::Node& source : sources) {
      if (!source.IsMap()) {
        c.error(source, mp,
                "a merge (<<) takes a mapping or a list of mappings, not " +
                    std::string(kind_of(source)));
        continue;
      }
      if (std::any_of(chain.begin(), chain.end(),
                      [&](const YAML::Node& n) { return n.is(source); })) {
        c.error(key_node, mp, "a merge (<<) of a mapping into itself");
        continue;
      }
      chain.push_back(source);
      auto merged = entries_at(c, source, path, dup_hint, chain);
      chain.pop_back();
      if (!merged) continue;
      for (Entry& e : *merged)
        if (!first_line.contains(e.key) && taken.insert(e.key).second) out.push_back(std::move(e));
    }
  }
  if (out.size() > kMaxItems) {
    c.error(node, path,
            std::to_string(out.size()) + " entries after merging; at most " +
                std::to_string(kMaxItems) + " are allowed here");
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<std::vector<Entry>> entries(Context& c, const YAML::Node& node,
                                          const std::string& path, std::string_view dup_hint) {
  std::vector<YAML::Node> chain{node};
  return entries_at(c, node, path, dup_hint, chain);
}

namespace {

// Levenshtein distance, for "did you mean" (keys are short).
size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

const YAML::Node* Fields::find(std::string_view key) const {
  for (const Entry& e : entries_)
    if (e.key == key) return &e.value;
  return nullptr;
}

std::optional<Fields> fields(Context& c, const YAML::Node& node, const std::string& path,
                             std::span<const Key> keys) {
  auto all = entries(c, node, path);
  if (!all) return std::nullopt;
  Fields out;
  out.node_ = node;
  std::vector<std::string_view> names;
  for (const Key& k : keys) names.push_back(k.name);
  for (Entry& e : *all) {
    if (std::find(names.begin(), names.end(), e.key) != names.end()) {
      out.entries_.push_back(std::move(e));
      continue;
    }
    std::string msg = "unknown key";
    if (e.key.size() <= 64) {
      std::string_view best;
      size_t best_d = 3;
      for (std::string_view n : names) {
        size_t d = distance(e.key, n);
        if (d < best_d) best_d = d, best = n;
      }
      if (!best.empty()) msg += " (did you mean '" + std::string(best) + "'?)";
    }
    msg += "; expected one of " + joined(names);
    c.error(e.key_node, join(path, e.key), std::move(msg));
  }
  for (const Key& k : keys) {
    if (!k.required || out.find(k.name)) continue;
    std::string msg = "missing required key '" + std::string(k.name) + "'";
    if (!k.hint.empty()) msg += " (" + std::string(k.hint) + ")";
    c.error(node, path, std::move(msg));
  }
  return out;
}

std::optional<std::string> text(Context& c, const YAML::Node& node, const std::string& path,
                                bool required) {
  if (!node.IsDefined() || node.IsNull()) {
    if (required) {
      c.error(node, path, "must not be empty");
      return std::nullopt;
    }
    return std::string();
  }
  if (!node.IsScalar()) {
    c.error(node, path, "must be text, not " + std::string(kind_of(node)));
    return std::nullopt;
  }
  if (required && node.Scalar().empty()) {
    c.error(node, path, "must not be empty");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::string> code(Context& c, const YAML::Node& node, const std::string& path,
                                std::string_view what) {
  auto t = text(c, node, path, true);
  if (!t) return std::nullopt;
  if (!core::yaml::is_code(*t)) {
    c.error(node, path,
            "'" + shown(*t) + "' is not " + std::string(what) +
                ": write a code of lower-case letters, digits and _ starting with a letter");
    return std::nullopt;
  }
  return t;
}

bool is_agency_kind(std::string_view s) {
  if (core::yaml::is_code(s)) return true;
  if (s.size() < 3 || s.size() > 8) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::optional<std::string> agency(Context& c, const YAML::Node& node, const std::string& path) {
  auto t = text(c, node, path, true);
  if (!t) return std::nullopt;
  if (!is_agency_kind(*t)) {
    c.error(node, path,
            "'" + shown(*t) +
                "' is not an agency kind: write a code such as fire, police, health, environment, "
                "or a service number such as \"119\"");
    return std::nullopt;
  }
  return t;
}

std::optional<int64_t> whole(Context& c, const YAML::Node& node, const std::string& path,
                             int64_t min, int64_t max, std::string_view range) {
  auto t = text(c, node, path, false);
  if (!t) return std::nullopt;
  const std::string& s = *t;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  const bool digits = !s.empty() && end == s.data() + s.size();
  if (digits && ec == std::errc() && value >= min && value <= max) return value;
  if (digits && (ec == std::errc::result_out_of_range || ec == std::errc()))
    c.error(node, path, "'" + shown(s) + "' is out of range: must be " + std::string(range));
  else
    c.error(node, path,
            (s.empty() ? std::string("empty") : "'" + shown(s) + "'") +
                " is not a whole number: must be " + std::string(range));
  return std::nullopt;
}

std::optional<double> positive_number(Context& c, const YAML::Node& node, const std::string& path) {
  auto t = text(c, node, path, false);
  if (!t) return std::nullopt;
  const std::string& s = *t;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value) ||
      value <= 0) {
    c.error(node, path,
            (s.empty() ? std::string("empty") : "'" + shown(s) + "'") +
                ": must be a number greater than 0, e.g. 20 or 2.5");
    return std::nullopt;
  }
  return value;
}

std::optional<core::Millis> duration(Context& c, const YAML::Node& node, const std::string& path) {
  auto t = text(c, node, path, false);
  if (!t) return std::nullopt;
  auto d = parse_duration(*t);
  if (!d) {
    c.error(node, path,
            t->empty() ? std::string("must be a duration such as 30m, 2h, 1d or 1h30m")
                       : "'" + shown(*t) +
                             "' is not a duration: write numbers with units (d, h, m, s), such "
                             "as 30m, 2h, 1d or 1h30m");
    return std::nullopt;
  }
  if (d->count() == 0) {
    c.error(node, path, "must be longer than 0");
    return std::nullopt;
  }
  return d;
}

std::optional<std::vector<YAML::Node>> items(Context& c, const YAML::Node& node,
                                             const std::string& path) {
  std::vector<YAML::Node> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (node.IsScalar()) {
    out.push_back(node);
    return out;
  }
  if (!node.IsSequence()) {
    c.error(node, path, "must be a list, not " + std::string(kind_of(node)));
    return std::nullopt;
  }
  if (node.size() > kMaxItems) {
    c.error(node, path,
            std::to_string(node.size()) + " items; at most " + std::to_string(kMaxItems) +
                " are allowed here");
    return std::nullopt;
  }
  if (!c.spend(node, node.size())) return std::nullopt;
  for (const YAML::Node& item : node) out.push_back(item);
  return out;
}

std::vector<std::string> codes(Context& c, const YAML::Node& node, const std::string& path,
                               std::string_view what) {
  std::vector<std::string> out;
  auto list = items(c, node, path);
  if (!list) return out;
  for (size_t i = 0; i < list->size(); ++i)
    if (auto v = code(c, (*list)[i], node.IsSequence() ? at(path, i) : path, what))
      out.push_back(std::move(*v));
  return out;
}

std::vector<std::string> texts(Context& c, const YAML::Node& node, const std::string& path) {
  std::vector<std::string> out;
  auto list = items(c, node, path);
  if (!list) return out;
  for (size_t i = 0; i < list->size(); ++i)
    if (auto v = text(c, (*list)[i], node.IsSequence() ? at(path, i) : path, true))
      out.push_back(std::move(*v));
  return out;
}

std::string joined(std::span<const std::string> values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::string joined(std::span<const std::string_view> values) {
  std::string out;
  for (std::string_view v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

bool known_code(const std::vector<std::string>& known, std::string_view code) {
  return known.empty() || std::find(known.begin(), known.end(), code) != known.end();
}

}  // namespace liandong::plans::internal
