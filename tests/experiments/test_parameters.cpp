#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "experiments/parameters.hpp"

using namespace clusternet;
using namespace clusternet::experiments;

namespace {
// The message of the clusternet::Error that `fn` throws, or "" when it does not throw one.
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a linear range maps the unit interval onto [low, high], ends exactly") {
  const ParameterRange r{"behaviour.x", 0.1, 0.7, false};
  CHECK(value_at(r, 0.0) == 0.1);
  CHECK(value_at(r, 1.0) == 0.7);
  CHECK(value_at(r, 0.5) == Approx(0.4));
  CHECK(value_at(r, 0.25) == Approx(0.25));
  // Outside [0, 1] is clamped rather than extrapolated.
  CHECK(value_at(r, -0.5) == 0.1);
  CHECK(value_at(r, 2.0) == 0.7);
}

TEST_CASE("a log-scale range is uniform in log(value)") {
  const ParameterRange r{"rate", 1e-3, 1e-1, true};
  CHECK(value_at(r, 0.0) == 1e-3);
  CHECK(value_at(r, 1.0) == 1e-1);
  CHECK(value_at(r, 0.5) == Approx(1e-2).epsilon(1e-12));  // the geometric mean
  CHECK(value_at(r, 0.25) == Approx(std::sqrt(1e-3 * 1e-2)).epsilon(1e-12));
}

TEST_CASE("to_values maps rows of unit coordinates column by column") {
  const std::vector<ParameterRange> ranges = {{"a", 0, 10}, {"b", 100, 200}};
  const PointTable t = to_values(ranges, std::vector<double>{0, 1, 0.5, 0.25});
  REQUIRE(t.point_count() == 2);
  REQUIRE(t.parameter_count() == 2);
  CHECK(t.names() == std::vector<std::string>{"a", "b"});
  CHECK(t.at(0, 0) == 0);
  CHECK(t.at(0, 1) == 200);
  CHECK(t.at(1, 0) == 5);
  CHECK(t.at(1, 1) == 125);
  CHECK(t.row(1).size() == 2);
  CHECK_THROWS_AS(to_values(ranges, std::vector<double>{0, 1, 0.5}), std::invalid_argument);
}

TEST_CASE("invalid ranges are refused with the parameter named") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(error_of([] { validate_ranges({}); }).find("at least one parameter") != std::string::npos);
  const std::vector<ParameterRange> twice = {{"a", 0, 1}, {"a", 0, 2}};
  CHECK(error_of([&] { validate_ranges(twice); }).find("a: the parameter is listed twice") !=
        std::string::npos);
  const std::vector<ParameterRange> reversed = {{"budget", 5, 1}};
  const std::string message = error_of([&] { validate_ranges(reversed); });
  CHECK(message.find("budget: ") != std::string::npos);
  CHECK(message.find("found: [5, 1]") != std::string::npos);
  CHECK(message.find("low < high") != std::string::npos);
  const std::vector<ParameterRange> empty = {{"x", 1, 1}};
  CHECK_THROWS_AS(validate_ranges(empty), Error);
  const std::vector<ParameterRange> not_finite = {{"x", 0, nan}};
  CHECK(error_of([&] { validate_ranges(not_finite); }).find("finite") != std::string::npos);
  const std::vector<ParameterRange> log_zero = {{"rate", 0, 1, true}};
  CHECK(error_of([&] { validate_ranges(log_zero); }).find("log-scale range must be positive") !=
        std::string::npos);
  const std::vector<ParameterRange> unnamed = {{"", 0, 1}};
  CHECK_THROWS_AS(validate_ranges(unnamed), Error);
  const std::vector<ParameterRange> good = {{"x", -1, 1}, {"rate", 0.01, 1, true}};
  CHECK_NOTHROW(validate_ranges(good));
}

TEST_CASE("number_text reads back as the same number") {
  CHECK(number_text(0.1) == "0.1");
  CHECK(std::stod(number_text(400e6)) == 400e6);
  CHECK(std::stod(number_text(1.0 / 3)) == 1.0 / 3);
}
