#include <gtest/gtest.h>

#include "arxivc/prepare/labels.hpp"
#include "prepare_test_support.hpp"

namespace arxivc::prepare {
namespace {

using testing::paper;
using testing::test_index;

std::vector<std::string> label_codes(const LabelAssignment& assignment) {
  std::vector<std::string> codes;
  for (const auto& label : assignment.labels) codes.push_back(label.code);
  return codes;
}

std::vector<std::string> labels_of(const LabelAssignment& assignment, std::size_t k) {
  std::vector<std::string> codes;
  for (const auto id : assignment.of(k)) codes.push_back(assignment.labels[id].code);
  return codes;
}

using Codes = std::vector<std::string>;

std::vector<PaperRecord> papers() {
  return {paper("a", {"stat.ML", "cs.LG", "math.ST"}), paper("b", {"hep-th"}), paper("c", {"cs.CL", "cs.AI"}),
          paper("d", {"math.PR"})};
}

TEST(PrepareLabels, PrimaryMode) {
  const auto records = papers();
  const std::vector<std::size_t> positions = {0, 1, 2};
  const auto assignment = assign_labels(records, positions, LabelMode::primary, test_index());
  EXPECT_EQ(label_codes(assignment), (Codes{"cs.CL", "hep-th", "stat.ML"}));
  EXPECT_EQ(labels_of(assignment, 0), (Codes{"stat.ML"}));
  EXPECT_EQ(labels_of(assignment, 2), (Codes{"cs.CL"}));
  EXPECT_EQ(assignment.labels[0].name, "Computation and Language");
  EXPECT_EQ(assignment.labels[0].archive, "cs");
  EXPECT_EQ(assignment.labels[0].group_name, "Computer Science");
}

TEST(PrepareLabels, AllModeKeepsPrimaryFirst) {
  const auto records = papers();
  const std::vector<std::size_t> positions = {0, 2};
  const auto assignment = assign_labels(records, positions, LabelMode::all, test_index());
  EXPECT_EQ(label_codes(assignment), (Codes{"cs.AI", "cs.CL", "cs.LG", "math.ST", "stat.ML"}));
  EXPECT_EQ(labels_of(assignment, 0), (Codes{"stat.ML", "cs.LG", "math.ST"}));
  EXPECT_EQ(labels_of(assignment, 1), (Codes{"cs.CL", "cs.AI"}));
}

TEST(PrepareLabels, ArchiveModeDeduplicates) {
  const auto records = papers();
  const std::vector<std::size_t> positions = {0, 1, 2, 3};
  const auto assignment = assign_labels(records, positions, LabelMode::archive, test_index());
  EXPECT_EQ(label_codes(assignment), (Codes{"cs", "hep-th", "math", "stat"}));
  EXPECT_EQ(labels_of(assignment, 0), (Codes{"stat", "cs", "math"}));
  EXPECT_EQ(labels_of(assignment, 2), (Codes{"cs"}));
  EXPECT_EQ(labels_of(assignment, 3), (Codes{"math"}));
  EXPECT_EQ(assignment.labels[0].name, "Computer Science");
  EXPECT_EQ(assignment.labels[2].name, "Mathematics");
}

TEST(PrepareLabels, EmptySelection) {
  const auto assignment = assign_labels({}, {}, LabelMode::all, test_index());
  EXPECT_TRUE(assignment.labels.empty());
  EXPECT_EQ(assignment.offsets, (std::vector<std::uint32_t>{0}));
}

}  // namespace
}  // namespace arxivc::prepare
