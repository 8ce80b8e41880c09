#pragma once

// Gold (reference) label sets of evaluated papers. A gold category that is not in the model's label space
// (a rare category dropped from the label set, a code the taxonomy does not know) stays in the paper's
// gold list as kOutsideLabel, so every metric counts it as a miss instead of silently forgetting it.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace arxivc::eval {

// Marks a gold category outside the label space [0, label_count).
inline constexpr std::uint32_t kOutsideLabel = std::numeric_limits<std::uint32_t>::max();

// One paper's gold labels: label ids, the primary category first; kOutsideLabel entries allowed
// (also as the primary). Ids other than kOutsideLabel must be distinct.
using GoldLabels = std::vector<std::uint32_t>;

// Throws arxivc::Error naming the paper (0-based index) when a gold list is empty, holds an id outside
// [0, label_count) that is not kOutsideLabel, or repeats an id.
void validate_gold(std::span<const GoldLabels> gold, std::size_t label_count);

// Throws arxivc::Error naming the paper and label when the matrix does not hold papers * label_count
// values or a value is not a probability (NaN, infinite, or outside [0, 1] by more than 1e-4).
void validate_probabilities(std::span<const float> probabilities, std::size_t papers,
                            std::size_t label_count);

}  // namespace arxivc::eval
