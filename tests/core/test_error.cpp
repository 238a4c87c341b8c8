#include <catch2/catch.hpp>

#include "core/error.hpp"

using namespace clusternet;

TEST_CASE("errors name the file, line, column, key, value and what is valid") {
  const Error e({"not an amount in EUR", {"scenarios/x.yaml", 12, 5}, "instruments.jci.budget", "\"15OM\"",
                 "150e6, 150000000, \"150M\", \"1.5B\", \"300 MEUR\""});
  const std::string text = e.what();
  CHECK(text ==
        "scenarios/x.yaml:12:5: instruments.jci.budget: not an amount in EUR (found: \"15OM\"; valid: 150e6, "
        "150000000, \"150M\", \"1.5B\", \"300 MEUR\")");
  CHECK(e.info().where.line == 12);
  CHECK(std::string(Error("plain").what()) == "plain");
  CHECK(format_error({"bad", {"f.csv", 3, 0}, "", "", ""}) == "f.csv:3: bad");
}

TEST_CASE("ErrorCollector throws nothing, one Error, or an ErrorList with every error") {
  ErrorCollector none_found;
  CHECK_NOTHROW(none_found.throw_if_any());
  ErrorCollector one;
  one.add({"first", {}, "a", "", ""});
  CHECK_THROWS_AS(one.throw_if_any(), Error);
  ErrorCollector two;
  two.add({"first", {}, "a", "", ""});
  two.add({"second", {}, "b", "", ""});
  try {
    two.throw_if_any();
    FAIL("expected ErrorList");
  } catch (const ErrorList& list) {
    CHECK(list.errors().size() == 2);
    const std::string text = list.what();
    CHECK(text.find("a: first") != std::string::npos);
    CHECK(text.find("b: second") != std::string::npos);
  }
}
