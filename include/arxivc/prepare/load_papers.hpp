#pragma once

// The reading stage of a preparation: the parallel reader, with the per-paper work done on its parser
// threads, gathered into compact PaperRecords in input order.

#include <filesystem>
#include <vector>

#include "arxivc/ingest/reader.hpp"
#include "arxivc/prepare/category_index.hpp"
#include "arxivc/prepare/paper_record.hpp"
#include "arxivc/prepare/prepare.hpp"
#include "arxivc/prepare/selection.hpp"

namespace arxivc::prepare {

// The per-paper work of a parser thread: resolves the categories, decides whether the paper is dropped
// before any counting (CategorySelector::early_drop_reason), normalises title and abstract of the papers
// that stay (and empties those of the others, so they cost no memory), and packs the result into
// paper.categories (pack_categories). Thread-safe.
void prepare_paper(ingest::Paper& paper, LatexMode latex, const CategoryIndex& index,
                   const CategorySelector& selector);

// The compact record of a paper that went through prepare_paper.
PaperRecord make_record(ingest::Paper&& paper);

struct LoadedPapers {
  std::vector<PaperRecord> records;  // in input order
  ingest::ReadStats stats;
};

LoadedPapers load_papers(const std::filesystem::path& file, const ingest::ReadOptions& read_options,
                         LatexMode latex, const CategoryIndex& index, const CategorySelector& selector);

}  // namespace arxivc::prepare
