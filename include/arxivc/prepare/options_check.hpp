#pragma once

#include "arxivc/prepare/prepare.hpp"

namespace arxivc::prepare {

// Throws ConfigError naming the prepare.* key of the first invalid option: fractions out of [0, 1] or not
// summing to 1, a malformed cutoff, temporal without a cutoff, negative counts. run_prepare calls it too.
void check_options(const PrepareOptions& options);

}  // namespace arxivc::prepare
