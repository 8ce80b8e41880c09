// format_summary: the few lines `arxivc prepare` prints about the dataset it wrote.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "arxivc/prepare/prepare.hpp"

namespace arxivc::prepare {
namespace {

std::uint64_t count_at(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<std::uint64_t>() : 0;
}

std::string by_reason(const nlohmann::json& reasons) {
  std::string text;
  for (const auto& [reason, count] : reasons.items()) {
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", reason, count.get<std::uint64_t>());
  }
  return text;
}

}  // namespace

std::string format_summary(const nlohmann::json& manifest) {
  const auto& counts = manifest.at("counts");
  const auto& skipped = counts.at("skipped");
  const auto& dropped = counts.at("dropped");
  std::string out;
  out += fmt::format("papers read:   {} lines, {} papers\n", count_at(counts, "read"),
                     count_at(counts, "papers"));
  out += fmt::format("kept:          {}\n", count_at(counts, "kept"));
  out += fmt::format("skipped lines: {}", count_at(skipped, "total"));
  if (!skipped.at("by_reason").empty()) out += " (" + by_reason(skipped.at("by_reason")) + ")";
  out += "\n";
  for (const auto& line : skipped.at("first")) {
    out += fmt::format("  line {}: {} {}\n", line.at("line").get<std::uint64_t>(),
                       line.at("reason").get<std::string>(), line.at("detail").get<std::string>());
  }
  out += fmt::format("duplicates:    {}\n", count_at(counts, "duplicates"));
  out += fmt::format("dropped:       {}", count_at(dropped, "total"));
  if (!dropped.at("by_reason").empty()) out += " (" + by_reason(dropped.at("by_reason")) + ")";
  out += "\n";
  const auto& unknown = counts.at("unknown_categories");
  if (count_at(unknown, "distinct_codes") > 0) {
    out += fmt::format("unknown category codes: {} distinct, on {} papers\n",
                       count_at(unknown, "distinct_codes"), count_at(unknown, "papers"));
  }

  std::string splits;
  for (const auto& split : manifest.at("splits")) {
    splits += fmt::format("{}{} {}", splits.empty() ? "" : ", ", split.at("name").get<std::string>(),
                          count_at(split, "examples"));
  }
  out += fmt::format("splits:        {}\n", splits);
  for (const auto& name : manifest.at("empty_splits")) {
    out += fmt::format("warning: split {} is empty\n", name.get<std::string>());
  }

  // Labels by examples over all splits, largest first (ties by code).
  std::map<std::string, std::pair<std::string, std::uint64_t>> totals;
  for (const auto& split : manifest.at("splits")) {
    for (const auto& label : split.at("label_counts")) {
      auto& entry = totals[label.at("code").get<std::string>()];
      entry.first = label.at("name").get<std::string>();
      entry.second += label.at("count").get<std::uint64_t>();
    }
  }
  std::vector<std::pair<std::string, std::pair<std::string, std::uint64_t>>> largest(totals.begin(),
                                                                                     totals.end());
  std::stable_sort(largest.begin(), largest.end(),
                   [](const auto& a, const auto& b) { return a.second.second > b.second.second; });
  out += fmt::format("labels:        {} ({} mode)\n", manifest.at("labels").size(),
                     manifest.at("label_mode").get<std::string>());
  const std::size_t shown = std::min<std::size_t>(largest.size(), 10);
  if (shown > 0) out += fmt::format("largest {}:\n", shown);
  for (std::size_t i = 0; i < shown; ++i) {
    out += fmt::format("  {:<20} {:>9}  {}\n", largest[i].first, largest[i].second.second,
                       largest[i].second.first);
  }
  out += fmt::format("content hash:  {}\n", manifest.at("content_hash").get<std::string>());
  return out;
}

}  // namespace arxivc::prepare
