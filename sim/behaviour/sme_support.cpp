#include "behaviour/sme_support.hpp"

#include <algorithm>
#include <cmath>

namespace clusternet {

double thematic_fit(const World& world, OrgIndex sme, AreaIndex focus) {
  if (world.orgs.primary_area[sme] == focus) return take_up_fit_primary;
  if ((world.orgs.secondary_areas[sme] >> focus) & 1u) return take_up_fit_secondary;
  return take_up_fit_other;
}

double take_up_probability(const World& world, const BehaviourParams& params, OrgIndex sme, AreaIndex focus,
                           bool supported_before) {
  const double p = params.sme_take_up_rate * double(world.orgs.absorptive_capacity[sme]) * thematic_fit(world, sme, focus) *
                   (supported_before ? params.sme_repeat_take_up_factor : 1.0);
  return std::clamp(p, 0.0, 1.0);
}

namespace {
double size_position(OrgKind kind) {
  switch (kind) {
    case OrgKind::sme_micro: return 0.0;
    case OrgKind::sme_small: return 0.5;
    default: return 1.0;
  }
}
}  // namespace

Cents voucher_amount(const InstrumentSpec& instrument, OrgKind kind, double u) {
  if (instrument.voucher_max <= 0) return instrument.support_per_sme;
  const double low = eur_from_cents(instrument.voucher_min), high = eur_from_cents(instrument.voucher_max);
  const double eur = low + (high - low) * 0.5 * (size_position(kind) + u);
  return cents_from_eur(std::round(eur));
}

Cents mean_voucher(const InstrumentSpec& instrument, const World& world) {
  if (instrument.voucher_max <= 0) return instrument.support_per_sme;
  double micro = 0, small = 0, medium = 0;
  for (OrgKind kind : world.orgs.kind) {
    micro += kind == OrgKind::sme_micro;
    small += kind == OrgKind::sme_small;
    medium += kind == OrgKind::sme_medium;
  }
  const double smes = micro + small + medium;
  // No SME to give a voucher to: the mean stands for planning only; support_per_sme when given,
  // else the range's midpoint (never 0 with a range).
  if (smes == 0)
    return instrument.support_per_sme > 0 ? instrument.support_per_sme
                                           : (instrument.voucher_min + instrument.voucher_max) / 2;
  // E[position + u] / 2 = (E[position] + 0.5) / 2 by class share.
  const double position = (0.0 * micro + 0.5 * small + 1.0 * medium) / smes;
  const double low = eur_from_cents(instrument.voucher_min), high = eur_from_cents(instrument.voucher_max);
  return cents_from_eur(std::round(low + (high - low) * 0.5 * (position + 0.5)));
}

}  // namespace clusternet
