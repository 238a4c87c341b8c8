#include "world/world.hpp"

namespace clusternet {

// The 21 thematic areas of the S3 platform on industrial modernisation, in the order of
// eu_cluster_programme_facts.yaml (source S2); an area's id is its position here.
const std::array<std::string_view, thematic_area_count> thematic_area_names = {
    "Advanced manufacturing",
    "3D Printing",
    "Non-food biomass",
    "Sport",
    "Nano-Enabled Products",
    "Hydrogen Valleys",
    "Digitalisation & Safety for Tourism",
    "Personalised medicine",
    "Social Economy",
    "Mining Industry",
    "European Cyber Valleys",
    "Artificial intelligence & Human machine",
    "Chemicals",
    "Advanced materials on batteries",
    "SMEs to Industry 4.0",
    "Textile Innovation",
    "Water Smart Technologies",
    "Medical Technology",
    "Efficient & Sustainable Manufacturing",
    "Photonics",
    "Safe & sustainable mobility",
};

}  // namespace clusternet
