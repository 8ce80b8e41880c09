#include "arxivc/app/evaluate_job.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unordered_map>

#include "arxivc/app/dataset_source.hpp"
#include "arxivc/app/figures.hpp"
#include "arxivc/app/model_card.hpp"
#include "arxivc/app/prediction_file.hpp"
#include "arxivc/app/raw_papers.hpp"
#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/trace.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "arxivc/eval/report.hpp"
#include "arxivc/eval/thresholds.hpp"
#include "arxivc/inference/batch_scoring.hpp"
#include "arxivc/inference/classifier.hpp"
#include "arxivc/taxonomy/taxonomy.hpp"
#include "arxivc/train/model_directory.hpp"
#include "arxivc/train/training_data.hpp"

namespace arxivc::app {
namespace {

// The evaluated papers, in whichever form the input came: documents, gold labels in the model's label
// space, and each paper's gold primary archive.
struct EvaluationSet {
  std::vector<model::Document> documents;
  std::vector<eval::GoldLabels> gold;
  std::vector<std::string> gold_primary_archives;
  std::vector<std::string_view> ids;  // paper ids (dataset input only)
  std::vector<std::string> context;   // what the report says about the data
  std::string tag;                    // names the report's files
  std::vector<RawPaper> raw;          // owns the text of raw input
  std::optional<dataset::Dataset> dataset;
};

// The split of `opened` that `options` names. `model_codes` is the evaluated label space; `label_mode` the
// evaluated system's ("" = unknown).
EvaluationSet from_dataset(const EvaluateJobOptions& options, dataset::Dataset opened,
                           const std::vector<std::string>& model_codes, const std::string& label_mode) {
  EvaluationSet set;
  set.dataset = std::move(opened);
  const auto& data = *set.dataset;
  const auto& split = requested_split(data, options.split);
  std::vector<std::span<const std::uint32_t>> labels;
  const auto& taxonomy = taxonomy::Taxonomy::builtin();
  for (std::size_t i = 0; i < split.size(); ++i) {
    const auto example = split[i];
    set.documents.push_back({example.title, example.abstract});
    set.ids.push_back(example.id);
    labels.push_back(example.labels);
    const auto& primary = data.labels()[example.labels.front()];
    set.gold_primary_archives.emplace_back(data.label_mode() == "archive" ? primary
                                                                          : taxonomy.archive_of(primary));
  }
  set.gold = train::gold_labels(labels, data.labels(), model_codes);
  if (data.label_mode() != label_mode) {
    spdlog::warn("the dataset's label mode ({}) differs from the model's ({})", data.label_mode(),
                 label_mode);
  }
  const auto method =
      data.manifest().value("/config/prepare/split/method"_json_pointer, std::string("random"));
  set.context.push_back(fmt::format(
      "Data: split `{}` ({} papers) of dataset `{}` (content hash `{}`), a {} split", options.split,
      split.size(), options.input.string(), data.content_hash().substr(0, 16), method));
  set.tag = options.split;
  return set;
}

EvaluationSet from_raw(const EvaluateJobOptions& options, const inference::Classifier& classifier) {
  EvaluationSet set;
  const bool archive_mode = classifier.card().value("label_mode", std::string()) == "archive";
  const auto& taxonomy = taxonomy::Taxonomy::builtin();
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < classifier.labels().size(); ++i)
    index.emplace(classifier.labels()[i].code, i);
  std::uint64_t without_categories = 0;
  const auto stats = read_raw_papers(
      options.input, latex_mode_of_model(classifier.card()), options.threads, /*require_categories=*/true,
      [&](std::vector<RawPaper>&& batch) {
        for (auto& paper : batch) {
          if (paper.categories.empty()) {
            ++without_categories;
            continue;
          }
          eval::GoldLabels gold;
          std::vector<std::string> seen;
          for (const auto& code : paper.categories) {
            const std::string target = archive_mode ? std::string(taxonomy.archive_of(code)) : code;
            if (std::find(seen.begin(), seen.end(), target) != seen.end()) continue;
            seen.push_back(target);
            auto it = index.find(target);
            gold.push_back(it == index.end() ? eval::kOutsideLabel : it->second);
          }
          set.gold.push_back(std::move(gold));
          set.gold_primary_archives.emplace_back(taxonomy.archive_of(paper.categories.front()));
          set.raw.push_back(std::move(paper));
        }
      },
      [](const ingest::SkippedLine&) {});
  for (const auto& paper : set.raw) set.documents.push_back({paper.title, paper.abstract});
  set.context.push_back(
      fmt::format("Data: `{}`, all {} papers read ({} bad lines skipped, {} without a known "
                  "category left out)",
                  options.input.string(), set.raw.size(), stats.skipped, without_categories));
  set.tag = options.input.stem().stem().string();
  return set;
}

// What an evaluated system produced on the evaluation set, and how the report names it.
struct SystemOutput {
  std::string name;
  std::vector<inference::LabelInfo> labels;  // the label space
  std::vector<float> probabilities;          // papers x labels, row-major
  std::vector<eval::GoldLabels> predicted;
  bool calibration_against_primary = false;
  std::vector<std::string> context;  // report lines about the system
  nlohmann::json description;        // metrics JSON "model" field
};

std::vector<std::string> codes_of(const std::vector<inference::LabelInfo>& labels) {
  std::vector<std::string> codes;
  for (const auto& l : labels) codes.push_back(l.code);
  return codes;
}

// The metrics, metrics JSON, Markdown report and figures: the same for a model and a predictions file.
EvaluateJobResult write_evaluation(const EvaluationSet& set, const SystemOutput& system,
                                   const EvaluateJobOptions& options, const config::Config& config) {
  const auto& labels = system.labels;
  std::vector<std::string> label_archives;
  std::vector<std::string> names;
  for (const auto& l : labels) {
    label_archives.push_back(l.archive.empty() ? l.code : l.archive);
    names.push_back(l.name);
  }
  const auto codes = codes_of(labels);
  eval::EvaluationInput input;
  input.label_count = labels.size();
  input.gold = set.gold;
  input.probabilities = system.probabilities;
  input.predicted = system.predicted;
  input.label_archives = label_archives;
  input.gold_primary_archives = set.gold_primary_archives;
  eval::EvaluationOptions evaluation_options;
  evaluation_options.calibration_against_primary = system.calibration_against_primary;
  TraceSpan metrics_span("metrics", "evaluate");
  const auto result = eval::evaluate(input, evaluation_options);
  metrics_span.end();

  const std::filesystem::path dir =
      options.output.empty() ? std::filesystem::path(config.get_string("reports.dir")) / system.name
                             : options.output;
  std::filesystem::create_directories(dir);
  eval::ReportContext context;
  context.title = fmt::format("Evaluation of {} on {}", system.name, set.tag);
  context.context_lines = set.context;
  for (const auto& line : system.context) context.context_lines.push_back(line);
  context.context_lines.push_back(fmt::format("Known biases of the data: {}", known_data_biases()));
  context.label_codes = codes;
  context.label_names = names;
  {
    TraceSpan span("figures", "evaluate");
    context.figures = write_evaluation_figures(dir, "evaluation_" + set.tag + "_", result, labels);
  }
  context.per_category_rows = 0;

  EvaluateJobResult job;
  job.metrics = eval::to_json(result, codes);
  job.metrics["model"] = system.description;
  job.metrics["data"] = {{"input", options.input.string()}, {"tag", set.tag}};
  job.metrics_json = dir / fmt::format("evaluation_{}.json", set.tag);
  job.report_markdown = dir / fmt::format("evaluation_{}.md", set.tag);
  TraceSpan write_span("write", "evaluate");
  write_file_atomic(job.metrics_json, job.metrics.dump(2) + "\n");
  write_file_atomic(job.report_markdown, eval::render_markdown_report(result, context));
  return job;
}

EvaluateJobResult evaluate_model(const EvaluateJobOptions& options, const config::Config& config) {
  TraceSpan load_span("load_model", "evaluate");
  const auto classifier = inference::Classifier::load(options.model_dir);
  load_span.end();
  const auto label_mode = classifier->card().value("label_mode", std::string());
  TraceSpan read_span("read_input", "evaluate");
  auto set = dataset::is_dataset_dir(options.input)
                 ? from_dataset(options, dataset::Dataset::open(options.input),
                                codes_of(classifier->labels()), label_mode)
                 : from_raw(options, *classifier);
  read_span.arg("papers", set.documents.size());
  read_span.end();
  if (set.documents.empty()) throw Error(fmt::format("{}: no papers to evaluate", options.input.string()));
  const std::size_t label_count = classifier->labels().size();
  spdlog::info("evaluating {} on {} papers", classifier->name(), set.documents.size());

  SystemOutput system;
  system.name = classifier->name();
  system.labels = classifier->labels();
  TraceSpan score_span("score", "evaluate");
  system.probabilities = inference::score_documents(classifier->model(), set.documents, options.threads);
  const auto thresholds = eval::thresholds_from_json(classifier->card().at("thresholds"), label_count);
  system.predicted = eval::decide_all(system.probabilities, label_count, thresholds);
  score_span.arg("papers", set.documents.size());
  score_span.end();
  system.calibration_against_primary = label_mode == "primary";
  system.context.push_back(fmt::format("Model: `{}` version `{}`, trained on dataset `{}`",
                                       options.model_dir.string(), classifier->version(),
                                       classifier->trained_on().substr(0, 16)));
  system.description = {
      {"name", classifier->name()}, {"version", classifier->version()}, {"dir", options.model_dir.string()}};
  return write_evaluation(set, system, options, config);
}

EvaluateJobResult evaluate_predictions(const EvaluateJobOptions& options, const config::Config& config) {
  if (!dataset::is_dataset_dir(options.input)) {
    throw UsageError(
        fmt::format("--predictions needs --input to be a prepared dataset directory (no "
                    "manifest.json in {}): the gold labels come from its split",
                    options.input.string()));
  }
  auto opened = dataset::Dataset::open(options.input);
  const auto codes = opened.labels();  // the predictions are scored in the dataset's own label space
  const auto label_mode = opened.label_mode();
  TraceSpan read_span("read_input", "evaluate");
  auto set = from_dataset(options, std::move(opened), codes, label_mode);
  const auto& data = *set.dataset;
  if (set.documents.empty()) throw Error(fmt::format("{}: no papers to evaluate", options.input.string()));
  read_span.end();
  TraceSpan predictions_span("read_predictions", "evaluate");
  auto file = read_prediction_file(options.predictions, set.ids, data.labels(), label_mode == "archive",
                                   options.split);
  predictions_span.end();

  SystemOutput system;
  system.name = options.name.empty() ? options.predictions.stem().string() : options.name;
  spdlog::info("evaluating the predictions of {} on {} papers", system.name, set.documents.size());
  system.labels = train::label_infos(data.labels(), label_mode);
  const auto& taxonomy = taxonomy::Taxonomy::builtin();
  for (std::size_t i = file.known_labels; i < file.codes.size(); ++i) {
    // A predicted code outside the dataset's label space: a label no paper has, so every use is a miss.
    const auto archive =
        label_mode == "archive" ? file.codes[i] : std::string(taxonomy.archive_of(file.codes[i]));
    system.labels.push_back({file.codes[i], "(outside the label space)",
                             archive.empty() ? file.codes[i] : archive,
                             std::string(taxonomy.group_of(file.codes[i]))});
  }
  if (file.codes.size() > file.known_labels) {
    spdlog::warn(
        "{}: {} predicted categories ({} entries) are outside the dataset's label space; they count as "
        "misses",
        options.predictions.string(), file.codes.size() - file.known_labels, file.unknown_code_entries);
  }
  system.probabilities = std::move(file.probabilities);
  system.predicted = std::move(file.predicted);
  system.calibration_against_primary = label_mode == "primary";
  system.context.push_back(fmt::format(
      "Predictions: `{}` ({} lines, by {}), scored on the dataset's label space of {} categories; {} "
      "predicted categories outside it ({} entries) count as misses",
      options.predictions.string(), file.lines, system.name, file.known_labels,
      file.codes.size() - file.known_labels, file.unknown_code_entries));
  system.description = {{"name", system.name}, {"predictions", options.predictions.string()}};
  return write_evaluation(set, system, options, config);
}

}  // namespace

EvaluateJobResult run_evaluate(const EvaluateJobOptions& options, const config::Config& config) {
  if (options.model_dir.empty() == options.predictions.empty()) {
    throw UsageError(
        "evaluate needs exactly one of --model (a model directory) and --predictions (a JSON Lines file)");
  }
  return options.predictions.empty() ? evaluate_model(options, config)
                                     : evaluate_predictions(options, config);
}

}  // namespace arxivc::app
