#pragma once

#include <cstdint>
#include <filesystem>

namespace arxivc::app {

struct PredictJobOptions {
  std::filesystem::path model_dir;
  std::filesystem::path input;   // any format prepare reads, or "-" for standard input
  std::filesystem::path output;  // JSON Lines; "-" or empty for standard output
  std::size_t top_k = 10;
  unsigned threads = 0;
};

struct PredictJobResult {
  std::uint64_t papers = 0;
  std::uint64_t errors = 0;
};

// `arxivc predict`: one JSON line per input paper, in input order:
//   {"id": "...", "predicted": ["cs.LG", "stat.ML"], "top": [["cs.LG", 0.93], ...]}
// and for a bad input line {"line": N, "error": "..."}; bad lines do not stop the run.
PredictJobResult run_predict(const PredictJobOptions& options);

}  // namespace arxivc::app
