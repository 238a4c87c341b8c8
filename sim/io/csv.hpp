#pragma once
// CSV, one dialect for every file the program reads and writes (region tables, edge lists, node
// tables, the CSV exports and comparisons):
//   - a record is one line, ended by "\n" or "\r\n"; a field cannot span lines;
//   - fields are separated by commas; a field may be quoted with '"', inside which commas and
//     spaces are literal and '""' stands for one quote;
//   - spaces and tabs around a field, outside its quotes, are not part of it; after a closing
//     quote only spaces or tabs may come before the next comma;
//   - a quote that does not open a field is an ordinary character;
//   - a UTF-8 byte-order mark before the header is skipped.
// Readers report a problem as clusternet::Error naming file:line (and the 1-based field number as
// the column where one is known).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace clusternet::io {

inline constexpr std::size_t max_csv_line_bytes = std::size_t(1) << 20;

// Reads a file line by line in 4 MiB blocks (fread), handing out views into its buffer that stay
// valid until the next call. A line longer than max_csv_line_bytes is reported, never buffered
// whole, so a 2 GB line cannot exhaust memory.
class LineReader {
 public:
  // Throws Error when the file cannot be opened.
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Next line without its terminator; false at the end of the file. Throws Error on a read error
  // or an over-long line.
  bool next(std::string_view& line);
  // 1-based number of the line last returned.
  std::uint64_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }

 private:
  static constexpr std::size_t block = std::size_t(4) << 20;
  static constexpr std::size_t full_capacity = block + max_csv_line_bytes + 1;
  [[noreturn]] void too_long() const;

  std::string path_;
  std::FILE* file_;
  // Not value-initialised (new char[], not a vector): a small file then touches only the pages it
  // fills, instead of zeroing all 5 MiB first.
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
};

// Splits one record into `fields`. Views point into `line` or into `scratch` (where unescaped
// quoted fields are written), so they live as long as both. Throws Error at file:line:field for a
// quoted field not closed on its line or text after a closing quote.
void split_csv_record(std::string_view line, std::vector<std::string_view>& fields, std::string& scratch,
                      const std::string& file, std::uint64_t line_number);

// The same with another delimiter: ';' or '\t' (tab-separated: tabs are not padding then), or ' '
// for fields separated by any run of spaces and tabs (where an empty field must be quoted: "").
void split_delimited_record(std::string_view line, char delimiter, std::vector<std::string_view>& fields,
                            std::string& scratch, const std::string& file, std::uint64_t line_number);

// Only spaces and tabs (or nothing).
bool blank_csv_line(std::string_view line);

// The header of a CSV file: column names in file order.
struct CsvHeader {
  std::vector<std::string> names;
  std::uint64_t line = 1;
  std::string file_name;  // named in errors
  // Index of the column called `name`, or npos. Throws Error at the second column of that name: a
  // header naming one column twice leaves it to chance which values are read.
  std::size_t column(std::string_view name) const;
  // Index of the column called `name`; throws Error at the header's line (column: one past the
  // last) naming the column and `expected` (what a header should hold) when there is none.
  std::size_t require(std::string_view name, const std::string& file, const std::string& expected) const;
  std::string joined() const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

// Reads the header: the first line that is not blank (after a byte-order mark). Throws Error for an
// empty file.
CsvHeader read_csv_header(LineReader& reader);

// A field as written: quoted (and its quotes doubled) when it holds a comma, a quote or a line
// break, or begins or ends with a space or tab (which a reader would drop); as is otherwise.
std::string csv_quote(std::string_view text);
// A number as written: the shortest text that reads back to the same double; empty for NaN or
// infinity (the exports' "not measured").
std::string csv_number(double value);

// The first 60 characters of `text` (with "..." when cut), for error messages.
std::string shorten_for_error(std::string_view text);

}  // namespace clusternet::io
