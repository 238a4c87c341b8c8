// libFuzzer harness: the readers of `clusternet analyze` (node table and edge list CSV), read-only
// use: findings are reported to the owner of sim/io/edge_list_csv.* rather than fixed here.
// Input: an edge list, or a node table, "\n#--edges\n", and an edge list (ids then closed).
// clusternet::Error is a correct answer; anything else is a finding.
#include <cstdint>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "io/edge_list_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clusternet;
  static fuzz::MemoryFile nodes_file("nodes.csv");
  static fuzz::MemoryFile edges_file("edges.csv");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  bool has_nodes = false;
  const auto [first, second] = fuzz::split_once(input, "\n#--edges\n", has_nodes);
  try {
    io::IdMap ids;
    if (has_nodes) (void)io::read_node_table_csv(nodes_file.hold(first), ids);
    const io::EdgeList edges = io::read_edge_list_csv(edges_file.hold(has_nodes ? second : first), ids, has_nodes);
    // What the reader hands on must be consistent: one source and target per line read, every
    // endpoint a known vertex, weights and renewals either absent or one per edge.
    const std::size_t n = edges.sources.size();
    if (edges.targets.size() != n || (!edges.weights.empty() && edges.weights.size() != n) ||
        (!edges.renewals.empty() && edges.renewals.size() != n))
      std::abort();
    for (std::size_t i = 0; i < n; ++i)
      if (edges.sources[i] >= ids.size() || edges.targets[i] >= ids.size()) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
