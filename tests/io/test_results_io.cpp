#include <hdf5.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "core/cancel.hpp"
#include "io/h5_util.hpp"
#include "io/results_reader.hpp"
#include "io/results_writer.hpp"
#include "sample_results.hpp"

using namespace clusternet;
using namespace clusternet::io;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test case under the build tree's temp area.
// How many temporary .partial files a write left in `dir`.
std::size_t partial_files(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.path().extension() == ".partial";
  return n;
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("clusternet_io_tests_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

const SeriesInfo* find_series(const RunResults& r, const std::string& group, const std::string& name, std::size_t& index) {
  for (std::size_t i = 0; i < r.series.size(); ++i)
    if (r.series[i].group == group && r.series[i].name == name) {
      index = i;
      return &r.series[i];
    }
  return nullptr;
}

ResultsFileError::Kind rejection(const std::string& path) {
  try {
    (void)read_results(path);
  } catch (const ResultsFileError& e) {
    return e.kind();
  }
  FAIL("expected ResultsFileError for " << path);
  return ResultsFileError::Kind::malformed;
}

}  // namespace

TEST_CASE("round trip: every dataset reads back as written") {
  const auto dir = scratch("roundtrip");
  const RunResults in = testing::make_sample_results(7, 3, 14);
  const std::string path = (dir / "run.h5").string();
  write_results(in, path);
  REQUIRE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".partial"));
  const RunResults out = read_results(path);

  CHECK(out.scenario_name == in.scenario_name);
  CHECK(out.seed == in.seed);
  CHECK(out.threads == in.threads);
  CHECK(out.start_year == in.start_year);
  CHECK(out.start_month == in.start_month);
  CHECK(out.months == in.months);
  CHECK(out.resolved_yaml == in.resolved_yaml);
  CHECK(out.source_files == in.source_files);
  CHECK(out.notes == in.notes);
  REQUIRE(out.regions.size() == in.regions.size());
  for (std::size_t g = 0; g < in.regions.size(); ++g) {
    CHECK(out.regions[g].nuts_id == in.regions[g].nuts_id);
    CHECK(out.regions[g].name == in.regions[g].name);  // includes non-ASCII UTF-8
    CHECK(out.regions[g].country == in.regions[g].country);
    CHECK(out.regions[g].category == in.regions[g].category);
    CHECK(out.regions[g].lon == in.regions[g].lon);
    CHECK(out.regions[g].lat == in.regions[g].lat);
    CHECK(out.regions[g].population == in.regions[g].population);
    CHECK(out.regions[g].gdp_index == in.regions[g].gdp_index);
  }
  REQUIRE(out.series.size() == in.series.size());
  REQUIRE(out.replicates.size() == in.replicates.size());
  // The reader lists series by group then name; match them by name.
  for (std::size_t s = 0; s < in.series.size(); ++s) {
    std::size_t o = 0;
    const SeriesInfo* info = find_series(out, in.series[s].group, in.series[s].name, o);
    REQUIRE(info != nullptr);
    CHECK(info->description == in.series[s].description);
    CHECK(info->unit == in.series[s].unit);
    for (std::size_t k = 0; k < in.replicates.size(); ++k)
      for (std::size_t m = 0; m < in.months.size(); ++m)
        CHECK(same(out.replicates[k].series[o][m], in.replicates[k].series[s][m]));
  }
  REQUIRE(out.region_series.size() == in.region_series.size());
  for (std::size_t s = 0; s < in.region_series.size(); ++s) {
    std::size_t o = 0;
    while (o < out.region_series.size() && out.region_series[o].name != in.region_series[s].name) ++o;
    REQUIRE(o < out.region_series.size());
    CHECK(out.region_series[o].unit == in.region_series[s].unit);
    for (std::size_t k = 0; k < in.replicates.size(); ++k)
      CHECK(out.replicates[k].region_series[o] == in.replicates[k].region_series[s]);
  }
  for (std::size_t k = 0; k < in.replicates.size(); ++k) {
    const auto& a = in.replicates[k];
    const auto& b = out.replicates[k];
    REQUIRE(b.partnerships.size() == a.partnerships.size());
    for (std::size_t i = 0; i < a.partnerships.size(); ++i) {
      CHECK(b.partnerships[i].id == a.partnerships[i].id);
      CHECK(b.partnerships[i].instrument == a.partnerships[i].instrument);
      CHECK(b.partnerships[i].lead == a.partnerships[i].lead);
      CHECK(b.partnerships[i].members == a.partnerships[i].members);
      CHECK(b.partnerships[i].start == a.partnerships[i].start);
      CHECK(b.partnerships[i].end == a.partnerships[i].end);
      CHECK(b.partnerships[i].grant_eur == a.partnerships[i].grant_eur);
      CHECK(b.partnerships[i].smes_supported == a.partnerships[i].smes_supported);
      CHECK(b.partnerships[i].status == a.partnerships[i].status);
    }
    REQUIRE(b.final_edges.size() == a.final_edges.size());
    for (std::size_t i = 0; i < a.final_edges.size(); ++i) {
      CHECK(b.final_edges[i].source == a.final_edges[i].source);
      CHECK(b.final_edges[i].target == a.final_edges[i].target);
      CHECK(b.final_edges[i].weight == a.final_edges[i].weight);
      CHECK(b.final_edges[i].formed_month == a.final_edges[i].formed_month);
      CHECK(b.final_edges[i].origin == a.final_edges[i].origin);
      CHECK(b.final_edges[i].instrument == a.final_edges[i].instrument);
    }
    REQUIRE(b.final_nodes.size() == a.final_nodes.size());
    for (std::size_t i = 0; i < a.final_nodes.size(); ++i) {
      CHECK(b.final_nodes[i].id == a.final_nodes[i].id);
      CHECK(b.final_nodes[i].kind == a.final_nodes[i].kind);
      CHECK(b.final_nodes[i].region == a.final_nodes[i].region);
      CHECK(b.final_nodes[i].area == a.final_nodes[i].area);
      CHECK(b.final_nodes[i].degree == a.final_nodes[i].degree);
      CHECK(b.final_nodes[i].cluster == a.final_nodes[i].cluster);
      CHECK(b.final_nodes[i].memberships == a.final_nodes[i].memberships);
    }
    CHECK(b.table_names == a.table_names);
    CHECK(b.tables == a.tables);  // ragged rows come back with their own lengths
  }

  const ResultsInfo info = read_info(path);
  CHECK(info.complete);
  CHECK(info.format_version == results_format_version);
  CHECK(info.replicates == 3);
  CHECK(info.months == 14);
  bool saw_ties = false;
  for (const auto& d : info.datasets)
    if (d.path == "/metrics/network/ties") {
      saw_ties = true;
      CHECK(d.shape == std::vector<std::uint64_t>{3, 14});
      CHECK(d.type == "float64");
    }
  CHECK(saw_ties);
}

