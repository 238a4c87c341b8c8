#pragma once
// Readers for the files of `clusternet analyze`: an edge list and an optional node table
// `id[,region][,country][,kind][,area][,cohesion]` (columns found by header name, in any order;
// extra columns ignored). Ids are arbitrary UTF-8 strings without control characters (RFC 4180
// quoting allowed), mapped to dense vertex indices in order of first appearance (node table first).
//
// Edge lists are read as people have them: separated by commas, tabs, semicolons or runs of
// whitespace (detected from the first lines, or given), with or without a header line (detected,
// or given), the source, target and weight columns named or given by 1-based position. Lines
// starting with '#' or '%' before the first record are comments (SNAP and KONECT files start so).
// Quoting, padding and line endings follow io/csv.hpp whatever the delimiter.
//
// Speed: the file is read in 4 MiB blocks and split in place; ids go through an open-addressing
// hash table whose keys live in an arena, so a million-line file costs tens of milliseconds.
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

// Field separator: detected from the first lines (tab, then semicolon, then comma when one of
// them splits every line into the same number of fields; runs of whitespace when none occurs), or
// given.
enum class Delimiter : char { detect = 0, comma = ',', tab = '\t', semicolon = ';', whitespace = ' ' };
// "comma"/",", "tab", "semicolon"/";", "whitespace"/"space" or "auto"; throws Error for anything else.
Delimiter parse_delimiter(const std::string& text);
std::string delimiter_name(Delimiter d);

enum class HeaderMode { detect, present, absent };

struct EdgeListOptions {
  Delimiter delimiter = Delimiter::detect;
  // detect: the first record is a header when it holds a column name asked for (by default
  // "source", "target" or "weight"), or when a field of it is text where the records below hold
  // numbers (e.g. "from,to" over "1,2").
  HeaderMode header = HeaderMode::detect;
  // A column name, or a 1-based position (digits only). Without a header only positions work;
  // the defaults then mean columns 1 and 2. `weight` empty: the column called "weight" if the
  // header has one, else no weights (every tie weighs 1).
  std::string source = "source", target = "target", weight;
};

// How a file was read, to be shown to the user (detection can be wrong; they should see it).
struct TableFormat {
  Delimiter delimiter = Delimiter::comma;
  std::uint64_t header_line = 0;  // 0: no header
  std::string source, target, weight, renewals;  // "column 2 'to'", empty when absent
};

struct EdgeList {
  std::vector<network::Vertex> sources, targets;
  std::vector<double> weights;           // empty when there is no weight column (the graph keeps doubles)
  std::vector<std::uint32_t> renewals;   // empty when there is no renewals column
  std::uint64_t lines = 0;               // data lines read
  TableFormat format;
};

// Reads the node table (a header is required; the delimiter is detected unless given), inserting
// every id into `ids` (duplicates are an error). Throws clusternet::Error naming the file and line
// (and field) for: missing file, empty file, no `id` column, a short row, an empty or duplicate id,
// text that is not UTF-8 or holds a control character, an unknown kind or cohesion category, a
// numeric area outside 0-20, a region whose rows disagree on its cohesion category, too many
// distinct regions/countries/areas, a line over max_csv_line_bytes.
NodeTable read_node_table_csv(const std::string& path, IdMap& ids, Delimiter delimiter = Delimiter::detect);

// Reads the edge list. With `closed_ids` an id not already in `ids` is an error (the node table
// defines the vertices); otherwise new ids are inserted. Throws clusternet::Error naming the file
// and line for: missing file, empty file, a column that is not there, a short row, an empty id, an
// id that is not UTF-8 or holds a control character, a weight that is not a finite number >= 0,
// renewals that are not a non-negative integer, an unknown node, a line over
// max_csv_line_bytes.
EdgeList read_edge_list_csv(const std::string& path, IdMap& ids, bool closed_ids, const EdgeListOptions& options = {});

}  // namespace clusternet::io
