#pragma once

// Inference behind a bounded queue: request handlers submit tasks (one or many papers), worker threads
// take every task waiting (up to a number of papers) at once and score them as one batch, so under load
// the model sees large batches and a request pays one hand-off, not one model call per paper.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "arxivc/inference/classifier.hpp"
#include "arxivc/serve/metrics.hpp"
#include "arxivc/serve/model_holder.hpp"

namespace arxivc::serve {

struct PaperText {
  std::string title;
  std::string abstract;
};

// What a task's callback receives: the model that scored the papers and one prediction per paper, in
// order; or why there are none (scoring failed: the log has why; or the queue was full).
struct InferenceOutcome {
  enum class Status { scored, failed, queue_full, stopping };
  Status status = Status::scored;
  const ServedModel* model = nullptr;
  std::span<const inference::Prediction> predictions;
};

struct InferenceTask {
  std::vector<PaperText> papers;  // normalised by the worker with the model's text settings
  inference::PredictOptions options;
  // Called once on a worker thread; must not throw.
  std::function<void(const InferenceOutcome&)> done;
  std::chrono::steady_clock::time_point enqueued{};
  std::uint64_t trace_request = 0;  // the request's id when --profile samples it (core/trace.hpp), else 0
};

class InferencePool {
 public:
  InferencePool(ModelHolder& models, Metrics& metrics, unsigned workers, std::size_t queue_capacity,
                std::size_t max_batch_papers);
  ~InferencePool();
  InferencePool(const InferencePool&) = delete;
  InferencePool& operator=(const InferencePool&) = delete;

  // Queues the task; when the queue is full or the pool is stopping, calls its callback at once with
  // Status::queue_full or Status::stopping instead.
  void submit(InferenceTask&& task);
  // Finishes every queued task, then joins the workers.
  void stop();

 private:
  void work();
  void score(std::vector<InferenceTask>& tasks);

  ModelHolder& models_;
  Metrics& metrics_;
  const std::size_t queue_capacity_;
  const std::size_t max_batch_papers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<InferenceTask> queue_;
  std::atomic<std::size_t> queued_{0};  // queue_.size(), readable without the lock
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace arxivc::serve
