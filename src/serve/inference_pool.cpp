#include "arxivc/serve/inference_pool.hpp"

#include <spdlog/spdlog.h>

#include <optional>

#include "arxivc/app/raw_papers.hpp"
#include "arxivc/core/trace.hpp"

namespace arxivc::serve {
namespace {

// A hint to the CPU that this is a spin-wait (x86 `pause`, Arm `yield`); nothing elsewhere.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield");
#endif
}

double seconds_since(std::chrono::steady_clock::time_point start, std::chrono::steady_clock::time_point now) {
  return std::chrono::duration<double>(now - start).count();
}

bool same_options(const inference::PredictOptions& a, const inference::PredictOptions& b) {
  return a.top_k == b.top_k && a.threshold == b.threshold;
}

}  // namespace

InferencePool::InferencePool(ModelHolder& models, Metrics& metrics, unsigned workers,
                             std::size_t queue_capacity, std::size_t max_batch_papers)
    : models_(models),
      metrics_(metrics),
      queue_capacity_(queue_capacity),
      max_batch_papers_(max_batch_papers) {
  for (unsigned i = 0; i < workers; ++i) {
    workers_.emplace_back([this, i] {
      trace::name_thread("inference", i + 1);
      work();
    });
  }
}

InferencePool::~InferencePool() { stop(); }

void InferencePool::submit(InferenceTask&& task) {
  bool stopping = false;
  {
    std::unique_lock lock(mutex_);
    stopping = stopping_;
    if (!stopping && queue_.size() < queue_capacity_) {
      task.enqueued = std::chrono::steady_clock::now();
      task.trace_request = trace::current_request();
      if (task.trace_request != 0) trace::request_queued(task.enqueued);
      queue_.push_back(std::move(task));
      queued_.store(queue_.size(), std::memory_order_relaxed);
      lock.unlock();
      wake_.notify_one();
      return;
    }
  }
  const auto status = stopping ? InferenceOutcome::Status::stopping : InferenceOutcome::Status::queue_full;
  task.done(InferenceOutcome{status, nullptr, {}});
}

void InferencePool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void InferencePool::work() {
  std::vector<InferenceTask> tasks;
  while (true) {
    tasks.clear();
    bool more = false;
    // Under load the next task arrives within microseconds: waiting a little for it costs less than
    // sleeping on the condition variable and being woken by the kernel.
    for (int spin = 0; spin < 4000 && queued_.load(std::memory_order_relaxed) == 0; ++spin) cpu_relax();
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      // Take what is waiting, up to the batch size in papers (always at least one task).
      std::size_t papers = 0;
      while (!queue_.empty() &&
             (tasks.empty() || papers + queue_.front().papers.size() <= max_batch_papers_)) {
        papers += queue_.front().papers.size();
        tasks.push_back(std::move(queue_.front()));
        queue_.pop_front();
        queued_.store(queue_.size(), std::memory_order_relaxed);
      }
      more = !queue_.empty();
    }
    if (more) wake_.notify_one();
    score(tasks);
  }
}

void InferencePool::score(std::vector<InferenceTask>& tasks) {
  const auto model = models_.current();
  const auto started = std::chrono::steady_clock::now();
  bool sampled = false;
  for (const auto& task : tasks) {
    metrics_.observe_queue_wait(seconds_since(task.enqueued, started));
    if (task.trace_request != 0) {
      trace::request_phase("queue_wait", task.trace_request, task.enqueued, started);
      sampled = true;
    }
  }
  // Only batches holding a sampled request are traced, so tracing a busy server stays cheap.
  std::optional<TraceSpan> batch_span;
  if (sampled) {
    batch_span.emplace("inference_batch", "serve");
    batch_span->arg("tasks", tasks.size());
  }

  // Tasks asking for the same options are scored in one call (the usual case: all of them).
  std::vector<model::Document> documents;
  std::size_t first = 0;
  while (first < tasks.size()) {
    std::size_t last = first + 1;
    while (last < tasks.size() && same_options(tasks[last].options, tasks[first].options)) ++last;
    documents.clear();
    for (std::size_t t = first; t < last; ++t) {
      for (auto& paper : tasks[t].papers) {
        app::normalize_for_model(paper.title, paper.abstract, model->latex);
        documents.push_back({paper.title, paper.abstract});
      }
    }
    std::vector<inference::Prediction> predictions;
    auto status = InferenceOutcome::Status::scored;
    try {
      const auto scoring = std::chrono::steady_clock::now();
      predictions = model->classifier->predict(documents, tasks[first].options);
      metrics_.observe_inference(seconds_since(scoring, std::chrono::steady_clock::now()));
      metrics_.observe_batch_size(documents.size());
    } catch (const std::exception& e) {
      spdlog::error("inference failed for a batch of {} papers: {}", documents.size(), e.what());
      status = InferenceOutcome::Status::failed;
    }
    std::size_t offset = 0;
    for (std::size_t t = first; t < last; ++t) {
      const std::size_t count = tasks[t].papers.size();
      InferenceOutcome outcome{status, model.get(), {}};
      if (status == InferenceOutcome::Status::scored)
        outcome.predictions = std::span<const inference::Prediction>(predictions).subspan(offset, count);
      if (tasks[t].trace_request != 0) {
        trace::request_phase("inference", tasks[t].trace_request, started, std::chrono::steady_clock::now(),
                             trace::Args().add("papers", count).add("batch_papers", documents.size()));
      }
      tasks[t].done(outcome);
      offset += count;
    }
    first = last;
  }
}

}  // namespace arxivc::serve
