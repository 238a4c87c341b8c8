#pragma once
// Index types of the simulator. Entities live in dense arrays (struct of arrays), so an entity is
// its position: a plain unsigned integer with a name that says what it indexes. `none<T>` is the
// sentinel for "no such entity" (the largest value, never a valid position).
#include <cstddef>
#include <cstdint>
#include <limits>

namespace clusternet {

using OrgIndex = std::uint32_t;          // organisation (SME, large firm, research org, cluster org)
using RegionIndex = std::uint16_t;       // NUTS-2 region in the loaded region table
using CountryIndex = std::uint8_t;       // country in the loaded region table
using AreaIndex = std::uint8_t;          // S3 thematic area (0..20 for the 21 areas)
using InstrumentIndex = std::uint16_t;   // funding instrument of the scenario
using PartnershipIndex = std::uint32_t;  // funded partnership (or proposal) of a run
using TieIndex = std::uint32_t;          // slot in the tie store
using Month = std::int32_t;              // months since the scenario's start month (0-based)

template <typename Index>
inline constexpr Index none = std::numeric_limits<Index>::max();

// The most instruments a scenario may have: the tie store keeps a tie's instrument in 16 signed
// bits (-1 for none), 2 bytes per tie; a scenario reader refuses more with an error.
inline constexpr std::size_t max_instruments = std::numeric_limits<std::int16_t>::max();

}  // namespace clusternet
