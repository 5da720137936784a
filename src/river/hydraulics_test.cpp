#include "river/hydraulics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace liandong::river {
namespace {

// Golden-section search for the maximum of a unimodal f on [lo, hi].
double argmax(const std::function<double(double)>& f, double lo, double hi) {
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = lo, b = hi;
  while (b - a > 1e-3) {
    double c = b - g * (b - a), d = a + g * (b - a);
    if (f(c) > f(d))
      b = d;
    else
      a = c;
  }
  return (a + b) / 2;
}

// M = 100 kg, A = 200 m², u = 0.5 m/s, D = 50 m²/s, x = 36 km: the centre arrives at x/u = 72,000 s
// = 20 h. a = 2D/u² = 400 s; the peak is at 2T²/(a + sqrt(a² + 4T²)) = 71,800.28 s, and is close to
// M/(A·sqrt(4πD·T)) = 100/(200·sqrt(4π·50·72000)) kg/m³ = 0.0743385 mg/L.
TEST(Ade, PeakMatchesTheClosedFormAndANumericSearch) {
  const double M = 100, A = 200, u = 0.5, D = 50, x = 36000;
  double t = ade_peak_time(u, D, 0, x);
  EXPECT_NEAR(t, 71800.278, 0.01);
  auto c = [&](double tt) { return ade_concentration(M, A, u, D, 0, x, tt); };
  EXPECT_NEAR(argmax(c, 1000, 200000), t, 0.05);
  EXPECT_NEAR(c(t), 0.0743901, 1e-7);
  EXPECT_NEAR(c(72000), 1000 * M / (A * std::sqrt(4 * M_PI * D * 72000)), 1e-12);
  EXPECT_GT(c(t), c(72000));
}

// With k = 0.5/day the peak moves earlier: c = 1 + 2ak, t = 2T²/(a + sqrt(a² + 4cT²)) = 71,635.1 s,
// and its value is 0.0491212 mg/L (about e^(−kt) = 0.661 of the undecayed value at that time).
TEST(Ade, DecayMovesThePeakEarlierAndLowersIt) {
  const double M = 100, A = 200, u = 0.5, D = 50, x = 36000, k = 0.5 / 86400;
  double t = ade_peak_time(u, D, k, x);
  EXPECT_NEAR(t, 71635.107, 0.01);
  auto c = [&](double tt) { return ade_concentration(M, A, u, D, k, x, tt); };
  EXPECT_NEAR(argmax(c, 1000, 200000), t, 0.05);
  EXPECT_NEAR(c(t), 0.0491212, 1e-7);
  EXPECT_NEAR(c(t) / ade_concentration(M, A, u, D, 0, x, t), std::exp(-k * t), 1e-12);
}

// ∫ C dx over the river = 1000·M/A (mg/L · m) at any time: the mass stays in the water.
TEST(Ade, MassIsConserved) {
  const double M = 100, A = 200, u = 0.5, D = 50, t = 36000;
  double sigma = std::sqrt(2 * D * t), centre = u * t, sum = 0, dx = 1;
  for (double x = centre - 12 * sigma; x <= centre + 12 * sigma; x += dx)
    sum += ade_concentration(M, A, u, D, 0, x, t) * dx;
  EXPECT_NEAR(sum * A / 1000, M, 1e-6 * M);
  // With decay, what remains is M·e^(−kt).
  const double k = 0.2 / 86400;
  sum = 0;
  for (double x = centre - 12 * sigma; x <= centre + 12 * sigma; x += dx)
    sum += ade_concentration(M, A, u, D, k, x, t) * dx;
  EXPECT_NEAR(sum * A / 1000, M * std::exp(-k * t), 1e-6 * M);
}

// u = 0.5 m/s, B = 100 m, h = 4 m, S = 0.0002: u* = sqrt(9.81·4·0.0002) = 0.0885889 m/s, D =
// 0.011·0.25·10000/(4·0.0885889) = 77.6056 m²/s.
TEST(Fischer, EstimatesDispersion) {
  EXPECT_NEAR(fischer_dispersion(0.5, 100, 4, 0.0002), 77.6056, 1e-4);
  EXPECT_TRUE(std::isnan(fischer_dispersion(0.5, -100, 4, 0.0002)));
  EXPECT_TRUE(std::isnan(fischer_dispersion(0.5, 100, 4, std::nan(""))));
  EXPECT_TRUE(std::isnan(fischer_dispersion(0.5, 100, 0, 0.0002)));
}

TEST(Fischer, GivenThenEstimatedThenDefault) {
  Reach r;
  r.width_m = 100;
  r.depth_m = 4;
  r.slope = 0.0002;
  EXPECT_EQ(dispersion_of(r, 0.5).source, Dispersion::Source::kFischer);
  EXPECT_NEAR(dispersion_of(r, 0.5).d_m2s, 77.6056, 1e-4);
  r.dispersion_m2s = 12;
  EXPECT_EQ(dispersion_of(r, 0.5).source, Dispersion::Source::kGiven);
  EXPECT_EQ(dispersion_of(r, 0.5).d_m2s, 12);
  r.dispersion_m2s.reset();
  r.slope.reset();
  EXPECT_EQ(dispersion_of(r, 0.5).source, Dispersion::Source::kDefault);
  EXPECT_EQ(dispersion_of(r, 0.5).d_m2s, kDefaultDispersionM2s);
}

TEST(Ade, BadArgumentsGiveNaNNotACrash) {
  EXPECT_TRUE(std::isnan(ade_peak_time(0.5, 50, 0, 0)));
  EXPECT_TRUE(std::isnan(ade_peak_time(0.5, 50, 0, -10)));
  EXPECT_TRUE(std::isnan(ade_peak_time(0, 50, 0, 100)));
  EXPECT_TRUE(std::isnan(ade_peak_time(0.5, 50, 0, INFINITY)));
  EXPECT_TRUE(std::isnan(ade_concentration(1, 0, 0.5, 50, 0, 10, 10)));
  EXPECT_EQ(ade_concentration(1, 200, 0.5, 50, 0, 10, 0), 0);
}

}  // namespace
}  // namespace liandong::river
