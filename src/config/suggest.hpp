#pragma once

// "Did you mean ...?" for unknown keys and group options.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/config/config.hpp"

namespace arxivc::config::detail {

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// adjacent characters each cost 1 (a swapped pair is one typo, not two).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `name`, when close enough to be a plausible typo; the first of equals.
std::optional<std::string> closest_match(std::string_view name, const std::vector<std::string>& candidates);

// "unknown key 'training.bach_size' (did you mean 'training.batch_size'?)": each missing segment is
// matched against the keys that exist at that level.
std::string unknown_key_message(const Node& root, std::string_view dotted);

}  // namespace arxivc::config::detail
