#include "arxivc/eval/confusion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {

std::vector<ConfusionCell> primary_confusion(std::span<const GoldLabels> gold,
                                             std::span<const std::uint32_t> top_1) {
  if (gold.size() != top_1.size()) {
    throw Error(fmt::format("confusion: {} gold label sets but {} top-1 labels", gold.size(), top_1.size()));
  }
  std::map<std::pair<std::uint32_t, std::uint32_t>, ConfusionCell> cells;
  for (std::size_t paper = 0; paper < gold.size(); ++paper) {
    if (gold[paper].empty() || gold[paper].front() == kOutsideLabel) continue;
    const std::uint32_t primary = gold[paper].front();
    ConfusionCell& cell = cells[{primary, top_1[paper]}];
    cell.gold = primary;
    cell.predicted = top_1[paper];
    ++cell.count;
    if (std::find(gold[paper].begin() + 1, gold[paper].end(), top_1[paper]) != gold[paper].end()) {
      ++cell.predicted_in_gold;
    }
  }
  std::vector<ConfusionCell> result;
  result.reserve(cells.size());
  for (const auto& [key, cell] : cells) result.push_back(cell);
  return result;
}

std::vector<ConfusionCell> most_confused_pairs(std::span<const ConfusionCell> cells, std::size_t limit) {
  std::vector<ConfusionCell> pairs;
  for (const ConfusionCell& cell : cells) {
    if (cell.gold != cell.predicted) pairs.push_back(cell);
  }
  std::sort(pairs.begin(), pairs.end(), [](const ConfusionCell& a, const ConfusionCell& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.gold != b.gold) return a.gold < b.gold;
    return a.predicted < b.predicted;
  });
  if (pairs.size() > limit) pairs.resize(limit);
  return pairs;
}

std::vector<double> ConfusionSubmatrix::row_shares() const {
  std::vector<double> shares(counts.size(), 0.0);
  const std::size_t k = labels.size();
  for (std::size_t r = 0; r < k; ++r) {
    if (gold_primary_totals[r] == 0) continue;
    for (std::size_t c = 0; c < k; ++c) {
      shares[r * k + c] =
          static_cast<double>(counts[r * k + c]) / static_cast<double>(gold_primary_totals[r]);
    }
  }
  return shares;
}

ConfusionSubmatrix confusion_submatrix(std::span<const ConfusionCell> cells, std::size_t limit) {
  std::map<std::uint32_t, std::uint64_t> involvement;
  for (const ConfusionCell& cell : cells) {
    if (cell.gold == cell.predicted) continue;
    involvement[cell.gold] += cell.count;
    involvement[cell.predicted] += cell.count;
  }
  std::vector<std::pair<std::uint32_t, std::uint64_t>> ranked(involvement.begin(), involvement.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (ranked.size() > limit) ranked.resize(limit);

  ConfusionSubmatrix result;
  for (const auto& [label, count] : ranked) result.labels.push_back(label);
  std::sort(result.labels.begin(), result.labels.end());
  const std::size_t k = result.labels.size();
  result.counts.assign(k * k, 0);
  result.gold_primary_totals.assign(k, 0);
  const auto index_of = [&](std::uint32_t label) {
    const auto it = std::lower_bound(result.labels.begin(), result.labels.end(), label);
    return it != result.labels.end() && *it == label ? static_cast<std::size_t>(it - result.labels.begin())
                                                     : k;
  };
  for (const ConfusionCell& cell : cells) {
    const std::size_t row = index_of(cell.gold);
    if (row == k) continue;
    result.gold_primary_totals[row] += cell.count;
    const std::size_t column = index_of(cell.predicted);
    if (column != k) result.counts[row * k + column] += cell.count;
  }
  return result;
}

nlohmann::json to_json(const ConfusionCell& cell) {
  return {{"gold", cell.gold},
          {"predicted", cell.predicted},
          {"count", cell.count},
          {"predicted_in_gold", cell.predicted_in_gold}};
}

}  // namespace arxivc::eval
