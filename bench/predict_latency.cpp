// Latency of scoring one paper: Classifier::predict on a single real paper (title and abstract normalised as
// `arxivc predict` does), timed by Google Benchmark. Built only with -DARXIVC_BENCH=ON; run by
// bench/predict_throughput.sh.
//
//   ARXIVC_BENCH_MODEL=models/default ARXIVC_BENCH_PAPERS=papers.jsonl build/predict_latency
//   (any Google Benchmark flag, such as --benchmark_repetitions=5, may follow)
//
// ARXIVC_BENCH_PAPERS: metadata in any format prepare reads; the benchmark scores its first paper, and the
// "median of 100" variant cycles through its first 100 papers (a paper's length changes the cost).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "arxivc/app/raw_papers.hpp"
#include "arxivc/inference/classifier.hpp"

namespace {

struct Fixture {
  std::shared_ptr<const arxivc::inference::Classifier> classifier;
  std::vector<arxivc::app::RawPaper> papers;
};

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

const Fixture& fixture() {
  static const Fixture loaded = [] {
    Fixture f;
    const auto model = env_or("ARXIVC_BENCH_MODEL", "");
    if (model.empty()) {
      std::cerr << "set ARXIVC_BENCH_MODEL to a model directory (output of arxivc train)\n";
      std::exit(2);
    }
    f.classifier = arxivc::inference::Classifier::load(model);
    const auto papers = env_or("ARXIVC_BENCH_PAPERS",
                               env_or("ARXIVC_DATA_DIR", "../shared/data") + "/arxiv-metadata-5k.json");
    arxivc::app::read_raw_papers(
        papers, arxivc::app::latex_mode_of_model(f.classifier->card()), 1,
        /*require_categories=*/false,
        [&](std::vector<arxivc::app::RawPaper>&& batch) {
          for (auto& p : batch) {
            if (f.papers.size() < 100) f.papers.push_back(std::move(p));
          }
        },
        [](const arxivc::ingest::SkippedLine&) {});
    if (f.papers.empty()) {
      std::cerr << papers << ": no papers\n";
      std::exit(2);
    }
    return f;
  }();
  return loaded;
}

// One paper, the same every time: the latency of a single request.
void BM_PredictOnePaper(benchmark::State& state) {
  const auto& f = fixture();
  const arxivc::model::Document document{f.papers.front().title, f.papers.front().abstract};
  arxivc::inference::PredictOptions options;
  for (auto _ : state) {
    auto predictions = f.classifier->predict(std::span<const arxivc::model::Document>(&document, 1), options);
    benchmark::DoNotOptimize(predictions);
  }
  state.SetItemsProcessed(state.iterations());
}

// One paper at a time, cycling through 100 different real papers.
void BM_PredictOnePaperOf100(benchmark::State& state) {
  const auto& f = fixture();
  std::vector<arxivc::model::Document> documents;
  for (const auto& p : f.papers) documents.push_back({p.title, p.abstract});
  arxivc::inference::PredictOptions options;
  std::size_t i = 0;
  for (auto _ : state) {
    auto predictions =
        f.classifier->predict(std::span<const arxivc::model::Document>(&documents[i], 1), options);
    benchmark::DoNotOptimize(predictions);
    i = (i + 1) % documents.size();
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_PredictOnePaper)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PredictOnePaperOf100)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
