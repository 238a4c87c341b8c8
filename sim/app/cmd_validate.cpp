// `clusternet validate FILE... [--print] [--set KEY=VALUE]...`: loads and checks scenarios without
// running them, reporting every problem of every file (not only the first file's first problem).
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/run_support.hpp"
#include "core/error.hpp"
#include "io/scenario_loader.hpp"

namespace clusternet::app {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  bool print = false;
  bool effective = false;
};

int run_validate(const ValidateOptions& options) {
  int status = exit_ok;
  for (const auto& file : options.files) {
    try {
      // Every check `run` makes before its first month, by the same code (a scale that cannot fit
      // this machine, a region table that cannot be read, ... are invalid scenarios here too).
      const Scenario scenario = prepare_run(file, options.overrides).scenario;
      std::cout << file << ": ok\n";
      if (options.print) std::cout << "# resolved scenario " << file << "\n" << scenario.resolved_yaml;
      if (options.effective)
        std::cout << "# every value of " << file << ", defaults included\n" << io::effective_scenario_yaml(scenario);
    } catch (const ErrorList& e) {
      std::cout << file << ": " << e.errors().size() << " errors\n";
      for (const auto& info : e.errors()) std::cout << "  " << format_error(info) << '\n';
      status = exit_failure;
    } catch (const Error& e) {
      std::cout << file << ": 1 error\n  " << e.what() << '\n';
      status = exit_failure;
    }
  }
  return status;
}

const CommandRegistration validate_registration(12, [](CLI::App& app, CommandResult& result) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* command = app.add_subcommand("validate", "Check scenario files (every error at once) without running them");
  command->add_option("files", options->files, "Scenario files")->required();
  command->add_flag("--print", options->print, "Print each resolved scenario (extends, set and --set applied)");
  command->add_flag("--print-effective", options->effective,
                    "Print every value of each scenario, defaults included");
  command->add_option("--set", options->overrides, "Override a value: dotted.key=value (repeatable)")
      ->allow_extra_args(false);
  command->callback([options, &result] { result.exit_code = run_validate(*options); });
});

}  // namespace
}  // namespace clusternet::app
