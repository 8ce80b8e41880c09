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
  bool force = false;  // replace an existing output that is not an earlier prediction file
};

struct PredictJobResult {
  std::uint64_t papers = 0;
  std::uint64_t errors = 0;
};

// `arxivc predict`: one JSON line per input paper, in input order:
//   {"id": "...", "predicted": ["cs.LG", "stat.ML"], "top": [["cs.LG", 0.93], ...]}
// and for a bad input line {"line": N, "error": "..."}; bad lines do not stop the run. An output file
// appears only when complete; it may replace only an earlier prediction file (unless `force`), and
// never the input or anything in the model directory.
PredictJobResult run_predict(const PredictJobOptions& options);

}  // namespace arxivc::app
