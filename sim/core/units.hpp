#pragma once
// Units. Money is integer euro cents everywhere a ledger is kept, so that sums are exact and
// independent of summation order; doubles appear only in reported ratios.
#include <cmath>
#include <cstdint>

namespace clusternet {

using Cents = std::int64_t;

inline constexpr Cents cents_per_eur = 100;

// Rounds to the nearest cent (half away from zero). Callers validate the range first: amounts up
// to about 9.2e16 EUR fit, far above any budget.
inline Cents cents_from_eur(double eur) { return static_cast<Cents>(std::llround(eur * 100.0)); }
inline double eur_from_cents(Cents cents) { return static_cast<double>(cents) / 100.0; }

inline constexpr double earth_radius_km = 6371.0088;  // IUGG mean radius

}  // namespace clusternet
