#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace arxivc {

// Process exit codes of every command.
enum class ExitCode : int { ok = 0, failure = 1, usage = 2 };

// A failure at run time (exit code 1). The message names the problem for a person.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A mistake in how the program was called or configured (exit code 2).
class UsageError : public Error {
 public:
  using Error::Error;
};

// A configuration error: unknown key or group option, wrong type, bad override (exit code 2).
class ConfigError : public UsageError {
 public:
  using UsageError::UsageError;
};

// Bad input data: names the file and, where known, the line (exit code 1).
class InputError : public Error {
 public:
  InputError(std::filesystem::path file, std::uint64_t line, const std::string& reason);
  InputError(std::filesystem::path file, const std::string& reason);

  const std::filesystem::path& file() const { return file_; }
  std::uint64_t line() const { return line_; }  // 0 when the problem is not tied to a line

 private:
  std::filesystem::path file_;
  std::uint64_t line_ = 0;
};

}  // namespace arxivc
