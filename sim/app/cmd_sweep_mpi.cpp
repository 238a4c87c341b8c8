// `mpirun -np N clusternet sweep ...`: the tasks of a sweep farmed out over N ranks by OpenMPI.
//
// Rank 0 hands out the next unfinished task to whichever rank asks (dynamic: a rank that finishes
// early takes the next one, so dear points and cheap ones balance out), writes the parts the ranks
// send back, runs tasks itself on a second thread, and joins the parts in task order at the end.
// Every rank loads the sweep file itself (the same file on a shared file system, or a copy) and
// builds its own world; only task numbers and finished parts travel. Results do not depend on N:
// a task is a pure function of its point and replicate, and the join reads parts in task order.
#include <fmt/format.h>
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include "app/commands.hpp"
#include "app/sweep_runner.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "engine/ensemble.hpp"
#include "io/results_writer.hpp"

namespace clusternet::app {

int run_sweep_mpi(const SweepArgs& args);

namespace {

// Worker -> rank 0: an int64 task number (-1: none yet) followed by the bytes of its part.
constexpr int tag_result = 1;
// Worker -> rank 0: the worker stopped (interrupted or failed); the message says why.
constexpr int tag_failed = 2;
// Rank 0 -> worker: an int64 task number, or -1: no more tasks.
constexpr int tag_assign = 3;

void check_mpi(int status, const char* what) {
  if (status != MPI_SUCCESS) throw Error(std::string("MPI: ") + what + " failed");
}

class MpiSession {
 public:
  MpiSession() {
    int provided = 0;
    // Only the main thread of each rank calls MPI; rank 0's task thread does not.
    check_mpi(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

void send_assign(int worker, std::int64_t task) {
  check_mpi(MPI_Send(&task, 1, MPI_INT64_T, worker, tag_assign, MPI_COMM_WORLD), "send a task");
}

void send_result(std::int64_t task, const std::vector<unsigned char>& part) {
  std::vector<unsigned char> message(sizeof task);
  std::memcpy(message.data(), &task, sizeof task);
  message.insert(message.end(), part.begin(), part.end());
  if (message.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error("a task's part is too large to send (over 2 GiB)");
  check_mpi(
      MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, tag_result, MPI_COMM_WORLD),
      "send a part");
}

void send_failed(const std::string& why) {
  MPI_Send(why.data(), static_cast<int>(why.size()), MPI_CHAR, 0, tag_failed, MPI_COMM_WORLD);
}

// Ranks 1..N-1: ask, run, send back, until told there is nothing left.
int worker(const SweepArgs& args, std::size_t threads) {
  std::optional<SweepJob> job;
  try {
    job.emplace(load_sweep_job(args));
  } catch (const std::exception& e) {
    send_failed(e.what());  // rank 0 reports its own, identical, error
    return exit_failure;
  }
  ThreadLimit limit(threads);
  TaskRunner runner(job->definition, job->manifest, threads);
  std::int64_t task = -1;
  std::vector<unsigned char> part;
  while (true) {
    try {
      send_result(task, part);
      check_mpi(MPI_Recv(&task, 1, MPI_INT64_T, 0, tag_assign, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                "receive a task");
      if (task < 0) return exit_ok;
      part = runner.run(static_cast<std::size_t>(task));
    } catch (const Interrupted&) {
      send_failed("interrupted");
      return 130;
    } catch (const std::exception& e) {
      send_failed(e.what());
      return exit_failure;
    }
  }
}

// Rank 0: the dispatcher on this (the MPI) thread, tasks on a second thread.
int coordinator(const MpiSession& mpi, const SweepArgs& args, std::size_t threads) {
  const auto start = std::chrono::steady_clock::now();
  int workers = mpi.size() - 1;
  std::string failure;
  std::atomic<bool> was_interrupted{false};
  std::optional<SweepJob> job;
  std::optional<io::SweepParts> parts;
  std::vector<std::size_t> todo;
  std::size_t reused = 0;
  try {
    job.emplace(load_sweep_job(args));
    io::check_output_path(job->output, args.force);
    parts.emplace(io::SweepParts::prepare(job->output, job->manifest, args.force));
    const auto finished = parts->finished();
    for (std::size_t task = 0; task < finished.size(); ++task)
      if (finished[task])
        ++reused;
      else
        todo.push_back(task);
  } catch (...) {
    // Tell every worker there is nothing to do before reporting, or they would wait forever.
    for (; workers > 0; --workers) {
      MPI_Status status;
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
      int bytes = 0;
      MPI_Get_count(&status, MPI_BYTE, &bytes);
      std::vector<unsigned char> ignored(static_cast<std::size_t>(std::max(bytes, 1)));
      MPI_Recv(ignored.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      if (status.MPI_TAG == tag_result) send_assign(status.MPI_SOURCE, -1);
    }
    throw;
  }
  const SweepPlan& plan = job->manifest.plan;
  if (!args.quiet)
    std::fprintf(stderr,
                 "sweep %s: %s design, %zu points x %u replicates = %zu tasks; %zu to run, %zu already done; "
                 "%d ranks x %zu thread(s)\n",
                 plan.name.c_str(), std::string(sweep_design_name(plan.design)).c_str(), plan.point_count(),
                 plan.replicates, plan.task_count(), todo.size(), reused, mpi.size(), threads);

  TaskDispenser dispenser(todo);
  SweepProgress progress(args.quiet, todo.size(), plan);
  std::mutex failure_mutex;
  std::atomic<bool> stop_dispensing{false};
  std::atomic<std::size_t> ran{0};
  auto fail = [&](const std::string& why) {
    std::lock_guard lock(failure_mutex);
    if (failure.empty()) failure = why;
    stop_dispensing = true;
  };
  auto next_task = [&]() -> std::int64_t {
    if (stop_dispensing || sweep_stop_requested()) return -1;
    const auto task = dispenser.next();
    return task ? static_cast<std::int64_t>(*task) : -1;
  };

  std::atomic<bool> local_done{false};
  std::thread local([&] {
    ThreadLimit limit(threads);
    TaskRunner runner(job->definition, job->manifest, threads);
    try {
      for (std::int64_t task = next_task(); task >= 0; task = next_task()) {
        const auto task_start = std::chrono::steady_clock::now();
        const auto part = runner.run(static_cast<std::size_t>(task));
        parts->store(static_cast<std::size_t>(task), part);
        ++ran;
        progress.task_done(
            static_cast<std::size_t>(task),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - task_start).count(),
            " on rank 0");
      }
    } catch (const Interrupted&) {
      was_interrupted = true;
      stop_dispensing = true;
    } catch (const std::exception& e) {
      fail(std::string("rank 0: ") + e.what());
    }
    local_done = true;
  });

  std::vector<std::chrono::steady_clock::time_point> assigned_at(static_cast<std::size_t>(mpi.size()));
  while (workers > 0) {
    int flag = 0;
    MPI_Status status;
    check_mpi(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status), "probe");
    if (!flag) {
      // Polling with a pause rather than a blocking receive: OpenMPI's blocking calls spin, and a
      // spinning dispatcher would take a core from the tasks.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    int bytes = 0;
    MPI_Get_count(&status, MPI_BYTE, &bytes);
    std::vector<unsigned char> message(static_cast<std::size_t>(std::max(bytes, 1)));
    check_mpi(MPI_Recv(message.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                       MPI_STATUS_IGNORE),
              "receive");
    const int from = status.MPI_SOURCE;
    if (status.MPI_TAG == tag_failed) {
      const std::string why(reinterpret_cast<const char*>(message.data()), static_cast<std::size_t>(bytes));
      if (why == "interrupted") {
        was_interrupted = true;
        stop_dispensing = true;
      } else {
        fail(fmt::format("rank {}: {}", from, why));
      }
      --workers;
      continue;
    }
    std::int64_t task = -1;
    if (bytes < static_cast<int>(sizeof task)) {
      fail(fmt::format("rank {} sent a malformed message", from));
    } else {
      std::memcpy(&task, message.data(), sizeof task);
      if (task >= 0) {
        try {
          parts->store(
              static_cast<std::size_t>(task),
              std::span<const unsigned char>(message.data() + sizeof task, message.size() - sizeof task));
          ++ran;
          progress.task_done(static_cast<std::size_t>(task),
                             std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                           assigned_at[static_cast<std::size_t>(from)])
                                 .count(),
                             fmt::format(" on rank {}", from));
        } catch (const std::exception& e) {
          fail(e.what());
        }
      }
    }
    const std::int64_t next = next_task();
    assigned_at[static_cast<std::size_t>(from)] = std::chrono::steady_clock::now();
    send_assign(from, next);
    if (next < 0) --workers;
  }
  local.join();
  if (!failure.empty()) throw Error(failure);
  if (was_interrupted || sweep_stop_requested()) {
    std::fprintf(stderr,
                 "\nclusternet sweep: interrupted; finished tasks are kept in %s: run the same command again "
                 "to resume\n",
                 parts->folder().c_str());
    return 130;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return join_and_report(*parts, job->output, args, ran, reused, seconds);
}

extern "C" void on_mpi_signal(int) { sweep_stop_requested().store(true); }

}  // namespace

int run_sweep_mpi(const SweepArgs& args) {
  if (!args.tasks.empty())
    throw Error(ErrorInfo{"--tasks is for array jobs without MPI; under mpirun the ranks share the tasks",
                          {},
                          "--tasks",
                          args.tasks,
                          "mpirun without --tasks, or --tasks without mpirun"});
  MpiSession mpi;
  sweep_stop_requested() = false;
  std::signal(SIGINT, on_mpi_signal);
  std::signal(SIGTERM, on_mpi_signal);
  // Ranks are the unit of parallelism under MPI: one thread each unless asked for more.
  const std::size_t threads = args.threads > 0 ? args.threads : 1;
  if (mpi.rank() != 0) {
    SweepArgs quiet = args;
    quiet.quiet = true;
    return worker(quiet, threads);
  }
  return coordinator(mpi, args, threads);
}

}  // namespace clusternet::app
