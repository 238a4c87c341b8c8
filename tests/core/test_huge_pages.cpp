// The program's operator new (sim/app/huge_pages.cpp, linked into this test as into clusternet):
// allocations of 4 MiB or more are advised to use transparent huge pages, which the kernel marks
// on the mapping ("hg" among the VmFlags of /proc/self/smaps); what is allocated stays ordinary
// memory to the program (readable, writable, freed by delete).
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool advice_compiled = false;  // sanitizer builds keep the sanitizer's operators
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool advice_compiled = false;
#else
constexpr bool advice_compiled = true;
#endif
#else
constexpr bool advice_compiled = true;
#endif

// The VmFlags line of the mapping that holds `p` in /proc/self/smaps ("" when none is found).
std::string vm_flags_of(const void* p) {
  const auto address = reinterpret_cast<std::uintptr_t>(p);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    const auto dash = line.find('-');
    const auto space = line.find(' ');
    if (dash != std::string::npos && space != std::string::npos && dash < space &&
        line.find_first_not_of("0123456789abcdef") == dash) {
      const std::uintptr_t begin = std::stoull(line.substr(0, dash), nullptr, 16);
      const std::uintptr_t end = std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16);
      inside = begin <= address && address < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line + ' ';
    }
  }
  return {};
}

}  // namespace

TEST_CASE("large allocations are advised to use huge pages and stay ordinary memory") {
  if (!advice_compiled || !std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled") ||
      !std::filesystem::exists("/proc/self/smaps")) {
    WARN("no transparent huge pages here (or a sanitizer build): nothing to check");
    return;
  }
  constexpr std::size_t size = std::size_t(64) << 20;
  std::vector<std::uint64_t> big(size / sizeof(std::uint64_t));
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = i;
  // The middle of the block lies in its 2 MiB-aligned inside, which was advised.
  const std::string flags = vm_flags_of(big.data() + big.size() / 2);
  INFO("VmFlags of the block's mapping: " << flags);
  REQUIRE_FALSE(flags.empty());
  CHECK(flags.find(" hg ") != std::string::npos);
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < big.size(); i += 4096) sum += big[i];
  CHECK(sum == (big.size() / 4096) * (big.size() - 4096) / 2);
  // Arrays and single objects, freed by their deletes (the sanitizer builds check the pairing of
  // the default operators; these are malloc and free underneath).
  auto array = std::make_unique<double[]>(std::size_t(8) << 20);
  array[(std::size_t(8) << 20) - 1] = 1.5;
  CHECK(array[(std::size_t(8) << 20) - 1] == 1.5);
  auto small = std::make_unique<int>(7);
  CHECK(*small == 7);
}
