#include "river/internal/cloud.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace liandong::river::internal {

size_t Cloud::segment_at(double t) const {
  auto it = std::upper_bound(start_s.begin(), start_s.end(), t);
  return it == start_s.begin() ? 0 : static_cast<size_t>(it - start_s.begin()) - 1;
}

double Cloud::variance(double t) const {
  size_t j = segment_at(t);
  return var_s2[j] + rate[j] * (t - start_s[j]);
}

double Cloud::log_shape(double T, double k, double t) const {
  double s = variance(t);
  if (!(s > 0)) return -std::numeric_limits<double>::infinity();
  return -k * t - 0.5 * std::log(s) - (T - t) * (T - t) / (2 * s);
}

std::optional<double> Cloud::peak_time(double T, double k) const {
  if (!(T > 0) || start_s.empty()) return std::nullopt;
  double sigma = std::sqrt(std::max(variance(T), 0.0));
  double lo = std::max(0.0, T - 10 * sigma), hi = T + 10 * sigma;
  size_t centre = segment_at(T);
  size_t first = segment_at(lo), last = segment_at(hi);
  first = std::max(first, centre > kMaxSegments ? centre - kMaxSegments : 0);
  last = std::min(last, centre + kMaxSegments);

  double best_t = T, best = log_shape(T, k, T);
  auto consider = [&](double t) {
    if (!(t > 0) || !std::isfinite(t)) return;
    double g = log_shape(T, k, t);
    if (g > best) best = g, best_t = t;
  };
  for (size_t j = first; j <= last; ++j) {
    double a = rate[j], b = var_s2[j] - a * start_s[j];
    double from = std::max(start_s[j], lo);
    double to = j + 1 < start_s.size() ? std::min(start_s[j + 1], hi) : hi;
    if (from > to) continue;
    consider(from);
    consider(to);
    // d/dt log_shape = 0 on S = b + a·t, times 2S²:
    //   (2ka² + a)·t² + (4kab + a² + 2b)·t + (2kb² + ab − 2Tb − aT²) = 0
    double qa = 2 * k * a * a + a, qb = 4 * k * a * b + a * a + 2 * b,
           qc = 2 * k * b * b + a * b - 2 * T * b - a * T * T;
    if (qa == 0) {
      if (qb != 0) consider(std::clamp(-qc / qb, from, to));
      continue;
    }
    double disc = qb * qb - 4 * qa * qc;
    if (disc < 0) continue;
    double sq = std::sqrt(disc);
    // Numerically stable pair of roots.
    double q = -0.5 * (qb + std::copysign(sq, qb));
    for (double r : {q / qa, q != 0 ? qc / q : std::nan("")})
      if (r >= from && r <= to) consider(r);
  }
  return best_t;
}

}  // namespace liandong::river::internal
