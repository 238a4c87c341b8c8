#pragma once
// Internal to sim/io: row layouts of the compound tables, shared by writer and reader so that the
// two cannot disagree. String fields are variable-length UTF-8 (`const char*` in memory), which
// h5py returns as bytes and pandas/R read without custom code.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "io/h5_util.hpp"

namespace clusternet::io::layout {

struct RegionRowH5 {
  const char* nuts_id;
  const char* name;
  const char* country;
  const char* category;
  double lon, lat, population, gdp_index;
};
struct PartnershipRowH5 {
  std::uint32_t id;
  const char* instrument;
  std::uint32_t lead;
  const char* members;  // "12;45;78": organisation indices, lead first
  std::int32_t start, end;
  double grant_eur;
  std::uint32_t smes_supported;
  const char* status;
  const char* associates;  // "3;9": associated members (added with the realistic consortia)
  std::uint32_t smes_approached;
  double returned_eur;
};
struct EdgeRowH5 {
  std::uint32_t source, target;
  double weight;
  std::int32_t formed_month;
  std::int16_t origin;
  std::int32_t instrument;
  std::uint32_t collaborations;  // added with projects; files before lack it
};
struct CollaborationRowH5 {
  std::uint32_t id;
  std::int16_t origin;
  std::int32_t instrument;
  std::int32_t start, end;
  std::uint32_t size;
  const char* members;  // "12;45;78": organisation indices, lead first
  const char* roles;    // "0;1;1": role codes aligned with members
};
// Codes (kind, origin, area) are int16 in the file although they fit a byte: R's rhdf5 returns
// 8-bit integers as raw bytes, which table() and arithmetic refuse. Files written before hold
// uint8 there; HDF5 converts either to these memory types on reading.
struct NodeRowH5 {
  std::uint32_t id;
  std::int16_t kind;
  std::uint16_t region;
  std::int16_t area;
  std::int32_t degree;
  std::int32_t cluster;
  std::int16_t memberships;
};
struct SummaryRowH5 {
  std::int32_t n, month;
  double mean, std, ci95_low, ci95_high;
};

inline std::vector<h5::Field> region_fields(hid_t str) {
  return {{"nuts_id", offsetof(RegionRowH5, nuts_id), str},       {"name", offsetof(RegionRowH5, name), str},
          {"country", offsetof(RegionRowH5, country), str},       {"category", offsetof(RegionRowH5, category), str},
          {"lon", offsetof(RegionRowH5, lon), H5T_NATIVE_DOUBLE}, {"lat", offsetof(RegionRowH5, lat), H5T_NATIVE_DOUBLE},
          {"population", offsetof(RegionRowH5, population), H5T_NATIVE_DOUBLE},
          {"gdp_index", offsetof(RegionRowH5, gdp_index), H5T_NATIVE_DOUBLE}};
}
// The partnership columns every result file has (what the readers read); the writer adds
// partnership_extra_fields.
inline std::vector<h5::Field> partnership_fields(hid_t str) {
  return {{"id", offsetof(PartnershipRowH5, id), H5T_NATIVE_UINT32},
          {"instrument", offsetof(PartnershipRowH5, instrument), str},
          {"lead", offsetof(PartnershipRowH5, lead), H5T_NATIVE_UINT32},
          {"members", offsetof(PartnershipRowH5, members), str},
          {"start", offsetof(PartnershipRowH5, start), H5T_NATIVE_INT32},
          {"end", offsetof(PartnershipRowH5, end), H5T_NATIVE_INT32},
          {"grant_eur", offsetof(PartnershipRowH5, grant_eur), H5T_NATIVE_DOUBLE},
          {"smes_supported", offsetof(PartnershipRowH5, smes_supported), H5T_NATIVE_UINT32},
          {"status", offsetof(PartnershipRowH5, status), str}};
}
inline std::vector<h5::Field> partnership_written_fields(hid_t str) {
  auto fields = partnership_fields(str);
  fields.push_back({"associates", offsetof(PartnershipRowH5, associates), str});
  fields.push_back({"smes_approached", offsetof(PartnershipRowH5, smes_approached), H5T_NATIVE_UINT32});
  fields.push_back({"returned_eur", offsetof(PartnershipRowH5, returned_eur), H5T_NATIVE_DOUBLE});
  return fields;
}
inline std::vector<h5::Field> collaboration_fields(hid_t str) {
  return {{"id", offsetof(CollaborationRowH5, id), H5T_NATIVE_UINT32},
          {"origin", offsetof(CollaborationRowH5, origin), H5T_NATIVE_INT16},
          {"instrument", offsetof(CollaborationRowH5, instrument), H5T_NATIVE_INT32},
          {"start", offsetof(CollaborationRowH5, start), H5T_NATIVE_INT32},
          {"end", offsetof(CollaborationRowH5, end), H5T_NATIVE_INT32},
          {"size", offsetof(CollaborationRowH5, size), H5T_NATIVE_UINT32},
          {"members", offsetof(CollaborationRowH5, members), str},
          {"roles", offsetof(CollaborationRowH5, roles), str}};
}
inline std::vector<h5::Field> edge_fields() {
  return {{"source", offsetof(EdgeRowH5, source), H5T_NATIVE_UINT32},
          {"target", offsetof(EdgeRowH5, target), H5T_NATIVE_UINT32},
          {"weight", offsetof(EdgeRowH5, weight), H5T_NATIVE_DOUBLE},
          {"formed_month", offsetof(EdgeRowH5, formed_month), H5T_NATIVE_INT32},
          {"origin", offsetof(EdgeRowH5, origin), H5T_NATIVE_INT16},
          {"instrument", offsetof(EdgeRowH5, instrument), H5T_NATIVE_INT32}};
}
inline std::vector<h5::Field> edge_written_fields() {
  auto fields = edge_fields();
  fields.push_back({"collaborations", offsetof(EdgeRowH5, collaborations), H5T_NATIVE_UINT32});
  return fields;
}
// The columns every nodes table has; files written before isolated organisations were listed
// (no `degree` column) hold only these.
inline std::vector<h5::Field> node_fields_legacy() {
  return {{"id", offsetof(NodeRowH5, id), H5T_NATIVE_UINT32},
          {"kind", offsetof(NodeRowH5, kind), H5T_NATIVE_INT16},
          {"region", offsetof(NodeRowH5, region), H5T_NATIVE_UINT16},
          {"area", offsetof(NodeRowH5, area), H5T_NATIVE_INT16}};
}
inline std::vector<h5::Field> node_fields() {
  auto fields = node_fields_legacy();
  fields.push_back({"degree", offsetof(NodeRowH5, degree), H5T_NATIVE_INT32});
  fields.push_back({"cluster", offsetof(NodeRowH5, cluster), H5T_NATIVE_INT32});
  fields.push_back({"memberships", offsetof(NodeRowH5, memberships), H5T_NATIVE_INT16});
  return fields;
}
inline std::vector<h5::Field> summary_fields() {
  return {{"n", offsetof(SummaryRowH5, n), H5T_NATIVE_INT32},
          {"month", offsetof(SummaryRowH5, month), H5T_NATIVE_INT32},
          {"mean", offsetof(SummaryRowH5, mean), H5T_NATIVE_DOUBLE},
          {"std", offsetof(SummaryRowH5, std), H5T_NATIVE_DOUBLE},
          {"ci95_low", offsetof(SummaryRowH5, ci95_low), H5T_NATIVE_DOUBLE},
          {"ci95_high", offsetof(SummaryRowH5, ci95_high), H5T_NATIVE_DOUBLE}};
}

inline constexpr const char* origin_codes = "0 autonomous, 1 partnership, 2 exchange";
inline constexpr const char* role_codes = "0 lead, 1 partner, 2 associated";
inline constexpr const char* kind_codes = "0 sme_micro, 1 sme_small, 2 sme_medium, 3 large_firm, 4 research, 5 cluster";

}  // namespace clusternet::io::layout
