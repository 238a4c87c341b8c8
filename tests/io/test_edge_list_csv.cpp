#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/error.hpp"
#include "core/utf8.hpp"
#include "io/edge_list_csv.hpp"

using namespace clusternet;
using namespace clusternet::io;
using clusternet::network::unknown_attribute;
using clusternet::network::Vertex;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "clusternet_network_tests";
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
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
  REQUIRE(e.weights == std::vector<double>{2.5, 1.0, 0.5});
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
  // A column read by name and named twice: the first used to win silently, whichever was meant.
  for (const std::string header :
       {"source,source,target", "source,target,weight,weight", "source,target,renewals,renewals"}) {
    const auto twice = write_temp("twice.csv", header + "\na,b,1,2\n");
    CHECK_THAT(error_of([&] { read_edge_list_csv(twice, ids, false); }),
               Catch::Contains("twice.csv:1:") && Catch::Contains("appears twice"));
  }
  IdMap node_ids;
  const auto nodes_twice = write_temp("nodes_twice.csv", "id,kind,kind\na,sme,cluster\n");
  CHECK_THAT(error_of([&] { read_node_table_csv(nodes_twice, node_ids); }),
             Catch::Contains("nodes_twice.csv:1:3") && Catch::Contains("appears twice"));
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

// ---- edge lists as people have them --------------------------------------------------------------

namespace {
// The edges of a read list as id pairs, so that files naming the same graph differently compare.
std::vector<std::pair<std::string, std::string>> id_pairs(const EdgeList& e, const IdMap& ids) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < e.sources.size(); ++i)
    out.emplace_back(std::string(ids.name(e.sources[i])), std::string(ids.name(e.targets[i])));
  return out;
}
}  // namespace

TEST_CASE("one graph in the forms people keep edge lists in reads the same") {
  const std::vector<std::pair<std::string, std::string>> expected = {{"a", "b"}, {"b", "c"}, {"c", "a"}, {"c", "d"}};
  const std::vector<double> weights = {0.5, 1.0, 2.5, 1.0};
  struct Case {
    const char* name;
    std::string text;
    EdgeListOptions options;
    Delimiter delimiter;
    std::uint64_t header_line;
  };
  EdgeListOptions third;
  third.weight = "3";
  EdgeListOptions named;
  named.source = "from";
  named.target = "to";
  named.weight = "w";
  EdgeListOptions by_position;
  by_position.source = "2";
  by_position.target = "3";
  by_position.weight = "1";
  EdgeListOptions forced;
  forced.delimiter = Delimiter::semicolon;
  forced.header = HeaderMode::absent;
  forced.weight = "3";
  const std::vector<Case> cases = {
      {"comma.csv", "source,target,weight\na,b,0.5\nb,c,1\nc,a,2.5\nc,d,1\n", {}, Delimiter::comma, 1},
      {"tab.tsv", "source\ttarget\tweight\na\tb\t0.5\nb\tc\t1\nc\ta\t2.5\nc\td\t1\n", {}, Delimiter::tab, 1},
      {"semi.csv", "source;target;weight\na;b;0,5\nb;c;1\nc;a;2,5\nc;d;1\n", {}, Delimiter::semicolon, 1},
      {"space.txt", "  a  b   0.5\nb c 1\n\tc\ta 2.5\nc d 1  \n", third, Delimiter::whitespace, 0},
      {"snap.txt", "# Undirected graph\n# Nodes: 4 Edges: 4\na\tb\t0.5\nb\tc\t1\nc\ta\t2.5\nc\td\t1\n", third,
       Delimiter::tab, 0},
      {"konect.tsv", "% sym weighted\n% 4 4 4\na b 0.5\nb c 1\nc a 2.5\nc d 1\n", third, Delimiter::whitespace, 0},
      {"named.csv", "id,from,to,w\n1,a,b,0.5\n2,b,c,1\n3,c,a,2.5\n4,c,d,1\n", named, Delimiter::comma, 1},
      {"position.csv", "0.5,a,b\n1,b,c\n2.5,c,a\n1,c,d\n", by_position, Delimiter::comma, 0},
      {"forced.txt", "a;b;0,5\nb;c;1\nc;a;2,5\nc;d;1\n", forced, Delimiter::semicolon, 0},
      {"quoted.csv", "\"source\",\"target\",\"weight\"\n\"a\",\"b\",0.5\nb,\"c\",1\n\"c\",a,2.5\nc,d,\"1\"\n", {},
       Delimiter::comma, 1},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    IdMap ids;
    const auto e = read_edge_list_csv(write_temp(c.name, c.text), ids, false, c.options);
    CHECK(id_pairs(e, ids) == expected);
    CHECK(e.weights == weights);
    CHECK(e.format.delimiter == c.delimiter);
    CHECK(e.format.header_line == c.header_line);
  }
}

