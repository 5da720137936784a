// Hydraulic formulas for pollutant transport in a river (docs/RIVER.md gives their derivation and
// references). Pure functions of their arguments; thread-safe. Units: metres, seconds, kg, m²/s;
// concentrations in mg/L (1 kg/m³ = 1000 mg/L). Callers pass finite positive values where a
// parameter says so; the functions return NaN (never throw) when they do not.
#pragma once

#include <optional>
#include <string>

#include "river/network.h"

namespace liandong::river {

inline constexpr double kGravity = 9.81;  // m/s²
// Used when a reach gives no dispersion coefficient and its width, depth and slope are not all
// known: a middling value (those measured in rivers range from a few to over a thousand m²/s).
inline constexpr double kDefaultDispersionM2s = 50.0;

// Fischer's estimate of the longitudinal dispersion coefficient (Fischer 1975; Fischer et al.
// 1979, ch. 5):
//   D = 0.011 · u² · B² / (h · u*),   u* = sqrt(g · h · S)
// u mean velocity (m/s), B width (m), h depth (m), S slope (m/m). NaN when an input is not > 0.
double fischer_dispersion(double u, double width, double depth, double slope);

struct Dispersion {
  double d_m2s = kDefaultDispersionM2s;
  enum class Source { kGiven, kFischer, kDefault } source = Source::kDefault;
};
// The reach's dispersion: its own dispersion_m2s, else Fischer's estimate (width, depth and slope
// known), else kDefaultDispersionM2s. `velocity` is the reach's mean velocity.
Dispersion dispersion_of(const Reach& r, double velocity);

// The one-dimensional advection–dispersion solution for an instantaneous release of M kg over
// cross-section A (m²) at x = 0, t = 0, in a uniform reach (velocity u, dispersion D, first-order
// decay k per second), in mg/L:
//   C(x, t) = 1000 · M / (A · sqrt(4πDt)) · exp(−(x − ut)² / (4Dt)) · exp(−kt)
// 0 for t <= 0.
double ade_concentration(double mass_kg, double area_m2, double u, double d, double k_per_s,
                         double x, double t);

// The time (s) at which ade_concentration at x > 0 is greatest: the positive root of
//   (1 + 2ak)·t² + a·t − T² = 0,  a = 2D/u², T = x/u
// (setting d ln C / dt = 0). Slightly before x/u; NaN when x <= 0.
double ade_peak_time(double u, double d, double k_per_s, double x);

}  // namespace liandong::river
