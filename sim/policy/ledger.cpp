#include "policy/ledger.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace clusternet {

Ledger::Ledger(Cents budget, double sme_cascade_share, Cents reserved_for_continuation)
    : budget_(budget), reserved_(reserved_for_continuation), cascade_share_(sme_cascade_share) {
  if (budget < 0 || reserved_for_continuation < 0 || reserved_for_continuation > budget)
    throw std::invalid_argument("Ledger: budget and reserve must satisfy 0 <= reserve <= budget");
}

Ledger open_ledger(const InstrumentSpec& instrument) {
  const Cents reserve = instrument.continuation.enabled
                            ? cents_from_eur(eur_from_cents(instrument.budget) * instrument.continuation.reserved_share)
                            : 0;
  return Ledger(instrument.budget, instrument.sme_cascade_share, std::min(reserve, instrument.budget));
}

bool Ledger::commit_award(Cents amount) {
  if (amount < 0 || amount > available_for_awards()) return false;
  committed_awards_ += amount;
  committed_ += amount;
  return true;
}

bool Ledger::commit_continuation(Cents amount) {
  if (amount < 0 || amount > available_for_continuation()) return false;
  committed_continuations_ += amount;
  committed_ += amount;
  return true;
}

void Ledger::release(Cents amount) {
  if (amount < 0 || amount > committed_ - spent_)
    throw std::logic_error("Ledger: release of " + std::to_string(amount) + " cents exceeds committed unpaid funds");
  const Cents from_awards = std::min(amount, committed_awards_);
  committed_awards_ -= from_awards;
  committed_continuations_ -= amount - from_awards;
  committed_ -= amount;
  returned_ += amount;
}

void Ledger::pay(Cents amount, bool to_smes) {
  if (amount < 0) throw std::logic_error("Ledger: negative payment");
  if (spent_ + amount > committed_)
    throw std::logic_error("Ledger: payment of " + std::to_string(amount) + " cents exceeds committed funds");
  if (!to_smes && amount > management_allowance())
    throw std::logic_error("Ledger: management payment would break the SME cascade share");
  spent_ += amount;
  if (to_smes) spent_on_smes_ += amount;
}

Cents Ledger::management_allowance() const {
  // Management m may be paid while sme >= share * (spent + m), i.e. m <= sme / share - spent.
  if (cascade_share_ <= 0.0) return committed_ - spent_;
  const long double limit =
      static_cast<long double>(spent_on_smes_) / static_cast<long double>(cascade_share_) - spent_;
  const Cents allowed = limit <= 0 ? 0 : static_cast<Cents>(std::floor(limit));
  return allowed < committed_ - spent_ ? allowed : committed_ - spent_;
}

void Ledger::check_invariants() const {
  if (committed_ > budget_) throw std::logic_error("Ledger: committed exceeds budget");
  if (spent_ > committed_) throw std::logic_error("Ledger: spent exceeds committed");
  if (spent_on_smes_ > spent_) throw std::logic_error("Ledger: SME payments exceed spending");
  if (static_cast<long double>(spent_on_smes_) + 1e-6L <
      static_cast<long double>(cascade_share_) * static_cast<long double>(spent_))
    throw std::logic_error("Ledger: SME cascade below the instrument's share of spending");
}

}  // namespace clusternet
