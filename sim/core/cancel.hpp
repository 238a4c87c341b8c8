#pragma once
// Cooperative cancellation of long computations. A run asked to stop (Ctrl-C, SIGTERM) must stop
// within a couple of seconds even when one month of a whole-EU world takes minutes: checking the
// stop flag between months is not enough. A CancelScope makes a stop flag the one that every
// parallel loop (core/parallel.hpp checks it before each block) and the long serial loops of the
// metrics (which call throw_if_cancelled() every few thousand items) look at; once it is set they
// throw Interrupted, which unwinds the run. Nothing a cancelled computation leaves behind is used:
// the caller of the scope reports the interruption and discards the run.
#include <atomic>
#include <stdexcept>

namespace clusternet {

// A run asked to stop before it finished.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("run interrupted") {}
};

namespace detail {
// The flag of the outermost live CancelScope (null: nothing can cancel).
extern std::atomic<const std::atomic<bool>*> active_stop_flag;
}  // namespace detail

// Whether the live scope's flag is set. Cheap: two relaxed loads.
inline bool cancel_requested() noexcept {
  const std::atomic<bool>* flag = detail::active_stop_flag.load(std::memory_order_relaxed);
  return flag && flag->load(std::memory_order_relaxed);
}

inline void throw_if_cancelled() {
  if (cancel_requested()) throw Interrupted();
}

// Makes `flag` (may be null: then the scope does nothing) the stop flag of every check while it
// lives. Scopes may nest and overlap across threads (a sweep runs several runs at once, all with
// the same flag): the flag stays installed until the last scope that installed it ends. A scope
// whose flag differs from one already installed leaves that one in place (its own run still
// stops between months through its own flag).
class CancelScope {
 public:
  explicit CancelScope(const std::atomic<bool>* flag);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  bool installed_ = false;
};

}  // namespace clusternet
