#include "arxivc/prepare/category_index.hpp"

#include <algorithm>

namespace arxivc::prepare {

CategoryIndex::CategoryIndex(const taxonomy::Taxonomy& taxonomy) : taxonomy_(&taxonomy) {
  const auto& categories = taxonomy.categories();
  std::unordered_map<std::string_view, ArchiveId> archive_ids;
  archive_of_.reserve(categories.size());
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const auto [it, inserted] =
        archive_ids.emplace(categories[i].archive, static_cast<ArchiveId>(archives_.size()));
    if (inserted) archives_.push_back(static_cast<CategoryId>(i));
    archive_of_.push_back(it->second);
  }
  by_code_.reserve(categories.size());
  for (const auto& category : categories) {
    const auto* canonical = taxonomy.find(taxonomy.canonical(category.code));
    if (canonical == nullptr) continue;  // a broken alias chain: the code stays unknown
    by_code_.emplace(category.code, static_cast<CategoryId>(canonical - categories.data()));
  }
}

std::optional<CategoryId> CategoryIndex::resolve(std::string_view code) const {
  const auto it = by_code_.find(code);
  if (it == by_code_.end()) return std::nullopt;
  return it->second;
}

ResolvedCategories CategoryIndex::resolve_list(std::string_view categories) const {
  ResolvedCategories resolved;
  std::size_t pos = 0;
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (pos < categories.size()) {
    while (pos < categories.size() && is_space(categories[pos])) ++pos;
    std::size_t end = pos;
    while (end < categories.size() && !is_space(categories[end])) ++end;
    if (end == pos) break;
    const auto code = categories.substr(pos, end - pos);
    pos = end;
    if (const auto id = resolve(code)) {
      if (std::find(resolved.known.begin(), resolved.known.end(), *id) == resolved.known.end()) {
        resolved.known.push_back(*id);
      }
    } else if (std::find(resolved.unknown.begin(), resolved.unknown.end(), code) == resolved.unknown.end()) {
      resolved.unknown.push_back(code);
    }
  }
  return resolved;
}

std::optional<ArchiveId> CategoryIndex::find_archive(std::string_view code) const {
  for (std::size_t a = 0; a < archives_.size(); ++a) {
    if (archive_example(static_cast<ArchiveId>(a)).archive == code) return static_cast<ArchiveId>(a);
  }
  return std::nullopt;
}

}  // namespace arxivc::prepare
