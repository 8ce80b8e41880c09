#pragma once

// Where an installed arxivc (the .deb or the .tar.gz of CPack, cmake/Packaging.cmake) keeps its data: the
// binary in <prefix>/bin, the configuration tree in <prefix>/share/arxivc/configs and the web page in
// <prefix>/share/arxivc/web.

#include <filesystem>
#include <optional>

namespace arxivc {

// <prefix>/share/arxivc for the running binary (found through /proc/self/exe), when that directory exists.
std::optional<std::filesystem::path> installed_share_dir();

}  // namespace arxivc
