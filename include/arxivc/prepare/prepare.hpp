#pragma once

// `arxivc prepare`: raw arXiv metadata -> a versioned dataset directory.
// Pipeline: read (parallel) -> normalise text and categories -> deduplicate ids -> select categories ->
// choose labels -> sub-sample -> split -> write (atomically) with manifest.json.

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arxivc/config/config.hpp"

namespace arxivc::prepare {

enum class LatexMode { keep, simplify };
enum class LabelMode { primary, all, archive };
enum class SplitMethod { random, temporal };

struct PrepareOptions {
  std::filesystem::path input;
  std::filesystem::path output;
  bool strict = false;
  unsigned threads = 0;
  bool force = false;  // replace `output` even when it is not a dataset directory (never an input)

  LatexMode latex = LatexMode::keep;

  std::vector<std::string> archives;    // keep categories of these archives ("cs", "math"); empty = all
  std::vector<std::string> groups;      // keep categories of these groups ("grp_cs" or "Computer Science")
  std::vector<std::string> categories;  // keep only these categories; empty = all
  std::int64_t min_papers = 0;          // keep categories with at least this many papers
  std::int64_t top_n = 0;               // keep the N largest categories; 0 = all
  bool clear_boundaries = false;        // keep papers whose categories all lie in one archive

  LabelMode label_mode = LabelMode::all;

  std::optional<std::int64_t> max_samples;       // total papers kept after selection
  std::optional<std::int64_t> per_category_cap;  // papers per primary category
  std::uint64_t sample_seed = 42;

  SplitMethod split = SplitMethod::random;
  double train_fraction = 0.8;
  double validation_fraction = 0.1;
  double test_fraction = 0.1;
  std::uint64_t split_seed = 42;
  std::string temporal_by = "id_month";  // "id_month" (YYMM of the id) or "update_date"
  std::string temporal_cutoff;           // "YYYY-MM" or "YYYY-MM-DD": train is strictly before it

  nlohmann::json config;  // the composed configuration, recorded in the manifest
};

// Reads the `prepare` section (and its --input/--output keys) of a composed configuration.
PrepareOptions options_from_config(const config::Config& config);

struct PrepareResult {
  std::filesystem::path dataset_dir;
  nlohmann::json manifest;
};

PrepareResult run_prepare(const PrepareOptions& options);

// The human summary printed on stdout: papers read, kept, skipped (by reason), per split, top categories.
std::string format_summary(const nlohmann::json& manifest);

}  // namespace arxivc::prepare
