// clusternet: the command-line program. Parses the command line with CLI11 and dispatches to the
// subcommands, each registered from its own file. Every error ends here as one readable message
// and a non-zero exit status, never as an uncaught exception.
#include <system_error>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <exception>
#include <iostream>

#include "app/commands.hpp"
#include "clusternet/git_revision.hpp"
#include "clusternet/version.hpp"
#include "core/error.hpp"

namespace clusternet::app {
std::vector<CommandEntry>& command_registry() {
  static std::vector<CommandEntry> registry;  // function-local: safe from static-order problems
  return registry;
}
}  // namespace clusternet::app

namespace {

int run(int argc, char** argv) {
  using namespace clusternet;
  CLI::App app{"ClusterNet: an agent-based simulator of interregional collaboration networks under EU "
               "cluster-policy funding scenarios.\n\nExit status: 0 success; 1 invalid input (a scenario, "
               "region table or edge list) or a failed check; 2 bad command line, or a result file that is missing, "
               "malformed or incomplete."};
  app.require_subcommand(0, 1);
  app.footer("Typical session: validate a scenario, run it, compare it with the counterfactual (base.yaml),\nthen write a report with scripts/report.py. Every subcommand has --help.");
  app.set_version_flag("--version", std::string("clusternet ") + clusternet::version + " (" +
                                        clusternet::git_revision + ")");
  app::CommandResult result;
  auto& registry = app::command_registry();
  std::stable_sort(registry.begin(), registry.end(),
                   [](const app::CommandEntry& a, const app::CommandEntry& b) { return a.order < b.order; });
  for (auto& entry : registry) entry.setup(app, result);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : app::exit_usage;
  } catch (const Error& e) {
    std::cerr << "clusternet: error: " << e.what() << '\n';
    return app::exit_failure;
  } catch (const ErrorList& e) {
    std::cerr << "clusternet: " << e.what() << '\n';
    return app::exit_failure;
  } catch (const std::exception& e) {
    std::cerr << "clusternet: error: " << e.what() << '\n';
    return app::exit_failure;
  }
  if (app.get_subcommands().empty()) std::cout << app.help();
  // What a command printed is part of its result: a full disk or a closed pipe behind stdout must
  // not end in exit 0 (`clusternet compare a.h5 b.h5 > /dev/full`).
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::cerr << "clusternet: error: writing to standard output failed: " << std::error_code(errno, std::generic_category()).message() << '\n';
    return result.exit_code != app::exit_ok ? result.exit_code : app::exit_failure;
  }
  return result.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // What run() does not catch itself (the command line set up before parsing, a failure to print)
  // still ends as a message and a failure status, never as std::terminate.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fputs("clusternet: error: ", stderr);
    std::fputs(e.what(), stderr);
    std::fputs("\n", stderr);
  } catch (...) {
    std::fputs("clusternet: error: unexpected failure\n", stderr);
  }
  return clusternet::app::exit_failure;
}
