#pragma once

// Which categories (and so which papers) a dataset holds.
//
// Semantics, in this order:
//   1. A paper's categories are its known canonical codes (unknown codes are counted, then ignored); the
//      first is its primary category. A paper with no known category is dropped (unknown_category_only).
//   2. clear_boundaries: a paper whose known categories span more than one archive is dropped
//      (no_clear_boundary).
//   3. The lists: a category is listed when (archives and groups are both empty, or its archive is in
//      `archives`, or its group is in `groups`) and (`categories` is empty or it is in `categories`).
//      Groups may be given by id ("grp_cs") or name ("Computer Science"); codes may be aliases.
//   4. A paper whose primary category is not listed is dropped (not_selected).
//   5. Counts: the number of remaining papers that carry each listed category anywhere in their list.
//      min_papers keeps categories with count >= min_papers; top_n keeps the N largest of those (ties
//      broken by code). The counts are taken once, before these two filters drop anything.
//   6. A paper whose primary category did not survive 5 is dropped (below_min_papers, outside_top_n);
//      every other paper loses its categories that are not selected, so its list holds only selected
//      categories, primary first.

#include <cstdint>
#include <string>
#include <vector>

#include "arxivc/prepare/category_index.hpp"
#include "arxivc/prepare/paper_record.hpp"

namespace arxivc::prepare {

struct SelectionOptions {
  std::vector<std::string> archives{};
  std::vector<std::string> groups{};
  std::vector<std::string> categories{};
  std::int64_t min_papers = 0;
  std::int64_t top_n = 0;
  bool clear_boundaries = false;
};

struct SelectionReport {
  std::vector<CategoryId> selected;            // the final category set, by code
  std::vector<std::uint64_t> category_counts;  // per CategoryId: the count of step 5 (0 when not listed)
};

class CategorySelector {
 public:
  // Throws ConfigError naming prepare.selection.<key> for an archive, group or category the taxonomy
  // does not know, or a negative min_papers/top_n.
  CategorySelector(const CategoryIndex& index, const SelectionOptions& options);

  bool listed(CategoryId id) const { return listed_[id]; }

  // Steps 1, 2 and 4, which need no counts: lets the parser threads drop papers early. Thread-safe.
  DropReason early_drop_reason(const std::vector<CategoryId>& categories) const;

  // Runs every step over the papers still kept(): sets their drop reason or filters their categories.
  SelectionReport select(std::vector<PaperRecord>& papers) const;

 private:
  const CategoryIndex& index_;
  SelectionOptions options_;
  std::vector<bool> listed_;  // per CategoryId
};

}  // namespace arxivc::prepare
