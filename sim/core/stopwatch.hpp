#pragma once
// Wall time on the steady clock (a change of the system time never gives a negative interval).
// Two uses: read the time since construction (elapsed_ms), or hand it a running total that the
// scope's time is added to when it ends (how the engine accounts each process of the monthly step
// in ProcessTimes without timing code inside the processes).
#include <chrono>

namespace clusternet {

class Stopwatch {
 public:
  Stopwatch() = default;
  explicit Stopwatch(double& total_seconds) : total_(&total_seconds) {}
  ~Stopwatch() {
    if (total_) *total_ += elapsed_seconds();
  }
  Stopwatch(const Stopwatch&) = delete;
  Stopwatch& operator=(const Stopwatch&) = delete;

  double elapsed_seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  double elapsed_ms() const { return 1000.0 * elapsed_seconds(); }

 private:
  double* total_ = nullptr;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace clusternet
