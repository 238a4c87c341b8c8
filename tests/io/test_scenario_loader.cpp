// Tests of the scenario language: shipped scenarios, composition, money, round trips, the
// malformed corpus and the agreement between the parser and docs/scenarios.md.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "io/scenario_loader.hpp"
#include "io/yaml_tree.hpp"
#include "world/generate.hpp"

namespace fs = std::filesystem;
using namespace clusternet;
using namespace clusternet::io;

namespace {

const fs::path source_dir = CLUSTERNET_SOURCE_DIR;

std::vector<ErrorInfo> errors_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ErrorList& e) {
    return e.errors();
  } catch (const Error& e) {
    return {e.info()};
  }
  return {};
}

std::string all_text(const std::vector<ErrorInfo>& errors) {
  std::string text;
  for (const auto& e : errors) text += format_error(e) + "\n";
  return text;
}

// A scratch folder for generated scenario files, removed at the end of the test.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    path = fs::temp_directory_path() / ("clusternet-io-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(source_dir / "scenarios"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every shipped scenario validates and round-trips through its resolved text") {
  const auto files = shipped_scenarios();
  REQUIRE(files.size() >= 11);
  for (const auto& file : files) {
    INFO(file.string());
    Scenario scenario;
    REQUIRE_NOTHROW(scenario = load_scenario(file.string()));
    CHECK(!scenario.name.empty());
    CHECK(scenario.name == file.stem().string());
    CHECK(scenario.source_files.front() == file.lexically_normal().generic_string());
    // The resolved text is what results store: it must load back to the same scenario.
    const Scenario again = load_scenario_text(scenario.resolved_yaml, "resolved");
    CHECK(effective_scenario_yaml(again) == effective_scenario_yaml(scenario));
    // And the effective text (every field written) loads back to the same values too.
    const Scenario effective = load_scenario_text(effective_scenario_yaml(scenario), "effective");
    CHECK(effective_scenario_yaml(effective) == effective_scenario_yaml(scenario));
  }
}

TEST_CASE("base.yaml states the built-in behaviour defaults, so the fitted values live in one place twice over") {
  // The defaults of BehaviourParams are what `calibrate --fit` fitted (docs/calibration.md);
  // base.yaml writes them out for readers. A fit that updates one and not the other fails here.
  const Scenario base = load_scenario((source_dir / "scenarios" / "base.yaml").string());
  Scenario defaults = base;
  defaults.behaviour = BehaviourParams{};
  CHECK(effective_scenario_yaml(base) == effective_scenario_yaml(defaults));
}

