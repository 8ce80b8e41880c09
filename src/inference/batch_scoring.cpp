#include "arxivc/inference/batch_scoring.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "arxivc/core/trace.hpp"

namespace arxivc::inference {

std::vector<float> score_documents(const model::Model& model, std::span<const model::Document> documents,
                                   unsigned threads) {
  const std::size_t labels = model.label_count();
  std::vector<float> probabilities(documents.size() * labels);
  if (documents.empty()) return probabilities;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  constexpr std::size_t kChunk = 512;
  const std::size_t chunks = (documents.size() + kChunk - 1) / kChunk;
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, chunks));

  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&](unsigned thread) {
    if (thread > 0) trace::name_thread("score", thread);
    TraceSpan span("score", "inference");
    std::size_t scored = 0;
    try {
      for (std::size_t c = next++; c < chunks; c = next++, ++scored) {
        const std::size_t begin = c * kChunk;
        const std::size_t end = std::min(documents.size(), begin + kChunk);
        model.predict(documents.subspan(begin, end - begin),
                      std::span<float>(probabilities).subspan(begin * labels, (end - begin) * labels));
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = chunks;
    }
    span.arg("chunks", scored);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return probabilities;
}

}  // namespace arxivc::inference
