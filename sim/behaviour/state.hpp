#pragma once
// Mutable state of one replicate. The World is shared read-only by all replicates; whatever the
// simulation changes about an organisation lives here, copied from the world at the start.
#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "behaviour/collaborations.hpp"
#include "core/types.hpp"
#include "core/units.hpp"
#include "policy/ledger.hpp"
#include "policy/proposal.hpp"
#include "world/world.hpp"

namespace clusternet {

// A read-only CSR view of the current ties (built by the engine once per month).
struct AdjacencyView {
  std::span<const std::uint64_t> offsets;  // organisations + 1
  std::span<const OrgIndex> neighbours;    // ascending per organisation
  std::size_t degree(OrgIndex o) const { return offsets[o + 1] - offsets[o]; }
  std::span<const OrgIndex> of(OrgIndex o) const {
    return {neighbours.data() + offsets[o], neighbours.data() + offsets[o + 1]};
  }
};

// A partnership that received continuation funding keeps `continued` after it ends (the published
// figure of interest is how many were continued); the others end `completed`.
enum class PartnershipStatus : std::uint8_t { awarded = 0, active, completed, continued };

struct Partnership {
  std::uint32_t id = 0;
  InstrumentIndex instrument = 0;
  OrgIndex lead = 0;
  std::vector<OrgIndex> partners;     // organisations of eligible kinds, lead first
  std::vector<OrgIndex> associates;   // member organisations brought in by cluster partners
  std::vector<std::uint8_t> partner_participating;  // reached at least one SME or tie through the partnership
  AreaIndex focus_area = 0;
  Month start = 0;
  Month end = 0;                      // exclusive
  Cents grant = 0;
  Cents spent = 0;
  Cents spent_on_smes = 0;
  Cents cascade_pot = 0;              // the grant's share for SMEs (cascade share, rounded up)
  Cents returned = 0;                 // unspent at the end, given back to the instrument
  std::uint32_t planned_vouchers = 0; // cascade pot / the instrument's mean voucher: the milestone's yardstick
  std::uint32_t vouchers_paid = 0;
  std::uint32_t smes_supported = 0;   // distinct SMEs this partnership supported
  std::uint32_t smes_approached = 0;  // offers made to SMEs (taken up or not)
  std::vector<OrgIndex> supported;    // the SMEs it supported, ascending
  std::uint32_t collaboration = none<std::uint32_t>;  // its entry in AgentState::collaborations
  bool continuation_decided = false;
  PartnershipStatus status = PartnershipStatus::awarded;
};

struct InstrumentTotals {
  std::uint32_t proposals_submitted = 0;
  std::uint32_t proposals_eligible = 0;
  std::uint32_t partnerships_funded = 0;
  std::uint32_t continuations = 0;
  std::uint32_t exchange_visits = 0;
  std::uint32_t capacity_grants = 0;
  Cents unspent_at_calls = 0;

  // Adds a consortium call's outcome (proposals submitted and eligible, partnerships funded, budget
  // left unspent).
  void record(const AwardOutcome& outcome) {
    proposals_submitted += outcome.submitted;
    proposals_eligible += outcome.eligible;
    partnerships_funded += outcome.funded;
    unspent_at_calls += outcome.unspent;
  }
};

struct AgentState {
  // An organisation's expertise is the world's (World::orgs.expertise) until it first learns
  // (execution's learning: only SMEs given a voucher do), and from then on its entry here: a map of
  // the few that changed instead of a copy of every organisation's (16 bytes each, 0.5 GB at scale
  // 250). Changed by serial passes only.
  std::unordered_map<OrgIndex, std::array<float, knowledge_slots>> learned_expertise;
  std::array<float, knowledge_slots> expertise_of(const World& world, OrgIndex org) const;
  // The organisation's entry in learned_expertise, made from the world's expertise when it has none.
  std::array<float, knowledge_slots>& learned_expertise_of(const World& world, OrgIndex org);
  std::vector<float> reputation;             // by organisation
  std::vector<ExcellenceLabel> label;        // by cluster ordinal
  std::vector<std::uint8_t> capacity;        // by cluster ordinal
  std::vector<std::uint8_t> engaged;         // partnerships a cluster org is in now, by cluster ordinal
  std::vector<std::uint8_t> ever_in_partnership;  // by cluster ordinal
  std::vector<std::uint8_t> org_engaged;     // partnerships a partner of another kind is in now, by organisation
  std::vector<std::uint8_t> sme_supported;   // by organisation: 1 once supported by any instrument
  std::vector<std::uint8_t> sme_represented; // by organisation: member SME of a cluster org in a partnership
  std::vector<Cents> funding_by_region;      // grants attributed to regions (shared equally by partners)

  std::vector<Partnership> partnerships;
  CollaborationLog collaborations;           // every project, partnership and exchange visit started
  std::vector<Ledger> ledgers;               // by instrument
  std::vector<InstrumentTotals> totals;      // by instrument
  std::vector<Cents> mean_vouchers;          // by instrument, set on the first month of execution
  std::uint64_t smes_supported = 0;          // distinct SMEs supported so far
  std::uint64_t smes_approached = 0;         // offers of support made to SMEs so far
  std::uint64_t vouchers_taken = 0;          // offers taken up (vouchers paid) so far
  std::uint64_t smes_represented = 0;        // distinct member SMEs of cluster orgs in funded partnerships
  std::uint64_t innovations = 0;             // attributable to funded activity
  double jobs_created = 0.0;
  std::uint64_t funded_interregional_ties = 0;  // new interregional ties formed by funded activity

  static AgentState from_world(const World& world);
};

}  // namespace clusternet
