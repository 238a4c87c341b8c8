#pragma once
// Kinds of organisation and small enums shared by world, policy, behaviour and network.
#include <array>
#include <cstdint>
#include <string_view>

namespace clusternet {

enum class OrgKind : std::uint8_t { sme_micro = 0, sme_small, sme_medium, large_firm, research, cluster };
inline constexpr int org_kind_count = 6;
inline constexpr std::array<std::string_view, org_kind_count> org_kind_names = {
    "sme_micro", "sme_small", "sme_medium", "large_firm", "research", "cluster"};
inline constexpr bool is_sme(OrgKind kind) { return kind <= OrgKind::sme_medium; }

enum class CohesionCategory : std::uint8_t { less_developed = 0, transition, more_developed };
inline constexpr std::array<std::string_view, 3> cohesion_category_names = {"less_developed", "transition",
                                                                            "more_developed"};

enum class ExcellenceLabel : std::uint8_t { none = 0, bronze, silver, gold };
inline constexpr std::array<std::string_view, 4> excellence_label_names = {"none", "bronze", "silver", "gold"};

inline constexpr int thematic_area_count = 21;

}  // namespace clusternet
