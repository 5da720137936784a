#include "river/hydraulics.h"

#include <cmath>

namespace liandong::river {

double fischer_dispersion(double u, double width, double depth, double slope) {
  for (double v : {u, width, depth, slope})
    if (!(std::isfinite(v) && v > 0)) return std::nan("");
  double shear = std::sqrt(kGravity * depth * slope);
  return 0.011 * u * u * width * width / (depth * shear);
}

Dispersion dispersion_of(const Reach& r, double velocity) {
  if (r.dispersion_m2s) return {*r.dispersion_m2s, Dispersion::Source::kGiven};
  if (r.width_m && r.depth_m && r.slope) {
    double d = fischer_dispersion(velocity, *r.width_m, *r.depth_m, *r.slope);
    if (std::isfinite(d) && d > 0) return {d, Dispersion::Source::kFischer};
  }
  return {kDefaultDispersionM2s, Dispersion::Source::kDefault};
}

double ade_concentration(double mass_kg, double area_m2, double u, double d, double k, double x,
                         double t) {
  if (!(area_m2 > 0 && u > 0 && d > 0 && k >= 0) || !std::isfinite(x + t + mass_kg))
    return std::nan("");
  if (t <= 0) return 0;
  double spread = 4 * d * t;
  return 1000 * mass_kg / (area_m2 * std::sqrt(M_PI * spread)) *
         std::exp(-(x - u * t) * (x - u * t) / spread - k * t);
}

double ade_peak_time(double u, double d, double k, double x) {
  if (!(u > 0 && d > 0 && k >= 0 && x > 0) || !std::isfinite(u + d + k + x)) return std::nan("");
  double a = 2 * d / (u * u), T = x / u, c = 1 + 2 * a * k;
  // Positive root of c·t² + a·t − T² = 0, written to avoid cancellation when a ≫ T.
  return 2 * T * T / (a + std::sqrt(a * a + 4 * c * T * T));
}

}  // namespace liandong::river