TEST_CASE("a header is detected from the names asked for or from text above numbers") {
  IdMap ids;
  // Text over numbers: a header, whatever its names; columns 1 and 2 then.
  auto e = read_edge_list_csv(write_temp("h1.csv", "from,to\n1,2\n2,3\n"), ids, false);
  CHECK(e.format.header_line == 1);
  CHECK(e.sources.size() == 2);
  // Ids that are text everywhere: no header unless the names say so.
  IdMap ids2;
  e = read_edge_list_csv(write_temp("h2.csv", "alice,bob\ncarol,dave\n"), ids2, false);
  CHECK(e.format.header_line == 0);
  CHECK(e.sources.size() == 2);
  EdgeListOptions with_header;
  with_header.header = HeaderMode::present;
  IdMap ids3;
  e = read_edge_list_csv(write_temp("h3.csv", "alice,bob\ncarol,dave\n"), ids3, false, with_header);
  CHECK(e.sources.size() == 1);
  // A header that names some but not all default columns means named columns: the missing one is an error.
  IdMap ids4;
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("h4.csv", "source,dest\na,b\n"), ids4, false); }),
             Catch::Contains("h4.csv:1") && Catch::Contains("'target'"));
  // Names without a header cannot be resolved.
  EdgeListOptions names_no_header;
  names_no_header.header = HeaderMode::absent;
  names_no_header.source = "from";
  IdMap ids5;
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("h5.csv", "a,b\n"), ids5, false, names_no_header); }),
             Catch::Contains("h5.csv:1") && Catch::Contains("positions"));
  EdgeListOptions zero;
  zero.source = "0";
  IdMap ids6;
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("h6.csv", "a,b\n"), ids6, false, zero); }),
             Catch::Contains("--source") && Catch::Contains("1-based"));
  CHECK_THROWS_AS(parse_delimiter("pipe"), Error);
  CHECK(parse_delimiter("tab") == Delimiter::tab);
  CHECK(parse_delimiter(";") == Delimiter::semicolon);
}

TEST_CASE("ids and labels that would corrupt the output are refused with file, line and field") {
  IdMap ids;
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("latin1.csv", "source,target\nd\xE9j\xE0,b\n"), ids, false); }),
             Catch::Contains("latin1.csv:2:1") && Catch::Contains("UTF-8") && Catch::Contains("0xE9"));
  CHECK_THAT(error_of([&] {
               read_edge_list_csv(write_temp("nul.csv", std::string("source,target\na,b\nx\0y,b\n", 23)), ids, false);
             }),
             Catch::Contains("nul.csv:3:1") && Catch::Contains("control character") && Catch::Contains("0x00"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("bell.csv", "source,target\na,b\x07\n"), ids, false); }),
             Catch::Contains("bell.csv:2:2") && Catch::Contains("control character"));
  // UTF-8 is fine, overlong forms and surrogates are not.
  IdMap ok;
  CHECK_NOTHROW(read_edge_list_csv(write_temp("utf8.csv", "source,target\nd\xC3\xA9j\xC3\xA0,\xE2\x82\xAC\n"), ok, false));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("overlong.csv", "source,target\n\xC0\xAF,b\n"), ids, false); }),
             Catch::Contains("UTF-8"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("surrogate.csv", "source,target\n\xED\xA0\x80,b\n"), ids, false); }),
             Catch::Contains("UTF-8"));
  // Weights are doubles: 1e308 and 1e-300 are kept as written; beyond a double is refused.
  IdMap extreme_ids;
  const auto extreme =
      read_edge_list_csv(write_temp("extreme.csv", "source,target,weight\na,b,1e308\nb,c,1e-300\n"), extreme_ids, false);
  CHECK(extreme.weights == std::vector<double>{1e308, 1e-300});
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("big.csv", "source,target,weight\na,b,1e400\n"), ids, false); }),
             Catch::Contains("big.csv:2:3") && Catch::Contains("beyond the range"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("inf.csv", "source,target,weight\na,b,inf\n"), ids, false); }),
             Catch::Contains("inf.csv:2:3") && Catch::Contains("not finite"));
  CHECK_THAT(error_of([&] { read_edge_list_csv(write_temp("nanw.csv", "source,target,weight\na,b,nan\n"), ids, false); }),
             Catch::Contains("nanw.csv:2:3") && Catch::Contains("not a number"));

  const auto node_error = [&](const char* name, const std::string& text) {
    IdMap fresh;
    return error_of([&] { read_node_table_csv(write_temp(name, text), fresh); });
  };
  CHECK_THAT(node_error("area21.csv", "id,area\na,3\nb,21\n"), Catch::Contains("area21.csv:3:2") && Catch::Contains("0 to 20"));
  CHECK_THAT(node_error("area-1.csv", "id,area\na,-1\n"), Catch::Contains("area-1.csv:2:2") && Catch::Contains("0 to 20"));
  CHECK_THAT(node_error("areanan.csv", "id,area\na,NaN\n"), Catch::Contains("areanan.csv:2:2"));
  CHECK_THAT(node_error("area2.5.csv", "id,area\na,2.5\n"), Catch::Contains("area2.5.csv:2:2"));
  CHECK_THAT(node_error("cohnan.csv", "id,region,cohesion\na,R1,NaN\n"),
             Catch::Contains("cohnan.csv:2:3") && Catch::Contains("cohesion"));
  CHECK_THAT(node_error("nodenul.csv", std::string("id,region\na\0,R1\n", 15)),
             Catch::Contains("nodenul.csv:2:1") && Catch::Contains("control character"));
  CHECK_THAT(node_error("region1.csv", "id,region\na,M\xFCnchen\n"),
             Catch::Contains("region1.csv:2:2") && Catch::Contains("UTF-8"));
  // Numeric areas are normalised ("03" is area 3); text labels (sector codes) stay labels.
  IdMap labels;
  const auto t = read_node_table_csv(write_temp("labels.csv", "id,area\na,03\nb,3\nc,C28\nd,20\n"), labels);
  CHECK(t.attributes.area == std::vector<AreaIndex>{0, 0, 1, 2});
  CHECK(t.area_names == std::vector<std::string>{"3", "C28", "20"});
}

