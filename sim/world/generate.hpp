#pragma once
// World generation: organisations placed in regions, their profiles, cluster attributes and
// memberships, from a WorldConfig, a region table and a seed. Parallel over organisations and
// byte-identical on any thread count: every draw comes from a RandomStream keyed by
// (seed, replicate 0, month 0, entity, purpose), and every count or offset is an integer prefix sum
// over fixed blocks. The rules are documented in docs/world.md.
#include <array>
#include <cstddef>
#include <cstdint>

#include "world/world.hpp"
#include "world/world_config.hpp"

namespace clusternet {

// Organisations of each kind: round(count * scale), the SME total split by the size-class shares
// (micro and small rounded, medium the remainder so the SME total is exact).
// Throws clusternet::Error for an invalid config (see validate_world_config).
std::array<std::uint64_t, org_kind_count> organisation_counts(const WorldConfig& config);

// Checks the values build_world relies on (scale, counts, shares, exponents, means, capacity,
// capabilities_per_area, S3 bounds); throws clusternet::Error naming the key, the value found and
// what is valid. sim/io validates scenarios more fully; this is the world's own guard.
void validate_world_config(const WorldConfig& config);

// Builds the world over `regions` (copied into World::regions, with S3 priorities assigned from the
// seed and config.s3_overrides), in four steps: placement of organisations in regions, their
// profiles, the cluster organisations' attributes, memberships (memberships.hpp). Throws
// clusternet::Error for an invalid config. (sim/io's load_world reads the table config names.)
World build_world(const WorldConfig& config, const RegionTable& regions, std::uint64_t seed);

// Bytes World::memory_bytes() will report for a world of this config over `regions` regions,
// computed from the counts and the expected number of memberships without building anything, so a
// scenario can be refused before it allocates. Within a few per cent of the built world (tested).
std::size_t estimate_world_bytes(const WorldConfig& config, std::size_t regions);

}  // namespace clusternet
