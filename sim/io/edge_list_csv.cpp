#include "io/edge_list_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fmt/format.h>
#include <map>

#include "core/error.hpp"
#include "core/utf8.hpp"
#include "io/csv.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet::io {

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

// ---- reading delimited text ----------------------------------------------------------------------

namespace {

[[noreturn]] void fail(const std::string& file, std::uint64_t line, std::size_t field, std::string message,
                       std::string key = {}, std::string found = {}, std::string valid = {}) {
  throw Error(ErrorInfo{std::move(message),
                        SourceLocation{file, int(std::min<std::uint64_t>(line, 0x7FFFFFFF)), int(std::min<std::size_t>(field, 0x7FFFFFFF))},
                        std::move(key), std::move(found), std::move(valid)});
}

// `text` as it can be shown in a message: invalid UTF-8 replaced, control characters as \xNN.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : utf8_sanitized(shorten_for_error(text))) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) out += fmt::format("\\x{:02X}", static_cast<unsigned>(u));
    else out += c;
  }
  return out;
}

// Text that becomes an id or a label must be UTF-8 without control characters: it is printed,
// written as JSON and CSV, and a NUL or a stray Latin-1 byte would corrupt all of them.
void check_text(std::string_view text, const std::string& file, std::uint64_t line, std::size_t field,
                const char* what) {
  const std::size_t bad = invalid_utf8_offset(text);
  if (bad != utf8_valid)
    fail(file, line, field,
         fmt::format("not valid UTF-8 (byte 0x{:02X} at position {})",
                     static_cast<unsigned>(static_cast<unsigned char>(text[bad])), bad + 1),
         what, printable(text),
         "UTF-8 text; convert the file first, e.g. iconv -f latin1 -t utf-8 FILE");
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F)
      fail(file, line, field,
           fmt::format("a control character (byte 0x{:02X} at position {})", static_cast<unsigned>(c), i + 1), what,
           printable(text), "printable text without control characters or NUL bytes");
  }
}

bool parse_number(std::string_view text, double& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// A weight as spreadsheets write it: in semicolon-separated files (the export format of
// spreadsheets in locales with a decimal comma) "1,5" is 1.5; a field with a point as well is
// left alone (1.234,5 could be a thousands separator or a typo).
bool parse_weight(std::string_view text, Delimiter delimiter, double& value) {
  if (parse_number(text, value)) return true;
  if (delimiter != Delimiter::semicolon || std::count(text.begin(), text.end(), ',') != 1 ||
      text.find('.') != std::string_view::npos)
    return false;
  std::string point(text);
  point[point.find(',')] = '.';
  return parse_number(point, value);
}

std::size_t count_outside_quotes(std::string_view line, char delimiter) {
  std::size_t count = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (!quoted && c == delimiter) ++count;
  }
  return count;
}

// Records of a delimited file, with the first few buffered so that the delimiter and a header can
// be detected before anything is parsed. Blank lines are skipped everywhere; lines starting with
// '#' or '%' only before the first record (comments of SNAP and KONECT files); a byte-order mark
// on line 1 is dropped.
class DelimitedReader {
 public:
  static constexpr std::size_t preview_lines = 20;

  DelimitedReader(const std::string& path, Delimiter delimiter) : path_(path), reader_(path) {
    std::string_view line;
    while (pending_.size() < preview_lines && reader_.next(line)) {
      if (reader_.line_number() == 1 && line.size() >= 3 && std::memcmp(line.data(), "\xEF\xBB\xBF", 3) == 0)
        line.remove_prefix(3);
      if (blank_csv_line(line)) continue;
      if (pending_.empty() && (line.front() == '#' || line.front() == '%')) continue;
      // NOLINTNEXTLINE(modernize-use-emplace): an aggregate; clang 14 lacks parenthesised aggregate init
      pending_.push_back({std::string(line), reader_.line_number()});
    }
    delimiter_ = delimiter == Delimiter::detect ? detect() : delimiter;
  }

  Delimiter delimiter() const { return delimiter_; }
  bool empty() const { return pending_.empty(); }

