#pragma once

// arXiv's category taxonomy, carried by the project as source data (src/taxonomy/), written from arXiv's
// public category list (arXiv/arxiv-base, arxiv/taxonomy/definitions.py).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arxivc::taxonomy {

struct Category {
  std::string code;          // "cs.LG", "hep-th", "cmp-lg"
  std::string name;          // "Machine Learning"
  std::string archive;       // "cs"
  std::string archive_name;  // "Computer Science"
  std::string group;         // "grp_cs"
  std::string group_name;    // "Computer Science"
  bool active = true;
  std::string alias_of;     // canonical code when this code is an alias ("math.IT" -> "cs.IT")
  std::string subsumed_by;  // successor when this is a legacy code ("cmp-lg" -> "cs.CL")
};

// An archive: the middle level of the taxonomy ("cs", "hep-th", the legacy "cmp-lg").
struct Archive {
  std::string code;   // "cs"
  std::string name;   // "Computer Science"
  std::string group;  // "grp_cs"
};

// A group: the top level of the taxonomy.
struct Group {
  std::string id;    // "grp_cs"
  std::string name;  // "Computer Science"
};

struct Normalized {
  std::vector<std::string> codes;    // canonical codes, duplicates removed, source order (primary first)
  std::vector<std::string> unknown;  // codes not in the taxonomy, in source order
};

class Taxonomy {
 public:
  // The project's built-in table.
  static const Taxonomy& builtin();

  const std::vector<Category>& categories() const { return categories_; }
  const Category* find(std::string_view code) const;
  // The canonical code for `code` (following alias_of and subsumed_by), or "" when unknown.
  std::string_view canonical(std::string_view code) const;
  // Normalises a space-separated category list ("hep-th math.QA").
  Normalized normalize(std::string_view categories) const;

  // Checks the table and builds its lookups. Throws arxivc::Error naming the offending code when a code is
  // empty or repeated, when alias_of or subsumed_by names no code of the table or their chain loops, or
  // when an archive or group is given two names (or two archives or groups share one name).
  explicit Taxonomy(std::vector<Category> categories);

  // Whether `code` is in the table and is its own canonical code.
  bool is_canonical(std::string_view code) const;
  // Every canonical code, in table order: the label set a paper's normalised categories come from.
  std::vector<std::string_view> canonical_codes() const;

  // The archive ("cs") or group ("grp_cs") the table gives `code` itself, or "" when unknown. An alias keeps
  // its own archive (math.IT is in math): pass canonical codes to get the archive of the subject.
  std::string_view archive_of(std::string_view code) const;
  std::string_view group_of(std::string_view code) const;

  // The archives and groups the categories belong to, in order of first appearance in the table.
  const std::vector<Archive>& archives() const { return archives_; }
  const std::vector<Group>& groups() const { return groups_; }
  const Archive* find_archive(std::string_view code) const;
  const Archive* find_archive_by_name(std::string_view name) const;
  const Group* find_group(std::string_view id) const;
  const Group* find_group_by_name(std::string_view name) const;
  // The human name of an archive or group, or "" when unknown.
  std::string_view archive_name(std::string_view archive_code) const;
  std::string_view group_name(std::string_view group_id) const;

 private:
  std::vector<Category> categories_;
  // lookup structures are private to the implementation
  std::vector<std::pair<std::string, std::size_t>> sorted_index_;
  std::vector<std::size_t> canonical_index_;  // per category, the index of its canonical category
  std::vector<Archive> archives_;
  std::vector<Group> groups_;
};

}  // namespace arxivc::taxonomy
