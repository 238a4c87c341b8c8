#pragma once
// A funding instrument as defined by a scenario (validated plain values; money in euro cents).
#include <string>
#include <vector>

#include "core/types.hpp"
#include "core/units.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet {

enum class InstrumentKind : std::uint8_t { consortium, exchange, capacity_building };

struct CallCalendar {
  Month open_month = 0;         // month (0-based from the scenario start) the first call opens
  Month open_months = 3;        // months a call stays open; its deadline is open_month + open_months
  Month start_delay_months = 3; // from the deadline to the start of funded projects
  int calls = 1;                // number of calls
  Month call_interval_months = 12;
};

struct ConsortiumRules {
  int min_partners = 3;   // cluster organisations, lead included
  int max_partners = 6;
  int min_countries = 2;
  std::vector<OrgKind> eligible_kinds = {OrgKind::cluster};  // kinds that may be partners
  std::vector<AreaIndex> thematic_targets;                    // empty: all 21 areas
  int associated_members_per_partner = 2;  // member organisations brought in by each partner
};

struct EvaluationWeights {
  double excellence = 1.0;
  double thematic_fit = 1.0;
  double s3_alignment = 1.0;
  double interregional = 1.0;
  double cross_sectoral = 0.5;
  double cohesion = 0.5;       // bonus for partners from less developed regions
  double evaluator_noise = 0.1;  // standard deviation of the noise added to the normalised score
  double threshold = 0.0;        // minimum score to be fundable
};

struct ContinuationRule {
  bool enabled = false;
  Month milestone_month = 18;        // months after a partnership's start
  double sme_target = 0.5;           // share of planned SMEs supported by the milestone
  double participation_target = 0.8; // share of partners still active
  double reserved_share = 0.0;       // share of the instrument's budget kept for continuations
  double grant_share = 0.5;          // continuation grant as a share of the original grant
  Month extension_months = 12;
};

struct InstrumentSpec {
  std::string name;
  std::string description;
  InstrumentKind kind = InstrumentKind::consortium;
  Cents budget = 0;
  CallCalendar calendar;
  Cents grant_min = 0;  // per project (consortium), per cluster (capacity building)
  Cents grant_max = 0;
  ConsortiumRules rules;
  double sme_cascade_share = 0.0;   // share of each grant that must reach SMEs as vouchers
  Cents support_per_sme = 0;        // voucher size (the mean a partnership plans with, without a range)
  // Range of voucher sizes (demand-driven support: an SME's voucher lies in it, larger SMEs taking
  // larger ones); both 0: every voucher is support_per_sme.
  Cents voucher_min = 0;
  Cents voucher_max = 0;
  Month duration_months = 24;
  EvaluationWeights evaluation;
  ContinuationRule continuation;
  // Exchange schemes: lump sum per visit (at most 1,100 EUR for ClusterXchange) and visits funded
  // per month while budget lasts.
  Cents lump_sum_per_visit = 0;
  double visits_per_month = 0.0;
  // Capacity building: rise in excellence (labels) and partnership capacity of a funded cluster org.
  int excellence_gain = 1;
  int capacity_gain = 1;
};

// Entity id of an (instrument, organisation or partnership) pair in random-number keys: the
// instrument in the high bits, so two instruments never share a stream for the same organisation.
inline std::uint64_t instrument_entity(InstrumentIndex instrument, std::uint64_t id) {
  return (std::uint64_t(instrument) << 40) | id;
}

}  // namespace clusternet
