#pragma once
// Each subcommand lives in its own file (cmd_<name>.cpp) and registers itself here through a
// static `CommandRegistration`, so adding a command touches only its own file and the source list
// in CMakeLists.txt. A handler stores its exit status in `CommandResult`; main() returns it.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace clusternet::app {

// Exit statuses shared by all commands (documented in the README and `clusternet --help`).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // invalid input (scenario, region table, edge list) or a failed check
inline constexpr int exit_usage = 2;    // bad command line, or a missing/malformed/incomplete result file

struct CommandResult {
  int exit_code = exit_ok;
};

using CommandSetup = std::function<void(CLI::App& app, CommandResult& result)>;

struct CommandEntry {
  int order;          // position in `clusternet --help`
  CommandSetup setup;
};

std::vector<CommandEntry>& command_registry();

struct CommandRegistration {
  CommandRegistration(int order, CommandSetup setup) {
    command_registry().push_back({order, std::move(setup)});
  }
};

}  // namespace clusternet::app
