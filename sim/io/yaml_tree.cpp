#include "io/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clusternet::io {

const YamlValue* YamlValue::find(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

YamlValue* YamlValue::find(std::string_view key) {
  for (auto& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

YamlValue& YamlValue::set(const std::string& key, YamlValue value, SourceLocation key_where) {
  kind = Kind::map;
  for (auto& e : entries)
    if (e.key == key) {
      e.value = std::move(value);
      return e.value;
    }
  entries.push_back({key, std::move(key_where), std::move(value)});
  return entries.back().value;
}

bool YamlValue::erase(std::string_view key) {
  for (auto it = entries.begin(); it != entries.end(); ++it)
    if (it->key == key) {
      entries.erase(it);
      return true;
    }
  return false;
}

std::string describe(const YamlValue& value) {
  switch (value.kind) {
    case YamlValue::Kind::null: return "nothing";
    case YamlValue::Kind::map: return "a map";
    case YamlValue::Kind::seq: return "a list";
    case YamlValue::Kind::scalar: break;
  }
  std::string text = value.text.size() > 60 ? value.text.substr(0, 57) + "..." : value.text;
  return "'" + text + "'";
}

namespace {

[[noreturn]] void fail(const std::string& file, int line, int column, std::string message,
                       std::string found = {}, std::string valid = {}) {
  throw Error(ErrorInfo{std::move(message), {file, line, column}, {}, std::move(found), std::move(valid)});
}

// Checks that the text is UTF-8 without control characters other than tab, CR and LF. Binary
// garbage is rejected here with the position of its first bad byte, long before yaml-cpp.
void check_encoding(std::string_view text, const std::string& file) {
  int line = 1;
  int column = 1;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte-order mark: allowed, skipped
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int extra = 0;
    if (byte < 0x80) {
      if (byte == '\n') {
        ++line;
        column = 1;
        ++i;
        continue;
      }
      if ((byte < 0x20 && byte != '\t' && byte != '\r') || byte == 0x7F) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", byte);
        fail(file, line, column, "the file contains a control character, so it is not a text scenario",
             std::string("byte ") + hex, "UTF-8 text (YAML)");
      }
    } else if ((byte & 0xE0) == 0xC0 && byte >= 0xC2) {
      extra = 1;
    } else if ((byte & 0xF0) == 0xE0) {
      extra = 2;
    } else if ((byte & 0xF8) == 0xF0 && byte <= 0xF4) {
      extra = 3;
    } else {
      extra = -1;
    }
    bool ok = extra >= 0;
    for (int k = 1; ok && k <= extra; ++k) {
      const std::size_t at = i + static_cast<std::size_t>(k);
      ok = at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
    }
    if (!ok) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", byte);
      fail(file, line, column, "the file is not valid UTF-8 (binary data, or another encoding such as "
                               "Latin-1 or UTF-16)", std::string("byte ") + hex, "UTF-8 text (YAML)");
    }
    i += static_cast<std::size_t>(extra) + 1;
    ++column;
  }
}

// An upper bound on the nesting depth of a YAML text, computed without recursion: block nesting
// from the stack of indentation levels (plus one per "- " that opens a nested sequence on the
// same line) and flow nesting from brackets outside quotes and comments. It may over-estimate a
// little (a literal block with growing indentation), never under-estimate, which is what a guard
// in front of a recursive parser needs.
void check_depth(std::string_view text, const std::string& file) {
  std::vector<std::size_t> indents;
  int flow = 0;
  int line_number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    std::size_t indent = line.find_first_not_of(" \t");
    if (indent == std::string_view::npos || line[indent] == '#' || line[indent] == '\r') {
      if (end == text.size()) break;
      continue;
    }
    if (flow == 0) {
      while (!indents.empty() && indents.back() > indent) indents.pop_back();
      if (indents.empty() || indents.back() < indent) indents.push_back(indent);
    }
    int block = static_cast<int>(indents.size());
    std::size_t i = indent;
    while (flow == 0 && i + 1 < line.size() && line[i] == '-' && (line[i + 1] == ' ' || line[i + 1] == '\t')) {
      ++block;  // "- - x": each dash opens a nested sequence
      i = line.find_first_not_of(" \t", i + 1);
      if (i == std::string_view::npos) break;
    }
    int deepest = block + flow;
    char quote = 0;
    char previous = ' ';
    for (std::size_t k = indent; k < line.size(); ++k) {
      const char c = line[k];
      if (quote) {
        if (c == '\\' && quote == '"') ++k;
        else if (c == quote) quote = 0;
      } else if ((c == '"' || c == '\'') &&
                 (previous == ' ' || previous == '\t' || previous == '[' || previous == '{' ||
                  previous == ',' || previous == ':' || k == indent)) {
        quote = c;
      } else if (c == '#' && (previous == ' ' || previous == '\t')) {
        break;
      } else if (c == '[' || c == '{') {
        ++flow;
        deepest = std::max(deepest, block + flow);
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
      previous = c;
    }
    if (deepest > max_nesting_depth)
      fail(file, line_number, static_cast<int>(indent) + 1,
           "the document is nested too deeply to be a scenario", "more than " + std::to_string(max_nesting_depth) +
           " levels", "at most " + std::to_string(max_nesting_depth) + " levels of maps and lists");
    if (end == text.size()) break;
  }
}

SourceLocation location_of(const YAML::Mark& mark, const std::string& file) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

// Where each document of a YAML text starts, without building any: at most two are asked for.
// YAML::LoadAll asks until there are none, and on a ',' outside brackets yaml-cpp 0.7 hands out
// the same empty document for ever without consuming the text, so that loop never ended and grew
// without bound. One document is valid, so two are enough to know.
struct DocumentStarts final : YAML::EventHandler {
  std::vector<YAML::Mark> starts;  // where each document starts ("---" or its first node)
  std::vector<YAML::Mark> roots;   // where each document's root node starts (errors point there)
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { root(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { root(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { root(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root(mark);
  }
  void OnMapEnd() override {}

 private:
  void root(const YAML::Mark& mark) {
    if (roots.size() < starts.size()) roots.push_back(mark);
  }
};

DocumentStarts document_starts(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts handler;
  for (int asked = 0; asked < 2 && parser.HandleNextDocument(handler); ++asked) {
  }
  return handler;
}

struct Converter {
  const std::string& file;
  std::size_t nodes = 0;

  YamlValue convert(const YAML::Node& node, int depth) {
    // Aliases can build trees far deeper or larger than the text (a "billion laughs" document, or
    // an anchor used inside itself), so the copy has its own guards.
    if (depth > max_nesting_depth)
      fail(file, node.Mark().line + 1, node.Mark().column + 1,
           "the document is nested too deeply (an alias used inside itself?)", {},
           "at most " + std::to_string(max_nesting_depth) + " levels");
    if (++nodes > max_tree_nodes)
      fail(file, node.Mark().line + 1, node.Mark().column + 1,
           "the document has too many values (aliases expanding exponentially?)", {},
           "at most " + std::to_string(max_tree_nodes) + " values");
    YamlValue value;
    value.where = location_of(node.Mark(), file);
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        value.kind = YamlValue::Kind::null;
        break;
      case YAML::NodeType::Scalar:
        value.kind = YamlValue::Kind::scalar;
        value.text = node.Scalar();
        break;
      case YAML::NodeType::Sequence:
        value.kind = YamlValue::Kind::seq;
        for (const auto& item : node) value.items.push_back(convert(item, depth + 1));
        break;
      case YAML::NodeType::Map:
        value.kind = YamlValue::Kind::map;
        for (const auto& pair : node) {
          const SourceLocation key_where = location_of(pair.first.Mark(), file);
          if (!pair.first.IsScalar())
            fail(file, key_where.line, key_where.column, "a map key must be a plain name", "a complex key",
                 "a scalar key such as 'budget'");
          if (value.entries.size() == max_map_entries)
            fail(file, key_where.line, key_where.column, "the map has too many keys to be part of a scenario",
                 "more than " + std::to_string(max_map_entries) + " keys",
                 "at most " + std::to_string(max_map_entries) + " keys in one map");
          const std::string key = pair.first.Scalar();
          if (value.find(key) != nullptr)
            // yaml-cpp keeps both entries; a silent "last one wins" would hide a typo or a stale line.
            fail(file, key_where.line, key_where.column, "duplicate key '" + key + "' in one map", key,
                 "each key once per map");
          YamlValue child = convert(pair.second, depth + 1);
          if (child.where.line == 0) child.where = key_where;  // a null value has no mark of its own
          value.entries.push_back({key, key_where, std::move(child)});
        }
        break;
    }
    return value;
  }
};

}  // namespace

YamlValue parse_yaml_text(std::string_view text, const std::string& file) {
  if (text.size() > max_scenario_bytes)
    fail(file, 0, 0, "the file is too large to be a scenario", std::to_string(text.size()) + " bytes",
         "at most " + std::to_string(max_scenario_bytes) + " bytes");
  check_encoding(text, file);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    fail(file, 0, 0, "the file is empty", "no content", "a YAML map with at least a 'name'");
  check_depth(text, file);
  YAML::Node document;
  try {
    const std::string owned(text);
    const DocumentStarts documents = document_starts(owned);
    const auto& starts = documents.starts;
    if (starts.empty())
      fail(file, 0, 0, "the file is empty (only comments)", "no content", "a YAML map with at least a 'name'");
    if (starts.size() > 1 && starts[1].pos == starts[0].pos)
      fail(file, starts[1].line + 1, starts[1].column + 1,
           "YAML syntax error: the parser cannot get past this point (a ',' outside [ ] or { }?)", {},
           "YAML 1.2 (see docs/scenarios.md)");
    if (starts.size() > 1) {
      const YAML::Mark& at = documents.roots.size() > 1 ? documents.roots[1] : starts[1];
      fail(file, at.line + 1, at.column + 1,
           "the file holds several YAML documents; only one scenario per file is read", "more than one document",
           "one document");
    }
    document = YAML::Load(owned);
  } catch (const YAML::Exception& e) {
    fail(file, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
         "YAML syntax error: " + e.msg, {}, "YAML 1.2 (see docs/scenarios.md)");
  }
  Converter converter{file};
  YamlValue root = converter.convert(document, 0);
  if (root.is_null())
    fail(file, 0, 0, "the file is empty (only comments)", "no content", "a YAML map with at least a 'name'");
  return root;
}

YamlValue parse_yaml_file(const std::string& path, const std::string& display_name) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    fail(display_name, 0, 0, std::filesystem::exists(path, ec) ? "not a regular file" : "no such file",
         path, "a readable YAML file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) fail(display_name, 0, 0, "cannot read the file: " + ec.message());
  // Checked before reading so that a multi-gigabyte file is never loaded into memory.
  if (size > max_scenario_bytes)
    fail(display_name, 0, 0, "the file is too large to be a scenario", std::to_string(size) + " bytes",
         "at most " + std::to_string(max_scenario_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(display_name, 0, 0, "cannot open the file for reading");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_yaml_text(text, display_name);
}

YamlValue parse_yaml_value(std::string_view text, const SourceLocation& where) {
  YamlValue value;
  try {
    if (text.size() > 4096) throw Error("value too long");
    check_encoding(text, where.file);
    check_depth(text, where.file);
    const YAML::Node node = YAML::Load(std::string(text));
    if (node.IsMap()) {
      throw Error(ErrorInfo{"a --set value must be a scalar or a list", where, {}, std::string(text),
                            "a number, money amount, word or [a, b]"});
    }
    Converter converter{where.file};
    value = converter.convert(node, 0);
  } catch (const YAML::Exception& e) {
    throw Error(ErrorInfo{"the value is not valid YAML: " + e.msg, where, {}, std::string(text),
                          "a number, money amount, word or [a, b]"});
  }
  // Positions inside a command-line value mean nothing to the reader; report the option instead.
  std::vector<YamlValue*> stack{&value};
  while (!stack.empty()) {
    YamlValue* v = stack.back();
    stack.pop_back();
    v->where = where;
    for (auto& item : v->items) stack.push_back(&item);
    for (auto& e : v->entries) {
      e.key_where = where;
      stack.push_back(&e.value);
    }
  }
  return value;
}

namespace {
void emit(YAML::Emitter& out, const YamlValue& value) {
  switch (value.kind) {
    case YamlValue::Kind::null: out << YAML::Null; break;
    case YamlValue::Kind::scalar: out << value.text; break;
    case YamlValue::Kind::seq:
      out << YAML::BeginSeq;
      for (const auto& item : value.items) emit(out, item);
      out << YAML::EndSeq;
      break;
    case YamlValue::Kind::map:
      out << YAML::BeginMap;
      for (const auto& e : value.entries) {
        out << YAML::Key << e.key << YAML::Value;
        emit(out, e.value);
      }
      out << YAML::EndMap;
      break;
  }
}
}  // namespace

std::string emit_yaml(const YamlValue& value) {
  YAML::Emitter out;
  emit(out, value);
  return std::string(out.c_str()) + "\n";
}

}  // namespace clusternet::io
