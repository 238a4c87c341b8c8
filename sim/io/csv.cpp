#include "io/csv.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <system_error>

#include "core/error.hpp"

namespace clusternet::io {

namespace {
[[noreturn]] void fail(const std::string& file, std::uint64_t line, std::size_t field, std::string message,
                       std::string found = {}) {
  throw Error(ErrorInfo{std::move(message),
                        SourceLocation{file, int(std::min<std::uint64_t>(line, 0x7FFFFFFF)), int(field)},
                        {}, std::move(found), {}});
}

void strip_carriage_return(std::string_view& line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
}
}  // namespace

std::string shorten_for_error(std::string_view text) {
  return text.size() <= 60 ? std::string(text) : std::string(text.substr(0, 57)) + "...";
}

// ---- LineReader ----------------------------------------------------------------------------------

LineReader::LineReader(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
  // std::error_code's message rather than std::strerror, which is not thread-safe.
  if (!file_) fail(path, 0, 0, "cannot open file: " + std::error_code(errno, std::generic_category()).message());
  // Sized for the file when it is small (region and node tables are a few kB) and grown on demand
  // up to one block plus the longest line: allocating 5 MiB for every small file dominated the
  // cost of reading it (and of fuzzing the readers under ASan).
  capacity_ = full_capacity;
  struct stat st {};
  if (::fstat(::fileno(file_), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0)
    capacity_ = std::clamp<std::size_t>(static_cast<std::size_t>(st.st_size) + 2, 4096, full_capacity);
  buffer_.reset(new char[capacity_]);
}

LineReader::~LineReader() {
  if (file_) std::fclose(file_);
}

void LineReader::too_long() const {
  fail(path_, line_number_ + 1, 0,
       "line longer than " + std::to_string(max_csv_line_bytes) + " bytes (is this a CSV file?)");
}

bool LineReader::next(std::string_view& line) {
  while (true) {
    const char* start = buffer_.get() + begin_;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    if (newline) {
      const std::size_t length = std::size_t(newline - start);
      if (length > max_csv_line_bytes) too_long();
      line = std::string_view(start, length);
      begin_ += length + 1;
      ++line_number_;
      strip_carriage_return(line);
      return true;
    }
    if (end_ - begin_ > max_csv_line_bytes) too_long();
    if (eof_) {
      if (begin_ == end_) return false;
      line = std::string_view(start, end_ - begin_);
      begin_ = end_;
      ++line_number_;
      strip_carriage_return(line);
      return true;
    }
    // Move the unfinished tail to the front and read the next block behind it.
    std::memmove(buffer_.get(), start, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    if (end_ == capacity_) {
      // Full without a line end (the file grew, or was not regular): room for more. At full
      // capacity a full buffer has already been reported as an over-long line above.
      const std::size_t larger = std::min(full_capacity, capacity_ * 2);
      std::unique_ptr<char[]> grown(new char[larger]);
      std::memcpy(grown.get(), buffer_.get(), end_);
      buffer_ = std::move(grown);
      capacity_ = larger;
    }
    const std::size_t got = std::fread(buffer_.get() + end_, 1, capacity_ - end_, file_);
    if (got == 0) {
      if (std::ferror(file_)) fail(path_, line_number_ + 1, 0, "read error");
      eof_ = true;
    }
    end_ += got;
  }
}

// ---- records -------------------------------------------------------------------------------------

void split_csv_record(std::string_view line, std::vector<std::string_view>& fields, std::string& scratch,
                      const std::string& file, std::uint64_t line_number) {
  split_delimited_record(line, ',', fields, scratch, file, line_number);
}

void split_delimited_record(std::string_view line, char delimiter, std::vector<std::string_view>& fields,
                            std::string& scratch, const std::string& file, std::uint64_t line_number) {
  fields.clear();
  scratch.clear();
  scratch.reserve(line.size());  // never reallocated below, so views into it stay valid
  // Whitespace-separated: any run of spaces and tabs separates, so padding and separator are one.
  // Otherwise spaces (and tabs, unless tab is the delimiter) around a field are padding.
  const bool runs = delimiter == ' ';
  auto is_space = [&](char c) { return c == ' ' || (c == '\t' && delimiter != '\t'); };
  auto is_delimiter = [&](char c) { return runs ? (c == ' ' || c == '\t') : c == delimiter; };
  std::size_t i = 0;
  if (runs) {
    while (i < line.size() && is_delimiter(line[i])) ++i;
    if (i == line.size()) return;
  }
  while (true) {
    while (!runs && i < line.size() && is_space(line[i])) ++i;
    if (i < line.size() && line[i] == '"') {
      const std::size_t field = fields.size() + 1;
      const std::size_t start = scratch.size();
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            scratch.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        scratch.push_back(line[i++]);
      }
      if (!closed)
        fail(file, line_number, field, "quoted field not closed before the end of the line (a field cannot span lines)",
             shorten_for_error(line));
      fields.emplace_back(scratch.data() + start, scratch.size() - start);
      while (!runs && i < line.size() && is_space(line[i])) ++i;
      if (i < line.size() && !is_delimiter(line[i]))
        fail(file, line_number, field, "unexpected text after a closing quote", shorten_for_error(line.substr(i)));
    } else {
      std::size_t stop = i;
      while (stop < line.size() && !is_delimiter(line[stop])) ++stop;
      std::size_t last = stop;
      while (!runs && last > i && is_space(line[last - 1])) --last;
      fields.push_back(line.substr(i, last - i));
      i = stop;
    }
    if (runs) {
      while (i < line.size() && is_delimiter(line[i])) ++i;
      if (i >= line.size()) break;
      continue;
    }
    if (i >= line.size()) break;
    ++i;  // the delimiter
    if (i == line.size()) {
      fields.emplace_back();  // trailing empty field
      break;
    }
  }
}

bool blank_csv_line(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// ---- header --------------------------------------------------------------------------------------

std::size_t CsvHeader::column(std::string_view name) const {
  std::size_t found = npos;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] != name) continue;
    if (found != npos)
      throw Error(ErrorInfo{"column '" + std::string(name) + "' appears twice in the header (first as column " +
                                std::to_string(found + 1) + ")",
                            SourceLocation{file_name, int(std::min<std::uint64_t>(line, 0x7FFFFFFF)), int(i) + 1},
                            std::string(name), shorten_for_error(joined()), "each column name once"});
    found = i;
  }
  return found;
}

