#include "core/cancel.hpp"

#include <cstddef>
#include <mutex>

namespace clusternet {

namespace detail {
std::atomic<const std::atomic<bool>*> active_stop_flag{nullptr};
}  // namespace detail

namespace {
std::mutex scope_mutex;
std::size_t scope_count = 0;  // live scopes holding the installed flag
}  // namespace

CancelScope::CancelScope(const std::atomic<bool>* flag) {
  if (!flag) return;
  const std::lock_guard lock(scope_mutex);
  const std::atomic<bool>* current = detail::active_stop_flag.load();
  if (current && current != flag) return;
  detail::active_stop_flag.store(flag);
  ++scope_count;
  installed_ = true;
}

CancelScope::~CancelScope() {
  if (!installed_) return;
  const std::lock_guard lock(scope_mutex);
  if (--scope_count == 0) detail::active_stop_flag.store(nullptr);
}

}  // namespace clusternet