  // The buffered records, split (copies: they outlive next()), with their line numbers.
  std::vector<std::pair<std::vector<std::string>, std::uint64_t>> preview() const {
    std::vector<std::pair<std::vector<std::string>, std::uint64_t>> out;
    std::vector<std::string_view> fields;
    std::string scratch;
    for (const auto& [text, line] : pending_) {
      split_delimited_record(text, char(delimiter_), fields, scratch, path_, line);
      out.emplace_back(std::vector<std::string>(fields.begin(), fields.end()), line);
    }
    return out;
  }

  // The next record; its fields stay valid until the following call.
  bool next(std::vector<std::string_view>& fields, std::uint64_t& line) {
    if (!pending_.empty()) {
      current_ = std::move(pending_.front().first);
      line = pending_.front().second;
      pending_.pop_front();
      split_delimited_record(current_, char(delimiter_), fields, scratch_, path_, line);
      return true;
    }
    std::string_view text;
    while (reader_.next(text)) {
      if (blank_csv_line(text)) continue;
      line = reader_.line_number();
      split_delimited_record(text, char(delimiter_), fields, scratch_, path_, line);
      return true;
    }
    return false;
  }

 private:
  // Tab, then semicolon, then comma: the first that splits every buffered line into the same
  // number (> 0) of pieces; failing that, the first that occurs on every line; failing that, runs
  // of whitespace when a line has any (e.g. "1 2"), else comma (a one-column file, refused later).
  Delimiter detect() const {
    static constexpr char candidates[] = {'\t', ';', ','};
    for (bool same_count : {true, false})
      for (char d : candidates) {
        bool ok = !pending_.empty();
        const std::size_t first = ok ? count_outside_quotes(pending_.front().first, d) : 0;
        for (const auto& [text, line] : pending_) {
          const std::size_t n = count_outside_quotes(text, d);
          if (n == 0 || (same_count && n != first)) ok = false;
        }
        if (ok) return Delimiter(d);
      }
    for (const auto& [text, line] : pending_)
      if (count_outside_quotes(text, ' ') > 0) return Delimiter::whitespace;
    return Delimiter::comma;
  }

  std::string path_;
  LineReader reader_;
  Delimiter delimiter_ = Delimiter::comma;
  std::deque<std::pair<std::string, std::uint64_t>> pending_;
  std::string current_, scratch_;
};

// Assigns dense indices to category strings (regions, countries, areas) in first-appearance order.
template <typename Index>
Index intern(std::map<std::string, Index, std::less<>>& table, std::vector<std::string>& names, std::string_view value,
             std::size_t limit, const std::string& file, std::uint64_t line, std::size_t field, const char* what) {
  auto it = table.find(value);
  if (it != table.end()) return it->second;
  if (names.size() >= limit)
    fail(file, line, field, std::string("too many distinct ") + what + " values", what, shorten_for_error(value),
         "at most " + std::to_string(limit));
  const auto index = static_cast<Index>(names.size());
  table.emplace(std::string(value), index);
  names.emplace_back(value);
  return index;
}

// A column asked for on the command line: a 1-based position (digits only) or a header name.
struct ColumnSpec {
  std::string text;
  std::size_t position = 0;  // 1-based; 0 = by name
};
ColumnSpec parse_spec(const std::string& text, const char* option) {
  ColumnSpec spec{text, 0};
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::size_t position = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), position);
    if (ec != std::errc() || end != text.data() + text.size() || position == 0 || position > 100000)
      throw Error(ErrorInfo{"not a column position", {}, option, text, "a 1-based column number (1 to 100000) or a header name"});
    spec.position = position;
  }
  return spec;
}

constexpr std::size_t no_column = static_cast<std::size_t>(-1);

using PreviewRecords = std::vector<std::pair<std::vector<std::string>, std::uint64_t>>;

