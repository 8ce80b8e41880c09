#pragma once

// Calibration of a classifier's confidence: equal-width confidence bins, each with how often the
// prediction was right, and the expected calibration error (ECE) summarising the gap.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

namespace arxivc::eval {

struct ReliabilityBin {
  double lower = 0.0;  // confidence range [lower, upper); the last bin also holds 1.0
  double upper = 0.0;
  std::uint64_t count = 0;
  double mean_confidence = 0.0;  // 0 for an empty bin
  double accuracy = 0.0;         // fraction right; 0 for an empty bin
};

struct Calibration {
  // ECE = sum over bins of (count / total) * |accuracy - mean_confidence|; 0 when there is no prediction.
  double expected_calibration_error = 0.0;
  std::vector<ReliabilityBin> bins;
};

// Bins predictions by confidence (clamped into [0, 1]) into `bin_count` equal-width bins.
// confidence and correct are parallel (correct[i] != 0: prediction i was right). Throws arxivc::Error on
// mismatched sizes or bin_count == 0.
Calibration compute_calibration(std::span<const float> confidence, std::span<const std::uint8_t> correct,
                                std::size_t bin_count);

nlohmann::json to_json(const Calibration& calibration);

}  // namespace arxivc::eval
