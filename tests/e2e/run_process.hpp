#pragma once

// Runs a program (the real arxivc binary) with arguments, capturing stdout, stderr and the exit code.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace arxivc::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `program args...` in `cwd` with extra environment `env` ("KEY=VALUE"), stdin from `stdin_file`
// (or /dev/null).
inline ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                                 const std::filesystem::path& cwd = {},
                                 const std::vector<std::string>& env = {},
                                 const std::filesystem::path& stdin_file = {}) {
  const auto dir = std::filesystem::temp_directory_path() / ("arxivc-proc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  static int counter = 0;
  const auto out_file = dir / ("out-" + std::to_string(++counter));
  const auto err_file = dir / ("err-" + std::to_string(counter));
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    const auto in = stdin_file.empty() ? std::filesystem::path("/dev/null") : stdin_file;
    if (!std::freopen(in.c_str(), "rb", stdin) || !std::freopen(out_file.c_str(), "wb", stdout) ||
        !std::freopen(err_file.c_str(), "wb", stderr)) {
      ::_exit(127);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_all(out_file);
  result.err = read_all(err_file);
  std::filesystem::remove(out_file);
  std::filesystem::remove(err_file);
  return result;
}

// The directories fresh_test_dir made, removed when the test process exits normally (CTest runs every
// test in its own process, and a trained model is hundreds of MB). A crashed test leaves its directory
// for inspection; so does every test when ARXIVC_KEEP_TEST_DIRS is set.
class TestDirCleanup {
 public:
  void add(std::filesystem::path dir) { dirs_.push_back(std::move(dir)); }
  ~TestDirCleanup() {
    if (std::getenv("ARXIVC_KEEP_TEST_DIRS") != nullptr) return;
    for (const auto& dir : dirs_) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }

 private:
  std::vector<std::filesystem::path> dirs_;
};

// A fresh, empty directory for one test (or test suite), removed at exit.
inline std::filesystem::path fresh_test_dir(const std::string& name) {
  static TestDirCleanup cleanup;
  const char* base = std::getenv("ARXIVC_TEST_TMP");
  auto dir = std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) /
             (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  cleanup.add(dir);
  return dir;
}

inline std::filesystem::path shared_data_dir() {
  if (const char* env = std::getenv("ARXIVC_DATA_DIR")) return env;
  return ARXIVC_SHARED_DATA_DEFAULT;
}

inline std::filesystem::path source_dir() { return ARXIVC_SOURCE_DIR; }

}  // namespace arxivc::testing