// Whether the first record names the columns. Detected when the options name columns (not by
// position, not the defaults), when the first record holds a column asked for or "weight", or
// when text stands over numbers ("from,to" above "1,2").
bool first_record_is_header(HeaderMode mode, const PreviewRecords& preview, const ColumnSpec& source,
                            const ColumnSpec& target, bool user_names, Delimiter delimiter) {
  if (mode == HeaderMode::present) return true;
  if (mode != HeaderMode::detect) return false;
  const auto& first = preview.front().first;
  const auto in_first = [&](const std::string& name) {
    return std::find(first.begin(), first.end(), name) != first.end();
  };
  bool header = user_names || (source.position == 0 && in_first(source.text)) ||
                (target.position == 0 && in_first(target.text)) || in_first("weight");
  for (std::size_t p = 0; !header && p < first.size() && preview.size() > 1; ++p) {
    double x = 0;
    if (parse_weight(first[p], delimiter, x)) continue;
    bool numbers_below = true;
    for (std::size_t r = 1; r < preview.size(); ++r)
      if (p >= preview[r].first.size() || !parse_weight(preview[r].first[p], delimiter, x))
        numbers_below = false;
    header = numbers_below;
  }
  return header;
}

double read_weight(std::string_view f, Delimiter delimiter, const std::string& path, std::uint64_t line,
                   std::size_t column) {
  double w = 0;
  const std::string shown = printable(f);
  const char* valid = "a finite number >= 0 such as 1, 2.5 or 1e-300 (at most 1.8e308)";
  if (!parse_weight(f, delimiter, w)) {
    double ignored = 0;  // from_chars reports 1e400 as out of range, not as text
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), ignored);
    if (ec == std::errc::result_out_of_range && end == f.data() + f.size())
      fail(path, line, column + 1, "weight is beyond the range of a double", "weight", shown, valid);
    fail(path, line, column + 1, "weight is not a number", "weight", shown, valid);
  }
  if (std::isnan(w)) fail(path, line, column + 1, "weight is not a number", "weight", shown, valid);
  if (!std::isfinite(w)) fail(path, line, column + 1, "weight is not finite", "weight", shown, valid);
  if (w < 0) fail(path, line, column + 1, "weight is negative", "weight", shown, valid);
  return w;
}

std::uint32_t read_renewals(std::string_view f, const std::string& path, std::uint64_t line,
                            std::size_t column) {
  std::uint32_t r = 0;
  const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), r);
  if (f.empty() || ec != std::errc() || end != f.data() + f.size())
    fail(path, line, column + 1, "renewals is not a non-negative integer", "renewals", printable(f),
         "0, 1, 2, ... (at most 4294967295)");
  return r;
}

}  // namespace

Delimiter parse_delimiter(const std::string& text) {
  if (text == "auto" || text.empty()) return Delimiter::detect;
  if (text == "comma" || text == ",") return Delimiter::comma;
  if (text == "tab" || text == "\t" || text == "\\t") return Delimiter::tab;
  if (text == "semicolon" || text == ";") return Delimiter::semicolon;
  if (text == "whitespace" || text == "space" || text == " ") return Delimiter::whitespace;
  throw Error(ErrorInfo{"unknown delimiter", {}, "--delimiter", text, "auto, comma, tab, semicolon or whitespace"});
}

std::string delimiter_name(Delimiter d) {
  switch (d) {
    case Delimiter::comma: return "comma";
    case Delimiter::tab: return "tab";
    case Delimiter::semicolon: return "semicolon";
    case Delimiter::whitespace: return "whitespace";
    case Delimiter::detect: break;
  }
  return "auto";
}

