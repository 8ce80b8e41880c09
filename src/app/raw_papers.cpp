#include "arxivc/app/raw_papers.hpp"

#include "arxivc/prepare/text_normalizer.hpp"
#include "arxivc/taxonomy/taxonomy.hpp"

namespace arxivc::app {

prepare::LatexMode latex_mode_of_model(const nlohmann::json& model_card) {
  if (model_card.contains("text") && model_card["text"].value("latex", std::string("keep")) == "simplify") {
    return prepare::LatexMode::simplify;
  }
  return prepare::LatexMode::keep;
}

void normalize_for_model(std::string& title, std::string& abstract, prepare::LatexMode latex) {
  prepare::normalize_text_in_place(title, latex);
  prepare::normalize_text_in_place(abstract, latex);
}

ingest::ReadStats read_raw_papers(const std::filesystem::path& input, prepare::LatexMode latex,
                                  unsigned threads, bool require_categories,
                                  const std::function<void(std::vector<RawPaper>&&)>& on_batch,
                                  const std::function<void(const ingest::SkippedLine&)>& on_skipped) {
  ingest::ReadOptions options;
  options.threads = threads;
  options.on_skipped = on_skipped;
  options.require_categories = require_categories;
  const auto path = input == "-" ? std::filesystem::path("/dev/stdin") : input;
  const auto& taxonomy = taxonomy::Taxonomy::builtin();
  auto transform = [latex](ingest::Paper& paper) {
    normalize_for_model(paper.title, paper.abstract, latex);
    return true;
  };
  auto sink = [&](std::vector<ingest::Paper>&& papers) {
    std::vector<RawPaper> batch;
    batch.reserve(papers.size());
    for (auto& p : papers) {
      auto normalized = taxonomy.normalize(p.categories);
      batch.push_back({std::move(p.id), std::move(p.title), std::move(p.abstract),
                       std::move(normalized.codes), std::move(normalized.unknown), p.line});
    }
    on_batch(std::move(batch));
  };
  return ingest::read_papers(path, options, sink, transform);
}

}  // namespace arxivc::app
