#include "io/edge_list_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include "core/error.hpp"
#include "io/csv.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet::io {

using network::NodeAttributes;
using network::unknown_attribute;

// ---- IdMap ---------------------------------------------------------------------------------------

namespace {
std::uint64_t hash_bytes(std::string_view s) {
  // 8 bytes at a time, multiply-xorshift mixing; ids are short, so this beats byte-wise FNV.
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    h = (h ^ word) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0x94D049BB133111EBull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}
constexpr std::size_t arena_chunk = std::size_t(1) << 20;
}  // namespace

IdMap::IdMap() : slots_(1024, none<std::uint32_t>) {}

std::uint64_t IdMap::probe(std::string_view id, std::uint64_t hash) const {
  const std::uint64_t mask = slots_.size() - 1;
  for (std::uint64_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const std::uint32_t index = slots_[slot];
    if (index == none<std::uint32_t> || (hashes_[index] == hash && names_[index] == id)) return slot;
  }
}

std::uint32_t IdMap::find(std::string_view id) const {
  return slots_[probe(id, hash_bytes(id))];
}

std::string_view IdMap::store(std::string_view id) {
  if (id.size() > chunk_size_ - chunk_used_) {
    chunk_size_ = std::max(arena_chunk, id.size());
    chunks_.push_back(std::make_unique<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* at = chunks_.back().get() + chunk_used_;
  std::memcpy(at, id.data(), id.size());
  chunk_used_ += id.size();
  return {at, id.size()};
}

void IdMap::grow() {
  std::vector<std::uint32_t> slots(slots_.size() * 2, none<std::uint32_t>);
  const std::uint64_t mask = slots.size() - 1;
  for (std::uint32_t index = 0; index < names_.size(); ++index) {
    std::uint64_t slot = hashes_[index] & mask;
    while (slots[slot] != none<std::uint32_t>) slot = (slot + 1) & mask;
    slots[slot] = index;
  }
  slots_ = std::move(slots);
}

std::uint32_t IdMap::insert(std::string_view id) {
  const std::uint64_t hash = hash_bytes(id);
  std::uint64_t slot = probe(id, hash);
  if (slots_[slot] != none<std::uint32_t>) return slots_[slot];
  if (names_.size() >= none<std::uint32_t> - 1) throw Error("more than 4294967294 distinct node ids");
  const auto index = static_cast<std::uint32_t>(names_.size());
  names_.push_back(store(id));
  hashes_.push_back(hash);
  slots_[slot] = index;
  if (names_.size() * 2 > slots_.size()) grow();  // load factor <= 1/2 keeps probes short
  return index;
}

// ---- CSV reading ---------------------------------------------------------------------------------

namespace {

[[noreturn]] void fail(const std::string& file, std::uint64_t line, std::string message, std::string key = {},
                       std::string found = {}, std::string valid = {}) {
  throw Error(ErrorInfo{std::move(message), SourceLocation{file, int(std::min<std::uint64_t>(line, 0x7FFFFFFF)), 0},
                        std::move(key), std::move(found), std::move(valid)});
}

// Assigns dense indices to category strings (regions, countries, areas) in first-appearance order.
template <typename Index>
Index intern(std::map<std::string, Index, std::less<>>& table, std::vector<std::string>& names, std::string_view value,
             std::size_t limit, const std::string& file, std::uint64_t line, const char* what) {
  auto it = table.find(value);
  if (it != table.end()) return it->second;
  if (names.size() >= limit)
    fail(file, line, std::string("too many distinct ") + what + " values", what, shorten_for_error(value),
         "at most " + std::to_string(limit));
  const auto index = static_cast<Index>(names.size());
  table.emplace(std::string(value), index);
  names.emplace_back(value);
  return index;
}

}  // namespace

NodeTable read_node_table_csv(const std::string& path, IdMap& ids) {
  LineReader reader(path);
  const CsvHeader header = read_csv_header(reader);
  const std::string expected = "id[,region][,country][,kind][,area][,cohesion]";
  const std::size_t c_id = header.require("id", path, expected);
  const std::size_t c_region = header.column("region"), c_country = header.column("country"),
                    c_kind = header.column("kind"), c_area = header.column("area"),
                    c_cohesion = header.column("cohesion");
  std::size_t needed = c_id;
  for (auto c : {c_region, c_country, c_kind, c_area, c_cohesion})
    if (c != CsvHeader::npos) needed = std::max(needed, c);

  NodeTable table;
  auto& a = table.attributes;
  std::map<std::string, RegionIndex, std::less<>> regions;
  std::map<std::string, CountryIndex, std::less<>> countries;
  std::map<std::string, AreaIndex, std::less<>> areas;
  std::vector<std::uint8_t> region_category;  // per region, from the node rows
  std::string_view line;
  std::vector<std::string_view> fields;
  std::string scratch;
  while (reader.next(line)) {
    if (blank_csv_line(line)) continue;
    const auto n = reader.line_number();
    split_csv_record(line, fields, scratch, path, n);
    if (fields.size() <= needed)
      fail(path, n, "expected at least " + std::to_string(needed + 1) + " fields, found " + std::to_string(fields.size()));
    const std::string_view id = fields[c_id];
    if (id.empty()) fail(path, n, "empty node id", "id");
    const std::size_t before = ids.size();
    ids.insert(id);
    if (ids.size() == before) fail(path, n, "duplicate node id", "id", shorten_for_error(id));
    if (c_region != CsvHeader::npos) {
      const auto v = fields[c_region];
      a.region.push_back(v.empty() ? none<RegionIndex>
                                   : intern(regions, table.region_names, v, none<RegionIndex>, path, n, "region"));
    }
    if (c_country != CsvHeader::npos) {
      const auto v = fields[c_country];
      a.country.push_back(v.empty() ? none<CountryIndex>
                                    : intern(countries, table.country_names, v, none<CountryIndex>, path, n, "country"));
    }
    if (c_area != CsvHeader::npos) {
      const auto v = fields[c_area];
      a.area.push_back(v.empty() ? unknown_attribute
                                 : intern(areas, table.area_names, v, unknown_attribute, path, n, "area"));
    }
    if (c_kind != CsvHeader::npos) {
      const auto v = fields[c_kind];
      std::uint8_t kind = unknown_attribute;
      if (v == "sme") kind = std::uint8_t(OrgKind::sme_small);  // SME of unknown size: pooled anyway
      for (int k = 0; k < org_kind_count; ++k)
        if (v == org_kind_names[std::size_t(k)]) kind = std::uint8_t(k);
      if (kind == unknown_attribute && !v.empty())
        fail(path, n, "unknown organisation kind", "kind", shorten_for_error(v),
             "sme, sme_micro, sme_small, sme_medium, large_firm, research, cluster or empty");
      a.kind.push_back(kind);
    }
    if (c_cohesion != CsvHeader::npos && c_region != CsvHeader::npos) {
      const auto v = fields[c_cohesion];
      std::uint8_t category = unknown_attribute;
      for (std::size_t k = 0; k < cohesion_category_names.size(); ++k)
        if (v == cohesion_category_names[k]) category = std::uint8_t(k);
      if (category == unknown_attribute && !v.empty())
        fail(path, n, "unknown cohesion category", "cohesion", shorten_for_error(v), "less_developed, transition, more_developed or empty");
      const RegionIndex r = a.region.back();
      if (r != none<RegionIndex> && category != unknown_attribute) {
        if (region_category.size() <= r) region_category.resize(std::size_t(r) + 1, unknown_attribute);
        if (region_category[r] != unknown_attribute && region_category[r] != category)
          fail(path, n, "region '" + table.region_names[r] + "' has rows with different cohesion categories", "cohesion",
               shorten_for_error(v), std::string(cohesion_category_names[region_category[r]]));
        region_category[r] = category;
      }
    }
  }
  a.region_count = static_cast<std::uint32_t>(table.region_names.size());
  if (c_cohesion != CsvHeader::npos) {
    region_category.resize(a.region_count, unknown_attribute);
    a.region_category = std::move(region_category);
  }
  return table;
}

EdgeList read_edge_list_csv(const std::string& path, IdMap& ids, bool closed_ids) {
  LineReader reader(path);
  const CsvHeader header = read_csv_header(reader);
  const std::string expected = "source,target[,weight][,renewals]";
  const std::size_t c_source = header.require("source", path, expected);
  const std::size_t c_target = header.require("target", path, expected);
  const std::size_t c_weight = header.column("weight"), c_renewals = header.column("renewals");
  std::size_t needed = std::max(c_source, c_target);
  if (c_weight != CsvHeader::npos) needed = std::max(needed, c_weight);
  if (c_renewals != CsvHeader::npos) needed = std::max(needed, c_renewals);

  EdgeList edges;
  std::string_view line;
  std::vector<std::string_view> fields;
  std::string scratch;
  auto vertex = [&](std::string_view id, std::uint64_t n, const char* column) {
    if (id.empty()) fail(path, n, std::string("empty ") + column + " id", column);
    if (!closed_ids) return ids.insert(id);
    const auto v = ids.find(id);
    if (v == none<std::uint32_t>)
      fail(path, n, "node not in the node table", column, shorten_for_error(id), "an id of the --nodes file");
    return v;
  };
  while (reader.next(line)) {
    if (blank_csv_line(line)) continue;
    const auto n = reader.line_number();
    split_csv_record(line, fields, scratch, path, n);
    if (fields.size() <= needed)
      fail(path, n, "expected at least " + std::to_string(needed + 1) + " fields, found " + std::to_string(fields.size()),
           {}, shorten_for_error(line), expected);
    edges.sources.push_back(vertex(fields[c_source], n, "source"));
    edges.targets.push_back(vertex(fields[c_target], n, "target"));
    if (c_weight != CsvHeader::npos) {
      const auto f = fields[c_weight];
      double w = 0;
      const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), w);
      if (f.empty() || ec != std::errc() || end != f.data() + f.size() || !std::isfinite(w) || w < 0 ||
          !std::isfinite(float(w)))
        fail(path, n, "weight is not a finite number >= 0", "weight", shorten_for_error(f), "a number such as 1 or 2.5");
      edges.weights.push_back(float(w));
    }
    if (c_renewals != CsvHeader::npos) {
      const auto f = fields[c_renewals];
      std::uint32_t r = 0;
      const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), r);
      if (f.empty() || ec != std::errc() || end != f.data() + f.size())
        fail(path, n, "renewals is not a non-negative integer", "renewals", shorten_for_error(f), "0, 1, 2, ...");
      edges.renewals.push_back(r);
    }
    ++edges.lines;
  }
  return edges;
}

}  // namespace clusternet::io
