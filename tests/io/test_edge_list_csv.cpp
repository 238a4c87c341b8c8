#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "io/edge_list_csv.hpp"

using namespace clusternet;
using namespace clusternet::io;
using clusternet::network::unknown_attribute;
using clusternet::network::Vertex;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "clusternet_network_tests";
  std::filesystem::create_directories(dir);
  const auto path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}
// The message of the error thrown by fn, or "" when it does not throw.
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("IdMap assigns dense indices in first-appearance order and survives growth") {
  IdMap ids;
  for (int i = 0; i < 5000; ++i) REQUIRE(ids.insert("org-" + std::to_string(i)) == std::uint32_t(i));
  REQUIRE(ids.insert("org-17") == 17);
  REQUIRE(ids.find("org-4999") == 4999);
  REQUIRE(ids.find("nope") == none<std::uint32_t>);
  REQUIRE(ids.name(123) == "org-123");
}

TEST_CASE("edge list with quotes, CRLF, a byte-order mark, extra columns and reordered columns") {
  const auto path = write_temp("ok.csv",
                               "\xEF\xBB\xBFweight,target,source,note\r\n"
                               "2.5,\"b,1\",a,x\r\n"
                               "\r\n"
                               "1,\"say \"\"hi\"\"\", a ,y\r\n"
                               "0.5,a,\"b,1\",z");  // no final newline
  IdMap ids;
  const auto e = read_edge_list_csv(path, ids, false);
  REQUIRE(e.lines == 3);
  REQUIRE(ids.size() == 3);
  REQUIRE(ids.name(0) == "a");
  REQUIRE(ids.name(1) == "b,1");
  REQUIRE(ids.name(2) == "say \"hi\"");
  REQUIRE(e.sources == std::vector<Vertex>{0, 0, 1});
  REQUIRE(e.targets == std::vector<Vertex>{1, 2, 0});
  REQUIRE(e.weights == std::vector<float>{2.5f, 1.0f, 0.5f});
}

TEST_CASE("bad edge lists are reported with file and line") {
  IdMap ids;
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("empty.csv", ""), ids, false); }),
             Catch::Contains("empty.csv:1") && Catch::Contains("empty file"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("nocol.csv", "source,dest\na,b\n"), ids, false); }),
             Catch::Contains("nocol.csv:1") && Catch::Contains("'target'"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("w.csv", "source,target,weight\na,b,1\na,c,abc\n"), ids, false); }),
             Catch::Contains("w.csv:3") && Catch::Contains("weight"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("neg.csv", "source,target,weight\na,b,-1\n"), ids, false); }),
             Catch::Contains("neg.csv:2"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("short.csv", "source,target\na,b\nc\n"), ids, false); }),
             Catch::Contains("short.csv:3") && Catch::Contains("fields"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("q.csv", "source,target\n\"a,b\n"), ids, false); }),
             Catch::Contains("q.csv:2") && Catch::Contains("quoted"));
  const std::string long_line = "source,target\na,b\n" + std::string(max_csv_line_bytes + 10, 'x') + ",y\n";
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("long.csv", long_line), ids, false); }),
             Catch::Contains("long.csv:3") && Catch::Contains("longer than"));
}

TEST_CASE("node table defines the vertices and their attributes") {
  IdMap ids;
  const auto nodes = read_node_table_csv(write_temp("nodes.csv",
                                                    "id,region,country,kind,area,cohesion\n"
                                                    "a,DE11,DE,sme_micro,3,more_developed\n"
                                                    "b,PL21,PL,research,,less_developed\n"
                                                    "c,DE11,DE,,7,more_developed\n"
                                                    "d,,FR,cluster,3,\n"),
                                         ids);
  REQUIRE(ids.size() == 4);
  const auto& a = nodes.attributes;
  REQUIRE(a.region_count == 2);
  REQUIRE(a.region == std::vector<RegionIndex>{0, 1, 0, none<RegionIndex>});
  REQUIRE(a.country == std::vector<CountryIndex>{0, 1, 0, 2});
  REQUIRE(a.kind == std::vector<std::uint8_t>{0, 4, unknown_attribute, 5});
  REQUIRE(a.area == std::vector<AreaIndex>{0, unknown_attribute, 1, 0});
  REQUIRE(a.region_category == std::vector<std::uint8_t>{2, 0});
  const auto e = read_edge_list_csv(write_temp("e.csv", "source,target\na,d\n"), ids, true);
  REQUIRE(e.targets == std::vector<Vertex>{3});
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("e2.csv", "source,target\na,d\nzz,a\n"), ids, true); }),
             Catch::Contains("e2.csv:3") && Catch::Contains("node table"));
  IdMap other;
  CHECK_THAT(error_of([&] { read_node_table_csv(write_temp("n2.csv", "id,kind\na,sme\na,research\n"), other); }),
             Catch::Contains("n2.csv:3") && Catch::Contains("duplicate"));
  IdMap third;
  CHECK_THAT(error_of([&] { read_node_table_csv(write_temp("n3.csv", "id,kind\na,spaceship\n"), third); }),
             Catch::Contains("n3.csv:2") && Catch::Contains("kind"));
}
