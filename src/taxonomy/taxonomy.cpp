#include "arxivc/taxonomy/taxonomy.hpp"

#include <algorithm>
#include <string>

#include "arxivc/core/error.hpp"
#include "builtin_table.hpp"

namespace arxivc::taxonomy {
namespace {

constexpr std::string_view kWhitespace = " \t\n\r\f\v";

// The code a category points on to, alias before successor; "" for a canonical code.
std::string_view next_in_chain(const Category& category) {
  return category.alias_of.empty() ? std::string_view(category.subsumed_by) : category.alias_of;
}

template <typename Item>
const Item* find_by(const std::vector<Item>& items, std::string_view key, std::string Item::*field) {
  const auto found =
      std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.*field == key; });
  return found == items.end() ? nullptr : &*found;
}

// Adds the archive and group of `category` to the lists unless present, and checks that each archive and
// group keeps one name, and each archive one group.
void collect_archive_and_group(const Category& category, std::vector<Archive>& archives,
                               std::vector<Group>& groups) {
  if (category.archive.empty() || category.group.empty()) {
    throw Error("taxonomy: category '" + category.code + "' has no archive or no group");
  }
  if (const Archive* archive = find_by(archives, category.archive, &Archive::code)) {
    if (archive->name != category.archive_name || archive->group != category.group) {
      throw Error("taxonomy: category '" + category.code + "' gives archive '" + category.archive +
                  "' the name '" + category.archive_name + "' in group '" + category.group +
                  "', an earlier category '" + archive->name + "' in group '" + archive->group + "'");
    }
  } else {
    if (find_by(archives, category.archive_name, &Archive::name) != nullptr) {
      throw Error("taxonomy: two archives are named '" + category.archive_name + "'");
    }
    archives.push_back(
        Archive{.code = category.archive, .name = category.archive_name, .group = category.group});
  }
  if (const Group* group = find_by(groups, category.group, &Group::id)) {
    if (group->name != category.group_name) {
      throw Error("taxonomy: category '" + category.code + "' gives group '" + category.group +
                  "' the name '" + category.group_name + "', an earlier category '" + group->name + "'");
    }
  } else {
    if (find_by(groups, category.group_name, &Group::name) != nullptr) {
      throw Error("taxonomy: two groups are named '" + category.group_name + "'");
    }
    groups.push_back(Group{.id = category.group, .name = category.group_name});
  }
}

}  // namespace

const Taxonomy& Taxonomy::builtin() {
  static const Taxonomy taxonomy(builtin_categories());
  return taxonomy;
}

Taxonomy::Taxonomy(std::vector<Category> categories) : categories_(std::move(categories)) {
  sorted_index_.reserve(categories_.size());
  for (std::size_t i = 0; i < categories_.size(); ++i) {
    const Category& category = categories_[i];
    if (category.code.empty() || category.code.find_first_of(kWhitespace) != std::string::npos) {
      throw Error("taxonomy: category " + std::to_string(i + 1) +
                  " has an empty code or one with whitespace: '" + category.code + "'");
    }
    sorted_index_.emplace_back(category.code, i);
    collect_archive_and_group(category, archives_, groups_);
  }
  std::sort(sorted_index_.begin(), sorted_index_.end());
  const auto repeated = std::adjacent_find(sorted_index_.begin(), sorted_index_.end(),
                                           [](const auto& a, const auto& b) { return a.first == b.first; });
  if (repeated != sorted_index_.end()) {
    throw Error("taxonomy: category code '" + repeated->first + "' appears more than once");
  }

  // Resolve every chain once, here, so that lookups never walk (or loop on) it. A chain longer than the
  // table visits some code twice: it loops.
  canonical_index_.resize(categories_.size());
  for (std::size_t start = 0; start < categories_.size(); ++start) {
    std::size_t current = start;
    std::string chain = categories_[start].code;
    for (std::size_t steps = 0;; ++steps) {
      const std::string_view next = next_in_chain(categories_[current]);
      if (next.empty()) break;
      if (steps == categories_.size()) {
        throw Error("taxonomy: the alias/successor chain of '" + categories_[start].code +
                    "' loops: " + chain);
      }
      const Category* target = find(next);
      if (target == nullptr) {
        throw Error("taxonomy: category '" + categories_[current].code + "' points to '" + std::string(next) +
                    "', which is not a category code");
      }
      current = static_cast<std::size_t>(target - categories_.data());
      chain += " -> " + target->code;
    }
    canonical_index_[start] = current;
  }
}

const Category* Taxonomy::find(std::string_view code) const {
  const auto found =
      std::lower_bound(sorted_index_.begin(), sorted_index_.end(), code,
                       [](const auto& entry, std::string_view key) { return entry.first < key; });
  if (found == sorted_index_.end() || found->first != code) return nullptr;
  return &categories_[found->second];
}

std::string_view Taxonomy::canonical(std::string_view code) const {
  const Category* category = find(code);
  if (category == nullptr) return {};
  return categories_[canonical_index_[static_cast<std::size_t>(category - categories_.data())]].code;
}

bool Taxonomy::is_canonical(std::string_view code) const {
  const Category* category = find(code);
  return category != nullptr && next_in_chain(*category).empty();
}

std::vector<std::string_view> Taxonomy::canonical_codes() const {
  std::vector<std::string_view> codes;
  for (const Category& category : categories_) {
    if (next_in_chain(category).empty()) codes.emplace_back(category.code);
  }
  return codes;
}

Normalized Taxonomy::normalize(std::string_view categories) const {
  Normalized result;
  std::size_t position = 0;
  while ((position = categories.find_first_not_of(kWhitespace, position)) != std::string_view::npos) {
    const std::size_t end = std::min(categories.find_first_of(kWhitespace, position), categories.size());
    const std::string_view code = categories.substr(position, end - position);
    position = end;
    const std::string_view canonical_code = canonical(code);
    std::vector<std::string>& into = canonical_code.empty() ? result.unknown : result.codes;
    const std::string_view kept = canonical_code.empty() ? code : canonical_code;
    // Lists are a handful of codes long: a linear scan beats a set.
    if (std::find(into.begin(), into.end(), kept) == into.end()) into.emplace_back(kept);
  }
  return result;
}

std::string_view Taxonomy::archive_of(std::string_view code) const {
  const Category* category = find(code);
  return category == nullptr ? std::string_view() : std::string_view(category->archive);
}

std::string_view Taxonomy::group_of(std::string_view code) const {
  const Category* category = find(code);
  return category == nullptr ? std::string_view() : std::string_view(category->group);
}

const Archive* Taxonomy::find_archive(std::string_view code) const {
  return find_by(archives_, code, &Archive::code);
}

const Archive* Taxonomy::find_archive_by_name(std::string_view name) const {
  return find_by(archives_, name, &Archive::name);
}

const Group* Taxonomy::find_group(std::string_view id) const { return find_by(groups_, id, &Group::id); }

const Group* Taxonomy::find_group_by_name(std::string_view name) const {
  return find_by(groups_, name, &Group::name);
}

std::string_view Taxonomy::archive_name(std::string_view archive_code) const {
  const Archive* archive = find_archive(archive_code);
  return archive == nullptr ? std::string_view() : std::string_view(archive->name);
}

std::string_view Taxonomy::group_name(std::string_view group_id) const {
  const Group* group = find_group(group_id);
  return group == nullptr ? std::string_view() : std::string_view(group->name);
}

}  // namespace arxivc::taxonomy
