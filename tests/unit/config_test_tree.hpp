#pragma once

// A throwaway config directory for the config tests, so they never depend on the repository's configs/.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"

namespace arxivc::config::testing {

class ConfigTree {
 public:
  ConfigTree() {
    const char* tmp = std::getenv("ARXIVC_TEST_TMP");
    const std::filesystem::path parent =
        tmp != nullptr && *tmp != '\0' ? std::filesystem::path(tmp) : std::filesystem::temp_directory_path();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = parent / ("arxivc-config-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
                     std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~ConfigTree() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ConfigTree(const ConfigTree&) = delete;
  ConfigTree& operator=(const ConfigTree&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  void write(const std::string& relative, const std::string& content) const {
    const auto path = dir_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  Config compose(std::vector<std::string> overrides = {}) const {
    ComposeOptions options;
    options.config_dir = dir_;
    options.overrides = std::move(overrides);
    options.now = kFixedTime;
    return config::compose(options);
  }

  // 2024-06-15 12:00:00 UTC: June 2024 in every time zone.
  static constexpr std::time_t kFixedTime = 1718452800;

 private:
  std::filesystem::path dir_;
};

// Sets an environment variable for one test and restores the previous state.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) previous_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (previous_) {
      ::setenv(name_.c_str(), previous_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

// The message of the ConfigError `call` throws; fails the test when it throws nothing.
template <typename Call>
std::string config_error_message(Call&& call) {
  try {
    call();
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return "";
}

}  // namespace arxivc::config::testing