NodeTable read_node_table_csv(const std::string& path, IdMap& ids, Delimiter delimiter) {
  DelimitedReader reader(path, delimiter);
  const std::string expected = "id[,region][,country][,kind][,area][,cohesion]";
  std::vector<std::string_view> fields;
  std::uint64_t n = 0;
  if (!reader.next(fields, n)) fail(path, 1, 0, "empty file: expected a header line", {}, {}, expected);
  CsvHeader header;
  header.line = n;
  header.file_name = path;
  for (auto f : fields) header.names.emplace_back(f);
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
  while (reader.next(fields, n)) {
    if (fields.size() <= needed)
      fail(path, n, 0, "expected at least " + std::to_string(needed + 1) + " fields, found " + std::to_string(fields.size()),
           {}, {}, header.joined());
    const std::string_view id = fields[c_id];
    if (id.empty()) fail(path, n, c_id + 1, "empty node id", "id");
    check_text(id, path, n, c_id + 1, "id");
    const std::size_t before = ids.size();
    ids.insert(id);
    if (ids.size() == before) fail(path, n, c_id + 1, "duplicate node id", "id", shorten_for_error(id));
    if (c_region != CsvHeader::npos) {
      const auto v = fields[c_region];
      check_text(v, path, n, c_region + 1, "region");
      a.region.push_back(v.empty() ? none<RegionIndex>
                                   : intern(regions, table.region_names, v, none<RegionIndex>, path, n, c_region + 1, "region"));
    }
    if (c_country != CsvHeader::npos) {
      const auto v = fields[c_country];
      check_text(v, path, n, c_country + 1, "country");
      a.country.push_back(v.empty() ? none<CountryIndex>
                                    : intern(countries, table.country_names, v, none<CountryIndex>, path, n,
                                             c_country + 1, "country"));
    }
    if (c_area != CsvHeader::npos) {
      const auto v = fields[c_area];
      check_text(v, path, n, c_area + 1, "area");
      // A number is the model's S3 thematic area (0-20, as `export` writes it); other sector
      // labels (e.g. NACE codes) are text. "21", "-1" or "NaN" are then mistakes, not labels.
      double number = 0;
      std::string label(v);
      if (parse_number(v, number)) {
        if (!(number >= 0 && number <= 20 && number == std::floor(number)))
          fail(path, n, c_area + 1, "a number outside the S3 thematic areas", "area", printable(v),
               "an integer 0 to 20 (the model's thematic areas, as `clusternet export` writes them), a text label such "
               "as a sector code, or empty");
        label = std::to_string(static_cast<int>(number));  // "03" and "3" are one area
      }
      a.area.push_back(v.empty() ? unknown_attribute
                                 : intern(areas, table.area_names, label, unknown_attribute, path, n, c_area + 1, "area"));
    }
    if (c_kind != CsvHeader::npos) {
      const auto v = fields[c_kind];
      std::uint8_t kind = unknown_attribute;
      if (v == "sme") kind = std::uint8_t(OrgKind::sme_small);  // SME of unknown size: pooled anyway
      for (int k = 0; k < org_kind_count; ++k)
        if (v == org_kind_names[std::size_t(k)]) kind = std::uint8_t(k);
      if (kind == unknown_attribute && !v.empty())
        fail(path, n, c_kind + 1, "unknown organisation kind", "kind", printable(v),
             "sme, sme_micro, sme_small, sme_medium, large_firm, research, cluster or empty");
      a.kind.push_back(kind);
    }
    if (c_cohesion != CsvHeader::npos && c_region != CsvHeader::npos) {
      const auto v = fields[c_cohesion];
      std::uint8_t category = unknown_attribute;
      for (std::size_t k = 0; k < cohesion_category_names.size(); ++k)
        if (v == cohesion_category_names[k]) category = std::uint8_t(k);
      if (category == unknown_attribute && !v.empty())
        fail(path, n, c_cohesion + 1, "unknown cohesion category", "cohesion", printable(v),
             "less_developed, transition, more_developed or empty");
      const RegionIndex r = a.region.back();
      if (r != none<RegionIndex> && category != unknown_attribute) {
        if (region_category.size() <= r) region_category.resize(std::size_t(r) + 1, unknown_attribute);
        if (region_category[r] != unknown_attribute && region_category[r] != category)
          fail(path, n, c_cohesion + 1, "region '" + table.region_names[r] + "' has rows with different cohesion categories",
               "cohesion", shorten_for_error(v), std::string(cohesion_category_names[region_category[r]]));
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

EdgeList read_edge_list_csv(const std::string& path, IdMap& ids, bool closed_ids, const EdgeListOptions& options) {
  DelimitedReader reader(path, options.delimiter);
  if (reader.empty()) fail(path, 1, 0, "empty file: expected a header line or edges");
  const auto preview = reader.preview();
  const ColumnSpec source = parse_spec(options.source, "--source"), target = parse_spec(options.target, "--target"),
                   weight = parse_spec(options.weight, "--weight");
  const bool default_names = options.source == "source" && options.target == "target";
  const bool user_names = (source.position == 0 && options.source != "source") ||
                          (target.position == 0 && options.target != "target") ||
                          (weight.position == 0 && !options.weight.empty());

  const auto& first = preview.front().first;
  const auto in_first = [&](const std::string& name) { return std::find(first.begin(), first.end(), name) != first.end(); };
  const bool header =
      first_record_is_header(options.header, preview, source, target, user_names, reader.delimiter());
  if (!header && user_names)
    fail(path, preview.front().second, 0, "columns are named but the file is read without a header line", {}, {},
         "1-based positions (e.g. --source 1 --target 2) for a file without a header");

  CsvHeader names;
  names.line = preview.front().second;
  names.file_name = path;
  if (header) names.names = first;
  const std::string expected = "source,target[,weight][,renewals], or columns named with --source/--target/--weight";
  // Without names to go by (no header, or a header without "source" and "target" while none was
  // asked for), the defaults are the first two columns: the common convention of edge lists.
  const bool by_position_default = default_names && (!header || (!in_first("source") && !in_first("target")));
  const auto resolve = [&](const ColumnSpec& spec, std::size_t default_position) -> std::size_t {
    if (spec.text.empty()) return no_column;
    if (spec.position > 0) return spec.position - 1;
    if (by_position_default && default_position > 0) return default_position - 1;
    return names.require(spec.text, path, expected);
  };
  const std::size_t c_source = resolve(source, 1), c_target = resolve(target, 2);
  std::size_t c_weight = resolve(weight, 0);
  if (options.weight.empty() && header) c_weight = names.column("weight");
  const std::size_t c_renewals = header ? names.column("renewals") : no_column;
  if (c_source == c_target)
    throw Error(ErrorInfo{"source and target are the same column", {path, 0, 0}, "--target", options.target,
                          "two different columns"});
  std::size_t needed = std::max(c_source, c_target);
  for (std::size_t c : {c_weight, c_renewals})
    if (c != no_column) needed = std::max(needed, c);

  EdgeList edges;
  auto& format = edges.format;
  format.delimiter = reader.delimiter();
  format.header_line = header ? names.line : 0;
  const auto describe = [&](std::size_t c) -> std::string {
    if (c == no_column) return {};
    std::string text = "column " + std::to_string(c + 1);
    if (header && c < names.names.size()) text += " '" + utf8_sanitized(names.names[c]) + "'";
    return text;
  };
  format.source = describe(c_source);
  format.target = describe(c_target);
  format.weight = describe(c_weight);
  format.renewals = describe(c_renewals);

  std::vector<std::string_view> fields;
  std::uint64_t n = 0;
  if (header) reader.next(fields, n);
  auto vertex = [&](std::string_view id, std::uint64_t line, std::size_t column, const char* what) {
    if (id.empty()) fail(path, line, column + 1, std::string("empty ") + what + " id", what);
    check_text(id, path, line, column + 1, what);
    if (!closed_ids) return ids.insert(id);
    const auto v = ids.find(id);
    if (v == none<std::uint32_t>)
      fail(path, line, column + 1, "node not in the node table", what, shorten_for_error(id), "an id of the --nodes file");
    return v;
  };
  while (reader.next(fields, n)) {
    if (fields.size() <= needed)
      fail(path, n, 0, "expected at least " + std::to_string(needed + 1) + " fields, found " + std::to_string(fields.size()),
           {}, {},
           "records with the source and target columns (" + format.source + ", " + format.target + "), separated by " +
               delimiter_name(reader.delimiter()) + "s");
    edges.sources.push_back(vertex(fields[c_source], n, c_source, "source"));
    edges.targets.push_back(vertex(fields[c_target], n, c_target, "target"));
    if (c_weight != no_column)
      edges.weights.push_back(read_weight(fields[c_weight], reader.delimiter(), path, n, c_weight));
    if (c_renewals != no_column)
      edges.renewals.push_back(read_renewals(fields[c_renewals], path, n, c_renewals));
    ++edges.lines;
  }
  return edges;
}

}  // namespace clusternet::io
