#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "arxivc/ingest/reader.hpp"
#include "chunk.hpp"
#include "chunk_parser.hpp"
#include "line_chunker.hpp"

namespace arxivc::ingest {

// Reads chunks on one thread, parses them on `threads` worker threads and hands the results to the
// calling thread in input order. At most 2 x threads chunks are between reading and delivery at any
// time (their buffers are recycled), so memory does not grow with the input.
class ParsePipeline {
 public:
  ParsePipeline(LineChunker& chunker, const PaperTransform& transform, unsigned threads,
                std::size_t max_reported, bool require_categories = true);

  // Calls `deliver` with the result of each chunk, in input order, until the input ends. An error
  // from reading the input is rethrown after the chunks read before it are delivered; an error from
  // the transform is rethrown in place of its chunk. Every thread has stopped when run() returns.
  void run(const std::function<void(ChunkResult&&)>& deliver);

 private:
  struct Outcome {
    ChunkResult result;
    std::exception_ptr error;
  };

  void read_chunks();
  void parse_chunks();
  void cancel();

  LineChunker& chunker_;
  const PaperTransform& transform_;
  unsigned threads_;
  std::size_t max_reported_;
  bool require_categories_ = true;
  std::size_t max_in_flight_;

  std::mutex mutex_;
  std::condition_variable slot_free_;     // the reader waits for in_flight_ to drop
  std::condition_variable work_ready_;    // workers wait for chunks
  std::condition_variable result_ready_;  // the caller waits for the next result in order
  std::deque<Chunk> work_;
  std::map<std::uint64_t, Outcome> outcomes_;  // parsed chunks not yet delivered, by index
  std::vector<ChunkBuffer> free_buffers_;
  std::size_t in_flight_ = 0;  // chunks read but not yet delivered
  std::uint64_t chunks_read_ = 0;
  bool input_done_ = false;
  std::exception_ptr input_error_;
  bool cancelled_ = false;
};

}  // namespace arxivc::ingest
