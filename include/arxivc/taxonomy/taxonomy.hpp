#pragma once

// arXiv's category taxonomy, carried by the project as source data (src/taxonomy/), written from arXiv's
// public category list (arXiv/arxiv-base, arxiv/taxonomy/definitions.py).

#include <string>
#include <string_view>
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
  std::string alias_of;      // canonical code when this code is an alias ("math.IT" -> "cs.IT")
  std::string subsumed_by;   // successor when this is a legacy code ("cmp-lg" -> "cs.CL")
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

  explicit Taxonomy(std::vector<Category> categories);

 private:
  std::vector<Category> categories_;
  // lookup structures are private to the implementation
  std::vector<std::pair<std::string, std::size_t>> sorted_index_;
};

}  // namespace arxivc::taxonomy
