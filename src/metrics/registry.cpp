#include "metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace liandong::metrics {
namespace {

bool valid_name(std::string_view n, bool allow_colon) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
}

// `{a="x",b="y"` plus an optional extra label, then `}`; nothing when there are no labels.
void append_labels(std::string& out, const std::vector<std::string>& names, const LabelValues& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!first) out.push_back(',');
    first = false;
    out += names[i];
    out += "=\"";
    out += escape_label_value(values[i]);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!first) out.push_back(',');
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out.push_back('"');
  }
  out.push_back('}');
}

const char* type_name(Type t) {
  switch (t) {
    case Type::kCounter:
      return "counter";
    case Type::kGauge:
      return "gauge";
    case Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

void add_double(std::atomic<double>& a, double d) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + d, std::memory_order_relaxed)) {
  }
}

}  // namespace

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

void Gauge::add(double d) { add_double(value_, d); }

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
  // Bucket i holds observations in (bounds[i-1], bounds[i]]; rendering makes them cumulative.
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  add_double(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<double> latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0};
}

FamilyBase::FamilyBase(std::string name, std::string help, std::vector<std::string> labels, Type type)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(labels)), type_(type) {
  if (!valid_name(name_, true)) throw std::invalid_argument("invalid metric name: " + name_);
  for (const auto& l : label_names_)
    if (!valid_name(l, false) || l.starts_with("__") || l == "le")
      throw std::invalid_argument("invalid label name '" + l + "' for " + name_);
}

void FamilyBase::check_arity(const LabelValues& values) const {
  if (values.size() != label_names_.size())
    throw std::invalid_argument("metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                                " label values, given " + std::to_string(values.size()));
}

template <typename Child>
Child* Family<Child>::with(const LabelValues& values) {
  check_arity(values);
  std::lock_guard lock(mu_);
  auto it = children_.find(values);
  if (it != children_.end()) return it->second.get();
  std::unique_ptr<Child> child;
  if constexpr (std::is_same_v<Child, Histogram>)
    child = std::make_unique<Histogram>(bounds_);
  else
    child = std::make_unique<Child>();
  return children_.emplace(values, std::move(child)).first->second.get();
}

template <typename Child>
void Family<Child>::render(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out.push_back(' ');
  append_help(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out.push_back(' ');
  out += type_name(type_);
  out.push_back('\n');
  std::lock_guard lock(mu_);
  for (const auto& [values, child] : children_) {
    if constexpr (std::is_same_v<Child, Histogram>) {
      uint64_t cumulative = 0;
      std::string le;
      for (size_t i = 0; i <= bounds_.size(); ++i) {
        cumulative += child->bucket(i);
        le.clear();
        if (i < bounds_.size())
          append_double(le, bounds_[i]);
        else
          le = "+Inf";
        out += name_;
        out += "_bucket";
        append_labels(out, label_names_, values, "le", le);
        out.push_back(' ');
        out += std::to_string(cumulative);
        out.push_back('\n');
      }
      out += name_;
      out += "_sum";
      append_labels(out, label_names_, values);
      out.push_back(' ');
      append_double(out, child->sum());
      out.push_back('\n');
      out += name_;
      out += "_count";
      append_labels(out, label_names_, values);
      out.push_back(' ');
      // The +Inf bucket equals the count by definition; use it so the two always agree.
      out += std::to_string(cumulative);
      out.push_back('\n');
    } else {
      out += name_;
      append_labels(out, label_names_, values);
      out.push_back(' ');
      if constexpr (std::is_same_v<Child, Counter>)
        out += std::to_string(child->value());
      else
        append_double(out, child->value());
      out.push_back('\n');
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

template <typename F>
F* Registry::get_or_add(std::string_view name, std::string_view help, std::vector<std::string> labels,
                        Type type, std::vector<double> bounds) {
  if (!std::is_sorted(bounds.begin(), bounds.end()) ||
      std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end())
    throw std::invalid_argument("histogram buckets must ascend strictly: " + std::string(name));
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) {
    auto* f = dynamic_cast<F*>(it->second.get());
    if (!f || f->type() != type || f->label_names() != labels || f->bounds_ != bounds)
      throw std::invalid_argument("metric " + std::string(name) +
                                  " registered twice with different type, labels or buckets");
    return f;
  }
  auto* f = new F(std::string(name), std::string(help), std::move(labels), type, std::move(bounds));
  families_.emplace(std::string(name), std::unique_ptr<FamilyBase>(f));
  return f;
}

CounterFamily* Registry::counter(std::string_view name, std::string_view help,
                                 std::vector<std::string> label_names) {
  return get_or_add<CounterFamily>(name, help, std::move(label_names), Type::kCounter, {});
}

GaugeFamily* Registry::gauge(std::string_view name, std::string_view help,
                             std::vector<std::string> label_names) {
  return get_or_add<GaugeFamily>(name, help, std::move(label_names), Type::kGauge, {});
}

HistogramFamily* Registry::histogram(std::string_view name, std::string_view help,
                                     std::vector<std::string> label_names, std::vector<double> bounds) {
  return get_or_add<HistogramFamily>(name, help, std::move(label_names), Type::kHistogram,
                                     std::move(bounds));
}

std::string Registry::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) family->render(out);
  return out;
}

}  // namespace liandong::metrics