TEST_CASE("shipped scenarios carry the published figures") {
  const auto dir = source_dir / "scenarios";
  const auto jci150 = load_scenario((dir / "jci-150m.yaml").string());
  REQUIRE(jci150.instruments.size() == 1);
  CHECK(jci150.instruments[0].budget == 150'000'000 * cents_per_eur);
  CHECK(jci150.instruments[0].sme_cascade_share == 0.75);
  CHECK(jci150.instruments[0].rules.thematic_targets.size() >= 10);
  CHECK(jci150.instruments[0].rules.thematic_targets.size() <= 20);
  CHECK(jci150.instruments[0].continuation.enabled);
  CHECK(load_scenario((dir / "jci-300m.yaml").string()).instruments[0].budget == 300'000'000 * cents_per_eur);
  CHECK(load_scenario((dir / "jci-220m.yaml").string()).instruments[0].budget == 220'000'000 * cents_per_eur);
  const auto scale4 = load_scenario((dir / "scaleup-4b.yaml").string());
  REQUIRE(scale4.instruments.size() == 2);
  CHECK(scale4.instruments[1].budget == 4'000'000'000LL * cents_per_eur);
  CHECK(scale4.source_files.size() == 4);  // scaleup-4b -> scaleup-1b -> jci-150m -> base
  CHECK(load_scenario((dir / "escp-4i-2018.yaml").string()).instruments[0].budget == 7'240'000 * cents_per_eur);
  CHECK(load_scenario((dir / "innosup-2020.yaml").string()).instruments[0].budget == 25'150'000 * cents_per_eur);
  CHECK(load_scenario((dir / "clusterxchange.yaml").string()).instruments[0].lump_sum_per_visit == 1'100 * cents_per_eur);
  const auto base = load_scenario((dir / "base.yaml").string());
  CHECK(base.instruments.empty());
  CHECK(base.world.scale == 1.0);
  CHECK(base.months == 120);
  const auto small = load_scenario((dir / "ci-small.yaml").string());
  CHECK(small.world.scale <= 0.1);
  CHECK(small.months <= 36);
  CHECK(world_country_count(small.world) <= 3);
  const auto sweep = load_scenario((dir / "sweep-budget.yaml").string());
  CHECK(sweep.sweep.parameter == "instruments.jci.budget");
  CHECK(sweep.sweep.values.front() == "0");
  CHECK(sweep.sweep.values.back() == "400M");
}

TEST_CASE("a scenario with more instruments than the tie store can tell apart is refused, naming the list") {
  std::string text = "name: many\ninstruments: [";
  for (std::size_t i = 0; i <= max_instruments; ++i) text += "{}, ";
  text += "]\n";
  const auto errors = errors_of([&] { (void)load_scenario_text(text, "many.yaml"); });
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "too many instruments");
  CHECK(errors[0].key == "instruments");
  CHECK(errors[0].where.line == 2);
  CHECK(errors[0].found == std::to_string(max_instruments + 1) + " instruments");
}

TEST_CASE("a seed from the command line is a typed value, applied last and recorded") {
  const auto path = (source_dir / "scenarios" / "ci-small.yaml").string();
  const Scenario plain = load_scenario(path);
  CHECK(plain.seed == 42);
  const Scenario seeded = load_scenario(path, {"seed=7"}, 123);
  CHECK(seeded.seed == 123);  // after --set, as the command line reads
  CHECK(seeded.resolved_yaml.find("seed: 123") != std::string::npos);
  CHECK(seeded.resolved_yaml.find("seed: 7") == std::string::npos);
  // The resolved text loads back to the seed the run used.
  CHECK(load_scenario_text(seeded.resolved_yaml, "resolved", (source_dir / "scenarios").string()).seed == 123);
  // Seeds are kept within int64 (HDF5 attributes); a larger one is refused, naming --seed.
  const auto errors = errors_of([&] { (void)load_scenario(path, {}, std::uint64_t(1) << 63); });
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].where.file == "--seed");
  CHECK(errors[0].key == "seed");
}

TEST_CASE("the schema accepts exactly the world settings world generation accepts") {
  const auto path = (source_dir / "scenarios" / "ci-small.yaml").string();
  // Values on either side of each world limit: the loader and validate_world_config agree.
  const std::vector<std::pair<std::string, bool>> cases = {
      {"world.scale=1000", true},  {"world.scale=1000.5", false}, {"world.scale=0", false},
      {"world.smes=1e9", true},    {"world.smes=2e9", false},     {"world.cluster_partnership_capacity=1", true},
      {"world.cluster_partnership_capacity=0", false},            {"world.cluster_partnership_capacity=255", false},
      {"world.capabilities_per_area=1000", true},                 {"world.capabilities_per_area=1001", false},
      {"world.cluster_size_pareto_alpha=0.05", false},            {"world.placement_gdp_exponent=-10.5", false}};
  for (const auto& [set, valid] : cases) {
    INFO(set);
    bool loads = true;
    Scenario scenario;
    try {
      scenario = load_scenario(path, {set});
    } catch (const std::exception&) {
      loads = false;
    }
    CHECK(loads == valid);
    if (!loads) {
      // The same value put straight into the world's config is refused by the world too.
      scenario = load_scenario(path);
      const auto equals = set.find('=');
      const std::string key = set.substr(6, equals - 6), value = set.substr(equals + 1);
      WorldConfig& w = scenario.world;
      if (key == "scale") w.scale = std::stod(value);
      if (key == "smes") w.smes = std::stod(value);
      if (key == "cluster_partnership_capacity") w.cluster_partnership_capacity = std::stoi(value);
      if (key == "capabilities_per_area") w.capabilities_per_area = std::stoi(value);
      if (key == "cluster_size_pareto_alpha") w.cluster_size_pareto_alpha = std::stod(value);
      if (key == "placement_gdp_exponent") w.placement_gdp_exponent = std::stod(value);
      CHECK_THROWS_AS(validate_world_config(w), Error);
    } else {
      CHECK_NOTHROW(validate_world_config(scenario.world));
    }
  }
}

