#include "arxivc/prepare/paper_record.hpp"

#include "arxivc/core/error.hpp"

namespace arxivc::prepare {

std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::none:
      return "none";
    case DropReason::unknown_category_only:
      return "unknown_category_only";
    case DropReason::no_clear_boundary:
      return "no_clear_boundary";
    case DropReason::not_selected:
      return "not_selected";
    case DropReason::below_min_papers:
      return "below_min_papers";
    case DropReason::outside_top_n:
      return "outside_top_n";
    case DropReason::empty_text:
      return "empty_text";
    case DropReason::undated:
      return "undated";
    case DropReason::per_category_cap:
      return "per_category_cap";
    case DropReason::max_samples:
      return "max_samples";
  }
  return "unknown";
}

void PaperRecord::drop(DropReason reason) {
  dropped = reason;
  std::string().swap(title);
  std::string().swap(abstract);
}

void PaperRecord::mark_duplicate() {
  duplicate = true;
  std::string().swap(title);
  std::string().swap(abstract);
}

std::string pack_categories(const ResolvedCategories& categories, DropReason early_reason) {
  std::string packed;
  packed.reserve(3 + 2 * categories.known.size());
  packed.push_back(static_cast<char>(early_reason));
  const auto count = static_cast<std::uint16_t>(categories.known.size());
  packed.push_back(static_cast<char>(count & 0xff));
  packed.push_back(static_cast<char>(count >> 8));
  for (const CategoryId id : categories.known) {
    packed.push_back(static_cast<char>(id & 0xff));
    packed.push_back(static_cast<char>(id >> 8));
  }
  for (std::size_t i = 0; i < categories.unknown.size(); ++i) {
    if (i > 0) packed.push_back(' ');
    packed.append(categories.unknown[i]);
  }
  return packed;
}

UnpackedCategories unpack_categories(std::string_view packed) {
  const auto byte = [&](std::size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>(packed[i]));
  };
  if (packed.size() < 3 || byte(0) >= kDropReasonCount) throw Error("internal: malformed packed categories");
  UnpackedCategories unpacked;
  unpacked.early_reason = static_cast<DropReason>(byte(0));
  const std::size_t count = byte(1) | (byte(2) << 8);
  if (packed.size() < 3 + 2 * count) throw Error("internal: malformed packed categories");
  unpacked.known.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    unpacked.known.push_back(static_cast<CategoryId>(byte(3 + 2 * i) | (byte(4 + 2 * i) << 8)));
  }
  unpacked.unknown = packed.substr(3 + 2 * count);
  return unpacked;
}

}  // namespace arxivc::prepare
