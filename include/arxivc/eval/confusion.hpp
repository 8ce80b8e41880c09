#pragma once

// Confusion between a paper's gold primary category and the model's top-1 category.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "arxivc/eval/gold.hpp"

namespace arxivc::eval {

// Papers whose gold primary is `gold` and whose top-1 prediction is `predicted`.
struct ConfusionCell {
  std::uint32_t gold = 0;
  std::uint32_t predicted = 0;
  std::uint64_t count = 0;
  // How many of these papers have `predicted` among their other gold categories (a cross-list): the
  // model picked a right category, just not the primary one.
  std::uint64_t predicted_in_gold = 0;
};

// Every non-empty cell, sorted by (gold, predicted). Papers whose gold primary is outside the label space
// have no row. top_1[i] is paper i's top-1 label.
std::vector<ConfusionCell> primary_confusion(std::span<const GoldLabels> gold,
                                             std::span<const std::uint32_t> top_1);

// The `limit` off-diagonal cells with the highest counts (ties: lower gold id, then lower predicted id).
std::vector<ConfusionCell> most_confused_pairs(std::span<const ConfusionCell> cells, std::size_t limit);

// The confusion among the categories most involved in confusions, for a heatmap.
struct ConfusionSubmatrix {
  std::vector<std::uint32_t> labels;  // chosen labels, in increasing id order
  // counts[r * labels.size() + c]: papers with gold primary labels[r] and top-1 labels[c] (diagonal: right).
  std::vector<std::uint64_t> counts;
  // Papers with gold primary labels[r], whatever their top-1 (also top-1s outside the chosen labels).
  std::vector<std::uint64_t> gold_primary_totals;

  // counts divided by the row's gold_primary_totals: the share of each gold primary's papers given each
  // top-1 (0 for an empty row).
  std::vector<double> row_shares() const;
};

// Picks up to `limit` labels by the number of off-diagonal papers they appear in (as gold primary or as
// wrong top-1; ties: lower id) and gathers their submatrix.
ConfusionSubmatrix confusion_submatrix(std::span<const ConfusionCell> cells, std::size_t limit);

nlohmann::json to_json(const ConfusionCell& cell);

}  // namespace arxivc::eval
