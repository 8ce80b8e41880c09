#include "arxivc/serve/model_holder.hpp"

#include <fmt/format.h>

namespace arxivc::serve {

ModelHolder::ModelHolder(std::filesystem::path directory)
    : directory_(std::move(directory)), current_(load_served_model(directory_)) {
  thread_ = std::thread([this] { reload_loop(); });
}

ModelHolder::~ModelHolder() { stop(); }

void ModelHolder::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ModelHolder::reload_async(std::function<void(const ReloadResult&)> done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      pending_.push_back(std::move(done));
      wake_.notify_all();
      return;
    }
  }
  done(ReloadResult{false, "the service is shutting down; the model was not reloaded", current()});
}

void ModelHolder::reload_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;
    // Every request queued so far is answered by one load: they all asked for the directory as it is now.
    auto waiting = std::move(pending_);
    pending_.clear();
    lock.unlock();
    ReloadResult result;
    try {
      auto loaded = load_served_model(directory_);
      current_.store(loaded, std::memory_order_release);
      result.ok = true;
      result.message = fmt::format("reloaded model {} version {} from {}", loaded->classifier->name(),
                                   loaded->classifier->version(), directory_.string());
      result.model = std::move(loaded);
    } catch (const std::exception& e) {
      result.ok = false;
      result.message = fmt::format("reload refused, the previous model keeps serving: {}", e.what());
      result.model = current();
    }
    for (auto& done : waiting) done(result);
    lock.lock();
  }
}

}  // namespace arxivc::serve
