#include "arxivc/app/model_card.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "arxivc/app/figures.hpp"
#include "arxivc/core/atomic_file.hpp"
#include "arxivc/eval/plots.hpp"
#include "arxivc/eval/report.hpp"
#include "arxivc/train/model_directory.hpp"

namespace arxivc::app {

const char* known_data_biases() {
  return "The shared development data (500k real arXiv papers) has known gaps: papers of 1995-2019 whose "
         "categories all lie in the largest fields (astro-ph, most of cond-mat, cs.AI/CV/IT/LG, stat.ML, "
         "gr-qc, "
         "hep-*, nucl-*, quant-ph, math-ph and several math areas) are missing, so those fields appear "
         "mostly "
         "through cross-lists and their primary-category counts are far below their true share; almost "
         "nothing "
         "is from 2020-2024; 2025-2026 papers come from daily feeds heavy in cs.CV, cs.CL, cs.AI and cs.LG. "
         "Metrics on this data do not transfer one-to-one to the full arXiv distribution, and a random split "
         "overstates performance on future papers (a temporal split measures that).";
}

namespace {

std::string metrics_table(const eval::EvaluationResult& r) {
  std::string out = "| metric | value |\n| --- | --- |\n";
  const std::pair<const char*, double> rows[] = {
      {"primary accuracy (top-1 = gold primary)", r.primary_accuracy},
      {"primary in top 5", r.primary_in_top_5},
      {"archive accuracy", r.archive_accuracy},
      {"micro F1", r.micro.f1},
      {"macro F1", r.macro.f1},
      {"samples F1", r.samples.f1},
      {"P@1", r.precision_at_1},
      {"NDCG@5", r.ndcg_at_5},
      {"expected calibration error", r.calibration.expected_calibration_error},
  };
  for (const auto& [name, value] : rows) out += fmt::format("| {} | {:.4f} |\n", name, value);
  return out;
}

}  // namespace

std::filesystem::path write_model_card(const config::Config& config, const std::filesystem::path& dir,
                                       const std::filesystem::path& model_dir, const dataset::Dataset& data,
                                       const train::TrainingOutcome& outcome) {
  const auto name = config.get_string("experiment.name");
  const auto figure_dir = dir / "figures";
  std::filesystem::create_directories(figure_dir);
  const auto labels = train::label_infos(data.labels(), data.label_mode());

  // Category distribution of the training split (papers per label, any position).
  const auto& train_split = data.split("train");
  std::vector<double> counts(labels.size(), 0.0);
  for (std::size_t i = 0; i < train_split.size(); ++i) {
    for (auto label : train_split[i].labels) counts[label] += 1.0;
  }
  std::vector<std::string> names;
  for (const auto& l : labels) names.push_back(label_display_name(l));
  std::vector<eval::ReportFigure> figures;
  eval::plot_category_distribution(figure_dir / "category_distribution.png", names, counts,
                                   "Training papers per category (the 30 largest)", 30);
  figures.push_back({"Category distribution of the training data", "figures/category_distribution.png"});

  eval::TrainingCurves curves;
  for (const auto& record : outcome.history) {
    curves.train_loss.push_back(record.train_loss);
    curves.validation_metric.push_back(record.validation_metric);
  }
  curves.metric_name = "validation " + config.get_string("training.metric");
  eval::plot_training_curves(figure_dir / "training_curves.png", curves, fmt::format("Training of {}", name));
  figures.push_back({"Training loss and validation metric per epoch", "figures/training_curves.png"});
  auto evaluation_figures = write_evaluation_figures(figure_dir, "validation_", outcome.validation, labels);
  for (auto& figure : evaluation_figures) figure.path = "figures/" + figure.path;
  figures.insert(figures.end(), evaluation_figures.begin(), evaluation_figures.end());

  std::ostringstream card;
  card << fmt::format("# Model card: {}\n\n", name);
  card << "## What it is\n\n";
  card << fmt::format("- Family: `{}`; model directory: `{}`\n", outcome.model->family(), model_dir.string());
  card << fmt::format(
      "- Task: arXiv categories from title + abstract, label mode `{}` ({} labels); "
      "probabilities per label, thresholds tuned on validation\n",
      data.label_mode(), labels.size());
  card << fmt::format("- Featurisation and hyper-parameters: `{}`\n", outcome.model->describe());
  card << fmt::format("- Best epoch {} of {} trained{}\n\n", outcome.best_epoch, outcome.history.size(),
                      outcome.stopped_early ? " (stopped early)" : "");
  card << "## Data\n\n";
  card << fmt::format("- Dataset `{}`, content hash `{}`\n", data.dir().string(), data.content_hash());
  for (const auto& split : data.split_names()) {
    card << fmt::format("- {}: {} papers\n", split, data.split(split).size());
  }
  card << "\n## Validation metrics\n\n" << metrics_table(outcome.validation) << "\n";
  card << "## Training log\n\n| epoch | train loss | validation metric | micro F1 | primary accuracy | "
          "seconds |\n"
          "| --- | --- | --- | --- | --- | --- |\n";
  for (const auto& r : outcome.history) {
    card << fmt::format("| {} | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.1f} |\n", r.epoch, r.train_loss,
                        r.validation_metric, r.micro_f1, r.primary_accuracy, r.seconds);
  }
  card << "\n## Figures\n\n";
  for (const auto& f : figures) card << fmt::format("![{}]({})\n\n", f.caption, f.path);
  card << "## Limits\n\n" << known_data_biases() << "\n\n";
  card << "Categories with fewer training papers than the selection's `min_papers` are outside the label "
          "space "
          "and can never be predicted.\n\n";
  card << "## Configuration\n\n```yaml\n" << config.to_yaml() << "```\n";
  const auto path = dir / "model_card.md";
  write_file_atomic(path, card.str());
  return path;
}

}  // namespace arxivc::app