TEST_CASE("summary holds mean, std and the 95% interval at the final month with a value") {
  const auto dir = scratch("summary");
  const RunResults in = testing::make_sample_results(7, 3, 12);
  const std::string path = (dir / "run.h5").string();
  write_results(in, path);
  const auto summary = read_summary(path);
  bool saw_ties = false, saw_transitivity = false;
  for (const auto& s : summary) {
    if (s.name == "ties") {
      saw_ties = true;
      const double a = in.replicates[0].series[0][11], b = in.replicates[1].series[0][11], c = in.replicates[2].series[0][11];
      CHECK(s.n == 3);
      CHECK(s.month == 11);
      CHECK(s.mean == Approx((a + b + c) / 3));
      CHECK(s.ci95_low < s.mean);
      CHECK(s.ci95_high > s.mean);
    }
    if (s.name == "transitivity") {
      saw_transitivity = true;
      CHECK(s.month == 10);  // month 11 is NaN (measured every second month)
      CHECK(s.n == 3);
    }
  }
  CHECK(saw_ties);
  CHECK(saw_transitivity);
}

TEST_CASE("month labels count from the start month across years") {
  CHECK(month_label(2021, 11, 0) == "2021-11");
  CHECK(month_label(2021, 11, 2) == "2022-01");
  CHECK(month_label(2021, 1, 35) == "2023-12");
}

