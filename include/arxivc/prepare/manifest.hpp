#pragma once

// manifest.json of a dataset directory: what was prepared from what, and how (docs/dataset-format.md).

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arxivc/ingest/reader.hpp"
#include "arxivc/prepare/labels.hpp"
#include "arxivc/prepare/paper_record.hpp"

namespace arxivc::prepare {

inline constexpr int kDatasetFormatVersion = 1;

struct SplitSummary {
  std::string name;  // "train"
  std::string file;  // "train.bin"
  std::string sha256;
  std::uint64_t bytes = 0;
  std::uint64_t examples = 0;
  std::vector<std::uint64_t> label_counts;  // per label: examples carrying it
  std::map<std::string, std::pair<std::string, std::uint64_t>>
      primary_categories;  // code -> (name, examples)
};

struct ManifestContent {
  nlohmann::json config;
  std::filesystem::path source;
  ingest::ReadStats read;
  std::uint64_t papers = 0;                               // records delivered by the reader
  std::uint64_t duplicates = 0;                           // records replaced by a later record of the same id
  std::array<std::uint64_t, kDropReasonCount> dropped{};  // per DropReason
  std::uint64_t kept = 0;
  std::map<std::string, std::uint64_t> unknown_categories;  // code -> papers carrying it
  std::uint64_t papers_with_unknown = 0;
  LabelMode label_mode = LabelMode::all;
  std::vector<Label> labels;
  std::vector<SplitSummary> splits;
};

// How many unknown codes the manifest lists by name (the most frequent); all are counted.
inline constexpr std::size_t kUnknownCodesListed = 20;

nlohmann::json build_manifest(const ManifestContent& content);

// SHA-256 identifying a dataset's content: over its format version, label mode, labels and the split
// files' names and hashes; nothing about where or when it was made.
std::string content_hash(const nlohmann::json& manifest);

// manifest.json's bytes: 2-space indentation, keys sorted, a final newline.
std::string manifest_text(const nlohmann::json& manifest);

}  // namespace arxivc::prepare
