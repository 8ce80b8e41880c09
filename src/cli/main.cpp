// arxivc: the command-line program. A thin layer: parses arguments, sets up logging, and maps
// exceptions to exit codes (0 success, 1 failure at run time, 2 usage or configuration error).

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <string>

#include "arxivc/app/config_schema.hpp"
#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/logging.hpp"
#include "arxivc/core/trace.hpp"
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

// The options every command takes, before or after the command's name.
struct GlobalOptions {
  std::string log_level = "info";
  bool quiet = false;
  int verbose = 0;
  std::string log_format = "text";
  std::string profile;
  CLI::Option* profile_option = nullptr;
  long long profile_sample = 100;
};

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

// The command line for the trace's metadata, with secrets taken out: the value of --api-key and of any
// override of a secret key (serve.api_key=...), and every other copy of them or of $ARXIVC_API_KEY.
std::vector<std::string> redacted_command_line(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  std::vector<std::string> secrets;
  const std::string redacted(arxivc::config::kRedacted);
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string& arg = args[i];
    if (arg == "--api-key") {
      if (i + 1 < args.size()) {
        secrets.push_back(args[i + 1]);
        args[++i] = redacted;
      }
      continue;
    }
    if (arg.starts_with("--api-key=")) {
      secrets.push_back(arg.substr(10));
      arg = "--api-key=" + redacted;
    }
  }
  // Overrides that set a secret (serve.api_key=...): redacted wherever they or their values appear.
  std::vector<std::string> overrides;
  std::copy_if(args.begin() + 1, args.end(), std::back_inserter(overrides), [](const std::string& arg) {
    return !arg.starts_with("-") && arg.find('=') != std::string::npos;
  });
  for (auto& arg : args) {
    arg = arxivc::config::redact_secret_values(std::move(arg), overrides, arxivc::app::config_schema());
  }
  if (const char* key = std::getenv("ARXIVC_API_KEY"); key != nullptr) secrets.emplace_back(key);
  // Copies elsewhere; a very short secret only where it was assigned, so the rest stays readable.
  for (const auto& secret : secrets) {
    if (secret.size() < 4) continue;
    for (auto& arg : args) replace_all(arg, secret, redacted);
  }
  return args;
}

// Starts recording the trace --profile asked for, once the file is known to be writable.
void start_profile(const GlobalOptions& options, const std::string& command, int argc, char** argv) {
  if (options.profile_option == nullptr || options.profile_option->count() == 0) return;
  arxivc::trace::check_output(options.profile);
  arxivc::trace::StartOptions start;
  start.file = options.profile;
  start.process_name = "arxivc " + command;
  start.command_line = redacted_command_line(argc, argv);
  start.sample_every = static_cast<std::uint32_t>(std::min<long long>(options.profile_sample, 1'000'000'000));
  arxivc::trace::start(std::move(start));
}

// Writes the trace (whatever the command's outcome: a failed run's trace shows how far it got).
int finish_profile(int code, const GlobalOptions& options) {
  if (!arxivc::trace::started()) return code;
  try {
    const auto events = arxivc::trace::stop_and_write();
    spdlog::info("trace written to {} ({} events; open it in https://ui.perfetto.dev)", options.profile,
                 events);
  } catch (const std::exception& e) {
    spdlog::error("--profile: cannot write the trace: {}", e.what());
    return code == 0 ? exit_code(arxivc::ExitCode::failure) : code;
  }
  return code;
}

int run(CLI::App& app, const std::vector<arxivc::cli::Command>& commands, const GlobalOptions& options,
        int argc, char** argv) {
  try {
    app.parse(argc, argv);
    arxivc::init_logging(options.quiet          ? "warn"
                         : options.verbose >= 2 ? "trace"
                         : options.verbose == 1 ? "debug"
                                                : options.log_level,
                         arxivc::parse_log_format(options.log_format));
    for (const auto& command : commands) {
      if (!command.app->parsed()) continue;
      start_profile(options, command.app->get_name(), argc, argv);
      arxivc::TraceSpan span(command.app->get_name().c_str(), "command");
      command.run();
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

}  // namespace

int main(int argc, char** argv) {
  arxivc::init_logging("info");
  CLI::App app{"arxivc: train, evaluate and serve arXiv subject classifiers", "arxivc"};
  app.set_version_flag("--version,-V", std::string("arxivc ") + std::string(arxivc::version()));
  GlobalOptions options;
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
  app.add_flag("-q,--quiet", options.quiet, "Only warnings and errors");
  app.add_flag("-v,--verbose", options.verbose, "More detail (-v debug, -vv trace)");
  app.add_option("--log-format", options.log_format,
                 "text, or json: one JSON object per line with Cloud Logging's fields (severity, message, "
                 "time; serve's request lines on stdout with httpRequest)")
      ->envname("ARXIVC_LOG_FORMAT")
      ->capture_default_str();
  options.profile_option =
      app.add_option(
             "--profile", options.profile,
             "Write a trace of the command's stages and threads to FILE (Chrome trace JSON: open it in "
             "https://ui.perfetto.dev; docs/profiling.md)")
          ->type_name("FILE");
  app.add_option("--profile-sample", options.profile_sample,
                 "serve --profile: trace 1 request in N (1 = every request)")
      ->type_name("N")
      ->capture_default_str()
      ->check(arxivc::cli::at_least(1));
  app.require_subcommand(1);
  app.fallthrough();
  const std::vector<arxivc::cli::Command> commands = {
      arxivc::cli::register_prepare_command(app),  arxivc::cli::register_train_command(app),
      arxivc::cli::register_evaluate_command(app), arxivc::cli::register_predict_command(app),
      arxivc::cli::register_export_command(app),   arxivc::cli::register_serve_command(app),
      arxivc::cli::register_config_command(app),
  };
  const int code = run(app, commands, options, argc, argv);
  return finish_profile(code, options);
}
