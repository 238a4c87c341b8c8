#include <catch2/catch.hpp>

#include "policy/calls.hpp"

using namespace clusternet;

TEST_CASE("calls open, close and start their projects by the calendar") {
  CallCalendar c;
  c.open_month = 2;
  c.open_months = 3;
  c.start_delay_months = 4;
  c.calls = 2;
  c.call_interval_months = 12;
  CHECK(call_deadline(c, 0) == 5);
  CHECK(call_start_month(c, 0) == 9);
  CHECK(call_deadline(c, 1) == 17);
  CHECK(call_with_deadline(c, 5) == 0);
  CHECK(call_with_deadline(c, 17) == 1);
  CHECK_FALSE(call_with_deadline(c, 6).has_value());
  CHECK(calls_open(c, 1) == 0);
  CHECK(calls_open(c, 2) == 1);
  CHECK(calls_open(c, 4) == 1);
  CHECK(calls_open(c, 5) == 0);
  CHECK(calls_open(c, 14) == 1);
}
