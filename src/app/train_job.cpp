#include "arxivc/app/train_job.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "arxivc/app/dataset_source.hpp"
#include "arxivc/app/model_card.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/output_path.hpp"
#include "arxivc/core/trace.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "arxivc/model/model.hpp"
#include "arxivc/train/model_directory.hpp"
#include "arxivc/train/staging_directory.hpp"
#include "arxivc/train/trainer.hpp"
#include "arxivc/train/training_data.hpp"

namespace arxivc::app {
namespace {

std::filesystem::path training_input(const config::Config& config) {
  if (auto input = config.get_optional_string("training.input")) return *input;
  return config.get_string("prepare.input");
}

train::TrainerOptions trainer_options(const config::Config& config, const std::filesystem::path& checkpoints,
                                      bool multi_label, std::vector<std::string> label_archives) {
  train::TrainerOptions options;
  options.epochs = static_cast<int>(config.get_int("training.epochs"));
  options.patience = static_cast<int>(config.get_int("training.patience"));
  options.metric = config.get_string("training.metric");
  options.threads = static_cast<unsigned>(config.get_int("training.threads"));
  options.seed = static_cast<std::uint64_t>(config.get_int("training.seed"));
  options.multi_label = multi_label;
  const auto thresholds = config.get_string("training.thresholds");
  if (thresholds != "per_label" && thresholds != "global") {
    throw ConfigError(fmt::format("training.thresholds: '{}' is not one of per_label, global", thresholds));
  }
  options.per_label_thresholds = thresholds == "per_label";
  options.checkpoint_dir = checkpoints;
  options.resume = config.get_bool("training.resume");
  options.label_archives = std::move(label_archives);
  if (options.epochs < 1) throw ConfigError("training.epochs: must be at least 1");
  if (options.patience < 0) throw ConfigError("training.patience: must be 0 (never stop early) or more");
  return options;
}

OutputRule model_directory_rule() {
  OutputRule rule;
  rule.what = "model directory";
  rule.is_earlier_output = [](const std::filesystem::path& dir) {
    return std::filesystem::exists(dir / "model.bin") ||
           std::filesystem::exists(dir / "checkpoints" / "last.json");
  };
  return rule;
}

// The model card and its figures, copied into the run directory so that the run keeps its reports.
void copy_reports(const std::filesystem::path& model_dir, const std::filesystem::path& run_dir) {
  if (run_dir.empty()) return;
  const auto options =
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy(model_dir / "model_card.md", run_dir / "model_card.md", options);
  if (std::filesystem::exists(model_dir / "figures")) {
    std::filesystem::copy(model_dir / "figures", run_dir / "figures", options);
  }
}

}  // namespace

TrainJobResult run_train(const config::Config& config, const std::filesystem::path& run_dir) {
  const std::filesystem::path output = config.get_string("training.output");
  const bool force = config.get_bool("training.force");
  const auto input = training_input(config);
  check_output_path(output, {input}, model_directory_rule(), force);
  const auto dataset_dir = [&] {
    TraceSpan span("resolve_dataset", "train");
    return resolve_dataset(input, config);
  }();
  check_output_path(output, {input, dataset_dir}, model_directory_rule(), force);
  const auto data = [&] {
    TraceSpan span("open_dataset", "train");
    return dataset::Dataset::open(dataset_dir);
  }();
  if (data.labels().size() < 2) {
    throw UsageError(fmt::format(
        "dataset {} has {} label{}{}: a classifier needs at least two; select more categories when preparing "
        "it (prepare.selection.*, prepare.labels.mode)",
        dataset_dir.string(), data.labels().size(), data.labels().size() == 1 ? "" : "s",
        data.labels().empty() ? "" : fmt::format(" ({})", data.labels().front())));
  }
  const auto label_mode = data.label_mode();
  const bool multi_label = label_mode != "primary";
  const auto labels = train::label_infos(data.labels(), label_mode);
  std::vector<std::string> label_archives;
  for (const auto& l : labels) label_archives.push_back(l.archive.empty() ? l.code : l.archive);

  const auto seed = static_cast<std::uint64_t>(config.get_int("training.seed"));
  TraceSpan load_span("load_splits", "train");
  const auto train_set = train::labeled_documents(data.split("train"), data.labels().size(),
                                                  config.get_optional_int("training.max_samples"), seed);
  const auto validation_set = train::labeled_documents(data.split("validation"), data.labels().size());
  load_span.arg("train", train_set.documents.size()).arg("validation", validation_set.documents.size());
  load_span.end();
  spdlog::info("dataset {} ({}): {} training and {} validation papers, {} labels ({})", dataset_dir.string(),
               data.content_hash().substr(0, 12), train_set.documents.size(), validation_set.documents.size(),
               data.labels().size(), label_mode);

  // The new model directory is built beside the old one and replaces it in one step at the end.
  remove_stale_temporaries(output);
  train::StagingDirectory staging(output, config.get_bool("training.resume"));
  auto options = trainer_options(config, staging.checkpoints(), multi_label, label_archives);
  const auto family = config.get_string("model.family");
  const auto experiment = config.get_string("experiment.name");
  options.identity = {{"experiment", experiment},
                      {"family", family},
                      {"dataset", {{"content_hash", data.content_hash()}, {"path", dataset_dir.string()}}},
                      {"labels", data.labels()}};
  auto model = model::create_model(family);
  const bool resuming = options.resume && std::filesystem::exists(options.checkpoint_dir / "last.json");
  if (!resuming) {
    spdlog::info("building {} features from {} papers", family, train_set.documents.size());
    TraceSpan span("featurise", "train");
    span.arg("family", family).arg("papers", train_set.documents.size());
    model->initialize(train_set, config.at("model"), multi_label, seed);
  }

  train::ProgressReporter progress(::isatty(STDERR_FILENO) != 0);
  auto outcome = train::fit(std::move(model), train_set, validation_set, options, progress);

  train::ModelDirectoryContents contents;
  contents.name = experiment;
  contents.label_mode = label_mode;
  contents.labels = labels;
  contents.text = {{"latex", config.get_string("prepare.text.latex")}};
  contents.dataset = {{"content_hash", data.content_hash()},
                      {"path", dataset_dir.string()},
                      {"source", data.manifest().value("source", nlohmann::json::object())}};
  contents.config_yaml = config.to_yaml();
  {
    TraceSpan span("write_model", "train");
    train::write_model_directory(staging.path(), outcome, contents);
  }
  {
    TraceSpan span("write_model_card", "train");
    write_model_card(config, staging.path(), output, data, outcome);
  }
  {
    TraceSpan span("commit", "train");
    staging.commit();
  }
  spdlog::info("model written to {} (validation micro-F1 {:.4f}, primary accuracy {:.4f})", output.string(),
               outcome.validation.micro.f1, outcome.validation.primary_accuracy);
  copy_reports(output, run_dir);

  TrainJobResult result;
  result.model_dir = output;
  result.model_card = output / "model_card.md";
  return result;
}

}  // namespace arxivc::app
