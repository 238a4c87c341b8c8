// io/safe_file: how every reader opens an input and every writer publishes an output.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "io/safe_file.hpp"

using namespace clusternet;
using namespace clusternet::io;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("clusternet_safe_file_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t partials(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.path().extension() == ".partial";
  return n;
}

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("inputs are opened only when they are regular files") {
  const auto dir = scratch("inputs");
  const fs::path file = dir / "table.csv";
  std::ofstream(file) << "a,b\n";
  CHECK(open_regular_input(file.string()).get() >= 0);
  CHECK_NOTHROW(require_regular_input(file.string()));

  const fs::path fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // A FIFO without a writer: refused at once, never waited on.
  CHECK_THAT(message_of([&] { open_regular_input(fifo.string()); }), Catch::Contains("FIFO"));
  CHECK_THAT(message_of([&] { open_regular_input("/dev/zero"); }), Catch::Contains("character device"));
  CHECK_THAT(message_of([&] { open_regular_input(dir.string()); }), Catch::Contains("directory"));
  CHECK_THAT(message_of([&] { open_regular_input((dir / "missing").string()); }), Catch::Contains("no such file"));
  CHECK(describe_file_kind("/dev/null") == "a character device");
  CHECK(describe_file_kind((dir / "missing").string()) == "missing");
}

TEST_CASE("a pending file is published only when complete and removed otherwise") {
  const auto dir = scratch("pending");
  const std::string target = (dir / "result.h5").string();
  {
    PendingFile pending(target);
    pending.write("half");
    CHECK(partials(dir) == 1);
    CHECK_FALSE(fs::exists(target));
  }  // dropped unpublished: a failed writer leaves nothing
  CHECK(partials(dir) == 0);
  {
    PendingFile pending(target);
    pending.write("whole");
    pending.publish(false, "--output");
  }
  CHECK(contents(target) == "whole");
  CHECK(partials(dir) == 0);
}

TEST_CASE("two writers of one file: the second to finish fails and leaves the first one's file") {
  const auto dir = scratch("race");
  const std::string target = (dir / "same.h5").string();
  PendingFile first(target);
  PendingFile second(target);
  CHECK(first.temporary_path() != second.temporary_path());  // unique per writer, never shared
  first.write("first");
  second.write("second");
  first.publish(false, "--output");
  CHECK_THAT(message_of([&] { second.publish(false, "--output"); }), Catch::Contains("appeared"));
  CHECK(contents(target) == "first");
}

TEST_CASE("only a regular file is ever replaced") {
  const auto dir = scratch("replace");
  const std::string regular = (dir / "old.h5").string();
  std::ofstream(regular) << "old";
  CHECK_THAT(message_of([&] { check_publishable(regular, false, "--output"); }), Catch::Contains("--force"));
  CHECK_NOTHROW(check_publishable(regular, true, "--output"));
  CHECK_NOTHROW(check_publishable((dir / "new.h5").string(), false, "--output"));

  const fs::path link = dir / "link.h5";
  fs::create_symlink(regular, link);
  const fs::path fifo = dir / "pipe.h5";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const std::string& bad : {std::string("/dev/null"), link.string(), fifo.string(), dir.string()})
    CHECK_THAT(message_of([&] { check_publishable(bad, true, "--output"); }), Catch::Contains("only a regular file"));

  // Also at the moment of publishing: a device or link that appeared meanwhile is not replaced.
  const std::string target = (dir / "late.h5").string();
  PendingFile pending(target);
  pending.write("new");
  fs::create_symlink(regular, target);
  CHECK_THAT(message_of([&] { pending.publish(true, "--output"); }), Catch::Contains("only a regular file"));
  CHECK(fs::is_symlink(target));
  CHECK(contents(regular) == "old");
}

TEST_CASE("text outputs: checked writes, files replaced whole, devices written in place") {
  const auto dir = scratch("text");
  const std::string csv = (dir / "table.csv").string();
  write_output_text(csv, "a,b\n1,2\n", "--csv");
  CHECK(contents(csv) == "a,b\n1,2\n");
  write_output_text(csv, "a\n", "--csv");
  CHECK(contents(csv) == "a\n");
  // Through a symbolic link the file it names is replaced and the link kept.
  const fs::path link = dir / "link.csv";
  fs::create_symlink(csv, link);
  write_output_text(link.string(), "b\n", "--csv");
  CHECK(fs::is_symlink(link));
  CHECK(contents(csv) == "b\n");
  CHECK_NOTHROW(write_output_text("/dev/null", "discarded", "--csv"));
  CHECK_THAT(message_of([&] { write_output_text("/dev/full", "x", "--csv"); }), Catch::Contains("No space left"));
  CHECK_THAT(message_of([&] { write_output_text(dir.string(), "x", "--csv"); }), Catch::Contains("directory"));
  CHECK_THAT(message_of([&] { write_output_text((dir / "no" / "such" / "dir.csv").string(), "x", "--csv"); }),
             Catch::Contains("cannot create"));
  CHECK(partials(dir) == 0);
}

TEST_CASE("paths inside output/ are recognised lexically") {
  for (const char* good : {"output/x.h5", "output/a/b/c.h5", "./output/x.h5", "output/a/../x.h5"})
    CHECK(names_file_inside(good, "output"));
  for (const char* bad : {"", "x.h5", "output", "output/", "output/..", "output/../x.h5", "/tmp/output/x.h5",
                          "../output/x.h5", "output/a/../../x.h5", "outputs/x.h5", "/output/x.h5"})
    CHECK_FALSE(names_file_inside(bad, "output"));
}
