// The plan reader's tools: a diagnostics collector and readers of YAML values that report what is
// wrong (with the path and line) and carry on, so one pass finds every problem of a file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plans/parse.h"

namespace liandong::plans::internal {

// At most this many diagnostics are kept; a note says when more were found.
inline constexpr size_t kMaxDiagnostics = 200;
// Work limits against hostile files: values read in all (an alias counts each time it is used),
// and items in one list or mapping.
inline constexpr size_t kMaxValues = 20'000;
inline constexpr size_t kMaxItems = 500;

// 1-based line of a node, 0 when yaml-cpp gives none.
int line_of(const YAML::Node& node);

// Text fit for a message: control characters become '?', at most 60 bytes (cut at a character
// boundary, "…" appended).
std::string shown(std::string_view s);

// "levels" + "II" → "levels.II"; "" + "key" → "key".
std::string join(const std::string& path, std::string_view key);
// "levels.II.forces" + 2 → "levels.II.forces[2]".
std::string at(const std::string& path, size_t index);

// Collects the diagnostics of one document.
class Context {
 public:
  Context(std::string_view source, const Known& known) : source_(source), known_(known) {}

  void error(int line, std::string path, std::string message);
  void warning(int line, std::string path, std::string message);
  void error(const YAML::Node& node, std::string path, std::string message) {
    error(line_of(node), std::move(path), std::move(message));
  }
  void warning(const YAML::Node& node, std::string path, std::string message) {
    warning(line_of(node), std::move(path), std::move(message));
  }

  // Counts n values about to be read. false once the document has more than kMaxValues (reported
  // once); the reader then stops reading.
  bool spend(const YAML::Node& at, size_t n);
  bool exhausted() const { return values_ > kMaxValues; }

  size_t errors() const { return errors_; }
  const Known& known() const { return known_; }
  // The diagnostics sorted by line (stable), with the truncation note when there were too many.
  std::vector<Diagnostic> take();

 private:
  void add(int line, std::string path, std::string message, bool error);

  std::string source_;
  const Known& known_;
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
  size_t values_ = 0;
  bool truncated_ = false;
};

struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// The entries of a mapping in document order. Reports (and skips) a key that is not plain text and
// a key written twice (the first is kept). YAML merge keys are expanded where they stand
// (`<<: *anchor` or `<<: [*a, *b]`): the merged mappings' entries not written in `node` itself.
// nullopt, reported, when `node` is not a mapping or has more than kMaxItems entries, or the work
// limit is reached. `dup_hint` is added to the duplicate message ("each level may appear once").
std::optional<std::vector<Entry>> entries(Context& c, const YAML::Node& node,
                                          const std::string& path, std::string_view dup_hint = {});

// A key a fixed-shape mapping may have.
struct Key {
  std::string_view name;
  bool required = false;
  std::string_view hint = {};  // what the value is, for the "missing" message
};

// A mapping with a fixed set of keys, read by entries(): unknown keys and missing required ones
// are reported. nullopt when `node` is not a mapping.
class Fields {
 public:
  // The value of `key`, or nullptr when absent.
  const YAML::Node* find(std::string_view key) const;
  const YAML::Node& node() const { return node_; }

 private:
  friend std::optional<Fields> fields(Context&, const YAML::Node&, const std::string&,
                                      std::span<const Key>);
  YAML::Node node_;
  std::vector<Entry> entries_;
};
std::optional<Fields> fields(Context& c, const YAML::Node& node, const std::string& path,
                             std::span<const Key> keys);

// "a list", "a mapping", "empty", "text" — for "must be X, not Y" messages.
std::string_view kind_of(const YAML::Node& node);

// Text. `required`: an empty or null value is an error. nullopt when reported.
std::optional<std::string> text(Context& c, const YAML::Node& node, const std::string& path,
                                bool required);
// A code ([a-z][a-z0-9_]*, at most 64 characters). `what` names it: "a task key".
std::optional<std::string> code(Context& c, const YAML::Node& node, const std::string& path,
                                std::string_view what);
// Whether s names an agency kind: a code, or a service number of 3 to 8 digits ("119", "12345").
bool is_agency_kind(std::string_view s);
std::optional<std::string> agency(Context& c, const YAML::Node& node, const std::string& path);
// A whole number in [min, max]; `range` says the allowed values for the message.
std::optional<int64_t> whole(Context& c, const YAML::Node& node, const std::string& path,
                             int64_t min, int64_t max, std::string_view range);
// A positive decimal number.
std::optional<double> positive_number(Context& c, const YAML::Node& node, const std::string& path);
// A duration ("30m") greater than zero.
std::optional<core::Millis> duration(Context& c, const YAML::Node& node, const std::string& path);

// The items of a list; a plain value alone counts as a one-item list (`grades: I`), and null as an
// empty one. nullopt, reported, for a mapping or more than kMaxItems items, or at the work limit.
std::optional<std::vector<YAML::Node>> items(Context& c, const YAML::Node& node,
                                             const std::string& path);
// A list of codes (each checked by code()); the ones that are not codes are reported and left out.
std::vector<std::string> codes(Context& c, const YAML::Node& node, const std::string& path,
                               std::string_view what);
// A list of non-empty texts.
std::vector<std::string> texts(Context& c, const YAML::Node& node, const std::string& path);

// "engine, ladder and rescue"-style list: "a, b, c".
std::string joined(std::span<const std::string> values);
std::string joined(std::span<const std::string_view> values);

// Whether `code` is in `known` (an empty list knows everything).
bool known_code(const std::vector<std::string>& known, std::string_view code);

}  // namespace liandong::plans::internal
