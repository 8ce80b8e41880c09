#include "parse_pipeline.hpp"

#include <thread>

#include "arxivc/core/trace.hpp"

namespace arxivc::ingest {

ParsePipeline::ParsePipeline(LineChunker& chunker, const PaperTransform& transform, unsigned threads,
                             std::size_t max_reported, bool require_categories)
    : chunker_(chunker),
      transform_(transform),
      threads_(std::max(threads, 1U)),
      max_reported_(max_reported),
      require_categories_(require_categories),
      max_in_flight_(2 * static_cast<std::size_t>(threads_)) {}

void ParsePipeline::run(const std::function<void(ChunkResult&&)>& deliver) {
  std::vector<std::jthread> threads;
  // Declared after `threads`, so destroyed first: on any exit, stop the threads before joining them.
  struct CancelOnExit {
    ParsePipeline& pipeline;
    ~CancelOnExit() { pipeline.cancel(); }
  } cancel_on_exit{*this};

  threads.emplace_back([this] {
    trace::name_thread("reader");
    read_chunks();
  });
  for (unsigned i = 0; i < threads_; ++i) {
    threads.emplace_back([this, i] {
      trace::name_thread("parser", i + 1);
      parse_chunks();
    });
  }

  for (std::uint64_t next = 0;; ++next) {
    Outcome outcome;
    {
      TraceSpan wait("wait_for_chunk", "wait");
      std::unique_lock lock(mutex_);
      result_ready_.wait(lock,
                         [&] { return outcomes_.contains(next) || (input_done_ && next == chunks_read_); });
      const auto found = outcomes_.find(next);
      if (found == outcomes_.end()) {
        if (input_error_) std::rethrow_exception(input_error_);
        return;
      }
      outcome = std::move(found->second);
      outcomes_.erase(found);
    }
    if (outcome.error) std::rethrow_exception(outcome.error);
    {
      TraceSpan span("deliver", "ingest");
      span.arg("chunk", next).arg("papers", outcome.result.papers.size());
      deliver(std::move(outcome.result));
    }
    {
      std::lock_guard lock(mutex_);
      --in_flight_;
    }
    slot_free_.notify_one();
  }
}

void ParsePipeline::read_chunks() {
  while (true) {
    Chunk chunk;
    {
      TraceSpan wait("wait_for_slot", "wait");
      std::unique_lock lock(mutex_);
      slot_free_.wait(lock, [&] { return cancelled_ || in_flight_ < max_in_flight_; });
      if (cancelled_) return;
      ++in_flight_;
      if (!free_buffers_.empty()) {
        chunk.buffer = std::move(free_buffers_.back());
        free_buffers_.pop_back();
      }
    }
    bool have_chunk = false;
    std::exception_ptr error;
    try {
      TraceSpan span("read", "ingest");
      have_chunk = chunker_.next(chunk);
      span.arg("chunk", chunk.index).arg("bytes", have_chunk ? chunk.buffer.size() : 0);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      if (have_chunk) {
        work_.push_back(std::move(chunk));
        ++chunks_read_;
      } else {
        --in_flight_;
        input_done_ = true;
        input_error_ = error;
      }
    }
    if (!have_chunk) {
      work_ready_.notify_all();
      result_ready_.notify_one();
      return;
    }
    work_ready_.notify_one();
  }
}

void ParsePipeline::parse_chunks() {
  RecordParser parser(require_categories_);
  while (true) {
    Chunk chunk;
    {
      TraceSpan wait("wait_for_work", "wait");
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return cancelled_ || input_done_ || !work_.empty(); });
      if (cancelled_ || work_.empty()) return;
      chunk = std::move(work_.front());
      work_.pop_front();
    }
    Outcome outcome;
    try {
      outcome.result = parse_chunk(chunk, parser, transform_, max_reported_);
    } catch (...) {
      outcome.error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      free_buffers_.push_back(std::move(chunk.buffer));
      outcomes_.emplace(chunk.index, std::move(outcome));
    }
    result_ready_.notify_one();
  }
}

void ParsePipeline::cancel() {
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  slot_free_.notify_all();
  work_ready_.notify_all();
  result_ready_.notify_all();
}

}  // namespace arxivc::ingest
