#pragma once
// Reading a forged HDF5 file can crash inside the HDF5 library itself (HDF5 1.10 trusts sizes and
// addresses in the file's metadata in places no check of ours can reach first; fuzzing found wild
// frees and reads through null pointers). So a reader of files the user gives us first reads the
// file in a forked child process: when the child dies, the file is reported as damaged (exit 2)
// instead of the command crashing; when the child succeeds, the same read is repeated here, where
// it now succeeds too (the same code on the same bytes).
#include <functional>
#include <string>

namespace clusternet::io {

// Runs `read` in a child process and returns when it succeeded there. A ResultsFileError or other
// Error thrown in the child is thrown here again, with its kind and message; a child killed by a
// signal becomes ResultsFileError(malformed) naming `path`. Without fork (or with isolation off)
// it does nothing.
void probe_read_in_child(const std::string& path, const std::function<void()>& read);

// On by default. The result-reader fuzz harness turns it off: it must see every crash in our code.
bool& read_isolation();

}  // namespace clusternet::io
