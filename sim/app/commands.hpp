#pragma once
// Each subcommand lives in its own file and registers itself on the CLI11 application here. A
// handler stores its exit status in `CommandResult`; main() returns it.
#include <CLI/CLI.hpp>

namespace clusternet::app {

// Exit statuses shared by all commands (documented in the README and `clusternet --help`).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // invalid input or a failed check
inline constexpr int exit_usage = 2;    // bad command line, or a missing/malformed/incomplete file

struct CommandResult {
  int exit_code = exit_ok;
};

}  // namespace clusternet::app
