// The cloud of an instantaneous release in travel-time coordinates (docs/RIVER.md, "Across
// reaches"). The centre moves at one second of travel time per second; its variance in travel time
// grows piecewise linearly: on segment j (the part of a reach the centre crosses from start_s[j]),
// S(t) = var_s2[j] + rate[j]·(t − start_s[j]) with rate = 2D/u². The last segment extends without
// end.
#pragma once

#include <optional>
#include <vector>

namespace liandong::river::internal {

struct Cloud {
  std::vector<double> start_s;  // travel time at which the centre enters segment j (ascending)
  std::vector<double> var_s2;   // S at start_s[j]
  std::vector<double> rate;     // dS/dt on segment j (seconds² per second)

  void add(double duration_s, double rate_s) {
    double s = 0, v = 0;
    if (!start_s.empty()) {
      s = start_s.back() + duration_;
      v = var_s2.back() + rate.back() * duration_;
    }
    start_s.push_back(s);
    var_s2.push_back(v);
    rate.push_back(rate_s);
    duration_ = duration_s;
  }
  size_t segment_at(double t) const;  // the segment whose span holds t (t >= 0)
  double variance(double t) const;    // S(t)

  // ln of the concentration factor at a site of travel time T, at time t (without the constant M /
  // (A·u·sqrt(2π))):  −k·t − ½·ln S(t) − (T − t)² / (2·S(t)).
  double log_shape(double T, double k, double t) const;

  // The t > 0 maximising log_shape for a site of travel time T > 0: the stationary points of each
  // segment within T ± 10·sqrt(S(T)) (roots of a quadratic) and the segments' ends there, at most
  // kMaxSegments segments on each side of T's. nullopt when T <= 0.
  static constexpr size_t kMaxSegments = 256;
  std::optional<double> peak_time(double T, double k) const;

 private:
  double duration_ = 0;
};

}  // namespace liandong::river::internal
