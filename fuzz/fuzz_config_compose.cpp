// YAML configuration composition: the input is a config file, composed the way every command composes
// its configuration, (1) as the base config.yaml without a schema, (2) the same checked against arxivc's
// schema, and (3) as an option of a config group chosen by an override, next to arxivc's own configs/.
// The result is written back as YAML and JSON and read as `serve:` options. Every rejection must be an
// arxivc::Error (ConfigError: bad YAML, unknown key, recursive alias, nesting or expansion limits...).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "arxivc/app/config_schema.hpp"
#include "arxivc/config/config.hpp"
#include "arxivc/config/node_json.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/serve/serve_options.hpp"

namespace fs = std::filesystem;
namespace config = arxivc::config;

namespace {

// Two copies of the project's configs/: in one the input replaces config.yaml, in the other it is the
// option `training/fuzz.yaml`.
struct ConfigTrees {
  fs::path root = fs::temp_directory_path() / ("arxivc-fuzz-config-" + std::to_string(::getpid()));
  fs::path as_base = root / "base";
  fs::path as_option = root / "option";

  ConfigTrees() {
    const fs::path source = fs::path(ARXIVC_SOURCE_DIR) / "configs";
    fs::remove_all(root);
    fs::create_directories(root);
    fs::copy(source, as_base, fs::copy_options::recursive);
    fs::copy(source, as_option, fs::copy_options::recursive);
  }
  ~ConfigTrees() {
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
};

void write_file(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

void compose_and_use(config::ComposeOptions options) {
  options.now = std::time_t{1700000000};  // ${now:...} the same in every run
  try {
    const config::Config composed = config::compose(options);
    (void)composed.to_yaml();
    (void)config::to_json(composed.root()).dump();
    if (options.schema != nullptr) (void)arxivc::serve::serve_options_from_config(composed);
  } catch (const arxivc::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ConfigTrees trees;
  write_file(trees.as_base / "config.yaml", data, size);
  write_file(trees.as_option / "training" / "fuzz.yaml", data, size);

  config::ComposeOptions base;
  base.config_dir = trees.as_base;
  compose_and_use(base);

  base.schema = &arxivc::app::config_schema();
  compose_and_use(base);

  config::ComposeOptions option;
  option.config_dir = trees.as_option;
  option.schema = &arxivc::app::config_schema();
  option.overrides = {"training=fuzz"};
  compose_and_use(option);
  return 0;
}
