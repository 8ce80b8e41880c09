#include "arxivc/prepare/labels.hpp"

#include <algorithm>
#include <limits>

#include "arxivc/core/error.hpp"

namespace arxivc::prepare {

std::string_view to_string(LabelMode mode) {
  switch (mode) {
    case LabelMode::primary:
      return "primary";
    case LabelMode::all:
      return "all";
    case LabelMode::archive:
      return "archive";
  }
  return "unknown";
}

LabelAssignment assign_labels(const std::vector<PaperRecord>& papers, std::span<const std::size_t> positions,
                              LabelMode mode, const CategoryIndex& index) {
  // First as keys (CategoryId, or ArchiveId in archive mode), then renumbered in code order.
  const bool by_archive = mode == LabelMode::archive;
  LabelAssignment assignment;
  assignment.offsets.reserve(positions.size() + 1);
  assignment.offsets.push_back(0);
  std::vector<std::uint32_t> keys;
  for (const std::size_t position : positions) {
    const auto& categories = papers[position].categories;
    if (categories.empty()) throw Error("internal: a kept paper has no category");
    const std::size_t first = keys.size();
    const std::size_t count = mode == LabelMode::primary ? 1 : categories.size();
    for (std::size_t c = 0; c < count; ++c) {
      const std::uint32_t key = by_archive ? index.archive_of(categories[c]) : categories[c];
      if (std::find(keys.begin() + static_cast<std::ptrdiff_t>(first), keys.end(), key) == keys.end()) {
        keys.push_back(key);
      }
    }
    assignment.offsets.push_back(static_cast<std::uint32_t>(keys.size()));
  }
  if (keys.size() > std::numeric_limits<std::uint32_t>::max()) throw Error("too many labels for one dataset");

  const std::size_t key_space = by_archive ? index.archive_count() : index.category_count();
  std::vector<bool> used(key_space, false);
  for (const auto key : keys) used[key] = true;
  std::vector<std::uint32_t> used_keys;
  for (std::uint32_t key = 0; key < key_space; ++key) {
    if (used[key]) used_keys.push_back(key);
  }
  const auto describe = [&](std::uint32_t key) -> const taxonomy::Category& {
    return by_archive ? index.archive_example(static_cast<ArchiveId>(key))
                      : index.category(static_cast<CategoryId>(key));
  };
  const auto code_of = [&](std::uint32_t key) -> const std::string& {
    return by_archive ? describe(key).archive : describe(key).code;
  };
  std::sort(used_keys.begin(), used_keys.end(),
            [&](std::uint32_t a, std::uint32_t b) { return code_of(a) < code_of(b); });
  std::vector<std::uint32_t> label_of_key(key_space, 0);
  for (std::size_t l = 0; l < used_keys.size(); ++l) {
    const auto& category = describe(used_keys[l]);
    label_of_key[used_keys[l]] = static_cast<std::uint32_t>(l);
    if (by_archive) {
      assignment.labels.push_back(
          {category.archive, category.archive_name, category.archive, category.group_name});
    } else {
      assignment.labels.push_back({category.code, category.name, category.archive, category.group_name});
    }
  }
  assignment.ids.reserve(keys.size());
  for (const auto key : keys) assignment.ids.push_back(label_of_key[key]);
  return assignment;
}

}  // namespace arxivc::prepare
