#include "arxivc/train/trainer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/resource_usage.hpp"
#include "arxivc/core/trace.hpp"
#include "arxivc/inference/batch_scoring.hpp"
#include "arxivc/model/model_file.hpp"

namespace arxivc::train {
namespace {

std::vector<eval::GoldLabels> gold_of(const model::LabeledDocuments& data) {
  std::vector<eval::GoldLabels> gold;
  gold.reserve(data.labels.size());
  for (const auto& labels : data.labels) gold.emplace_back(labels.begin(), labels.end());
  return gold;
}

double metric_value(const eval::EvaluationResult& result, const std::string& metric) {
  if (metric == "micro_f1") return result.micro.f1;
  if (metric == "primary_accuracy") return result.primary_accuracy;
  if (metric == "samples_f1") return result.samples.f1;
  throw UsageError(fmt::format(
      "training.metric: unknown metric '{}' (use micro_f1, primary_accuracy or samples_f1)", metric));
}

std::filesystem::path checkpoint_path(const std::filesystem::path& dir, int epoch) {
  return dir / fmt::format("epoch-{:03}.bin", epoch);
}

struct TrainingState {
  std::vector<EpochRecord> history;
  int best_epoch = 0;
  double best_metric = -1.0;
  int epochs_without_improvement = 0;
};

nlohmann::json state_to_json(const TrainingState& state) {
  nlohmann::json history = nlohmann::json::array();
  for (const auto& record : state.history) history.push_back(to_json(record));
  return {{"history", history},
          {"best_epoch", state.best_epoch},
          {"best_metric", state.best_metric},
          {"epochs_without_improvement", state.epochs_without_improvement}};
}

TrainingState state_from_json(const nlohmann::json& json) {
  TrainingState state;
  for (const auto& record : json.at("history")) state.history.push_back(epoch_record_from_json(record));
  state.best_epoch = json.at("best_epoch").get<int>();
  state.best_metric = json.at("best_metric").get<double>();
  state.epochs_without_improvement = json.at("epochs_without_improvement").get<int>();
  return state;
}

// The last checkpoint written, from checkpoint_dir/last.json; nullopt when there is none.
std::optional<int> last_checkpoint_epoch(const std::filesystem::path& dir) {
  const auto pointer = dir / "last.json";
  if (!std::filesystem::exists(pointer)) return std::nullopt;
  std::ifstream in(pointer);
  try {
    return nlohmann::json::parse(in).at("epoch").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: damaged checkpoint pointer: {}", pointer.string(), e.what()));
  }
}

std::string short_list(const nlohmann::json& labels) {
  std::string text;
  std::size_t shown = 0;
  for (const auto& label : labels) {
    if (shown == 8) return text + fmt::format(", ... ({} in all)", labels.size());
    text += (shown++ == 0 ? "" : ", ") + label.get<std::string>();
  }
  return text;
}

// Refuses to resume from a checkpoint made by another experiment, model family, dataset or label set.
void check_resume_identity(const nlohmann::json& checkpoint, const nlohmann::json& run,
                           const std::filesystem::path& file) {
  const auto refuse = [&](const std::string& difference) {
    throw UsageError(
        fmt::format("--resume: {} was made by another run: {}; train without --resume to start "
                    "afresh, or resume with the settings it was made with",
                    file.string(), difference));
  };
  if (!checkpoint.is_object() || checkpoint.empty()) {
    refuse("it does not record its experiment, model family, dataset and labels (an older arxivc)");
  }
  const auto text = [](const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string("?");
  };
  for (const char* key : {"experiment", "family"}) {
    if (text(checkpoint, key) != text(run, key)) {
      refuse(fmt::format("its {} is '{}', this run's is '{}'",
                         key == std::string("family") ? "model family" : key, text(checkpoint, key),
                         text(run, key)));
    }
  }
  const auto checkpoint_data = checkpoint.value("dataset", nlohmann::json::object());
  const auto run_data = run.value("dataset", nlohmann::json::object());
  if (text(checkpoint_data, "content_hash") != text(run_data, "content_hash")) {
    refuse(
        fmt::format("it was trained on dataset {} (content hash {}), this run's dataset {} has content "
                    "hash {}",
                    text(checkpoint_data, "path"), text(checkpoint_data, "content_hash").substr(0, 12),
                    text(run_data, "path"), text(run_data, "content_hash").substr(0, 12)));
  }
  const auto checkpoint_labels = checkpoint.value("labels", nlohmann::json::array());
  const auto run_labels = run.value("labels", nlohmann::json::array());
  if (checkpoint_labels != run_labels) {
    refuse(fmt::format("its labels are {} ({}), this run's are {} ({})", checkpoint_labels.size(),
                       short_list(checkpoint_labels), run_labels.size(), short_list(run_labels)));
  }
}

}  // namespace

nlohmann::json to_json(const EpochRecord& r) {
  return {{"epoch", r.epoch},
          {"train_loss", r.train_loss},
          {"validation_metric", r.validation_metric},
          {"micro_f1", r.micro_f1},
          {"primary_accuracy", r.primary_accuracy},
          {"seconds", r.seconds},
          {"papers_per_second", r.papers_per_second},
          {"resident_bytes", r.resident_bytes}};
}

EpochRecord epoch_record_from_json(const nlohmann::json& j) {
  EpochRecord r;
  r.epoch = j.at("epoch").get<int>();
  r.train_loss = j.at("train_loss").get<double>();
  r.validation_metric = j.at("validation_metric").get<double>();
  r.micro_f1 = j.at("micro_f1").get<double>();
  r.primary_accuracy = j.at("primary_accuracy").get<double>();
  r.seconds = j.at("seconds").get<double>();
  r.papers_per_second = j.at("papers_per_second").get<double>();
  r.resident_bytes = j.at("resident_bytes").get<std::uint64_t>();
  return r;
}

eval::EvaluationResult evaluate_probabilities(std::span<const float> probabilities,
                                              const model::LabeledDocuments& data,
                                              const eval::Thresholds& thresholds,
                                              const std::vector<std::string>& label_archives) {
  const auto gold = gold_of(data);
  const auto predicted = eval::decide_all(probabilities, data.label_count, thresholds);
  eval::EvaluationInput input;
  input.label_count = data.label_count;
  input.gold = gold;
  input.probabilities = probabilities;
  input.predicted = predicted;
  input.label_archives = label_archives;
  return eval::evaluate(input);
}

TrainingOutcome fit(std::unique_ptr<model::Model> model, const model::LabeledDocuments& train,
                    const model::LabeledDocuments& validation, const TrainerOptions& options,
                    ProgressReporter& progress) {
  if (validation.documents.empty())
    throw Error("the validation split is empty: cannot stop early or tune thresholds");
  if (train.documents.empty()) throw Error("the training split is empty");
  metric_value(eval::EvaluationResult{}, options.metric);  // reject an unknown metric before any work
  const auto gold = gold_of(validation);
  const bool checkpoints = !options.checkpoint_dir.empty();
  if (checkpoints) std::filesystem::create_directories(options.checkpoint_dir);

  TrainingState state;
  int first_epoch = 0;
  if (options.resume && checkpoints) {
    if (const auto last = last_checkpoint_epoch(options.checkpoint_dir)) {
      const auto file = checkpoint_path(options.checkpoint_dir, *last);
      auto loaded = model::load_model_file(file);
      check_resume_identity(loaded.metadata.value("identity", nlohmann::json::object()), options.identity,
                            file);
      model = std::move(loaded.model);
      state = state_from_json(loaded.metadata.at("training_state"));
      first_epoch = *last;
      spdlog::info("resuming after epoch {} from {}", *last, options.checkpoint_dir.string());
    } else {
      spdlog::warn("--resume: no checkpoint in {}, starting from the beginning",
                   options.checkpoint_dir.string());
    }
  }
  std::string best_model_bytes;  // the best epoch's model file, when no checkpoints are kept

  bool stopped_early = false;
  for (int epoch = first_epoch; epoch < options.epochs; ++epoch) {
    if (options.patience > 0 && state.epochs_without_improvement >= options.patience) {
      stopped_early = true;
      break;
    }
    TraceSpan epoch_span("epoch", "train");
    epoch_span.arg("epoch", epoch + 1);
    progress.begin_epoch(epoch, options.epochs, train.documents.size());
    model::EpochContext context;
    context.epoch = epoch;
    context.total_epochs = options.epochs;
    context.seed = options.seed;
    context.threads = options.threads;
    context.multi_label = options.multi_label;
    context.on_progress = [&progress](double fraction, double loss, double lr) {
      progress.update(fraction, loss, lr);
    };
    const auto start = std::chrono::steady_clock::now();
    TraceSpan train_span("train_epoch", "train");
    const double loss = model->train_epoch(train, context);
    train_span.arg("papers", train.documents.size()).arg("loss", loss);
    train_span.end();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    TraceSpan validate_span("validate", "train");
    const auto probabilities = inference::score_documents(*model, validation.documents, options.threads);
    const auto tuned = eval::tune_global_threshold(probabilities, validation.label_count, gold);
    const auto result = evaluate_probabilities(probabilities, validation,
                                               eval::Thresholds{tuned.threshold, {}}, options.label_archives);
    validate_span.arg("papers", validation.documents.size())
        .arg(options.metric.c_str(), metric_value(result, options.metric));
    validate_span.end();
    EpochRecord record;
    record.epoch = epoch + 1;
    record.train_loss = loss;
    record.validation_metric = metric_value(result, options.metric);
    record.micro_f1 = result.micro.f1;
    record.primary_accuracy = result.primary_accuracy;
    record.seconds = seconds;
    record.papers_per_second = seconds > 0 ? static_cast<double>(train.documents.size()) / seconds : 0.0;
    record.resident_bytes = resident_memory_bytes();
    state.history.push_back(record);
    progress.end_epoch(loss, record.validation_metric, options.metric);

    const bool improved = record.validation_metric > state.best_metric;
    if (improved) {
      state.best_metric = record.validation_metric;
      state.best_epoch = epoch + 1;
      state.epochs_without_improvement = 0;
    } else {
      ++state.epochs_without_improvement;
    }
    if (checkpoints) {
      TraceSpan span("checkpoint", "train");
      nlohmann::json metadata = {{"training_state", state_to_json(state)}, {"identity", options.identity}};
      model::save_model_file(checkpoint_path(options.checkpoint_dir, epoch + 1), *model, metadata);
      write_file_atomic(options.checkpoint_dir / "last.json",
                        nlohmann::json{{"epoch", epoch + 1}}.dump() + "\n");
    } else if (improved) {
      TraceSpan span("keep_best", "train");
      best_model_bytes = model::serialize_model(*model, nlohmann::json::object());
    }
  }
  if (state.best_epoch == 0) throw Error("no epoch was trained (training.epochs must be at least 1)");

  TraceSpan best_span("load_best", "train");
  TrainingOutcome outcome;
  outcome.history = state.history;
  outcome.best_epoch = state.best_epoch;
  outcome.stopped_early = stopped_early;
  const int last_epoch = state.history.back().epoch;
  if (state.best_epoch == last_epoch) {
    outcome.model = std::move(model);
  } else if (checkpoints) {
    outcome.model = model::load_model_file(checkpoint_path(options.checkpoint_dir, state.best_epoch)).model;
  } else {
    outcome.model = model::deserialize_model(best_model_bytes, "best epoch's model").model;
  }
  best_span.arg("best_epoch", state.best_epoch);
  best_span.end();
  spdlog::info("best epoch {} ({} {:.4f}){}", state.best_epoch, options.metric, state.best_metric,
               stopped_early ? ", stopped early" : "");

  TraceSpan tuning_span("tune_thresholds", "train");

  const auto probabilities =
      inference::score_documents(*outcome.model, validation.documents, options.threads);
  eval::ThresholdTuningOptions tuning;
  tuning.per_label = options.per_label_thresholds && options.multi_label;
  outcome.thresholds = eval::tune_thresholds(probabilities, validation.label_count, gold, tuning);
  outcome.validation = evaluate_probabilities(probabilities, validation, outcome.thresholds.thresholds,
                                              options.label_archives);
  return outcome;
}

}  // namespace arxivc::train
