#pragma once
// Parallel drivers with serial twins. Rules code calls these and never spells tbb::, so the same
// loop body runs serially in tests and in parallel in production, and the determinism argument is
// made once, here:
//  - for_each_index / for_each_block hand out disjoint index ranges; bodies may write only to
//    slots owned by their own indices.
//  - deterministic_reduce cuts the range into fixed chunks of `grain` indices whatever the thread
//    count, reduces each chunk in index order and joins the partial results left to right, so a
//    floating-point sum is bit-identical on 1 or 64 threads.
// Departure from "core is standard library only": these drivers are shared by world, behaviour and
// network, and core is the one module all of them depend on; only this header includes TBB.
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "core/cancel.hpp"

namespace clusternet {

enum class Execution { serial, parallel };

inline constexpr std::size_t default_grain = 1024;

// fn(begin, end) over disjoint blocks of at most `grain` indices. Before each block the live
// CancelScope's flag is checked (core/cancel.hpp): once it is set the loop throws Interrupted.
template <typename Fn>
void for_each_block(std::size_t begin, std::size_t end, Fn&& fn, Execution execution = Execution::parallel,
                    std::size_t grain = default_grain) {
  if (end <= begin) return;
  if (grain == 0) grain = 1;
  if (execution == Execution::serial) {
    for (std::size_t b = begin; b < end; b += grain) {
      throw_if_cancelled();
      fn(b, b + grain < end ? b + grain : end);
    }
    return;
  }
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(begin, end, grain),
      [&](const tbb::blocked_range<std::size_t>& r) {
        throw_if_cancelled();
        fn(r.begin(), r.end());
      },
      tbb::simple_partitioner{});
}

// fn(i) for every index.
template <typename Fn>
void for_each_index(std::size_t begin, std::size_t end, Fn&& fn, Execution execution = Execution::parallel,
                    std::size_t grain = default_grain) {
  for_each_block(
      begin, end,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) fn(i);
      },
      execution, grain);
}

// Reduction with a result independent of the thread count: chunk_fn(begin, end) -> T over fixed
// chunks of `grain` indices, joined left to right with join(T, T) -> T starting from identity.
template <typename T, typename ChunkFn, typename Join>
T deterministic_reduce(std::size_t begin, std::size_t end, T identity, ChunkFn&& chunk_fn, Join&& join,
                       Execution execution = Execution::parallel, std::size_t grain = default_grain) {
  if (end <= begin) return identity;
  if (grain == 0) grain = 1;
  const std::size_t chunks = (end - begin + grain - 1) / grain;
  std::vector<T> partial(chunks, identity);
  for_each_index(
      0, chunks,
      [&](std::size_t c) {
        const std::size_t b = begin + c * grain;
        const std::size_t e = b + grain < end ? b + grain : end;
        partial[c] = chunk_fn(b, e);
      },
      execution, 1);
  T result = identity;
  for (auto& p : partial) result = join(std::move(result), std::move(p));
  return result;
}

// Ordered parallel gathering, first half: cuts [0, n) into fixed chunks of `grain` indices (whatever
// the thread count), calls count(begin, end) -> std::size_t on each in parallel and returns the
// chunks' output offsets (chunks + 1 entries, the last one the total). The caller sizes its output
// and lets chunk c write its items from offsets[c] on, in index order: the gathered sequence is then
// the one a serial loop would produce. count may also update the slots of its own indices.
template <typename Count>
std::vector<std::size_t> chunk_offsets(std::size_t n, std::size_t grain, Count&& count,
                                       Execution execution = Execution::parallel) {
  if (grain == 0) grain = 1;
  const std::size_t chunks = (n + grain - 1) / grain;
  std::vector<std::size_t> offsets(chunks + 1, 0);
  for_each_index(0, chunks, [&](std::size_t c) {
    offsets[c + 1] = count(c * grain, std::min(n, (c + 1) * grain));
  }, execution, 1);
  for (std::size_t c = 0; c < chunks; ++c) offsets[c + 1] += offsets[c];
  return offsets;
}

// Sorts [first, last) by `less`, in parallel. The result does not depend on the thread count as
// long as `less` orders the values present totally: values it cannot tell apart must be identical.
template <typename It, typename Less>
void sort_total(It first, It last, Less less, Execution execution = Execution::parallel) {
  if (execution == Execution::serial)
    std::sort(first, last, less);
  else
    tbb::parallel_sort(first, last, less);
}

// Caps the worker threads of every parallel loop while it lives (0 = the machine's default).
class ThreadLimit {
 public:
  explicit ThreadLimit(std::size_t threads) {
    if (threads > 0)
      control_ = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
  }

 private:
  std::unique_ptr<tbb::global_control> control_;
};

// At most one function running in the background while the caller goes on (the engine measures
// month t while it simulates month t + 1). start() first waits for the previous function; wait()
// returns when it is done and rethrows what it threw. The destructor waits too (exceptions then
// dropped: the caller is already unwinding or has waited). What the function computes must not
// depend on when it runs: it may read only data nobody writes meanwhile and write only its own.
// With one thread it runs when wait() (or the next start()) is called.
class BackgroundTask {
 public:
  BackgroundTask() = default;
  BackgroundTask(const BackgroundTask&) = delete;
  BackgroundTask& operator=(const BackgroundTask&) = delete;
  ~BackgroundTask() {
    try {
      group_.wait();
    } catch (...) {
    }
  }
  template <typename Fn>
  void start(Fn&& fn) {
    group_.wait();
    group_.run(std::forward<Fn>(fn));
  }
  void wait() { group_.wait(); }

 private:
  tbb::task_group group_;
};

// Threads parallel loops may use right now.
std::size_t active_threads();

}  // namespace clusternet
