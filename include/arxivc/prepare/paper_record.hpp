#pragma once

// The compact form in which a preparation holds each paper: only what the dataset needs, so the 500k
// file fits comfortably in memory.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/prepare/category_index.hpp"

namespace arxivc::prepare {

// Why a paper read from the input is not in the dataset (duplicates are counted apart).
enum class DropReason : std::uint8_t {
  none,
  unknown_category_only,  // none of its category codes is in the taxonomy
  no_clear_boundary,      // clear_boundaries: its categories span several archives
  not_selected,           // its primary category is outside the archive/group/category lists
  below_min_papers,       // its primary category has fewer than min_papers papers
  outside_top_n,          // its primary category is not among the top_n largest
  empty_text,             // title and abstract are both empty after normalisation
  undated,                // temporal split: no month (from the id) or update_date to place it
  per_category_cap,       // sampled out by sampling.per_category_cap
  max_samples,            // sampled out by sampling.max_samples
};
inline constexpr int kDropReasonCount = 10;

std::string_view to_string(DropReason reason);

struct PaperRecord {
  std::string id;
  std::string title;                   // normalised
  std::string abstract;                // normalised
  std::vector<CategoryId> categories;  // canonical, distinct, primary first; after selection: selected only
  std::string unknown_categories;      // codes the taxonomy does not know, space-separated; usually empty
  std::uint32_t month = 0;             // YYYYMM, from the id (else update_date); 0 when neither tells
  std::uint32_t update_day = 0;        // YYYYMMDD from update_date; 0 when absent or malformed
  DropReason dropped = DropReason::none;
  bool duplicate = false;  // another record of the same id was kept

  bool kept() const { return dropped == DropReason::none && !duplicate; }
  // Marks the paper dropped and releases its text.
  void drop(DropReason reason);
  void mark_duplicate();
};

// How a parser thread hands a paper's resolved categories, and the reason to drop it that needs no
// counts, to the pipeline inside ingest::Paper::categories: [reason][n][n little-endian uint16 ids]
// followed by the unknown codes, space-separated.
std::string pack_categories(const ResolvedCategories& categories, DropReason early_reason);
struct UnpackedCategories {
  DropReason early_reason = DropReason::none;
  std::vector<CategoryId> known;
  std::string_view unknown;  // space-separated, a view into the packed string
};
// Throws arxivc::Error when `packed` was not written by pack_categories.
UnpackedCategories unpack_categories(std::string_view packed);

}  // namespace arxivc::prepare
