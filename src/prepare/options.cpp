// options_from_config and the checks every PrepareOptions goes through.

#include <fmt/format.h>

#include "arxivc/config/node_json.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/prepare/options_check.hpp"
#include "arxivc/prepare/paper_dates.hpp"
#include "arxivc/prepare/prepare.hpp"
#include "arxivc/prepare/splitting.hpp"

namespace arxivc::prepare {
namespace {

// The value at `key`, or nullptr when the key is absent or null (null means "use the default").
const config::Node* value_at(const config::Config& config, std::string_view key) {
  const auto* node = config.root().find_path(key);
  return node != nullptr && !node->is_null() ? node : nullptr;
}

std::string required_string(const config::Config& config, std::string_view key) {
  const auto* node = value_at(config, key);
  if (node == nullptr) throw ConfigError(fmt::format("{} is not set", key));
  auto value = node->as_string(key);
  if (value.empty()) throw ConfigError(fmt::format("{} is empty", key));
  return value;
}

std::vector<std::string> string_list(const config::Config& config, std::string_view key) {
  std::vector<std::string> values;
  const auto* node = value_at(config, key);
  if (node == nullptr) return values;
  if (!node->is_list()) {
    values.push_back(node->as_string(key));
    return values;
  }
  for (const auto& item : node->items()) values.push_back(item.as_string(key));
  return values;
}

std::int64_t non_negative_int(const config::Node& node, std::string_view key) {
  const auto value = node.as_int(key);
  if (value < 0) throw ConfigError(fmt::format("{}: {} is negative", key, value));
  return value;
}

template <typename Enum, std::size_t N>
Enum choice(const config::Config& config, std::string_view key, Enum fallback,
            const std::pair<std::string_view, Enum> (&allowed)[N]) {
  const auto* node = value_at(config, key);
  if (node == nullptr) return fallback;
  const auto value = node->as_string(key);
  std::string names;
  for (const auto& [name, option] : allowed) {
    if (name == value) return option;
    names += names.empty() ? "" : ", ";
    names += name;
  }
  throw ConfigError(fmt::format("{}: '{}' is not one of {}", key, value, names));
}

}  // namespace

PrepareOptions options_from_config(const config::Config& config) {
  PrepareOptions options;
  options.input = required_string(config, "prepare.input");
  options.output = required_string(config, "prepare.output");
  if (const auto* node = value_at(config, "prepare.strict")) options.strict = node->as_bool("prepare.strict");
  if (const auto* node = value_at(config, "prepare.force")) options.force = node->as_bool("prepare.force");
  if (const auto* node = value_at(config, "prepare.threads")) {
    options.threads = static_cast<unsigned>(non_negative_int(*node, "prepare.threads"));
  }
  options.latex = choice(config, "prepare.text.latex", options.latex,
                         {{"keep", LatexMode::keep}, {"simplify", LatexMode::simplify}});

  options.archives = string_list(config, "prepare.selection.archives");
  options.groups = string_list(config, "prepare.selection.groups");
  options.categories = string_list(config, "prepare.selection.categories");
  if (const auto* node = value_at(config, "prepare.selection.min_papers")) {
    options.min_papers = non_negative_int(*node, "prepare.selection.min_papers");
  }
  if (const auto* node = value_at(config, "prepare.selection.top_n")) {
    options.top_n = non_negative_int(*node, "prepare.selection.top_n");
  }
  if (const auto* node = value_at(config, "prepare.selection.clear_boundaries")) {
    options.clear_boundaries = node->as_bool("prepare.selection.clear_boundaries");
  }
  options.label_mode =
      choice(config, "prepare.labels.mode", options.label_mode,
             {{"primary", LabelMode::primary}, {"all", LabelMode::all}, {"archive", LabelMode::archive}});

  if (const auto* node = value_at(config, "prepare.sampling.max_samples")) {
    options.max_samples = non_negative_int(*node, "prepare.sampling.max_samples");
  }
  if (const auto* node = value_at(config, "prepare.sampling.per_category_cap")) {
    options.per_category_cap = non_negative_int(*node, "prepare.sampling.per_category_cap");
  }
  if (const auto* node = value_at(config, "prepare.sampling.seed")) {
    options.sample_seed = static_cast<std::uint64_t>(non_negative_int(*node, "prepare.sampling.seed"));
  }

  options.split = choice(config, "prepare.split.method", options.split,
                         {{"random", SplitMethod::random}, {"temporal", SplitMethod::temporal}});
  if (const auto* node = value_at(config, "prepare.split.train")) {
    options.train_fraction = node->as_double("prepare.split.train");
  }
  if (const auto* node = value_at(config, "prepare.split.validation")) {
    options.validation_fraction = node->as_double("prepare.split.validation");
  }
  if (const auto* node = value_at(config, "prepare.split.test")) {
    options.test_fraction = node->as_double("prepare.split.test");
  }
  if (const auto* node = value_at(config, "prepare.split.seed")) {
    options.split_seed = static_cast<std::uint64_t>(non_negative_int(*node, "prepare.split.seed"));
  }
  if (const auto* node = value_at(config, "prepare.split.temporal_by")) {
    options.temporal_by = node->as_string("prepare.split.temporal_by");
  }
  if (const auto* node = value_at(config, "prepare.split.temporal_cutoff")) {
    options.temporal_cutoff = node->as_string("prepare.split.temporal_cutoff");
  }

  options.config = config::to_json(config.root());
  // run.dir names the run (a timestamped directory), not the data: recorded in the manifest it would make
  // two identical preparations differ.
  if (auto run = options.config.find("run"); run != options.config.end() && run->is_object())
    run->erase("dir");
  // Nor does how the output may be replaced.
  if (auto prepare = options.config.find("prepare"); prepare != options.config.end() && prepare->is_object())
    prepare->erase("force");
  check_options(options);
  return options;
}

void check_options(const PrepareOptions& options) {
  if (options.input.empty()) throw ConfigError("prepare.input is not set");
  if (options.output.empty()) throw ConfigError("prepare.output is not set");
  if (options.min_papers < 0) throw ConfigError("prepare.selection.min_papers is negative");
  if (options.top_n < 0) throw ConfigError("prepare.selection.top_n is negative");
  if (options.max_samples && *options.max_samples < 0)
    throw ConfigError("prepare.sampling.max_samples is negative");
  if (options.per_category_cap && *options.per_category_cap < 0) {
    throw ConfigError("prepare.sampling.per_category_cap is negative");
  }
  validate_fractions({options.train_fraction, options.validation_fraction, options.test_fraction});
  if (options.temporal_by != "id_month" && options.temporal_by != "update_date") {
    throw ConfigError(fmt::format("prepare.split.temporal_by: '{}' is not one of id_month, update_date",
                                  options.temporal_by));
  }
  if (!options.temporal_cutoff.empty() && !parse_cutoff(options.temporal_cutoff)) {
    throw ConfigError(fmt::format("prepare.split.temporal_cutoff: '{}' is not a date (YYYY-MM or YYYY-MM-DD)",
                                  options.temporal_cutoff));
  }
  if (options.split == SplitMethod::temporal) {
    if (options.temporal_cutoff.empty()) {
      throw ConfigError("prepare.split.temporal_cutoff is not set; split.method=temporal needs it (YYYY-MM)");
    }
    if (options.validation_fraction + options.test_fraction <= 0.0) {
      throw ConfigError(
          "prepare.split.validation and prepare.split.test are both 0: a temporal split needs somewhere to "
          "put "
          "the papers from the cutoff on");
    }
  }
}

}  // namespace arxivc::prepare
