#include "arxivc/train/model_directory.hpp"

#include <fmt/format.h>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/version.hpp"
#include "arxivc/model/model_file.hpp"
#include "arxivc/taxonomy/taxonomy.hpp"

namespace arxivc::train {
namespace {

nlohmann::json labels_json(const std::vector<inference::LabelInfo>& labels) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : labels) {
    out.push_back({{"code", l.code}, {"name", l.name}, {"archive", l.archive}, {"group", l.group}});
  }
  return out;
}

nlohmann::json validation_summary(const eval::EvaluationResult& r) {
  return {{"papers", r.papers},
          {"primary_accuracy", r.primary_accuracy},
          {"primary_in_top_5", r.primary_in_top_5},
          {"archive_accuracy", r.archive_accuracy},
          {"micro_f1", r.micro.f1},
          {"macro_f1", r.macro.f1},
          {"samples_f1", r.samples.f1},
          {"precision_at_1", r.precision_at_1},
          {"ndcg_at_5", r.ndcg_at_5},
          {"expected_calibration_error", r.calibration.expected_calibration_error}};
}

}  // namespace

std::vector<inference::LabelInfo> label_infos(const std::vector<std::string>& codes,
                                              const std::string& label_mode) {
  const auto& taxonomy = taxonomy::Taxonomy::builtin();
  std::vector<inference::LabelInfo> labels;
  labels.reserve(codes.size());
  for (const auto& code : codes) {
    inference::LabelInfo info{code, code, "", ""};
    if (label_mode == "archive") {
      if (const auto* archive = taxonomy.find_archive(code)) {
        info.name = archive->name;
        info.archive = archive->code;
        info.group = std::string(taxonomy.group_name(archive->group));
      }
    } else if (const auto* category = taxonomy.find(code)) {
      info.name = category->name;
      info.archive = category->archive;
      info.group = category->group_name;
    }
    labels.push_back(std::move(info));
  }
  return labels;
}

void write_model_directory(const std::filesystem::path& dir, const TrainingOutcome& outcome,
                           const ModelDirectoryContents& contents) {
  std::vector<std::string> codes;
  for (const auto& l : contents.labels) codes.push_back(l.code);
  nlohmann::json metadata = {
      {"name", contents.name},
      {"family", outcome.model->family()},
      {"arxivc_version", std::string(version())},
      {"label_mode", contents.label_mode},
      {"labels", codes},
      {"thresholds", eval::to_json(outcome.thresholds.thresholds)},
      {"text", contents.text},
      {"dataset", contents.dataset},
      {"best_epoch", outcome.best_epoch},
      {"validation", validation_summary(outcome.validation)},
  };
  std::filesystem::create_directories(dir);
  model::save_model_file(dir / "model.bin", *outcome.model, metadata);
  write_file_atomic(dir / "labels.json", labels_json(contents.labels).dump(2) + "\n");
  write_file_atomic(dir / "featurisation.json",
                    nlohmann::json::parse(outcome.model->describe()).dump(2) + "\n");
  write_file_atomic(dir / "config.yaml", contents.config_yaml);
  std::vector<std::string> label_codes = codes;
  nlohmann::json metrics = eval::to_json(outcome.validation, label_codes);
  metrics["thresholds"] = eval::to_json(outcome.thresholds.thresholds);
  metrics["best_epoch"] = outcome.best_epoch;
  write_file_atomic(dir / "metrics.json", metrics.dump(2) + "\n");
  std::string log;
  for (const auto& record : outcome.history) log += to_json(record).dump() + "\n";
  write_file_atomic(dir / "training_log.jsonl", log);
}

}  // namespace arxivc::train
