#include "arxivc/prepare/manifest.hpp"

#include <algorithm>

#include "arxivc/core/sha256.hpp"
#include "arxivc/core/version.hpp"

namespace arxivc::prepare {
namespace {

nlohmann::json label_json(const Label& label, LabelMode mode) {
  nlohmann::json json = {{"code", label.code}, {"name", label.name}, {"group", label.group_name}};
  if (mode != LabelMode::archive) json["archive"] = label.archive;
  return json;
}

nlohmann::json counts_json(const ManifestContent& content) {
  nlohmann::json skipped_by_reason = nlohmann::json::object();
  for (const auto& [reason, count] : content.read.skipped_by_reason) {
    skipped_by_reason[std::string(ingest::to_string(reason))] = count;
  }
  auto first_skipped = nlohmann::json::array();
  for (const auto& line : content.read.first_skipped) {
    first_skipped.push_back({{"line", line.line},
                             {"reason", std::string(ingest::to_string(line.reason))},
                             {"detail", line.detail}});
  }
  std::uint64_t dropped_total = 0;
  nlohmann::json dropped_by_reason = nlohmann::json::object();
  for (int r = 1; r < kDropReasonCount; ++r) {
    const auto count = content.dropped[static_cast<std::size_t>(r)];
    dropped_total += count;
    if (count > 0) dropped_by_reason[std::string(to_string(static_cast<DropReason>(r)))] = count;
  }
  std::vector<std::pair<std::string, std::uint64_t>> unknown(content.unknown_categories.begin(),
                                                             content.unknown_categories.end());
  std::stable_sort(unknown.begin(), unknown.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  auto most_frequent = nlohmann::json::array();
  for (std::size_t i = 0; i < std::min(unknown.size(), kUnknownCodesListed); ++i) {
    most_frequent.push_back({{"code", unknown[i].first}, {"papers", unknown[i].second}});
  }
  return {
      {"read", content.read.lines},
      {"papers", content.papers},
      {"skipped",
       {{"total", content.read.skipped}, {"by_reason", skipped_by_reason}, {"first", first_skipped}}},
      {"duplicates", content.duplicates},
      {"dropped", {{"total", dropped_total}, {"by_reason", dropped_by_reason}}},
      {"kept", content.kept},
      {"unknown_categories",
       {{"distinct_codes", content.unknown_categories.size()},
        {"papers", content.papers_with_unknown},
        {"most_frequent", most_frequent}}},
  };
}

nlohmann::json split_json(const SplitSummary& split, const std::vector<Label>& labels) {
  auto label_counts = nlohmann::json::array();
  for (std::size_t l = 0; l < labels.size(); ++l) {
    label_counts.push_back(
        {{"code", labels[l].code}, {"name", labels[l].name}, {"count", split.label_counts[l]}});
  }
  auto primary = nlohmann::json::array();
  for (const auto& [code, entry] : split.primary_categories) {
    primary.push_back({{"code", code}, {"name", entry.first}, {"count", entry.second}});
  }
  return {{"name", split.name},           {"file", split.file},         {"sha256", split.sha256},
          {"bytes", split.bytes},         {"examples", split.examples}, {"label_counts", label_counts},
          {"primary_categories", primary}};
}

}  // namespace

nlohmann::json build_manifest(const ManifestContent& content) {
  nlohmann::json manifest;
  manifest["format"] = "arxivc-dataset";
  manifest["format_version"] = kDatasetFormatVersion;
  manifest["created_by"] = "arxivc " + std::string(version());
  manifest["config"] = content.config;
  manifest["source"] = {{"path", content.source.string()},
                        {"size", content.read.source_size},
                        {"sha256", content.read.source_sha256},
                        {"format", content.read.format},
                        {"uncompressed_bytes", content.read.bytes}};
  manifest["counts"] = counts_json(content);
  manifest["label_mode"] = std::string(to_string(content.label_mode));
  auto labels = nlohmann::json::array();
  for (const auto& label : content.labels) labels.push_back(label_json(label, content.label_mode));
  manifest["labels"] = labels;
  auto splits = nlohmann::json::array();
  auto empty_splits = nlohmann::json::array();
  for (const auto& split : content.splits) {
    splits.push_back(split_json(split, content.labels));
    if (split.examples == 0) empty_splits.push_back(split.name);
  }
  manifest["splits"] = splits;
  manifest["empty_splits"] = empty_splits;
  manifest["content_hash"] = content_hash(manifest);
  return manifest;
}

std::string content_hash(const nlohmann::json& manifest) {
  nlohmann::json identity = {{"format_version", manifest.at("format_version")},
                             {"label_mode", manifest.at("label_mode")},
                             {"labels", manifest.at("labels")}};
  auto splits = nlohmann::json::array();
  for (const auto& split : manifest.at("splits")) splits.push_back({split.at("name"), split.at("sha256")});
  identity["splits"] = splits;
  return sha256_hex(identity.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string manifest_text(const nlohmann::json& manifest) {
  // Strings are valid UTF-8 (the reader checks), apart from perhaps a path: never fail over one.
  return manifest.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace arxivc::prepare