TEST_CASE("random and mutated bytes never crash the readers, and what they accept is clean text") {
  // A fixed-seed fuzz loop over both readers: anything but clusternet::Error escaping, a crash, or
  // an accepted id that is not printable UTF-8 fails the test. libFuzzer runs the long version.
  std::mt19937_64 rng(20240611);
  const std::string seeds[] = {
      "source,target,weight,renewals\na,b,1,0\nb,c,2.5,3\n\"c,1\",a,0,1\n",
      "id,region,country,kind,area,cohesion\na,DE11,DE,sme,3,more_developed\nb,PL21,PL,research,,less_developed\n",
      "# c\n1\t2\t0.5\n2\t3\t1\n",
      "from;to;w\na;b;1,5\nb;c;2\n",
      "a b\nb c\n",
  };
  const char alphabet[] = {',', ';', '\t', ' ', '"', '\n', '\r', '#', '%', '0', '1', '.', 'e', '-', 'a', '\0',
                           '\xC3', '\xA9', '\xE9', '\xFF', '\xEF', '\xBB', '\xBF', '\x7F'};
  const auto dir = std::filesystem::temp_directory_path() / "clusternet_fuzz_edge_lists";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "input").string();
  std::size_t accepted = 0, refused = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string text;
    if (round % 3 == 0) {
      const std::size_t length = rng() % 200;
      for (std::size_t i = 0; i < length; ++i)
        text.push_back(rng() % 4 == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % sizeof alphabet]);
    } else {
      text = seeds[rng() % std::size(seeds)];
      const int edits = 1 + static_cast<int>(rng() % 6);
      for (int k = 0; k < edits && !text.empty(); ++k) {
        const std::size_t at = rng() % text.size();
        switch (rng() % 3) {
          case 0: text[at] = alphabet[rng() % sizeof alphabet]; break;
          case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(rng() % 256)); break;
          default: text.erase(at, 1 + rng() % 3);
        }
      }
    }
    { std::ofstream(path, std::ios::binary) << text; }
    EdgeListOptions options;
    options.delimiter = std::array{Delimiter::detect, Delimiter::comma, Delimiter::whitespace}[rng() % 3];
    options.header = std::array{HeaderMode::detect, HeaderMode::present, HeaderMode::absent}[rng() % 3];
    if (rng() % 4 == 0) options.weight = std::string(1, '3');  // not = "3": GCC 12 -Wrestrict false positive
    IdMap ids;
    try {
      if (round % 2 == 0) read_node_table_csv(path, ids);
      else read_edge_list_csv(path, ids, false, options);
      ++accepted;
    } catch (const Error&) {
      ++refused;
    }
    for (std::uint32_t v = 0; v < ids.size(); ++v) {
      const auto id = ids.name(v);
      INFO("round " << round);
      REQUIRE(invalid_utf8_offset(id) == utf8_valid);
      REQUIRE(std::none_of(id.begin(), id.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }));
    }
  }
  CHECK(accepted > 50);  // the mutations are mild enough that many files still parse
  CHECK(refused > 50);
}
