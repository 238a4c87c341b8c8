#pragma once
// The funding ledger of one instrument, in integer euro cents so that every sum is exact and the
// invariants below can be checked with == and <=, not with tolerances:
//   committed <= budget, spent <= committed (money returned unspent is no longer committed), and for consortium grants the money paid to SMEs is at
//   least the instrument's cascade share of what was spent (checked on every payment).
// A payment that would break an invariant throws std::logic_error: that is a bug in the model, never
// a consequence of input.
#include <cstdint>

#include "core/units.hpp"
#include "policy/instrument.hpp"

namespace clusternet {

class Ledger {
 public:
  Ledger() = default;
  Ledger(Cents budget, double sme_cascade_share, Cents reserved_for_continuation);

  Cents budget() const { return budget_; }
  Cents committed() const { return committed_; }
  Cents spent() const { return spent_; }
  Cents spent_on_smes() const { return spent_on_smes_; }
  Cents reserved() const { return reserved_; }
  // Budget that new awards may still commit (the continuation reserve is kept apart).
  Cents available_for_awards() const { return budget_ - reserved_ - committed_awards_; }
  // Reserve still available for continuation grants.
  Cents available_for_continuation() const { return reserved_ - committed_continuations_; }

  // Commits a new award / continuation grant; false (and nothing changes) if it does not fit.
  bool commit_award(Cents amount);
  bool commit_continuation(Cents amount);
  // Returns money committed but never paid (a finished partnership whose SMEs did not take up all
  // its support): it is no longer committed and new awards may use it again (from the awards'
  // commitments first, then the continuations'). Throws std::logic_error for a negative amount or
  // more than is committed and unpaid.
  void release(Cents amount);
  Cents returned() const { return returned_; }
  // Records a payment. `to_smes` says whether it reaches SMEs (vouchers, exchange lump sums paid to
  // members count as direct support) or pays management.
  void pay(Cents amount, bool to_smes);
  // Largest management payment allowed now without breaking the cascade invariant.
  Cents management_allowance() const;
  // Throws std::logic_error if any invariant is broken (used by tests after every month).
  void check_invariants() const;

 private:
  Cents budget_ = 0;
  Cents reserved_ = 0;
  Cents committed_ = 0;
  Cents committed_awards_ = 0;
  Cents committed_continuations_ = 0;
  Cents spent_ = 0;
  Cents spent_on_smes_ = 0;
  Cents returned_ = 0;
  double cascade_share_ = 0.0;
};

// The ledger an instrument starts a run with: its budget, its cascade share, and, when the
// instrument has a continuation rule, the share of the budget reserved for continuation grants
// (rounded to the cent, never above the budget). New awards can never touch the reserve.
Ledger open_ledger(const InstrumentSpec& instrument);

}  // namespace clusternet
