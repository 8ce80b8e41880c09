#include "arxivc/prepare/selection.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "arxivc/core/error.hpp"

namespace arxivc::prepare {
namespace {

std::string archive_codes(const CategoryIndex& index) {
  std::vector<std::string> codes;
  for (std::size_t a = 0; a < index.archive_count(); ++a) {
    codes.push_back(index.archive_example(static_cast<ArchiveId>(a)).archive);
  }
  std::sort(codes.begin(), codes.end());
  return fmt::format("{}", fmt::join(codes, ", "));
}

std::string group_ids(const CategoryIndex& index) {
  std::vector<std::string> ids;
  for (const auto& category : index.taxonomy().categories()) {
    if (std::find(ids.begin(), ids.end(), category.group) == ids.end()) ids.push_back(category.group);
  }
  std::sort(ids.begin(), ids.end());
  return fmt::format("{}", fmt::join(ids, ", "));
}

}  // namespace

CategorySelector::CategorySelector(const CategoryIndex& index, const SelectionOptions& options)
    : index_(index), options_(options), listed_(index.category_count(), false) {
  if (options.min_papers < 0) {
    throw ConfigError(fmt::format("prepare.selection.min_papers: {} is negative", options.min_papers));
  }
  if (options.top_n < 0) {
    throw ConfigError(fmt::format("prepare.selection.top_n: {} is negative", options.top_n));
  }
  std::vector<bool> archive_listed(index.archive_count(), false);
  for (const auto& code : options.archives) {
    const auto archive = index.find_archive(code);
    if (!archive) {
      throw ConfigError(fmt::format("prepare.selection.archives: unknown archive '{}' (known: {})", code,
                                    archive_codes(index)));
    }
    archive_listed[*archive] = true;
  }
  std::vector<std::string> groups;  // group ids
  for (const auto& group : options.groups) {
    const auto& categories = index.taxonomy().categories();
    const auto it = std::find_if(categories.begin(), categories.end(), [&](const taxonomy::Category& c) {
      return c.group == group || c.group_name == group;
    });
    if (it == categories.end()) {
      throw ConfigError(
          fmt::format("prepare.selection.groups: unknown group '{}' (known: {}, or their names)", group,
                      group_ids(index)));
    }
    groups.push_back(it->group);
  }
  std::vector<bool> category_listed(index.category_count(), options.categories.empty());
  for (const auto& code : options.categories) {
    const auto id = index.resolve(code);
    if (!id) throw ConfigError(fmt::format("prepare.selection.categories: unknown category '{}'", code));
    category_listed[*id] = true;
  }
  const bool any_archive_or_group = !options.archives.empty() || !options.groups.empty();
  for (std::size_t i = 0; i < listed_.size(); ++i) {
    const auto id = static_cast<CategoryId>(i);
    const auto& category = index.category(id);
    const bool by_group = std::find(groups.begin(), groups.end(), category.group) != groups.end();
    const bool by_archive_or_group =
        !any_archive_or_group || archive_listed[index.archive_of(id)] || by_group;
    listed_[i] = by_archive_or_group && category_listed[i];
  }
}

DropReason CategorySelector::early_drop_reason(const std::vector<CategoryId>& categories) const {
  if (categories.empty()) return DropReason::unknown_category_only;
  if (options_.clear_boundaries) {
    const ArchiveId archive = index_.archive_of(categories.front());
    for (const CategoryId id : categories) {
      if (index_.archive_of(id) != archive) return DropReason::no_clear_boundary;
    }
  }
  if (!listed_[categories.front()]) return DropReason::not_selected;
  return DropReason::none;
}

SelectionReport CategorySelector::select(std::vector<PaperRecord>& papers) const {
  SelectionReport report;
  report.category_counts.assign(index_.category_count(), 0);
  for (auto& paper : papers) {
    if (!paper.kept()) continue;
    if (const auto reason = early_drop_reason(paper.categories); reason != DropReason::none) {
      paper.drop(reason);
      continue;
    }
    for (const CategoryId id : paper.categories) {
      if (listed_[id]) ++report.category_counts[id];
    }
  }

  std::vector<CategoryId> candidates;
  for (std::size_t i = 0; i < listed_.size(); ++i) {
    const auto count = report.category_counts[i];
    if (listed_[i] && count > 0 && count >= static_cast<std::uint64_t>(options_.min_papers)) {
      candidates.push_back(static_cast<CategoryId>(i));
    }
  }
  const auto code_of = [&](CategoryId id) -> const std::string& { return index_.category(id).code; };
  if (options_.top_n > 0 && candidates.size() > static_cast<std::size_t>(options_.top_n)) {
    std::sort(candidates.begin(), candidates.end(), [&](CategoryId a, CategoryId b) {
      const auto ca = report.category_counts[a];
      const auto cb = report.category_counts[b];
      return ca != cb ? ca > cb : code_of(a) < code_of(b);
    });
    candidates.resize(static_cast<std::size_t>(options_.top_n));
  }
  std::vector<bool> selected(listed_.size(), false);
  for (const CategoryId id : candidates) selected[id] = true;

  for (auto& paper : papers) {
    if (!paper.kept()) continue;
    const CategoryId primary = paper.categories.front();
    if (!selected[primary]) {
      const bool enough = report.category_counts[primary] >= static_cast<std::uint64_t>(options_.min_papers);
      paper.drop(enough ? DropReason::outside_top_n : DropReason::below_min_papers);
      continue;
    }
    std::erase_if(paper.categories, [&](CategoryId id) { return !selected[id]; });
  }

  std::sort(candidates.begin(), candidates.end(),
            [&](CategoryId a, CategoryId b) { return code_of(a) < code_of(b); });
  report.selected = std::move(candidates);
  return report;
}

}  // namespace arxivc::prepare