TEST_CASE("an existing output is not overwritten without force") {
  const auto dir = scratch("force");
  const std::string path = (dir / "run.h5").string();
  { std::ofstream(path) << "precious"; }
  CHECK_THROWS_AS(write_results(testing::make_sample_results(), path), Error);
  std::ifstream in(path);
  std::string text;
  in >> text;
  CHECK(text == "precious");
  WriteOptions force;
  force.force = true;
  write_results(testing::make_sample_results(), path, force);
  CHECK(read_info(path).complete);
}

TEST_CASE("a write that fails midway leaves neither a final file nor a .partial") {
  const auto dir = scratch("failure");
  const std::string path = (dir / "run.h5").string();
  auto partials = [&] { return partial_files(dir); };
  // "written": the bytes are on disk under the temporary name, not yet renamed.
  for (const char* stage : {"root", "metrics", "network", "summary", "provenance", "written"}) {
    WriteOptions options;
    bool injected = false;
    options.after_stage = [&](std::string_view s) {
      if (s == stage) {
        injected = true;
        CHECK_FALSE(fs::exists(path));
        if (s == std::string_view("written")) CHECK(partials() == 1);
        throw std::runtime_error("injected failure");
      }
    };
    CHECK_THROWS_WITH(write_results(testing::make_sample_results(), path, options), "injected failure");
    CHECK(injected);
    CHECK_FALSE(fs::exists(path));
    CHECK(partials() == 0);
  }
}

TEST_CASE("a stop asked for during the write ends it inside the long parts, leaving no file") {
  // Ctrl-C while a whole-EU result is written: the final network's table and the file's bytes take
  // tens of seconds there, so the stop flag (through a CancelScope, as `run` installs it) is looked
  // at between their blocks, not only between the parts of the file.
  const auto dir = scratch("stop");
  const std::string path = (dir / "run.h5").string();
  auto partials = [&] { return partial_files(dir); };
  // "collaborations" comes just before the final network; "calibration" is the last part before
  // the bytes are written to disk ("written" follows them).
  for (const auto& stages :
       {std::pair<std::string, std::string>{"collaborations", "network"}, {"calibration", "written"}}) {
    const std::string& set_after = stages.first;  // named: clang 14 cannot capture a structured binding
    const std::string& never_seen = stages.second;
    std::atomic<bool> stop{false};
    std::vector<std::string> seen;
    WriteOptions options;
    options.after_stage = [&](std::string_view s) {
      seen.emplace_back(s);
      if (s == set_after) stop = true;
    };
    {
      const CancelScope cancel(&stop);
      CHECK_THROWS_AS(write_results(testing::make_sample_results(), path, options), Interrupted);
    }
    CHECK(std::find(seen.begin(), seen.end(), set_after) != seen.end());
    CHECK(std::find(seen.begin(), seen.end(), never_seen) == seen.end());
    CHECK_FALSE(fs::exists(path));
    CHECK(partials() == 0);
  }
  // Without a live scope the flag is nobody's business: the write completes.
  std::atomic<bool> stop{true};
  WriteOptions options;
  options.after_stage = [&](std::string_view) { CHECK(stop.load()); };
  write_results(testing::make_sample_results(), path, options);
  CHECK(read_info(path).complete);
}

