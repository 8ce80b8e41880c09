#pragma once

#include <filesystem>
#include <string_view>

#include "arxivc/config/config.hpp"

namespace arxivc::app {

// Creates the output directory of one run, as Hydra does: the directory named by `run.dir` in the
// configuration (default outputs/YYYY-MM-DD/HH-MM-SS; a numeric suffix keeps two runs in the same second
// apart) holding .hydra/config.yaml (the composed configuration), .hydra/overrides.yaml (the
// command-line overrides) and <command>.log. Any run can be repeated from its folder with
// `arxivc <command> --config-dir <run>/.hydra --config-name config`.
std::filesystem::path create_run_directory(const config::Config& config, std::string_view command);

}  // namespace arxivc::app