TEST_CASE("money reads as people write it") {
  const Cents million = 1'000'000 * cents_per_eur;
  CHECK(parse_money("150e6").cents == 150 * million);
  CHECK(parse_money("150000000").cents == 150 * million);
  CHECK(parse_money("150M").cents == 150 * million);
  CHECK(parse_money("1.5B").cents == 1500 * million);
  CHECK(parse_money("1.5bn").cents == 1500 * million);
  CHECK(parse_money("300 MEUR").cents == 300 * million);
  CHECK(parse_money("150k").cents == 150'000 * cents_per_eur);
  CHECK(parse_money("1,100 EUR").cents == 1'100 * cents_per_eur);
  CHECK(parse_money("4,000,000").cents == 4 * million);
  CHECK(parse_money("7.24M").cents == 7'240'000 * cents_per_eur);
  CHECK(parse_money("0").cents == 0);
  CHECK(parse_money("12.34").cents == 1234);
  for (const char* bad : {"", "M", "-5", "-5M", "150m", "1,00", "11,00,000", "nan", "inf", ".inf", "1e14", "150X",
                          "EUR", "1.5 B B", "0x10", "1e400"}) {
    INFO(bad);
    CHECK(!parse_money(bad).cents);
    CHECK(!parse_money(bad).problem.empty());
  }
  for (const Cents cents : std::vector<Cents>{0, Cents{1}, Cents{110'000}, 7'240'000 * cents_per_eur, 25'150'000 * cents_per_eur,
                            4'000'000'000LL * cents_per_eur, Cents{123'456'789}}) {
    INFO(format_money(cents));
    CHECK(parse_money(format_money(cents)).cents == cents);
  }
  CHECK(format_money(150 * million) == "150M");
  CHECK(format_money(1'100 * cents_per_eur) == "1.1k");
}

TEST_CASE("extends merges maps, replaces lists, then applies set and --set in order") {
  ScratchDir dir;
  dir.write("parent.yaml",
            "name: parent\nseed: 5\nworld: {scale: 0.5, countries: [AT, DE, FR]}\n"
            "instruments:\n  - {name: a, kind: consortium, budget: 10M, grant: 1M}\n");
  fs::create_directories(dir.path / "sub");
  const auto child = dir.write("sub/child.yaml",
                               "name: child\nextends: ../parent.yaml\nworld: {countries: [AT, SI]}\n"
                               "set:\n  instruments.a.budget: 20M\n  seed: 6\n");
  Scenario s = load_scenario(child);
  CHECK(s.name == "child");
  CHECK(s.world.scale == 0.5);                                      // merged from the parent
  CHECK(s.world.countries == std::vector<std::string>{"AT", "SI"});  // list replaced, not appended
  CHECK(s.instruments.at(0).budget == 20'000'000 * cents_per_eur);   // file's own set
  CHECK(s.seed == 6);
  REQUIRE(s.source_files.size() == 2);
  CHECK(s.source_files[1].find("parent.yaml") != std::string::npos);
  CHECK(s.resolved_yaml.find("extends") == std::string::npos);

  s = load_scenario(child, {"seed=7", "instruments.a.budget=300 MEUR", "seed=8", "world.countries=[AT, DE, IT]"});
  CHECK(s.seed == 8);  // later overrides win
  CHECK(s.instruments.at(0).budget == 300'000'000 * cents_per_eur);
  CHECK(s.world.countries.size() == 3);
  // A --set of a section key that the files never wrote creates it.
  CHECK(load_scenario(child, {"measurement.every_months=3"}).measurement.every_months == 3);

  const auto errors = errors_of([&] { load_scenario(child, {"instruments.a.bugdet=1M", "wrld.scale=2", "seed"}); });
  const std::string text = all_text(errors);
  INFO(text);
  REQUIRE(errors.size() == 3);
  CHECK(text.find("did you mean 'instruments.a.budget'") != std::string::npos);
  CHECK(text.find("did you mean 'world.scale'") != std::string::npos);
  CHECK(text.find("expected KEY=VALUE") != std::string::npos);
  for (const auto& e : errors) CHECK(e.where.file == "--set");
  // A bad value given by --set is reported at --set, with the key.
  const auto value_errors = errors_of([&] { load_scenario(child, {"world.scale=-1"}); });
  REQUIRE(value_errors.size() == 1);
  CHECK(value_errors[0].where.file == "--set");
  CHECK(value_errors[0].key == "world.scale");
}

TEST_CASE("all errors of a file are reported at once, each with its position") {
  ScratchDir dir;
  const auto file = dir.write("many.yaml",
                              "name: many\nseed: -1\nworld:\n  scal: 1\nbehaviour:\n  learning_rate: 2\n"
                              "instruments:\n  - {name: x, kind: exchange, budget: 1M, lump_sum_per_visit: 1100, "
                              "visits_per_month: 1, rules: {min_partners: 5, max_partners: 2}}\n");
  const auto errors = errors_of([&] { load_scenario(file); });
  INFO(all_text(errors));
  REQUIRE(errors.size() == 4);
  std::set<int> lines;
  for (const auto& e : errors) {
    CHECK(e.where.file == file);
    CHECK(e.where.column > 0);
    CHECK(!e.key.empty());
    CHECK(!e.valid.empty());
    lines.insert(e.where.line);
  }
  CHECK(lines == std::set<int>{2, 4, 6, 8});
}

TEST_CASE("the malformed corpus is rejected with the expected message and line") {
  const fs::path dir = source_dir / "tests/io/malformed";
  std::ifstream index(dir / "expected.txt");
  REQUIRE(index);
  std::string line;
  int cases = 0;
  while (std::getline(index, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::smatch m;
    REQUIRE(std::regex_match(line, m, std::regex(R"(\s*(\S+)\s*\|\s*(\d+)\s*\|\s*(.*\S)\s*)")));
    const std::string file = m[1];
    const int expected_line = std::stoi(m[2]);
    const std::string fragment = m[3];
    ++cases;
    INFO(file << " | expected line " << expected_line << " | " << fragment);
    const auto errors = errors_of([&] { load_scenario((dir / file).string()); });
    INFO(all_text(errors));
    REQUIRE(errors.size() == 1);  // one defect each, so one error
    CHECK(format_error(errors[0]).find(fragment) != std::string::npos);
    CHECK(errors[0].where.line == expected_line);
  }
  CHECK(cases >= 40);
}

TEST_CASE("huge, deeply nested and alias-bomb inputs fail fast without crashing") {
  ScratchDir dir;
  {
    std::string text = "name: huge\ndescription: |\n";
    const std::string row = "  " + std::string(100, 'x') + '\n';
    while (text.size() <= max_scenario_bytes) text.append(row);
    const auto file = dir.write("huge.yaml", text);
    const auto errors = errors_of([&] { load_scenario(file); });
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message.find("too large") != std::string::npos);
  }
  {
    // Far deeper than yaml-cpp's own guard: must be stopped by the text scan, not by the stack.
    const auto file = dir.write("deep.yaml", "name: deep\nworld: " + std::string(100000, '[') + "\n");
    const auto errors = errors_of([&] { load_scenario(file); });
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message.find("nested too deeply") != std::string::npos);
    const auto braces = dir.write("braces.yaml", "name: deep\nworld: " + std::string(50000, '{') + "\n");
    CHECK(errors_of([&] { load_scenario(braces); }).size() == 1);
    std::string dashes = "name: deep\nworld:\n  countries:\n    ";
    for (int i = 0; i < 5000; ++i) dashes += "- ";
    const auto dashed = dir.write("dashes.yaml", dashes + "x\n");
    CHECK(errors_of([&] { load_scenario(dashed); }).size() == 1);
  }
  {
    std::string text = "name: laughs\nl0: &l0 [a, a, a, a, a, a, a, a, a, a]\n";
    for (int i = 1; i < 12; ++i) {
      const std::string index = std::to_string(i);
      text.append("l").append(index).append(": &l").append(index).append(" [");
      for (int k = 0; k < 10; ++k) {
        if (k) text.append(", ");
        text.append("*l").append(std::to_string(i - 1));
      }
      text += "]\n";
    }
    const auto file = dir.write("laughs.yaml", text);
    const auto errors = errors_of([&] { load_scenario(file); });
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message.find("too many values") != std::string::npos);
  }
  {
    // Wide rather than deep: 150,000 keys in one map (a set map, an unknown section, a known one)
    // took minutes in key lookups; refused at the first key over the limit, in well under a second.
    for (const std::string section : {"set", "unknown", "world"}) {
      std::string text = "name: wide\n" + section + ":\n";
      for (int i = 0; i < 150000; ++i) text += "  k" + std::to_string(i) + ": 1\n";
      const auto file = dir.write("wide.yaml", text);
      const auto errors = errors_of([&] { load_scenario(file); });
      REQUIRE(errors.size() == 1);
      CHECK(errors[0].message.find("too many keys") != std::string::npos);
      CHECK(errors[0].where.line == static_cast<int>(max_map_entries) + 3);
    }
  }
}

TEST_CASE("docs/scenarios.md documents exactly the keys the parser accepts") {
  std::ifstream docs(source_dir / "docs/scenarios.md");
  REQUIRE(docs);
  // Reference rows: "| `dotted.key` | ...".
  std::set<std::string> documented;
  const std::regex row(R"(^\|\s*`([A-Za-z0-9_.\[\]]+)`\s*\|)");
  std::string line;
  while (std::getline(docs, line)) {
    std::smatch m;
    if (std::regex_search(line, m, row)) documented.insert(m[1]);
  }
  const auto keys = scenario_schema_keys();
  const std::set<std::string> accepted(keys.begin(), keys.end());
  REQUIRE(accepted.size() > 100);
  for (const auto& key : accepted) {
    INFO("accepted by the parser but not documented: " << key);
    CHECK(documented.count(key) == 1);
  }
  for (const auto& key : documented) {
    INFO("documented but not accepted by the parser: " << key);
    CHECK(accepted.count(key) == 1);
  }
}

TEST_CASE("suggestions come from edit distance") {
  CHECK(edit_distance("scal", "scale") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(closest_match("replicate", {"seed", "replicates", "name"}) == "replicates");
  CHECK(closest_match("zzzzzz", {"seed", "replicates", "name"}).empty());
}

TEST_CASE("a cascade to SMEs needs a voucher size or a voucher range, not both") {
  const auto path = (source_dir / "scenarios" / "ci-small.yaml").string();
  // Neither: refused, naming the key and both ways out.
  const auto errors = errors_of([&] { load_scenario(path, {"instruments.jci.support_per_sme=0"}); });
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key == "instruments.jci.support_per_sme");
  CHECK_THAT(errors[0].valid, Catch::Contains("voucher range"));
  // A range alone is enough (it was refused before 2026-12-02).
  const Scenario ranged = load_scenario(
      path, {"instruments.jci.support_per_sme=0", "instruments.jci.voucher_min=10k", "instruments.jci.voucher_max=30k"});
  CHECK(ranged.instruments[0].support_per_sme == 0);
  CHECK(ranged.instruments[0].voucher_max == 30'000 * cents_per_eur);
}
