#pragma once
// Readers for the files of `clusternet analyze`: an edge list `source,target[,weight][,renewals]`
// and an optional node table `id[,region][,country][,kind][,area][,cohesion]` (columns found by
// header name, in any order; extra columns ignored). Ids are arbitrary strings (RFC 4180 quoting
// allowed), mapped to dense vertex indices in order of first appearance (node table first).
//
// The CSV dialect and line reading are those of io/csv.hpp. Speed: the file is read in 4 MiB blocks
// and split in place; ids go through an open-addressing hash table whose keys live in an arena, so
// a million-line file costs tens of milliseconds.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv.hpp"
#include "network/csr_graph.hpp"
#include "network/metrics.hpp"

namespace clusternet::io {

// String id -> dense index. Keys are copied into an arena of large chunks, so the views handed out
// stay valid for the map's lifetime.
class IdMap {
 public:
  IdMap();
  // Index of `id`, inserting it with the next index when new.
  std::uint32_t insert(std::string_view id);
  // Index of `id`, or none<uint32_t>.
  std::uint32_t find(std::string_view id) const;
  std::size_t size() const { return names_.size(); }
  std::string_view name(std::uint32_t index) const { return names_[index]; }

 private:
  std::uint64_t probe(std::string_view id, std::uint64_t hash) const;  // slot of id or of an empty slot
  void grow();
  std::string_view store(std::string_view id);

  std::vector<std::string_view> names_;
  std::vector<std::uint64_t> hashes_;  // per index: its hash, so growing never rehashes strings
  std::vector<std::uint32_t> slots_;   // power of two; none<uint32_t> = empty
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t chunk_used_ = 0, chunk_size_ = 0;
};

struct NodeTable {
  network::NodeAttributes attributes;
  std::vector<std::string> region_names, country_names, area_names;  // by dense index
};

struct EdgeList {
  std::vector<network::Vertex> sources, targets;
  std::vector<float> weights;            // empty when there is no weight column
  std::vector<std::uint32_t> renewals;   // empty when there is no renewals column
  std::uint64_t lines = 0;               // data lines read
};

// Reads the node table, inserting every id into `ids` (duplicates are an error). Throws
// clusternet::Error naming the file and line for: missing file, empty file, no `id` column, a
// short row, a duplicate id, an unknown kind or cohesion category, a region whose rows disagree on
// its cohesion category, too many distinct regions/countries/areas, a line over max_csv_line_bytes.
NodeTable read_node_table_csv(const std::string& path, IdMap& ids);

// Reads the edge list. With `closed_ids` an id not already in `ids` is an error (the node table
// defines the vertices); otherwise new ids are inserted. Throws clusternet::Error naming the file
// and line for: missing file, empty file, missing source/target column, a short row, an empty id,
// a weight that is not a finite number >= 0, renewals that are not a non-negative integer, an
// unknown node, a line over max_csv_line_bytes.
EdgeList read_edge_list_csv(const std::string& path, IdMap& ids, bool closed_ids);

}  // namespace clusternet::io
