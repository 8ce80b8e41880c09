#include "arxivc/prepare/load_papers.hpp"

#include "arxivc/prepare/paper_dates.hpp"
#include "arxivc/prepare/text_normalizer.hpp"

namespace arxivc::prepare {

void prepare_paper(ingest::Paper& paper, LatexMode latex, const CategoryIndex& index,
                   const CategorySelector& selector) {
  const auto resolved = index.resolve_list(paper.categories);
  const auto reason = selector.early_drop_reason(resolved.known);
  if (reason == DropReason::none) {
    normalize_text_in_place(paper.title, latex);
    normalize_text_in_place(paper.abstract, latex);
  } else {
    std::string().swap(paper.title);
    std::string().swap(paper.abstract);
  }
  paper.categories = pack_categories(resolved, reason);  // `resolved` views paper.categories: pack first
}

PaperRecord make_record(ingest::Paper&& paper) {
  auto categories = unpack_categories(paper.categories);
  PaperRecord record;
  record.id = std::move(paper.id);
  record.title = std::move(paper.title);
  record.abstract = std::move(paper.abstract);
  record.categories = std::move(categories.known);
  record.unknown_categories = categories.unknown;
  record.update_day = day_from_date(paper.update_date);
  record.month = month_from_id(record.id);
  if (record.month == 0) record.month = record.update_day / 100;
  if (categories.early_reason != DropReason::none) {
    record.drop(categories.early_reason);
  } else if (record.title.empty() && record.abstract.empty()) {
    record.drop(DropReason::empty_text);
  }
  return record;
}

LoadedPapers load_papers(const std::filesystem::path& file, const ingest::ReadOptions& read_options,
                         LatexMode latex, const CategoryIndex& index, const CategorySelector& selector) {
  LoadedPapers loaded;
  loaded.stats = ingest::read_papers(
      file, read_options,
      [&](std::vector<ingest::Paper>&& batch) {
        for (auto& paper : batch) loaded.records.push_back(make_record(std::move(paper)));
      },
      [&](ingest::Paper& paper) {
        prepare_paper(paper, latex, index, selector);
        return true;
      });
  return loaded;
}

}  // namespace arxivc::prepare
