// arxivc: the command-line program. A thin layer: parses arguments, sets up logging, and maps
// exceptions to exit codes (0 success, 1 failure at run time, 2 usage or configuration error).

#include <spdlog/spdlog.h>

#include <iostream>

#include "arxivc/core/error.hpp"
#include "arxivc/core/logging.hpp"
#include "arxivc/core/version.hpp"
#include "command.hpp"

namespace {

int exit_code(arxivc::ExitCode code) { return static_cast<int>(code); }

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
    arxivc::init_logging(quiet ? "warn" : verbose >= 2 ? "trace" : verbose == 1 ? "debug" : log_level);
    for (const auto& command : commands) {
      if (command.app->parsed()) command.run();
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_code(arxivc::ExitCode::usage);
  } catch (const arxivc::UsageError& e) {
    spdlog::error("{}", e.what());
    return exit_code(arxivc::ExitCode::usage);
  } catch (const arxivc::Error& e) {
    spdlog::error("{}", e.what());
    return exit_code(arxivc::ExitCode::failure);
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    return exit_code(arxivc::ExitCode::failure);
  }
  return exit_code(arxivc::ExitCode::ok);
}
