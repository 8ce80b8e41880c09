#pragma once

// The project's own copy of arXiv's taxonomy, as source data (builtin_table.cpp).

#include <vector>

#include "arxivc/taxonomy/taxonomy.hpp"

namespace arxivc::taxonomy {

// Every category of the built-in table, joined with its archive and group, in table order.
std::vector<Category> builtin_categories();

}  // namespace arxivc::taxonomy
