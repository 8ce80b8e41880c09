#include "arxivc/core/install_paths.hpp"

#include <system_error>

namespace arxivc {

std::optional<std::filesystem::path> installed_share_dir() {
  std::error_code error;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::nullopt;
  const auto share = binary.parent_path().parent_path() / "share" / "arxivc";
  if (!std::filesystem::is_directory(share, error)) return std::nullopt;
  return share;
}

}  // namespace arxivc
