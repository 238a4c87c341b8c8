#pragma once
// Demand-driven SME support: a funded partnership offers vouchers, SMEs decide whether to take one.
// Each month a partnership approaches a number of SMEs (its cluster organisations' outreach:
// sme_outreach_per_partner per partner, a Poisson count), mostly members of its partners' clusters,
// the rest (cross_regional_outreach_share) SMEs anywhere in a partner's region. An approached SME
// takes up support with probability
//   sme_take_up_rate * absorptive capacity * thematic fit * (sme_repeat_take_up_factor if another
//   partnership already supported it),
// the fit being 1 when its primary area is the partnership's focus, 0.6 when the focus is one of
// its secondary areas and 0.3 otherwise (an SME far from the theme rarely sees the point). The
// voucher it takes lies in the instrument's [voucher_min, voucher_max]: larger SMEs take larger
// vouchers. What the SMEs do not take up by the partnership's end is returned to the instrument
// (and reported): SMEs reached, cost per SME and take-up then follow from the budget, the clusters'
// reach and the SME base, not from budget x share / voucher.
#include <cstdint>

#include "behaviour/behaviour_params.hpp"
#include "core/random.hpp"
#include "core/units.hpp"
#include "policy/instrument.hpp"
#include "world/world.hpp"

namespace clusternet {

// Thematic fit of an SME with a partnership's focus area (the factors documented above).
inline constexpr double take_up_fit_primary = 1.0;
inline constexpr double take_up_fit_secondary = 0.6;
inline constexpr double take_up_fit_other = 0.3;

double thematic_fit(const World& world, OrgIndex sme, AreaIndex focus);

// Probability that an approached SME takes up a voucher.
double take_up_probability(const World& world, const BehaviourParams& params, OrgIndex sme, AreaIndex focus,
                           bool supported_before);

// The voucher an SME takes: voucher_min + (voucher_max - voucher_min) * (size position + u) / 2, where
// the size position is 0 for micro, 0.5 for small and 1 for medium SMEs and u is uniform: a medium
// SME takes the upper half of the range, a micro one the lower half. Whole euros. When the
// instrument gives no range, support_per_sme.
Cents voucher_amount(const InstrumentSpec& instrument, OrgKind kind, double u);

// Mean voucher of an instrument over the SME size classes in the world's proportions: what a
// partnership plans with (its planned SMEs = cascade pot / mean voucher, for milestones).
Cents mean_voucher(const InstrumentSpec& instrument, const World& world);

}  // namespace clusternet