TEST_CASE("tables written block by block store the chunks HDF5's own filter pipeline stores") {
  // write_table_blocks shuffles and deflates the chunks itself, in parallel, and stores them with
  // H5Dwrite_chunk; write_table lets HDF5 filter the same rows. Every stored chunk (bytes and
  // filter mask) must be the same: compressible rows, rows of random bytes (deflate makes them
  // longer, and HDF5 stores them so all the same), and a last chunk the table fills only in part.
  struct Row {
    std::uint32_t a;
    double w;
    std::int16_t m;
    std::int8_t o;
    std::uint32_t c;
  };
  const std::vector<h5::Field> fields = {{"a", offsetof(Row, a), H5T_NATIVE_UINT32},
                                         {"w", offsetof(Row, w), H5T_NATIVE_DOUBLE},
                                         {"m", offsetof(Row, m), H5T_NATIVE_INT16},
                                         {"o", offsetof(Row, o), H5T_NATIVE_INT8},
                                         {"c", offsetof(Row, c), H5T_NATIVE_UINT32}};
  const std::size_t rows = 100'003;
  std::vector<Row> regular(rows), noise(rows);
  std::uint64_t state = 12345;
  auto next = [&] {  // splitmix64: all 64 bits random
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  for (std::size_t i = 0; i < rows; ++i) {
    regular[i] = {static_cast<std::uint32_t>(i / 3), 0.25 * double(i % 17), static_cast<std::int16_t>(i % 120),
                  static_cast<std::int8_t>(i % 3), static_cast<std::uint32_t>(i % 5)};
    std::memset(&noise[i], 0, sizeof(Row));  // padding too: the two paths must see the same bytes
    const std::uint64_t bits = next();
    double w = 0;
    std::memcpy(&w, &bits, sizeof w);
    noise[i].a = static_cast<std::uint32_t>(next());
    noise[i].w = std::isfinite(w) ? w : 1.0;
    noise[i].m = static_cast<std::int16_t>(next());
    noise[i].o = static_cast<std::int8_t>(next());
    noise[i].c = static_cast<std::uint32_t>(next());
  }
  const auto dir = scratch("chunks");
  const std::string path = (dir / "chunks.h5").string();
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(f >= 0);
  for (const auto* table : {&regular, &noise}) {
    const std::string tag = table == &regular ? "regular" : "noise";
    h5::write_table(f, tag + "_whole", sizeof(Row), fields, rows, table->data());
    h5::write_table_blocks(f, tag + "_blocks", sizeof(Row), fields, rows,
                           [&](std::size_t first, std::size_t count, unsigned char* out) {
      std::memcpy(out, table->data() + first, count * sizeof(Row));
    });
    hid_t whole = H5Dopen2(f, (tag + "_whole").c_str(), H5P_DEFAULT);
    hid_t blocks = H5Dopen2(f, (tag + "_blocks").c_str(), H5P_DEFAULT);
    hid_t space_whole = H5Dget_space(whole), space_blocks = H5Dget_space(blocks);
    hsize_t chunks_whole = 0, chunks_blocks = 0;
    REQUIRE(H5Dget_num_chunks(whole, space_whole, &chunks_whole) >= 0);
    REQUIRE(H5Dget_num_chunks(blocks, space_blocks, &chunks_blocks) >= 0);
    CHECK(chunks_whole > 2);
    REQUIRE(chunks_blocks == chunks_whole);
    // The bytes of one chunk before filtering: its rows times the packed row.
    hid_t dcpl = H5Dget_create_plist(whole);
    hid_t type = H5Dget_type(whole);
    hsize_t chunk_rows = 0;
    REQUIRE(H5Pget_chunk(dcpl, 1, &chunk_rows) == 1);
    const hsize_t raw_bytes = chunk_rows * H5Tget_size(type);
    H5Tclose(type);
    H5Pclose(dcpl);
    std::size_t longer = 0;
    for (hsize_t k = 0; k < chunks_whole; ++k) {
      hsize_t offset_whole = 0, offset_blocks = 0, size_whole = 0, size_blocks = 0;
      unsigned mask_whole = 0, mask_blocks = 0;
      haddr_t address = 0;
      REQUIRE(H5Dget_chunk_info(whole, space_whole, k, &offset_whole, &mask_whole, &address, &size_whole) >= 0);
      REQUIRE(H5Dget_chunk_info(blocks, space_blocks, k, &offset_blocks, &mask_blocks, &address, &size_blocks) >= 0);
      CHECK(offset_blocks == offset_whole);
      CHECK(mask_blocks == mask_whole);
      REQUIRE(size_blocks == size_whole);
      std::vector<unsigned char> a(size_whole), b(size_blocks);
      std::uint32_t read_mask = 0;
      REQUIRE(H5Dread_chunk(whole, H5P_DEFAULT, &offset_whole, &read_mask, a.data()) >= 0);
      REQUIRE(H5Dread_chunk(blocks, H5P_DEFAULT, &offset_blocks, &read_mask, b.data()) >= 0);
      CHECK(a == b);
      longer += size_whole > raw_bytes;
    }
    // The random rows really came out longer than they went in, the regular ones never did.
    if (table == &noise) CHECK(longer == chunks_whole);
    else CHECK(longer == 0);
    H5Sclose(space_whole);
    H5Sclose(space_blocks);
    H5Dclose(whole);
    H5Dclose(blocks);
  }
  H5Fclose(f);
}

TEST_CASE("inconsistent results are refused before anything is written") {
  const auto dir = scratch("invalid");
  auto r = testing::make_sample_results();
  r.replicates[1].series[2].pop_back();
  const std::string path = (dir / "run.h5").string();
  CHECK_THROWS_AS(write_results(r, path), Error);
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".partial"));
}

