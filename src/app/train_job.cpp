#include "arxivc/app/train_job.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "arxivc/app/dataset_source.hpp"
#include "arxivc/app/model_card.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "arxivc/model/model.hpp"
#include "arxivc/train/model_directory.hpp"
#include "arxivc/train/trainer.hpp"
#include "arxivc/train/training_data.hpp"

namespace arxivc::app {
namespace {

std::filesystem::path training_input(const config::Config& config) {
  if (auto input = config.get_optional_string("training.input")) return *input;
  return config.get_string("prepare.input");
}

train::TrainerOptions trainer_options(const config::Config& config, const std::filesystem::path& output,
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
  options.checkpoint_dir = output / "checkpoints";
  options.resume = config.get_bool("training.resume");
  options.label_archives = std::move(label_archives);
  if (options.epochs < 1) throw ConfigError("training.epochs: must be at least 1");
  if (options.patience < 0) throw ConfigError("training.patience: must be 0 (never stop early) or more");
  return options;
}

}  // namespace

TrainJobResult run_train(const config::Config& config) {
  const std::filesystem::path output = config.get_string("training.output");
  const auto dataset_dir = resolve_dataset(training_input(config), config);
  const auto data = dataset::Dataset::open(dataset_dir);
  const auto label_mode = data.label_mode();
  const bool multi_label = label_mode != "primary";
  const auto labels = train::label_infos(data.labels(), label_mode);
  std::vector<std::string> label_archives;
  for (const auto& l : labels) label_archives.push_back(l.archive.empty() ? l.code : l.archive);

  const auto seed = static_cast<std::uint64_t>(config.get_int("training.seed"));
  const auto train_set = train::labeled_documents(data.split("train"), data.labels().size(),
                                                  config.get_optional_int("training.max_samples"), seed);
  const auto validation_set = train::labeled_documents(data.split("validation"), data.labels().size());
  spdlog::info("dataset {} ({}): {} training and {} validation papers, {} labels ({})", dataset_dir.string(),
               data.content_hash().substr(0, 12), train_set.documents.size(), validation_set.documents.size(),
               data.labels().size(), label_mode);

  const auto options = trainer_options(config, output, multi_label, label_archives);
  const auto family = config.get_string("model.family");
  auto model = model::create_model(family);
  const bool resuming = options.resume && std::filesystem::exists(options.checkpoint_dir / "last.json");
  if (!resuming) {
    if (std::filesystem::exists(options.checkpoint_dir / "last.json")) {
      // A fresh run must not mix with an earlier run's checkpoints.
      std::filesystem::remove_all(options.checkpoint_dir);
    }
    spdlog::info("building {} features from {} papers", family, train_set.documents.size());
    model->initialize(train_set, config.at("model"), multi_label, seed);
  }

  train::ProgressReporter progress(::isatty(STDERR_FILENO) != 0);
  auto outcome = train::fit(std::move(model), train_set, validation_set, options, progress);

  train::ModelDirectoryContents contents;
  contents.name = config.get_string("experiment.name");
  contents.label_mode = label_mode;
  contents.labels = labels;
  contents.text = {{"latex", config.get_string("prepare.text.latex")}};
  contents.dataset = {{"content_hash", data.content_hash()},
                      {"path", dataset_dir.string()},
                      {"source", data.manifest().value("source", nlohmann::json::object())}};
  contents.config_yaml = config.to_yaml();
  train::write_model_directory(output, outcome, contents);
  spdlog::info("model written to {} (validation micro-F1 {:.4f}, primary accuracy {:.4f})", output.string(),
               outcome.validation.micro.f1, outcome.validation.primary_accuracy);

  TrainJobResult result;
  result.model_dir = output;
  result.model_card = write_model_card(config, output, data, outcome);
  return result;
}

}  // namespace arxivc::app
