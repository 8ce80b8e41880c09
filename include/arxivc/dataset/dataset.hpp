#pragma once

// A prepared dataset: a directory with manifest.json and one memory-mapped binary file per split
// (train.bin, validation.bin, test.bin). The format is documented in docs/dataset-format.md.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/core/mapped_file.hpp"

namespace arxivc::dataset {

// One example, viewing memory of its Split: valid while the Split (and its Dataset) lives.
struct Example {
  std::string_view id;
  std::string_view title;                 // normalised text
  std::string_view abstract;              // normalised text
  std::span<const std::uint32_t> labels;  // indices into Dataset::labels(), primary first
  std::uint32_t month = 0;                // YYYYMM of the paper (from its id)
};

// An example to be written; owns its data.
struct ExampleRecord {
  std::string id;
  std::string title;
  std::string abstract;
  std::vector<std::uint32_t> labels;
  std::uint32_t month = 0;
};

class Split {
 public:
  Split(const Split&) = delete;
  Split& operator=(const Split&) = delete;
  ~Split() = default;

  const std::string& name() const { return name_; }
  std::size_t size() const { return count_; }
  Example operator[](std::size_t i) const;  // throws arxivc::Error when i >= size()
  // The whole file as mapped (for its hash).
  std::string_view bytes() const { return mapping_.bytes(); }

  // Opens and validates one split file (magic, version, sizes, offsets); throws arxivc::Error naming the
  // file.
  static std::unique_ptr<Split> open(const std::filesystem::path& file, std::string name,
                                     std::size_t label_count);

 private:
  Split() = default;
  std::string name_;
  MappedFile mapping_;
  std::size_t count_ = 0;
  const std::uint64_t* text_offsets_ = nullptr;   // 3 per example (id, title, abstract) + 1
  const std::uint64_t* label_offsets_ = nullptr;  // count + 1
  const std::uint32_t* label_data_ = nullptr;
  const std::uint32_t* months_ = nullptr;
  const char* text_ = nullptr;
};

// Writes one split file deterministically (same records -> same bytes). Returns the file's SHA-256.
std::string write_split(const std::filesystem::path& file, const std::vector<ExampleRecord>& records);
// The same for `count` examples given by `example_at(i)` (views valid during the call), so a caller need
// not copy its papers into ExampleRecords; the same examples give the same bytes.
std::string write_split(const std::filesystem::path& file, std::size_t count,
                        const std::function<Example(std::size_t)>& example_at);

class Dataset {
 public:
  // Opens a dataset directory: reads manifest.json, opens every split it lists, checks their hashes
  // against the manifest. Throws arxivc::Error naming what is missing or damaged.
  static Dataset open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const nlohmann::json& manifest() const { return manifest_; }
  const std::vector<std::string>& labels() const { return labels_; }  // canonical codes
  std::string label_mode() const;                                     // "primary", "all" or "archive"
  std::string content_hash() const;                                   // manifest["content_hash"]
  bool has_split(std::string_view name) const;
  const Split& split(std::string_view name) const;  // throws when absent
  std::vector<std::string> split_names() const;

 private:
  std::filesystem::path dir_;
  nlohmann::json manifest_;
  std::vector<std::string> labels_;
  std::vector<std::shared_ptr<Split>> splits_;
};

// True when `dir` looks like a committed dataset directory (has manifest.json).
bool is_dataset_dir(const std::filesystem::path& dir);

}  // namespace arxivc::dataset
