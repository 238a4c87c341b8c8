#pragma once
// A small owned YAML tree with a source location on every node (internal to sim/io).
//
// Why not keep yaml-cpp nodes: composition (extends, set, --set) merges nodes from several files,
// and every error must still name the file, line and column of the value that caused it. yaml-cpp
// marks carry no file name and nodes created in code carry no mark at all, so the loader copies
// each parsed document into this tree once and works on it from then on. Keys are kept in file
// order so that the resolved scenario reads like the files it came from.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace clusternet::io {

// Limits that keep hostile or accidental input from exhausting the machine. They are far above
// any hand-written scenario (the shipped ones are a few kB, nested 4 deep).
inline constexpr std::size_t max_scenario_bytes = 16u << 20;  // 16 MiB
inline constexpr int max_nesting_depth = 64;
inline constexpr std::size_t max_tree_nodes = 200000;  // after alias expansion
// Keys of one map: lookups and merges search a map's keys in order, so a map of 100,000 keys (a
// few MB of text) took minutes; the largest real map (world.s3_overrides) has a few hundred.
inline constexpr std::size_t max_map_entries = 4096;

struct YamlValue {
  enum class Kind { null, scalar, map, seq };
  Kind kind = Kind::null;
  std::string text;     // scalar text as written (without quotes)
  SourceLocation where; // of the value
  struct Entry;
  std::vector<Entry> entries;  // map, in file order
  std::vector<YamlValue> items;  // sequence

  bool is_map() const { return kind == Kind::map; }
  bool is_seq() const { return kind == Kind::seq; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_null() const { return kind == Kind::null; }
  const YamlValue* find(std::string_view key) const;
  YamlValue* find(std::string_view key);
  // Inserts or replaces `key`; returns the stored value.
  YamlValue& set(const std::string& key, YamlValue value, SourceLocation key_where);
  bool erase(std::string_view key);
};

struct YamlValue::Entry {
  std::string key;
  SourceLocation key_where;
  YamlValue value;
};

// A short description of a value for error messages: the scalar text, or "a map"/"a list"/"nothing".
std::string describe(const YamlValue& value);

// Reads a scenario document from `text` (named `file` in errors). Before yaml-cpp sees the text it
// is checked for size, UTF-8, control characters and nesting depth, because yaml-cpp would
// otherwise recurse once per nesting level and can exhaust the stack. Throws Error (the first
// problem: a broken document cannot be checked further) with file, line and column.
YamlValue parse_yaml_text(std::string_view text, const std::string& file);

// Reads the file at `path` (size checked before reading) and parses it as above. Throws Error.
YamlValue parse_yaml_file(const std::string& path, const std::string& display_name);

// Parses a command-line value (`--set key=VALUE`): a scalar or a flow collection such as [AT, DE].
YamlValue parse_yaml_value(std::string_view text, const SourceLocation& where);

// Emits the tree as block-style YAML that parse_yaml_text reads back to the same tree (locations aside).
std::string emit_yaml(const YamlValue& value);

}  // namespace clusternet::io
