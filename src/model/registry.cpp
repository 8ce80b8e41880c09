#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>

#include "arxivc/core/error.hpp"
#include "arxivc/model/fasttext_model.hpp"
#include "arxivc/model/linear_model.hpp"
#include "arxivc/model/model.hpp"

namespace arxivc::model {
namespace {

struct Family {
  std::string_view name;
  std::function<std::unique_ptr<Model>()> create;
};

// Every model family, by the name stored in model files and used in configurations.
const std::vector<Family>& families() {
  static const std::vector<Family> table = {
      {"linear", [] { return std::make_unique<LinearModel>(); }},
      {"fasttext", [] { return std::make_unique<FastTextModel>(); }},
  };
  return table;
}

}  // namespace

std::unique_ptr<Model> create_model(std::string_view family) {
  for (const Family& f : families()) {
    if (f.name == family) return f.create();
  }
  throw ConfigError(
      fmt::format("unknown model family '{}' (known: {})", family, fmt::join(model_families(), ", ")));
}

std::vector<std::string> model_families() {
  std::vector<std::string> names;
  for (const Family& f : families()) names.emplace_back(f.name);
  return names;
}

}  // namespace arxivc::model
