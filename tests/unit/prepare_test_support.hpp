#pragma once

// A small synthetic taxonomy and paper records for the prepare tests.

#include <string>
#include <vector>

#include "arxivc/prepare/category_index.hpp"
#include "arxivc/prepare/paper_record.hpp"
#include "arxivc/taxonomy/taxonomy.hpp"

namespace arxivc::prepare::testing {

inline const taxonomy::Taxonomy& test_taxonomy() {
  static const taxonomy::Taxonomy table(std::vector<taxonomy::Category>{
      {"cs.AI", "Artificial Intelligence", "cs", "Computer Science", "grp_cs", "Computer Science", true, "",
       ""},
      {"cs.CL", "Computation and Language", "cs", "Computer Science", "grp_cs", "Computer Science", true, "",
       ""},
      {"cs.LG", "Machine Learning", "cs", "Computer Science", "grp_cs", "Computer Science", true, "", ""},
      {"math.PR", "Probability", "math", "Mathematics", "grp_math", "Mathematics", true, "", ""},
      {"math.ST", "Statistics Theory", "math", "Mathematics", "grp_math", "Mathematics", true, "", ""},
      {"stat.ML", "Machine Learning", "stat", "Statistics", "grp_stat", "Statistics", true, "", ""},
      {"stat.TH", "Statistics Theory", "stat", "Statistics", "grp_stat", "Statistics", true, "math.ST", ""},
      {"hep-th", "High Energy Physics - Theory", "hep-th", "High Energy Physics - Theory", "grp_physics",
       "Physics", true, "", ""},
      {"hep-ph", "High Energy Physics - Phenomenology", "hep-ph", "High Energy Physics - Phenomenology",
       "grp_physics", "Physics", true, "", ""},
      {"cmp-lg", "Computation and Language", "cmp-lg", "Computation and Language", "grp_cs",
       "Computer Science", false, "", "cs.CL"},
  });
  return table;
}

inline const CategoryIndex& test_index() {
  static const CategoryIndex index(test_taxonomy());
  return index;
}

inline CategoryId id_of(std::string_view code) { return test_index().resolve(code).value(); }

// A kept paper with these categories (codes resolved through the test taxonomy), primary first.
inline PaperRecord paper(std::string id, const std::vector<std::string>& codes,
                         std::uint32_t month = 202001) {
  PaperRecord record;
  record.id = std::move(id);
  record.title = "title of " + record.id;
  record.abstract = "abstract of " + record.id;
  for (const auto& code : codes) record.categories.push_back(id_of(code));
  record.month = month;
  record.update_day = month * 100 + 1;
  return record;
}

inline std::vector<std::string> codes_of(const PaperRecord& record) {
  std::vector<std::string> codes;
  for (const auto id : record.categories) codes.push_back(test_index().category(id).code);
  return codes;
}

}  // namespace arxivc::prepare::testing
