#include "arxivc/app/export_job.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arxivc/app/dataset_source.hpp"
#include "arxivc/app/line_output.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/output_path.hpp"
#include "arxivc/core/trace.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "arxivc/train/training_data.hpp"

namespace arxivc::app {
namespace {

// Lines are gathered into blocks of about this many bytes before each write.
constexpr std::size_t kBlockBytes = 1 << 20;

std::string export_line(const dataset::Example& example, const std::vector<std::string>& label_codes) {
  nlohmann::ordered_json line;
  line["id"] = example.id;
  line["title"] = example.title;
  line["abstract"] = example.abstract;
  auto& labels = line["labels"] = nlohmann::ordered_json::array();
  for (const std::uint32_t label : example.labels) labels.push_back(label_codes.at(label));
  // Replace rather than throw on invalid UTF-8: a dataset written by prepare holds none, and one odd byte
  // should not make a whole export fail.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

}  // namespace

ExportJobResult run_export(const ExportJobOptions& options) {
  if (!dataset::is_dataset_dir(options.input)) {
    throw UsageError(
        fmt::format("--input {} is not a prepared dataset directory (no manifest.json); run "
                    "`arxivc prepare` first",
                    options.input.string()));
  }
  if (options.max_samples && *options.max_samples < 1) {
    throw UsageError(
        fmt::format("--max-samples: {} is out of range: it must be at least 1", *options.max_samples));
  }
  if (!options.output.empty() && options.output != "-") {
    OutputRule rule;
    rule.what = "exported split";
    rule.directory = false;
    rule.is_earlier_output = [](const std::filesystem::path& file) {
      return std::filesystem::is_empty(file) ||
             first_json_line_has(file, {"id", "title", "abstract", "labels"});
    };
    check_output_path(options.output, {options.input}, rule, options.force);
    remove_stale_temporaries(options.output);
  }
  TraceSpan open_span("open_dataset", "export");
  const auto data = dataset::Dataset::open(options.input);
  const auto& split = requested_split(data, options.split);
  const auto& label_codes = data.labels();
  open_span.end();

  LineOutput out(options.output);
  std::string block;
  const auto indices = train::sample_indices(split.size(), options.max_samples, options.seed);
  TraceSpan write_span("write", "export");
  write_span.arg("papers", indices.size());
  for (const std::size_t i : indices) {
    block += export_line(split[i], label_codes);
    if (block.size() >= kBlockBytes) {
      out.write(block);
      block.clear();
    }
  }
  out.write(block);
  write_span.end();
  TraceSpan commit_span("commit", "export");
  out.commit();
  return {indices.size()};
}

}  // namespace arxivc::app
