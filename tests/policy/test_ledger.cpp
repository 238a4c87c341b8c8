#include <catch2/catch.hpp>

#include <stdexcept>

#include "policy/ledger.hpp"

using namespace clusternet;

TEST_CASE("the ledger never commits beyond the budget, nor pays beyond commitments") {
  Ledger ledger(cents_from_eur(1000), 0.0, 0);
  CHECK(ledger.commit_award(cents_from_eur(600)));
  CHECK_FALSE(ledger.commit_award(cents_from_eur(500)));  // would exceed the budget
  CHECK(ledger.committed() == cents_from_eur(600));
  CHECK(ledger.commit_award(cents_from_eur(400)));
  CHECK(ledger.available_for_awards() == 0);
  ledger.pay(cents_from_eur(1000), false);
  CHECK_THROWS_AS(ledger.pay(1, false), std::logic_error);
  CHECK_NOTHROW(ledger.check_invariants());
}

TEST_CASE("the continuation reserve is kept apart from awards") {
  Ledger ledger(cents_from_eur(1000), 0.0, cents_from_eur(200));
  CHECK(ledger.available_for_awards() == cents_from_eur(800));
  CHECK_FALSE(ledger.commit_award(cents_from_eur(900)));
  CHECK(ledger.commit_award(cents_from_eur(800)));
  CHECK(ledger.commit_continuation(cents_from_eur(150)));
  CHECK_FALSE(ledger.commit_continuation(cents_from_eur(100)));
  CHECK(ledger.committed() == cents_from_eur(950));
}

TEST_CASE("management is paid only as far as the SME cascade share allows") {
  Ledger ledger(cents_from_eur(1000), 0.75, 0);
  REQUIRE(ledger.commit_award(cents_from_eur(1000)));
  CHECK(ledger.management_allowance() == 0);  // nothing reached SMEs yet
  CHECK_THROWS_AS(ledger.pay(1, false), std::logic_error);
  ledger.pay(cents_from_eur(75), true);
  // 75 EUR to SMEs allows 25 EUR of management: 75 >= 0.75 * (75 + 25).
  CHECK(ledger.management_allowance() == cents_from_eur(25));
  ledger.pay(cents_from_eur(25), false);
  CHECK(ledger.management_allowance() == 0);
  CHECK_NOTHROW(ledger.check_invariants());
  CHECK(ledger.spent_on_smes() * 4 >= ledger.spent() * 3);
}
