#include <catch2/catch.hpp>

#include <algorithm>

#include "behaviour/state.hpp"
#include "engine/tiny_world.hpp"

using namespace clusternet;

TEST_CASE("An organisation's expertise is the world's until it learns, and its own entry after") {
  const World world = testing::make_tiny_world(testing::six_regions(), {40, 10, 5, 3, 4, 2});
  AgentState state = AgentState::from_world(world);
  REQUIRE(state.learned_expertise.empty());
  for (OrgIndex o = 0; o < world.orgs.size(); ++o) {
    const auto levels = state.expertise_of(world, o);
    REQUIRE(std::equal(levels.begin(), levels.end(), world.orgs.expertise.begin() + std::ptrdiff_t(o) * knowledge_slots));
  }
  const OrgIndex learner = 3, other = 7;
  auto& own = state.learned_expertise_of(world, learner);
  REQUIRE(std::equal(own.begin(), own.end(), world.orgs.expertise.begin() + std::ptrdiff_t(learner) * knowledge_slots));
  const float before = world.orgs.expertise[std::size_t(learner) * knowledge_slots];
  own[0] = before + 1.5f;
  CHECK(state.expertise_of(world, learner)[0] == before + 1.5f);
  CHECK(world.orgs.expertise[std::size_t(learner) * knowledge_slots] == before);  // the world is untouched
  // A second call finds the entry instead of starting it again from the world.
  CHECK(state.learned_expertise_of(world, learner)[0] == before + 1.5f);
  CHECK(state.learned_expertise.size() == 1);
  const auto untouched = state.expertise_of(world, other);
  CHECK(std::equal(untouched.begin(), untouched.end(), world.orgs.expertise.begin() + std::ptrdiff_t(other) * knowledge_slots));
}
