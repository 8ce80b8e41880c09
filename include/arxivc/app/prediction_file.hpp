#pragma once

// Predictions made by any tool, read back for evaluation: JSON Lines in `arxivc predict`'s output format,
//   {"id": "2501.00001", "predicted": ["cs.LG", "stat.ML"], "top": [["cs.LG", 0.93], ["stat.ML", 0.61], ...]}
// one line per evaluated paper, in any order, aligned to the evaluated papers by id.
//
// - Codes are mapped to the label space as given, else through the taxonomy (aliases and legacy codes to
//   canonical ones; in archive mode, a category to its archive). A code still unknown gets a label of its
//   own after the given ones: it can never match a gold category, so it counts as a miss (a false
//   positive in the decision, a wrong top-1).
// - The probability matrix holds each paper's "top" probabilities; labels not listed get 0. The order of
//   "top" is kept as the ranking: equal probabilities are nudged down by one float step so that ties keep
//   the file's order (the metrics break ties by label id otherwise).
// - "predicted" is the decision as written (primary guess first), "top" must be non-empty and in
//   non-increasing probability order, probabilities within [0, 1].

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/eval/gold.hpp"

namespace arxivc::app {

struct PredictionFileContents {
  std::vector<std::string> codes;           // label space: the given codes, then unknown codes by first use
  std::size_t known_labels = 0;             // how many of `codes` were given
  std::vector<float> probabilities;         // papers x codes.size(), row-major, in the order of `ids`
  std::vector<eval::GoldLabels> predicted;  // per paper, label ids into `codes`
  std::uint64_t lines = 0;                  // prediction lines read
  std::uint64_t unknown_code_entries =
      0;  // entries ("predicted" or "top") with a code outside the given ones
};

// Reads `path` and aligns its lines to `ids` (the evaluated papers, in order). `split_name` names the
// papers in errors. Throws arxivc::Error naming the file, the line and the field for a line that is not
// JSON, a missing or mistyped field, a probability outside [0, 1], a repeated code, a "top" list out of
// order, an id that is not among `ids` or is predicted twice, a line that reports an "error", and (naming
// the first ones) papers of `ids` without a prediction line.
PredictionFileContents read_prediction_file(const std::filesystem::path& path,
                                            std::span<const std::string_view> ids,
                                            const std::vector<std::string>& label_codes, bool archive_mode,
                                            const std::string& split_name);

}  // namespace arxivc::app
