#include "arxivc/eval/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {

Calibration compute_calibration(std::span<const float> confidence, std::span<const std::uint8_t> correct,
                                std::size_t bin_count) {
  if (bin_count == 0) throw Error("calibration needs at least one confidence bin");
  if (confidence.size() != correct.size()) {
    throw Error(fmt::format("calibration: {} confidences but {} correctness flags", confidence.size(),
                            correct.size()));
  }
  Calibration result;
  result.bins.resize(bin_count);
  std::vector<double> confidence_sum(bin_count, 0.0);
  std::vector<std::uint64_t> right(bin_count, 0);
  for (std::size_t i = 0; i < confidence.size(); ++i) {
    const double c = std::clamp(static_cast<double>(confidence[i]), 0.0, 1.0);
    // Equal-width bins [b/B, (b+1)/B); a confidence of exactly 1 belongs to the last bin.
    const auto bin = std::min(static_cast<std::size_t>(c * static_cast<double>(bin_count)), bin_count - 1);
    ++result.bins[bin].count;
    confidence_sum[bin] += c;
    if (correct[i] != 0) ++right[bin];
  }
  const auto total = static_cast<double>(confidence.size());
  for (std::size_t b = 0; b < bin_count; ++b) {
    ReliabilityBin& bin = result.bins[b];
    bin.lower = static_cast<double>(b) / static_cast<double>(bin_count);
    bin.upper = static_cast<double>(b + 1) / static_cast<double>(bin_count);
    if (bin.count == 0) continue;
    const auto n = static_cast<double>(bin.count);
    bin.mean_confidence = confidence_sum[b] / n;
    bin.accuracy = static_cast<double>(right[b]) / n;
    result.expected_calibration_error += n / total * std::abs(bin.accuracy - bin.mean_confidence);
  }
  return result;
}

nlohmann::json to_json(const Calibration& calibration) {
  nlohmann::json bins = nlohmann::json::array();
  for (const ReliabilityBin& bin : calibration.bins) {
    bins.push_back({{"lower", bin.lower},
                    {"upper", bin.upper},
                    {"count", bin.count},
                    {"mean_confidence", bin.mean_confidence},
                    {"accuracy", bin.accuracy}});
  }
  return {{"expected_calibration_error", calibration.expected_calibration_error}, {"bins", std::move(bins)}};
}

}  // namespace arxivc::eval
