// arxivc: the command-line program. A thin layer: parses arguments, sets up logging, and maps
// exceptions to exit codes (0 success, 1 failure at run time, 2 usage or configuration error).

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "arxivc/core/error.hpp"
#include "arxivc/core/logging.hpp"
#include "arxivc/core/version.hpp"
#include "command.hpp"

namespace {

int exit_code(arxivc::ExitCode code) { return static_cast<int>(code); }

// What a failed file-system call means for the user: the path, the reason, and what to do.
std::string describe(const std::filesystem::filesystem_error& e) {
  const auto& path = e.path1();
  std::string message = path.empty()
                            ? std::string("a file operation failed")
                            : fmt::format("cannot {} {}", e.path2().empty() ? "use" : "move", path.string());
  if (!e.path2().empty()) message += fmt::format(" to {}", e.path2().string());
  message += fmt::format(": {}", e.code().message());
  const auto code = e.code();
  if (code == std::errc::no_space_on_device || code == std::errc::file_too_large) {
    message += "; free some space (or choose an output on another disk) and run the command again";
  } else if (code == std::errc::permission_denied || code == std::errc::operation_not_permitted ||
             code == std::errc::read_only_file_system) {
    message += "; check the permissions of that path or choose another one";
  } else {
    message += "; check that path and run the command again";
  }
  return message;
}

// Standard output that could not be written (a closed pipe, a full disk) is a failure, not a success.
bool standard_output_ok() {
  std::cout.flush();
  return std::cout.good() && std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  arxivc::init_logging("info");
  CLI::App app{"arxivc: train, evaluate and serve arXiv subject classifiers", "arxivc"};
  app.set_version_flag("--version,-V", std::string("arxivc ") + std::string(arxivc::version()));
  std::string log_level = "info";
  bool quiet = false;
  int verbose = 0;
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")->capture_default_str();
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors");
  app.add_flag("-v,--verbose", verbose, "More detail (-v debug, -vv trace)");
  std::string log_format = "text";
  app.add_option("--log-format", log_format,
                 "text, or json: one JSON object per line with Cloud Logging's fields (severity, message, "
                 "time; serve's request lines on stdout with httpRequest)")
      ->envname("ARXIVC_LOG_FORMAT")
      ->capture_default_str();
  app.require_subcommand(1);
  app.fallthrough();
  const std::vector<arxivc::cli::Command> commands = {
      arxivc::cli::register_prepare_command(app),  arxivc::cli::register_train_command(app),
      arxivc::cli::register_evaluate_command(app), arxivc::cli::register_predict_command(app),
      arxivc::cli::register_export_command(app),   arxivc::cli::register_serve_command(app),
      arxivc::cli::register_config_command(app),
  };

  try {
    app.parse(argc, argv);
    arxivc::init_logging(quiet          ? "warn"
                         : verbose >= 2 ? "trace"
                         : verbose == 1 ? "debug"
                                        : log_level,
                         arxivc::parse_log_format(log_format));
    for (const auto& command : commands) {
      if (command.app->parsed()) command.run();
    }
    if (!standard_output_ok()) {
      spdlog::error("cannot write standard output: {}", std::strerror(errno));
      return exit_code(arxivc::ExitCode::failure);
    }
  } catch (const CLI::CallForHelp& e) {
    const int code = app.exit(e);
    return standard_output_ok() ? code : exit_code(arxivc::ExitCode::failure);
  } catch (const CLI::CallForAllHelp& e) {
    const int code = app.exit(e);
    return standard_output_ok() ? code : exit_code(arxivc::ExitCode::failure);
  } catch (const CLI::CallForVersion& e) {
    const int code = app.exit(e);
    return standard_output_ok() ? code : exit_code(arxivc::ExitCode::failure);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_code(arxivc::ExitCode::usage);
  } catch (const arxivc::UsageError& e) {
    spdlog::error("{}", e.what());
    return exit_code(arxivc::ExitCode::usage);
  } catch (const arxivc::Error& e) {
    spdlog::error("{}", e.what());
    return exit_code(arxivc::ExitCode::failure);
  } catch (const std::filesystem::filesystem_error& e) {
    spdlog::error("{}", describe(e));
    return exit_code(arxivc::ExitCode::failure);
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    return exit_code(arxivc::ExitCode::failure);
  }
  return exit_code(arxivc::ExitCode::ok);
}
