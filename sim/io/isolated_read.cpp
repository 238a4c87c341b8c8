#include "io/isolated_read.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <new>
#include <string>

#include "io/results_reader.hpp"

// AddressSanitizer reserves terabytes of address space: a data limit would stop it at once.
#if defined(__SANITIZE_ADDRESS__)
#define CLUSTERNET_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLUSTERNET_UNDER_ASAN 1
#endif
#endif

namespace clusternet::io {

bool& read_isolation() {
  static bool on = true;
  return on;
}

namespace {

using Kind = ResultsFileError::Kind;

// The child's answer on the pipe: one byte (0 = ResultsFileError, 1 = another error), its kind,
// then the message.
void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// The child may allocate what reading a real file of this size needs, not what a forged size in
// the file's metadata asks for: HDF5 allocates and fills buffers of declared sizes before any check
// of ours can see them (a 120 kB file made it use 8 GB). Real results need far less than 64 bytes
// of memory per byte of file beyond a fixed 1 GiB.
void limit_child_memory(const std::string& path) {
#ifndef CLUSTERNET_UNDER_ASAN
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  long pages = 0, resident = 0, shared = 0, text = 0, lib = 0, data = 0;
  std::ifstream statm("/proc/self/statm");
  if (!(statm >> pages >> resident >> shared >> text >> lib >> data)) return;
  const rlim_t in_use = static_cast<rlim_t>(data) * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE));
  const rlim_t size = static_cast<rlim_t>(st.st_size);
  constexpr rlim_t fixed = rlim_t(1) << 30;
  const rlim_t budget = size > (RLIM_INFINITY - fixed - in_use) / 64 ? RLIM_INFINITY : in_use + fixed + 64 * size;
  rlimit limit{};
  if (::getrlimit(RLIMIT_DATA, &limit) != 0) return;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < budget) return;
  limit.rlim_cur = budget;
  (void)::setrlimit(RLIMIT_DATA, &limit);
#else
  (void)path;
#endif
}

// And the CPU time a read of a file of this size can take: a forged count of strings that all
// point at one heap object made HDF5 read that object for minutes. 10 s plus 1 s per 4 MB is
// more than ten times what reading a real result takes (a scale-1 result reads in 0.1 s).
constexpr rlim_t cpu_seconds_fixed = 10;
void limit_child_time(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  const rlim_t seconds = cpu_seconds_fixed + static_cast<rlim_t>(st.st_size) / (rlim_t(4) << 20);
  rlimit limit{};
  if (::getrlimit(RLIMIT_CPU, &limit) != 0) return;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < seconds) return;
  limit.rlim_cur = seconds;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < seconds) return;
  (void)::setrlimit(RLIMIT_CPU, &limit);
}

[[noreturn]] void child(int fd, const std::string& path, const std::function<void()>& read) {
  limit_child_memory(path);
  limit_child_time(path);
  int code = 0;
  std::string answer;
  try {
    read();
  } catch (const ResultsFileError& e) {
    answer = std::string(1, '\0') + static_cast<char>(e.kind()) + e.info().message;
    code = 2;
  } catch (const std::bad_alloc&) {
    answer = std::string(1, '\1') + '\0' +
             "malformed result file: reading it needs far more memory than a file of its size can hold "
             "(a damaged or forged file)";
    code = 2;
  } catch (const std::exception& e) {
    answer = std::string(1, '\1') + '\0' + e.what();
    code = 2;
  }
  // The parent reads at most 64 kB; a longer message would block this write, and the parent's wait.
  if (answer.size() > 60000) answer.resize(60000);
  write_all(fd, answer);
  ::close(fd);
  ::_exit(code);  // no exit handlers: the parent owns every file and library state
}

std::string read_all(int fd) {
  constexpr std::size_t cap = 1 << 16;  // a message, never more
  std::string out;
  char buffer[4096];
  while (out.size() < cap) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

// strsignal is not thread-safe; the signals a crashing reader dies of are few.
std::string signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "signal " + std::to_string(sig) + ", a segmentation fault";
    case SIGBUS: return "signal " + std::to_string(sig) + ", a bus error";
    case SIGABRT: return "signal " + std::to_string(sig) + ", an abort";
    case SIGFPE: return "signal " + std::to_string(sig) + ", an arithmetic exception";
    case SIGILL: return "signal " + std::to_string(sig) + ", an illegal instruction";
    case SIGXCPU: return "signal " + std::to_string(sig) + ", the CPU time limit";
    case SIGKILL: return "signal " + std::to_string(sig) + ", killed";
    default: return "signal " + std::to_string(sig);
  }
}

}  // namespace

void probe_read_in_child(const std::string& path, const std::function<void()>& read) {
  if (!read_isolation()) return;
  int fds[2];
  if (::pipe(fds) != 0) return;  // no isolation possible: read in this process only
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return;
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(fds[1], path, read);
  }
  ::close(fds[1]);
  const std::string answer = read_all(fds[0]);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
      throw Error("reading " + path + " was interrupted (signal " + std::to_string(sig) + ")");
    if (sig == SIGXCPU || sig == SIGKILL)
      throw ResultsFileError(Kind::malformed, path,
                             "malformed result file: reading it took far longer than a file of its size can need "
                             "(stopped by its time or memory limit, " + signal_name(sig) +
                                 "); the file is damaged or forged");
    throw ResultsFileError(Kind::malformed, path,
                           "malformed result file: the HDF5 library crashed reading it (" + signal_name(sig) +
                               "); the file is damaged or forged");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  if (answer.size() >= 2 && answer[0] == '\0')
    throw ResultsFileError(static_cast<Kind>(answer[1]), path, answer.substr(2));
  if (answer.size() >= 2) throw ResultsFileError(Kind::malformed, path, answer.substr(2));
  throw ResultsFileError(Kind::malformed, path,
                         "malformed result file: reading it failed in a child process (exit status " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
}

}  // namespace clusternet::io
