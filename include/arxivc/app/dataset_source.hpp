#pragma once

#include <filesystem>
#include <string>

#include "arxivc/config/config.hpp"
#include "arxivc/dataset/dataset.hpp"

namespace arxivc::app {

// The dataset directory a command works on: `input` itself when it is a prepared dataset; otherwise
// `input` is raw metadata, prepared with the configuration's `prepare` settings into
// <paths.datasets>/cache/<key>, where the key hashes the source file's SHA-256 and those settings. A
// dataset already prepared from the same file with the same settings is reused, not rebuilt.
std::filesystem::path resolve_dataset(const std::filesystem::path& input, const config::Config& config);

// The split a command was asked for (`--split`): a UsageError naming the dataset's splits when it has none
// of that name.
const dataset::Split& requested_split(const dataset::Dataset& data, const std::string& name);

}  // namespace arxivc::app
