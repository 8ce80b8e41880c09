#pragma once

// Sub-sampling of the selected papers: a cap per primary category (for balance), then a total.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace arxivc::prepare {

struct SamplingOptions {
  std::optional<std::int64_t> max_samples;       // total kept; none = all
  std::optional<std::int64_t> per_category_cap;  // per stratum; none = all
  std::uint64_t seed = 42;
};

struct SamplingResult {
  std::vector<std::size_t> kept;        // positions into the strata, ascending
  std::vector<std::size_t> capped;      // removed by per_category_cap, ascending
  std::vector<std::size_t> over_total;  // removed by max_samples, ascending
};

// `strata[i]` is the primary category of item i. A stratum larger than the cap keeps a uniformly random
// subset of `cap` items (each stratum draws from its own stream of the seed, so strata do not influence
// each other); then, when more than max_samples items remain, a uniformly random subset of max_samples
// is kept. Throws ConfigError naming prepare.sampling.* for a negative value.
SamplingResult sample(std::span<const std::string_view> strata, const SamplingOptions& options);

}  // namespace arxivc::prepare
