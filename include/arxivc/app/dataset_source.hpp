#pragma once

#include <filesystem>

#include "arxivc/config/config.hpp"

namespace arxivc::app {

// The dataset directory a command works on: `input` itself when it is a prepared dataset; otherwise
// `input` is raw metadata, prepared with the configuration's `prepare` settings into
// <paths.datasets>/cache/<key>, where the key hashes the source file's SHA-256 and those settings. A
// dataset already prepared from the same file with the same settings is reused, not rebuilt.
std::filesystem::path resolve_dataset(const std::filesystem::path& input, const config::Config& config);

}  // namespace arxivc::app
