#include "arxivc/app/predict_job.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "arxivc/app/line_output.hpp"
#include "arxivc/app/raw_papers.hpp"
#include "arxivc/core/output_path.hpp"
#include "arxivc/core/trace.hpp"
#include "arxivc/inference/classifier.hpp"

namespace arxivc::app {
namespace {

std::string prediction_line(const RawPaper& paper, const inference::Prediction& prediction,
                            const std::vector<inference::LabelInfo>& labels) {
  std::string line = fmt::format("{{\"id\": {}, \"predicted\": [", nlohmann::json(paper.id).dump());
  for (std::size_t i = 0; i < prediction.predicted.size(); ++i) {
    if (i > 0) line += ", ";
    line += fmt::format("\"{}\"", labels[prediction.predicted[i]].code);
  }
  line += "], \"top\": [";
  for (std::size_t i = 0; i < prediction.top.size(); ++i) {
    if (i > 0) line += ", ";
    line +=
        fmt::format("[\"{}\", {:.4g}]", labels[prediction.top[i].label].code, prediction.top[i].probability);
  }
  line += "]}\n";
  return line;
}

}  // namespace

PredictJobResult run_predict(const PredictJobOptions& options) {
  if (!options.output.empty() && options.output != "-") {
    OutputRule rule;
    rule.what = "prediction file";
    rule.directory = false;
    rule.is_earlier_output = [](const std::filesystem::path& file) {
      return std::filesystem::is_empty(file) || first_json_line_has(file, {"id", "predicted", "top"}) ||
             first_json_line_has(file, {"line", "error"});
    };
    check_output_path(options.output, {options.input, options.model_dir}, rule, options.force);
    remove_stale_temporaries(options.output);
  }
  TraceSpan load_span("load_model", "predict");
  const auto classifier = inference::Classifier::load(options.model_dir);
  load_span.end();
  const auto& labels = classifier->labels();
  inference::PredictOptions predict_options;
  predict_options.top_k = options.top_k;
  const unsigned threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  LineOutput out(options.output);
  PredictJobResult result;
  auto on_batch = [&](std::vector<RawPaper>&& batch) {
    TraceSpan score_span("score", "predict");
    score_span.arg("papers", batch.size());
    std::vector<model::Document> documents;
    documents.reserve(batch.size());
    for (const auto& p : batch) documents.push_back({p.title, p.abstract});
    // Score slices of the batch on all cores; each slice's lines are formatted by its own thread.
    const std::size_t slices = std::min<std::size_t>(threads, std::max<std::size_t>(1, batch.size() / 64));
    std::vector<std::string> text(slices);
    auto work = [&](std::size_t s) {
      if (s > 0) trace::name_thread("predict", static_cast<unsigned>(s));
      TraceSpan span("score_slice", "predict");
      const std::size_t begin = batch.size() * s / slices;
      const std::size_t end = batch.size() * (s + 1) / slices;
      const auto predictions = classifier->predict(
          std::span<const model::Document>(documents).subspan(begin, end - begin), predict_options);
      for (std::size_t i = begin; i < end; ++i)
        text[s] += prediction_line(batch[i], predictions[i - begin], labels);
    };
    std::vector<std::thread> pool;
    for (std::size_t s = 1; s < slices; ++s) pool.emplace_back(work, s);
    work(0);
    for (auto& t : pool) t.join();
    score_span.end();
    TraceSpan write_span("write", "predict");
    for (const auto& t : text) out.write(t);
    result.papers += batch.size();
  };
  auto on_skipped = [&](const ingest::SkippedLine& skipped) {
    out.write(fmt::format(
        "{{\"line\": {}, \"error\": {}}}\n", skipped.line,
        nlohmann::json(fmt::format("{}: {}", ingest::to_string(skipped.reason), skipped.detail)).dump()));
    ++result.errors;
  };
  read_raw_papers(options.input, latex_mode_of_model(classifier->card()), threads,
                  /*require_categories=*/false, on_batch, on_skipped);
  TraceSpan commit_span("commit", "predict");
  out.commit();
  return result;
}

}  // namespace arxivc::app
