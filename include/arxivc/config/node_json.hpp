#pragma once

// A configuration tree as JSON, for the records that carry it (a dataset's manifest.json).

#include <nlohmann/json.hpp>

#include "arxivc/config/config.hpp"

namespace arxivc::config {

// null, bool, integer, float and string map to the JSON value; lists to arrays; maps to objects (whose
// keys nlohmann::json keeps sorted, so the result does not depend on the order of the YAML files).
nlohmann::json to_json(const Node& node);

}  // namespace arxivc::config
