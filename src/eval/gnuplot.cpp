#include "arxivc/eval/gnuplot.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"

extern char** environ;

namespace arxivc::eval {
namespace {

// A private directory under the system's temporary directory, removed with its contents.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "arxivc-plot-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw Error(fmt::format("cannot create a temporary directory {}: {}", pattern, std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void write_plain_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw Error(fmt::format("cannot write {}", path.string()));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The last `count` lines of `text`, for an error message.
std::string last_lines(std::string_view text, std::size_t count) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::size_t start = text.size();
  for (std::size_t lines = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++lines == count) break;
  }
  return std::string(text.substr(start));
}

std::string terminal_for(const std::filesystem::path& output, int width, int height) {
  std::string extension = output.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // noenhanced: category codes such as "hep_th" must not turn into subscripts.
  if (extension == ".png") {
    return fmt::format("set terminal pngcairo noenhanced size {},{} font 'sans,10'", width, height);
  }
  if (extension == ".svg") {
    return fmt::format("set terminal svg noenhanced size {},{} font 'sans,10' background '#ffffff'", width,
                       height);
  }
  throw UsageError(
      fmt::format("cannot draw {}: figures are .png or .svg files, not '{}'", output.string(), extension));
}

// Runs gnuplot on `script` with stdin from /dev/null and stdout + stderr into `log`; returns the wait status.
int run_gnuplot(const PlotOptions& options, const std::filesystem::path& script,
                const std::filesystem::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::string program = options.gnuplot;
  std::string script_argument = script.string();
  std::vector<char*> argv = {program.data(), script_argument.data(), nullptr};
  pid_t pid = 0;
  const int spawn_error = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw Error(
        fmt::format("cannot run '{}': {} (figures need gnuplot: install the Debian package gnuplot-nox)",
                    options.gnuplot, std::strerror(spawn_error)));
  }
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) throw Error(fmt::format("waiting for gnuplot: {}", std::strerror(errno)));
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      throw Error(fmt::format("gnuplot did not finish within {} s", options.timeout.count()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool is_executable_file(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

bool gnuplot_available(const std::string& program) {
  if (program.find('/') != std::string::npos) return is_executable_file(program);
  const char* path = std::getenv("PATH");
  std::istringstream directories(path == nullptr ? "/usr/bin:/bin" : path);
  for (std::string directory; std::getline(directories, directory, ':');) {
    if (is_executable_file(std::filesystem::path(directory.empty() ? "." : directory) / program)) return true;
  }
  return false;
}

std::string gnuplot_string(std::string_view text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "''";
    } else if (std::iscntrl(static_cast<unsigned char>(c)) != 0) {
      quoted += ' ';
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

std::string gnuplot_data_field(std::string_view text) {
  std::string field(text);
  for (char& c : field) {
    if (c == '"') {
      c = '\'';
    } else if (std::iscntrl(static_cast<unsigned char>(c)) != 0) {
      c = ' ';
    }
  }
  return field;
}

void render_gnuplot(const std::filesystem::path& output, int width, int height, std::string_view body,
                    std::span<const GnuplotDataFile> data_files, const PlotOptions& options) {
  const std::string terminal = terminal_for(output, width, height);
  TemporaryDirectory work;
  for (const GnuplotDataFile& file : data_files) {
    if (file.name.empty() || file.name.find('/') != std::string::npos || file.name.front() == '.') {
      throw Error(fmt::format("gnuplot data file name '{}' is not a plain file name", file.name));
    }
    write_plain_file(work.path() / file.name, file.content);
  }
  const std::filesystem::path image = work.path() / ("figure" + output.extension().string());
  const std::string script =
      fmt::format("{}\nset output {}\ncd {}\n{}\nunset output\n", terminal, gnuplot_string(image.string()),
                  gnuplot_string(work.path().string()), body);
  const std::filesystem::path script_path = work.path() / "figure.gp";
  write_plain_file(script_path, script);

  const std::filesystem::path log = work.path() / "gnuplot.log";
  const int status = run_gnuplot(options, script_path, log);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFEXITED(status) ? fmt::format("exited with status {}", WEXITSTATUS(status))
                                              : fmt::format("was killed by signal {}", WTERMSIG(status));
    throw Error(
        fmt::format("gnuplot {} drawing {}:\n{}", how, output.string(), last_lines(read_file(log), 8)));
  }
  const std::string content = read_file(image);
  if (content.empty()) throw Error(fmt::format("gnuplot wrote no image for {}", output.string()));
  write_file_atomic(output, content);
}

}  // namespace arxivc::eval
