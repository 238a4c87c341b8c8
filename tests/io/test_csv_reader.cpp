// io/csv LineReader: its buffer starts at the size of a small file and grows on demand, so lines
// are never cut, also when the file grows while it is read.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/csv.hpp"

using namespace clusternet;
namespace fs = std::filesystem;

namespace {
fs::path scratch_file(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("clusternet_csv_reader_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}
}  // namespace

TEST_CASE("a file that grows after it was opened is read whole, line by line") {
  const fs::path path = scratch_file("growing.csv");
  std::ofstream(path) << "a,b\n";
  io::LineReader reader(path.string());  // sized for the 4-byte file
  const std::string long_line(100000, 'x');
  {
    std::ofstream more(path, std::ios::app);
    more << long_line << "\nlast";
  }
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.next(line)) lines.emplace_back(line);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "a,b");
  CHECK(lines[1] == long_line);
  CHECK(lines[2] == "last");
}

TEST_CASE("an over-long line is still reported when the buffer had to grow to meet it") {
  const fs::path path = scratch_file("long.csv");
  std::ofstream(path) << "h\n";
  io::LineReader reader(path.string());
  {
    std::ofstream more(path, std::ios::app);
    more << std::string(io::max_csv_line_bytes + 10, 'y') << "\n";
  }
  std::string_view line;
  REQUIRE(reader.next(line));
  CHECK(line == "h");
  CHECK_THROWS_AS(reader.next(line), Error);
}
