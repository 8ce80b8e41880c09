#pragma once

#include "arxivc/config/config.hpp"

namespace arxivc::config::detail {

// OmegaConf merge: a map merged into a map merges key by key, recursively, keeping the target's key
// order and appending new keys; any other combination replaces the target with the source.
void merge_into(Node& target, const Node& source);

}  // namespace arxivc::config::detail
