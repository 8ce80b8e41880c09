#pragma once

// The labels of a dataset, from the selected categories of its papers.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "arxivc/prepare/category_index.hpp"
#include "arxivc/prepare/paper_record.hpp"
#include "arxivc/prepare/prepare.hpp"

namespace arxivc::prepare {

struct Label {
  std::string code;        // category code, or archive code in archive mode
  std::string name;        // category name, or archive name
  std::string archive;     // archive code
  std::string group_name;  // "Computer Science"
};

std::string_view to_string(LabelMode mode);

// Labels per paper, in compressed-row form: the labels of the k-th paper are
// ids[offsets[k] .. offsets[k + 1]), indices into `labels`, primary first.
struct LabelAssignment {
  std::vector<Label> labels;  // every label carried by some paper, sorted by code
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> ids;

  std::span<const std::uint32_t> of(std::size_t k) const {
    return std::span(ids).subspan(offsets[k], offsets[k + 1] - offsets[k]);
  }
};

// The labels of papers[positions[k]] for each k:
//   primary: the primary category alone;
//   all:     every (selected) category, primary first;
//   archive: the archives of its categories, without repeats, the primary category's archive first.
// Each paper must have at least one category.
LabelAssignment assign_labels(const std::vector<PaperRecord>& papers, std::span<const std::size_t> positions,
                              LabelMode mode, const CategoryIndex& index);

}  // namespace arxivc::prepare
