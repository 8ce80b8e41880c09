#include "arxivc/inference/classifier.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <numeric>

#include "arxivc/core/error.hpp"
#include "arxivc/eval/thresholds.hpp"
#include "arxivc/model/model_file.hpp"

namespace arxivc::inference {
namespace {

std::vector<LabelInfo> read_labels(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(fmt::format("{}: missing (every model directory has its label list)", file.string()));
  std::vector<LabelInfo> labels;
  try {
    for (const auto& entry : nlohmann::json::parse(in)) {
      labels.push_back({entry.at("code").get<std::string>(), entry.at("name").get<std::string>(),
                        entry.at("archive").get<std::string>(), entry.at("group").get<std::string>()});
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not a valid label list: {}", file.string(), e.what()));
  }
  return labels;
}

}  // namespace

Classifier::Classifier(std::unique_ptr<model::Model> model, std::vector<LabelInfo> labels,
                       eval::Thresholds thresholds, nlohmann::json card)
    : model_(std::move(model)),
      labels_(std::move(labels)),
      thresholds_(std::move(thresholds)),
      card_(std::move(card)) {}

std::shared_ptr<const Classifier> Classifier::load(const std::filesystem::path& model_dir) {
  if (!std::filesystem::is_directory(model_dir)) {
    throw Error(
        fmt::format("{}: not a model directory (expected the output of `arxivc train`)", model_dir.string()));
  }
  if (std::error_code ignored; !std::filesystem::exists(model_dir / "model.bin", ignored)) {
    throw Error(
        fmt::format("{}: no model.bin, so not a model directory (expected the output of `arxivc train`; "
                    "in a container, mount one there or bake one in)",
                    model_dir.string()));
  }
  auto loaded = model::load_model_file(model_dir / "model.bin");
  // The version identifies the trained parameters: the file's checksum, which the same training
  // reproduces byte for byte. (Models saved before 2026-11-26 carry it in their metadata.)
  if (!loaded.metadata.contains("version")) {
    const auto* checksum = reinterpret_cast<const unsigned char*>(loaded.checksum.data());
    loaded.metadata["version"] = fmt::format("{:02x}", fmt::join(checksum, checksum + 6, ""));
  }
  const auto& metadata = loaded.metadata;
  const auto model_file = (model_dir / "model.bin").string();
  std::vector<std::string> codes;
  eval::Thresholds thresholds;
  try {
    codes = metadata.at("labels").get<std::vector<std::string>>();
    thresholds = eval::thresholds_from_json(metadata.at("thresholds"), codes.size());
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: incomplete metadata: {}", model_file, e.what()));
  }
  if (codes.size() != loaded.model->label_count()) {
    throw Error(fmt::format("{}: the metadata lists {} labels but the model scores {}", model_file,
                            codes.size(), loaded.model->label_count()));
  }
  auto labels = read_labels(model_dir / "labels.json");
  if (labels.size() != codes.size()) {
    throw Error(fmt::format("{}: {} labels, but model.bin has {}", (model_dir / "labels.json").string(),
                            labels.size(), codes.size()));
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (labels[i].code != codes[i]) {
      throw Error(fmt::format("{}: label {} is '{}', but model.bin has '{}'",
                              (model_dir / "labels.json").string(), i, labels[i].code, codes[i]));
    }
  }
  return std::make_shared<const Classifier>(std::move(loaded.model), std::move(labels), std::move(thresholds),
                                            std::move(loaded.metadata));
}

std::string Classifier::name() const { return card_.value("name", std::string()); }
std::string Classifier::version() const { return card_.value("version", std::string()); }
std::string Classifier::trained_on() const {
  if (!card_.contains("dataset")) return {};
  return card_["dataset"].value("content_hash", std::string());
}

std::vector<Prediction> Classifier::predict(std::span<const model::Document> documents,
                                            const PredictOptions& options) const {
  const std::size_t labels = labels_.size();
  std::vector<float> probabilities(documents.size() * labels);
  model_->predict(documents, probabilities);
  eval::Thresholds requested;  // the request's one threshold, when it gives one
  if (options.threshold) requested.global = *options.threshold;
  const eval::Thresholds& thresholds = options.threshold ? requested : thresholds_;
  const std::size_t k = std::min(options.top_k, labels);
  std::vector<Prediction> predictions(documents.size());
  std::vector<std::uint32_t> order(labels);
  for (std::size_t d = 0; d < documents.size(); ++d) {
    const std::span<const float> row(probabilities.data() + d * labels, labels);
    auto& prediction = predictions[d];
    prediction.predicted = eval::decide(row, thresholds);
    std::iota(order.begin(), order.end(), 0u);
    std::partial_sort(
        order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
        [&row](std::uint32_t a, std::uint32_t b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
    prediction.top.reserve(k);
    for (std::size_t i = 0; i < k; ++i) prediction.top.push_back({order[i], row[order[i]]});
  }
  return predictions;
}

}  // namespace arxivc::inference
