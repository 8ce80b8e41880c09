#include "arxivc/app/run_directory.hpp"

#include <fmt/format.h>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/logging.hpp"

namespace arxivc::app {
namespace {

std::filesystem::path claim_unique_directory(const std::filesystem::path& wanted) {
  std::error_code ec;
  std::filesystem::create_directories(wanted.parent_path().empty() ? "." : wanted.parent_path(), ec);
  if (ec) throw Error(fmt::format("cannot create run directory {}: {}", wanted.string(), ec.message()));
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto candidate =
        attempt == 0 ? wanted : std::filesystem::path(fmt::format("{}-{}", wanted.string(), attempt));
    // create_directory reports false when the directory exists: someone else's run owns it.
    if (std::filesystem::create_directory(candidate, ec)) return candidate;
    if (ec) throw Error(fmt::format("cannot create run directory {}: {}", candidate.string(), ec.message()));
  }
  throw Error(fmt::format("cannot create run directory {}: too many runs with this name", wanted.string()));
}

}  // namespace

std::filesystem::path create_run_directory(const config::Config& config, std::string_view command) {
  const auto dir = claim_unique_directory(config.get_string("run.dir"));
  config::Node overrides = config::Node::list();
  for (const auto& o : config.overrides()) overrides.items().push_back(config::Node::string(o));
  write_file_atomic(dir / ".hydra" / "config.yaml", config.to_yaml());
  write_file_atomic(dir / ".hydra" / "overrides.yaml", config::to_yaml(overrides));
  add_log_file(dir / fmt::format("{}.log", command));
  return dir;
}

}  // namespace arxivc::app
