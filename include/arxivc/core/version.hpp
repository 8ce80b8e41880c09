#pragma once

#include <string_view>

namespace arxivc {

// The project's version, from CMake's project(VERSION).
std::string_view version();

}  // namespace arxivc
