#pragma once

// OmegaConf-style ${...} interpolation: node references (absolute "a.b" or relative ".sibling"),
// string interpolation, nesting ("${a.${b}}"), and the resolvers oc.env, oc.decode and now.

#include <ctime>

#include "arxivc/config/config.hpp"

namespace arxivc::config::detail {

// Replaces every interpolation in `root`, in place. A value that is exactly one "${...}" takes the
// referenced value with its type; anything else becomes a string. "\${" is a literal "${".
// `now` is the time ${now:FORMAT} formats (local time, strftime). Throws ConfigError naming the
// key and the interpolation for a missing target, a cycle, an unset environment variable or an
// unknown resolver.
void resolve_interpolations(Node& root, std::time_t now);

}  // namespace arxivc::config::detail
