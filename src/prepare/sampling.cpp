#include "arxivc/prepare/sampling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "arxivc/core/error.hpp"
#include "arxivc/prepare/random.hpp"
#include "arxivc/prepare/strata.hpp"

namespace arxivc::prepare {
namespace {

void check_not_negative(const std::optional<std::int64_t>& value, std::string_view key) {
  if (value && *value < 0) throw ConfigError(fmt::format("prepare.sampling.{}: {} is negative", key, *value));
}

}  // namespace

SamplingResult sample(std::span<const std::string_view> strata, const SamplingOptions& options) {
  check_not_negative(options.max_samples, "max_samples");
  check_not_negative(options.per_category_cap, "per_category_cap");
  SamplingResult result;
  std::vector<std::size_t> all(strata.size());
  std::iota(all.begin(), all.end(), std::size_t{0});

  if (options.per_category_cap) {
    const auto cap = static_cast<std::size_t>(*options.per_category_cap);
    for (auto& [stratum, positions] : group_by_stratum(strata, all)) {
      if (positions.size() <= cap) {
        result.kept.insert(result.kept.end(), positions.begin(), positions.end());
        continue;
      }
      Rng rng(derive_seed(options.seed, fmt::format("per_category_cap:{}", stratum)));
      rng.shuffle(std::span(positions));
      result.kept.insert(result.kept.end(), positions.begin(),
                         positions.begin() + static_cast<std::ptrdiff_t>(cap));
      result.capped.insert(result.capped.end(), positions.begin() + static_cast<std::ptrdiff_t>(cap),
                           positions.end());
    }
    std::sort(result.kept.begin(), result.kept.end());
    std::sort(result.capped.begin(), result.capped.end());
  } else {
    result.kept = std::move(all);
  }

  if (options.max_samples && result.kept.size() > static_cast<std::size_t>(*options.max_samples)) {
    const auto total = static_cast<std::size_t>(*options.max_samples);
    Rng rng(derive_seed(options.seed, "max_samples"));
    rng.shuffle(std::span(result.kept));
    result.over_total.assign(result.kept.begin() + static_cast<std::ptrdiff_t>(total), result.kept.end());
    result.kept.resize(total);
    std::sort(result.kept.begin(), result.kept.end());
    std::sort(result.over_total.begin(), result.over_total.end());
  }
  return result;
}

}  // namespace arxivc::prepare
