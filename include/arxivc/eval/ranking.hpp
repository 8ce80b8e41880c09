#pragma once

// Ranking of labels by probability, shared by the metrics and the thresholded decision so both agree on
// which label is a paper's top-1: higher probability first, ties broken by the lower label id.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace arxivc::eval {

// The label with the highest probability (lowest id among ties). Throws arxivc::Error on an empty row.
std::uint32_t top_label(std::span<const float> row);

// The min(k, row.size()) labels with the highest probabilities, best first.
std::vector<std::uint32_t> top_labels(std::span<const float> row, std::size_t k);

}  // namespace arxivc::eval