TEST_CASE("the reader rejects unusable files with a ResultsFileError") {
  using K = ResultsFileError::Kind;
  const auto dir = scratch("reject");
  const std::string good = (dir / "good.h5").string();
  write_results(testing::make_sample_results(), good);

  CHECK(rejection((dir / "missing.h5").string()) == K::missing);

  const std::string text = (dir / "text.h5").string();
  std::ofstream(text) << "scenario,replicate\nbase,0\n";
  CHECK(rejection(text) == K::not_hdf5);
  CHECK(rejection(dir.string()) == K::not_hdf5);

  const std::string truncated = (dir / "truncated.h5").string();
  {
    std::ifstream in(good, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(truncated, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  }
  CHECK(rejection(truncated) == K::unreadable);

  const std::string partial = good + ".partial";
  fs::copy_file(good, partial);
  CHECK(rejection(partial) == K::partial);

  // Foreign: a valid HDF5 file written by "another program" (no format attribute).
  const std::string foreign = (dir / "foreign.h5").string();
  {
    const hid_t f = H5Fcreate(foreign.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(f >= 0);
    const hid_t g = H5Gcreate2(f, "data", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(g);
    H5Fclose(f);
  }
  CHECK(rejection(foreign) == K::foreign);

  // Incomplete: our format, but complete = 0 (as a killed run's .partial renamed by hand).
  const std::string incomplete = (dir / "incomplete.h5").string();
  fs::copy_file(good, incomplete);
  {
    const hid_t f = H5Fopen(incomplete.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    const hid_t a = H5Aopen(f, "complete", H5P_DEFAULT);
    const std::int64_t zero = 0;
    H5Awrite(a, H5T_NATIVE_INT64, &zero);
    H5Aclose(a);
    H5Fclose(f);
  }
  CHECK(rejection(incomplete) == K::incomplete);
  CHECK_THROWS_AS(read_info(incomplete), ResultsFileError);
  CHECK_THROWS_AS(read_summary(truncated), ResultsFileError);

  // Malformed: complete and ours, but a dataset has the wrong shape.
  const std::string malformed = (dir / "malformed.h5").string();
  fs::copy_file(good, malformed);
  {
    const hid_t f = H5Fopen(malformed.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    H5Ldelete(f, "/metrics/network/ties", H5P_DEFAULT);
    const hsize_t dims[1] = {5};
    const hid_t s = H5Screate_simple(1, dims, nullptr);
    const hid_t d = H5Dcreate2(f, "/metrics/network/ties", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d);
    H5Sclose(s);
    H5Fclose(f);
  }
  CHECK(rejection(malformed) == K::malformed);
}

TEST_CASE("tables read block by block give the rows a whole read gives, one block held at a time") {
  // 600,000 rows of 24 bytes: 14 MB, more than one block of about 8 MiB, and a last block the
  // table fills only in part.
  struct Row {
    std::uint64_t id;
    double w;
    std::int32_t k;
  };
  const std::vector<h5::Field> fields = {{"id", offsetof(Row, id), H5T_NATIVE_UINT64},
                                         {"w", offsetof(Row, w), H5T_NATIVE_DOUBLE},
                                         {"k", offsetof(Row, k), H5T_NATIVE_INT32}};
  const std::size_t rows = 600'001;
  std::vector<Row> table(rows);
  for (std::size_t i = 0; i < rows; ++i) table[i] = {i * 7919, 0.5 * double(i % 1001), static_cast<std::int32_t>(i % 97) - 40};
  const auto dir = scratch("read_blocks");
  const std::string path = (dir / "blocks.h5").string();
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(f >= 0);
  h5::write_table(f, "t", sizeof(Row), fields, rows, table.data());
  h5::write_table(f, "empty", sizeof(Row), fields, 0, nullptr);

  std::vector<unsigned char> whole;
  REQUIRE(h5::read_table(f, "t", sizeof(Row), fields, whole) == rows);
  std::vector<unsigned char> joined;
  std::size_t blocks = 0, next_first = 0, largest = 0;
  const std::size_t n = h5::read_table_blocks(f, "t", sizeof(Row), fields,
                                              [&](std::size_t first, std::size_t count, std::size_t total,
                                                  const unsigned char* bytes) {
    CHECK(total == rows);
    CHECK(first == next_first);  // in order, without gaps or overlaps
    next_first = first + count;
    largest = std::max(largest, count);
    ++blocks;
    joined.insert(joined.end(), bytes, bytes + count * sizeof(Row));
  });
  CHECK(n == rows);
  CHECK(next_first == rows);
  CHECK(blocks >= 2);
  CHECK(largest * sizeof(Row) <= std::size_t(9) << 20);
  CHECK(joined == whole);

  std::size_t calls = 0;
  CHECK(h5::read_table_blocks(f, "empty", sizeof(Row), fields, [&](std::size_t, std::size_t, std::size_t, const unsigned char*) { ++calls; }) == 0);
  CHECK(calls == 0);
  // A field the file lacks is refused as read_table refuses it.
  const std::vector<h5::Field> other = {{"id", offsetof(Row, id), H5T_NATIVE_UINT64}, {"z", offsetof(Row, k), H5T_NATIVE_INT32}};
  CHECK_THROWS_AS(h5::read_table_blocks(f, "t", sizeof(Row), other, [](std::size_t, std::size_t, std::size_t, const unsigned char*) {}),
                  Error);
  H5Fclose(f);
}

TEST_CASE("verify reads the final network through and keeps none of it; a broken one fails both ways") {
  const auto dir = scratch("final_verify");
  const std::string good = (dir / "good.h5").string();
  const RunResults sample = testing::make_sample_results();
  write_results(sample, good);
  const RunResults loaded = read_results(good);
  const RunResults verified = read_results(good, FinalNetwork::verify);
  REQUIRE(!loaded.replicates.empty());
  REQUIRE(verified.replicates.size() == loaded.replicates.size());
  CHECK(!loaded.replicates[0].final_edges.empty());
  CHECK(loaded.replicates[0].final_edges.size() == sample.replicates[0].final_edges.size());
  for (std::size_t k = 0; k < verified.replicates.size(); ++k) {
    CHECK(verified.replicates[k].final_edges.empty());
    CHECK(verified.replicates[k].final_nodes.empty());
    const auto& a = verified.replicates[k].series;
    const auto& b = loaded.replicates[k].series;
    REQUIRE(a.size() == b.size());
    for (std::size_t s = 0; s < a.size(); ++s) {
      REQUIRE(a[s].size() == b[s].size());
      for (std::size_t m = 0; m < a[s].size(); ++m) CHECK(same(a[s][m], b[s][m]));
    }
  }

  // The edge table of replicate 0 replaced by one without its `weight` field.
  const std::string broken = (dir / "broken.h5").string();
  fs::copy_file(good, broken);
  {
    const hid_t f = H5Fopen(broken.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    REQUIRE(H5Ldelete(f, "/network/final/rep_0/edges", H5P_DEFAULT) >= 0);
    struct Row {
      std::int64_t source, target;
    };
    const std::vector<h5::Field> fields = {{"source", offsetof(Row, source), H5T_NATIVE_INT64},
                                           {"target", offsetof(Row, target), H5T_NATIVE_INT64}};
    const Row rows[2] = {{0, 1}, {1, 2}};
    h5::write_table(f, "/network/final/rep_0/edges", sizeof(Row), fields, 2, rows);
    H5Fclose(f);
  }
  CHECK(rejection(broken) == ResultsFileError::Kind::malformed);
  CHECK_THROWS_AS(read_results(broken, FinalNetwork::verify), ResultsFileError);
}
