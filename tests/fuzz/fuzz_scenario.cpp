// libFuzzer harness: the scenario loader (YAML text, extends, set, --set overrides, validation).
// Input: scenario text, optionally followed by "\n#--set\n" and one --set KEY=VALUE per line.
// `extends` resolves against the shipped scenarios folder, so the seeds' chains are followed.
// Any clusternet::Error or ErrorList is a correct answer; a crash, a sanitizer report, a hang or
// another exception type is a finding. A scenario that loads must load again from the resolved
// text it records (results store it and `report.py` reads it back).
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "io/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clusternet;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  bool has_sets = false;
  const auto [text, set_lines] = fuzz::split_once(input, "\n#--set\n", has_sets);
  std::vector<std::string> sets;
  for (std::size_t start = 0; has_sets && start <= set_lines.size();) {
    const std::size_t end = std::min(set_lines.find('\n', start), set_lines.size());
    if (end > start) sets.emplace_back(set_lines.substr(start, end - start));
    if (sets.size() > 16) break;
    start = end + 1;
  }
  Scenario scenario;
  try {
    scenario = io::load_scenario_text(text, "fuzz.yaml", CLUSTERNET_SCENARIOS_DIR, sets);
  } catch (const Error&) {
    return 0;
  } catch (const ErrorList&) {
    return 0;
  }
  try {
    (void)io::load_scenario_text(scenario.resolved_yaml, "resolved.yaml", CLUSTERNET_SCENARIOS_DIR);
    (void)io::effective_scenario_yaml(scenario);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "a loaded scenario does not load again from its resolved text: %s\n", e.what());
    std::abort();
  }
  return 0;
}
