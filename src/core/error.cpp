#include "arxivc/core/error.hpp"

#include <fmt/format.h>

namespace arxivc {

InputError::InputError(std::filesystem::path file, std::uint64_t line, const std::string& reason)
    : Error(fmt::format("{}:{}: {}", file.string(), line, reason)), file_(std::move(file)), line_(line) {}

InputError::InputError(std::filesystem::path file, const std::string& reason)
    : Error(fmt::format("{}: {}", file.string(), reason)), file_(std::move(file)) {}

}  // namespace arxivc
