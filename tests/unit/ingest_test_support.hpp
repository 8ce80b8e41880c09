#pragma once

// Helpers for the ingest tests: a scratch directory, crafted records and the compressed forms of a
// file, written with the same libraries (zlib, libzstd, libarchive) that real tools use.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/ingest/reader.hpp"

namespace arxivc::ingest::test {

// A fresh directory under $ARXIVC_TEST_TMP (or the system temp directory), removed afterwards.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Where the shared real data lives: $ARXIVC_DATA_DIR, else the build's default.
std::filesystem::path shared_data_dir();

// One JSON line in the layout of the sample data (optional fields null), keys in Kaggle's order.
std::string record_line(std::string_view id, std::string_view title, std::string_view abstract,
                        std::string_view categories, std::string_view update_date = "2020-01-02");

void write_file(const std::filesystem::path& path, std::string_view content);
std::string read_file(const std::filesystem::path& path);

std::string gzip_compress(std::string_view content);
std::string zstd_compress(std::string_view content);  // with a content checksum, as the zstd tool writes

struct ZipMember {
  std::string name;  // a name ending in '/' makes a directory
  std::string content;
};
// Deflated members; encrypted (ZipCrypto) when `passphrase` is not empty.
void write_zip(const std::filesystem::path& path, const std::vector<ZipMember>& members,
               const std::string& passphrase = "");

// Everything one read delivered.
struct ReadResult {
  std::vector<Paper> papers;
  std::vector<std::size_t> batch_sizes;
  ReadStats stats;
};
ReadResult read_all(const std::filesystem::path& file, const ReadOptions& options = {},
                    const PaperTransform& transform = {});

}  // namespace arxivc::ingest::test