std::size_t CsvHeader::require(std::string_view name, const std::string& file, const std::string& expected) const {
  const std::size_t c = column(name);
  if (c == npos)
    throw Error(ErrorInfo{"missing column '" + std::string(name) + "' in the header",
                          SourceLocation{file, int(std::min<std::uint64_t>(line, 0x7FFFFFFF)), int(names.size()) + 1},
                          std::string(name), shorten_for_error(joined()), expected});
  return c;
}

std::string CsvHeader::joined() const {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ",") + n;
  return s;
}

CsvHeader read_csv_header(LineReader& reader) {
  std::string_view line;
  while (reader.next(line)) {
    if (line.size() >= 3 && std::memcmp(line.data(), "\xEF\xBB\xBF", 3) == 0) line.remove_prefix(3);
    if (blank_csv_line(line)) continue;
    CsvHeader header;
    header.line = reader.line_number();
    header.file_name = reader.path();
    std::string scratch;
    std::vector<std::string_view> fields;
    split_csv_record(line, fields, scratch, reader.path(), reader.line_number());
    for (auto f : fields) header.names.emplace_back(f);
    return header;
  }
  fail(reader.path(), 1, 0, "empty file: expected a header line");
}

// ---- writing -------------------------------------------------------------------------------------

std::string csv_quote(std::string_view text) {
  const bool padded = !text.empty() && (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' ||
                                        text.back() == '\t');
  if (!padded && text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double value) { return std::isfinite(value) ? fmt::format("{}", value) : std::string(); }

}  // namespace clusternet::io
