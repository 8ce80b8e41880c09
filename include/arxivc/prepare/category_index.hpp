#pragma once

// Category codes as small integers, for the millions of category lookups of a preparation: every code of
// the taxonomy (aliases and legacy codes included) maps to the id of its canonical category.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "arxivc/taxonomy/taxonomy.hpp"

namespace arxivc::prepare {

// Index of a category in Taxonomy::categories().
using CategoryId = std::uint16_t;
// Index of an archive ("cs", "math", "hep-th") in CategoryIndex's archive list.
using ArchiveId = std::uint16_t;

struct ResolvedCategories {
  std::vector<CategoryId> known;          // canonical, distinct, in source order (primary first)
  std::vector<std::string_view> unknown;  // codes the taxonomy does not know, distinct, in source order
};

class CategoryIndex {
 public:
  // Keeps a reference: `taxonomy` must outlive the index.
  explicit CategoryIndex(const taxonomy::Taxonomy& taxonomy);

  const taxonomy::Taxonomy& taxonomy() const { return *taxonomy_; }

  // The canonical category of `code` (following aliases and legacy successors), or none when unknown.
  std::optional<CategoryId> resolve(std::string_view code) const;
  // Resolves a whitespace-separated category list ("hep-th math.QA"); views point into `categories`.
  ResolvedCategories resolve_list(std::string_view categories) const;

  const taxonomy::Category& category(CategoryId id) const { return taxonomy_->categories()[id]; }
  std::size_t category_count() const { return taxonomy_->categories().size(); }

  ArchiveId archive_of(CategoryId id) const { return archive_of_[id]; }
  std::size_t archive_count() const { return archives_.size(); }
  // A category of the archive, for its archive code, archive name and group.
  const taxonomy::Category& archive_example(ArchiveId archive) const { return category(archives_[archive]); }
  std::optional<ArchiveId> find_archive(std::string_view code) const;

 private:
  const taxonomy::Taxonomy* taxonomy_;
  std::unordered_map<std::string_view, CategoryId> by_code_;  // views into the taxonomy's strings
  std::vector<ArchiveId> archive_of_;                         // per category
  std::vector<CategoryId> archives_;                          // per archive: its first category
};

}  // namespace arxivc::prepare
