#include "core/parallel.hpp"

namespace clusternet {

std::size_t active_threads() {
  return tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
}

}  // namespace clusternet
