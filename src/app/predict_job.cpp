#include "arxivc/app/predict_job.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arxivc/app/raw_papers.hpp"
#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/inference/classifier.hpp"

namespace arxivc::app {
namespace {

// Where the JSON lines go: standard output directly, or a temporary file renamed into place at the end
// so that a failed run never leaves a partial output file under the final name.
class LineOutput {
 public:
  explicit LineOutput(const std::filesystem::path& path) : final_(path) {
    if (path.empty() || path == "-") {
      file_ = stdout;
      return;
    }
    temporary_ = path;
    temporary_ += ".partial";
    file_ = std::fopen(temporary_.c_str(), "wb");
    if (file_ == nullptr) throw Error(fmt::format("cannot create {}", temporary_.string()));
  }
  ~LineOutput() {
    if (file_ != nullptr && file_ != stdout) {
      std::fclose(file_);
      std::filesystem::remove(temporary_);
    }
  }
  LineOutput(const LineOutput&) = delete;
  LineOutput& operator=(const LineOutput&) = delete;

  void write(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      throw Error(fmt::format("cannot write {}", final_.string()));
    }
  }
  void commit() {
    if (file_ == stdout) {
      std::fflush(stdout);
      return;
    }
    if (std::fflush(file_) != 0 || std::fclose(file_) != 0) {
      file_ = nullptr;
      throw Error(fmt::format("cannot write {}", final_.string()));
    }
    file_ = nullptr;
    std::filesystem::rename(temporary_, final_);
  }

 private:
  std::filesystem::path final_;
  std::filesystem::path temporary_;
  std::FILE* file_ = nullptr;
};

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
    line += fmt::format("[\"{}\", {:.4g}]", labels[prediction.top[i].label].code, prediction.top[i].probability);
  }
  line += "]}\n";
  return line;
}

}  // namespace

PredictJobResult run_predict(const PredictJobOptions& options) {
  const auto classifier = inference::Classifier::load(options.model_dir);
  const auto& labels = classifier->labels();
  inference::PredictOptions predict_options;
  predict_options.top_k = options.top_k;
  const unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  LineOutput out(options.output);
  PredictJobResult result;
  auto on_batch = [&](std::vector<RawPaper>&& batch) {
    std::vector<model::Document> documents;
    documents.reserve(batch.size());
    for (const auto& p : batch) documents.push_back({p.title, p.abstract});
    // Score slices of the batch on all cores; each slice's lines are formatted by its own thread.
    const std::size_t slices = std::min<std::size_t>(threads, std::max<std::size_t>(1, batch.size() / 64));
    std::vector<std::string> text(slices);
    auto work = [&](std::size_t s) {
      const std::size_t begin = batch.size() * s / slices;
      const std::size_t end = batch.size() * (s + 1) / slices;
      const auto predictions = classifier->predict(
          std::span<const model::Document>(documents).subspan(begin, end - begin), predict_options);
      for (std::size_t i = begin; i < end; ++i) text[s] += prediction_line(batch[i], predictions[i - begin], labels);
    };
    std::vector<std::thread> pool;
    for (std::size_t s = 1; s < slices; ++s) pool.emplace_back(work, s);
    work(0);
    for (auto& t : pool) t.join();
    for (const auto& t : text) out.write(t);
    result.papers += batch.size();
  };
  auto on_skipped = [&](const ingest::SkippedLine& skipped) {
    out.write(fmt::format("{{\"line\": {}, \"error\": {}}}\n", skipped.line,
                          nlohmann::json(fmt::format("{}: {}", ingest::to_string(skipped.reason), skipped.detail))
                              .dump()));
    ++result.errors;
  };
  read_raw_papers(options.input, latex_mode_of_model(classifier->card()), threads, on_batch, on_skipped);
  out.commit();
  return result;
}

}  // namespace arxivc::app
