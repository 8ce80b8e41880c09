#include "arxivc/eval/gold.hpp"

#include <fmt/format.h>

#include <cmath>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {

void validate_gold(std::span<const GoldLabels> gold, std::size_t label_count) {
  std::vector<std::size_t> seen_in_paper(label_count, 0);  // paper index + 1 where each label last seen
  for (std::size_t paper = 0; paper < gold.size(); ++paper) {
    if (gold[paper].empty()) throw Error(fmt::format("paper {}: no gold category", paper));
    for (const std::uint32_t label : gold[paper]) {
      if (label == kOutsideLabel) continue;
      if (label >= label_count) {
        throw Error(fmt::format("paper {}: gold label id {} is outside the label space of {} labels", paper,
                                label, label_count));
      }
      if (seen_in_paper[label] == paper + 1) {
        throw Error(fmt::format("paper {}: gold label id {} is listed twice", paper, label));
      }
      seen_in_paper[label] = paper + 1;
    }
  }
}

void validate_probabilities(std::span<const float> probabilities, std::size_t papers,
                            std::size_t label_count) {
  if (probabilities.size() != papers * label_count) {
    throw Error(fmt::format("probability matrix holds {} values, expected {} papers x {} labels = {}",
                            probabilities.size(), papers, label_count, papers * label_count));
  }
  // Rounding in a softmax or sigmoid may overshoot [0, 1] by a few ulps; anything further is a bug upstream.
  constexpr float kTolerance = 1e-4F;
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const float p = probabilities[i];
    if (!std::isfinite(p) || p < -kTolerance || p > 1.0F + kTolerance) {
      throw Error(
          fmt::format("paper {}, label {}: {} is not a probability", i / label_count, i % label_count, p));
    }
  }
}

}  // namespace arxivc::eval
