#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace arxivc::app {

struct ExportJobOptions {
  std::filesystem::path input;   // a prepared dataset directory
  std::string split = "train";   // the split written
  std::filesystem::path output;  // JSON Lines; "-" or empty for standard output
  // At most this many papers, the subset `arxivc train --max-samples N` trains on with the same seed
  // (train::sample_indices), in split order; nullopt = all.
  std::optional<std::int64_t> max_samples;
  std::uint64_t seed = 42;
  bool force = false;  // replace an existing output that is not an earlier export
};

struct ExportJobResult {
  std::uint64_t papers = 0;
};

// `arxivc export`: one split of a prepared dataset as JSON Lines, one paper a line in the split's order,
//   {"id": "...", "title": "...", "abstract": "...", "labels": ["cs.LG", "stat.ML"]}
// with the dataset's normalised text and its labels as codes, primary first; for other tools (peer
// benchmarks, notebooks) that cannot read the binary format. A file output appears only when complete;
// it may replace only an earlier export (unless `force`), and never anything in the dataset directory.
ExportJobResult run_export(const ExportJobOptions& options);

}  // namespace arxivc::app
