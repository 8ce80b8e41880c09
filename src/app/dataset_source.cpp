#include "arxivc/app/dataset_source.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "arxivc/config/node_json.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "arxivc/prepare/prepare.hpp"

namespace arxivc::app {

std::filesystem::path resolve_dataset(const std::filesystem::path& input, const config::Config& config) {
  if (dataset::is_dataset_dir(input)) return input;
  if (std::filesystem::is_directory(input)) {
    throw Error(
        fmt::format("{}: a directory without manifest.json is not a prepared dataset", input.string()));
  }
  auto options = prepare::options_from_config(config);
  options.input = input;
  // Settings that change the dataset's content; where it is read from or written to does not.
  nlohmann::json settings = config::to_json(config.at("prepare"));
  for (const char* key : {"input", "output", "threads", "strict", "force"}) settings.erase(key);
  const auto source_hash = sha256_file(input);
  const auto key = sha256_hex(source_hash + "\n" + settings.dump()).substr(0, 16);
  options.output = std::filesystem::path(config.get_string("paths.datasets")) / "cache" / key;
  if (dataset::is_dataset_dir(options.output)) {
    spdlog::info("reusing the dataset prepared from {} with these settings: {}", input.string(),
                 options.output.string());
    return options.output;
  }
  spdlog::info("preparing {} into {}", input.string(), options.output.string());
  return prepare::run_prepare(options).dataset_dir;
}

const dataset::Split& requested_split(const dataset::Dataset& data, const std::string& name) {
  if (!data.has_split(name)) {
    throw UsageError(fmt::format("dataset {} has no split '{}' (it has: {})", data.dir().string(), name,
                                 fmt::join(data.split_names(), ", ")));
  }
  return data.split(name);
}

}  // namespace arxivc::app
