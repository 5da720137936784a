// A small Prometheus metrics registry: counters, gauges and histograms with labels.
//
// Usage: ask the Registry once for a family by name, help and label names, then for a child by
// label values, and keep the child pointer; updating a child is one or two relaxed atomic
// operations, lock-free.
//
//   auto* requests = registry.counter("liandong_http_requests_total", "HTTP requests.",
//                                     {"route", "method", "status"});
//   Counter* c = requests->with({"/api/v1/alarms", "POST", "201"});   // cache this
//   c->inc();
//
// Ownership: the Registry owns every family and child; the pointers it hands out stay valid for
// the Registry's lifetime. Thread-safety: everything is thread-safe. Looking a family or child up
// takes a mutex; inc/set/add/observe do not. render() may run concurrently with updates (values
// are read atomically one by one, so a histogram's _count may trail its buckets by an update).
//
// Misuse (a name registered twice with another type, label names or buckets; `with` given the
// wrong number of values; an invalid metric or label name) is a programming error and throws
// std::invalid_argument — it happens at start-up, when the metrics are declared.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace liandong::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  void inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double d);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds` are the finite upper bounds, ascending; +Inf is implicit.
  explicit Histogram(const std::vector<double>& bounds);
  // Records one observation (seconds, for durations).
  void observe(double v);
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  // Non-cumulative count of bucket i (i == bounds.size() is the +Inf bucket).
  uint64_t bucket(size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double>& bounds_;  // owned by the family
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

enum class Type { kCounter, kGauge, kHistogram };

// A metric name with its label names; children are created on first use of their label values.
template <typename Child>
class Family;

class FamilyBase {
 public:
  virtual ~FamilyBase() = default;
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  Type type() const { return type_; }
  // Appends this family's exposition text to `out`.
  virtual void render(std::string& out) const = 0;

 protected:
  FamilyBase(std::string name, std::string help, std::vector<std::string> labels, Type type);
  void check_arity(const LabelValues& values) const;

  std::string name_, help_;
  std::vector<std::string> label_names_;
  Type type_;
};

template <typename Child>
class Family final : public FamilyBase {
 public:
  // The child for these label values (one per label name, in order), created on first use.
  // Thread-safe; takes a mutex, so cache the pointer on hot paths.
  Child* with(const LabelValues& values);
  // The child with no labels (a family declared with no label names).
  Child* get() { return with({}); }
  void render(std::string& out) const override;

 private:
  friend class Registry;
  Family(std::string name, std::string help, std::vector<std::string> labels, Type type,
         std::vector<double> bounds = {})
      : FamilyBase(std::move(name), std::move(help), std::move(labels), type),
        bounds_(std::move(bounds)) {}

  std::vector<double> bounds_;  // histograms only
  mutable std::mutex mu_;
  std::map<LabelValues, std::unique_ptr<Child>> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Buckets for request latencies from 0.1 ms to 5 s.
std::vector<double> latency_buckets();

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each returns the existing family when the name is already registered with the same type and
  // label names (and buckets), so independent modules may declare the same metric.
  CounterFamily* counter(std::string_view name, std::string_view help,
                         std::vector<std::string> label_names = {});
  GaugeFamily* gauge(std::string_view name, std::string_view help,
                     std::vector<std::string> label_names = {});
  HistogramFamily* histogram(std::string_view name, std::string_view help,
                             std::vector<std::string> label_names, std::vector<double> bounds);

  // Prometheus text exposition format 0.0.4, families sorted by name, children by label values.
  std::string render() const;

  // The content type to serve render() with.
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  template <typename F>
  F* get_or_add(std::string_view name, std::string_view help, std::vector<std::string> labels,
                Type type, std::vector<double> bounds);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
};

// Escapes a label value for the exposition format (backslash, double quote, newline).
std::string escape_label_value(std::string_view v);

}  // namespace liandong::metrics
