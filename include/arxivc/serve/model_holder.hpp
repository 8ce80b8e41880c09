#pragma once

// The model being served, replaceable without downtime: readers take the current model with one atomic
// load and keep it alive for as long as their request needs it; a reload loads the directory again on
// the holder's own thread and swaps it in only when it loaded completely.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "arxivc/serve/served_model.hpp"

namespace arxivc::serve {

struct ReloadResult {
  bool ok = false;
  std::string message;                       // the new version, or why the model directory was refused
  std::shared_ptr<const ServedModel> model;  // the model serving after the attempt
};

class ModelHolder {
 public:
  // Loads the model; throws arxivc::Error when it cannot be loaded.
  explicit ModelHolder(std::filesystem::path directory);
  ~ModelHolder();
  ModelHolder(const ModelHolder&) = delete;
  ModelHolder& operator=(const ModelHolder&) = delete;

  std::shared_ptr<const ServedModel> current() const { return current_.load(std::memory_order_acquire); }

  // Loads the directory again in the background and calls `done` on the reload thread. A broken or
  // incompatible model leaves the current one serving; `done` says why.
  void reload_async(std::function<void(const ReloadResult&)> done);
  // Answers the reloads already asked for, then ends the reload thread.
  void stop();

 private:
  void reload_loop();

  std::filesystem::path directory_;
  std::atomic<std::shared_ptr<const ServedModel>> current_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void(const ReloadResult&)>> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace arxivc::serve
