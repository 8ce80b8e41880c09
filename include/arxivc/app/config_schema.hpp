#pragma once

// The keys arxivc's configuration may hold (configs/), their types and ranges, and its secrets.

#include "arxivc/config/schema.hpp"

namespace arxivc::app {

const config::Schema& config_schema();

}  // namespace arxivc::app
