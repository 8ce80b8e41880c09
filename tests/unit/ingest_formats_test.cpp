// The container formats of the input, and the files that cannot be read at all.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"
#include "arxivc/ingest/reader.hpp"
#include "ingest_test_support.hpp"

namespace arxivc::ingest {
namespace {

using test::gzip_compress;
using test::read_all;
using test::record_line;
using test::ScratchDir;
using test::write_file;
using test::write_zip;
using test::zstd_compress;

// The first `count` lines of the shared sample, plus crafted lines (blank, CRLF, bad) so that every
// format must carry the line accounting too.
std::string sample_content(std::size_t count) {
  std::ifstream in(test::shared_data_dir() / "arxiv-metadata-5k.json");
  std::string content;
  std::string line;
  for (std::size_t i = 0; i < count && std::getline(in, line); ++i) content += line + "\n";
  content += "\n";
  content += record_line("crlf/1", "Caf\xC3\xA9", "x", "cs.LG");
  content += "\r\n";
  content += "{\"broken\": \n";
  content += record_line("last/1", "t", "a", "math.CO");  // no final line break
  return content;
}

void expect_same_papers(const std::vector<Paper>& expected, const std::vector<Paper>& actual,
                        const std::string& label) {
  ASSERT_EQ(expected.size(), actual.size()) << label;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(expected[i].id, actual[i].id) << label << " #" << i;
    EXPECT_EQ(expected[i].title, actual[i].title) << label << " #" << i;
    EXPECT_EQ(expected[i].abstract, actual[i].abstract) << label << " #" << i;
    EXPECT_EQ(expected[i].categories, actual[i].categories) << label << " #" << i;
    EXPECT_EQ(expected[i].update_date, actual[i].update_date) << label << " #" << i;
    EXPECT_EQ(expected[i].line, actual[i].line) << label << " #" << i;
  }
}

// Runs read_papers on `file` and returns the InputError's message ("" when none was thrown).
std::string input_error_of(const std::filesystem::path& file) {
  try {
    read_all(file);
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), file);
    return error.what();
  }
  return "";
}

std::string flip_bytes_in_middle(std::string data) {
  for (std::size_t i = data.size() / 2; i < data.size() / 2 + 16 && i < data.size(); ++i) data[i] ^= 0x55;
  return data;
}

class IngestFormats : public ::testing::Test {
 protected:
  ScratchDir scratch_;
};

TEST_F(IngestFormats, AllFormatsGiveIdenticalPapersAndStats) {
  const std::string content = sample_content(1500);
  write_file(scratch_ / "plain.jsonl", content);
  write_file(scratch_ / "arxiv-metadata-oai-snapshot.json", content);
  write_file(scratch_ / "plain.jsonl.gz", gzip_compress(content));
  write_file(scratch_ / "plain.jsonl.zst", zstd_compress(content));
  write_zip(scratch_ / "arxiv.zip", {{"arxiv-metadata-oai-snapshot.json", content}});

  ReadOptions options;
  options.chunk_bytes = 64 << 10;
  options.threads = 2;
  const auto reference = read_all(scratch_ / "plain.jsonl", options);
  EXPECT_EQ(reference.stats.papers, 1502U);
  EXPECT_EQ(reference.stats.lines, 1503U);
  EXPECT_EQ(reference.stats.skipped, 1U);
  ASSERT_EQ(reference.stats.first_skipped.size(), 1U);
  EXPECT_EQ(reference.stats.first_skipped[0].line, 1503U);
  EXPECT_EQ(reference.papers.back().id, "last/1");
  EXPECT_EQ(reference.papers.back().line, 1504U);

  const std::vector<std::pair<std::string, std::string>> files = {
      {"plain.jsonl", "jsonl"},
      {"arxiv-metadata-oai-snapshot.json", "jsonl"},
      {"plain.jsonl.gz", "gzip"},
      {"plain.jsonl.zst", "zstd"},
      {"arxiv.zip", "zip"}};
  for (const auto& [name, format] : files) {
    const auto file = scratch_ / name;
    const auto result = read_all(file, options);
    expect_same_papers(reference.papers, result.papers, name);
    EXPECT_EQ(result.stats.format, format) << name;
    EXPECT_EQ(result.stats.bytes, content.size()) << name;
    EXPECT_EQ(result.stats.lines, reference.stats.lines) << name;
    EXPECT_EQ(result.stats.skipped, reference.stats.skipped) << name;
    EXPECT_EQ(result.stats.source_size, std::filesystem::file_size(file)) << name;
    EXPECT_EQ(result.stats.source_sha256, sha256_file(file)) << name;
  }
}

TEST_F(IngestFormats, DetectsTheFormatFromTheContentNotTheName) {
  const std::string content = record_line("1", "t", "a", "cs.LG") + "\n";
  write_file(scratch_ / "zstd.json", zstd_compress(content));
  write_file(scratch_ / "gzip.data", gzip_compress(content));
  write_zip(scratch_ / "zip.jsonl", {{"x.jsonl", content}});
  EXPECT_EQ(read_all(scratch_ / "zstd.json").stats.format, "zstd");
  EXPECT_EQ(read_all(scratch_ / "gzip.data").stats.format, "gzip");
  EXPECT_EQ(read_all(scratch_ / "zip.jsonl").stats.format, "zip");
  EXPECT_EQ(read_all(scratch_ / "zip.jsonl").papers.at(0).id, "1");
}

TEST_F(IngestFormats, RejectsACompressedNameOverPlainContent) {
  const std::string content = record_line("1", "t", "a", "cs.LG") + "\n";
  for (const std::string name : {"x.gz", "x.zst", "x.ZIP"}) {
    write_file(scratch_ / name, content);
    const std::string message = input_error_of(scratch_ / name);
    EXPECT_NE(message.find("does not start with its signature"), std::string::npos) << message;
  }
}

TEST_F(IngestFormats, RejectsUnsupportedCompression) {
  using namespace std::string_literals;
  write_file(scratch_ / "x.xz",
             "\xFD"
             "7zXZ\0\0\x04\xE6\xD6\xB4\x46"s);
  EXPECT_NE(input_error_of(scratch_ / "x.xz").find("xz-compressed"), std::string::npos);
  write_file(scratch_ / "x.bz2", "BZh91AY&SY");
  EXPECT_NE(input_error_of(scratch_ / "x.bz2").find("bzip2-compressed"), std::string::npos);
}

TEST_F(IngestFormats, ReadsConcatenatedGzipMembersAndZstdFrames) {
  const std::string first = record_line("1", "t", "a", "cs.LG") + "\n";
  const std::string second = record_line("2", "t", "a", "cs.LG") + "\n";
  write_file(scratch_ / "two.gz", gzip_compress(first) + gzip_compress(second));
  write_file(scratch_ / "two.zst", zstd_compress(first) + zstd_compress(second));
  for (const std::string name : {"two.gz", "two.zst"}) {
    const auto result = read_all(scratch_ / name);
    ASSERT_EQ(result.papers.size(), 2U) << name;
    EXPECT_EQ(result.papers[1].id, "2");
    EXPECT_EQ(result.papers[1].line, 2U);
  }
}

TEST_F(IngestFormats, RejectsDataAfterTheGzipStream) {
  write_file(scratch_ / "tail.gz",
             gzip_compress(record_line("1", "t", "a", "cs.LG") + "\n") + "trailing junk");
  const std::string message = input_error_of(scratch_ / "tail.gz");
  EXPECT_NE(message.find("after the end of the gzip stream"), std::string::npos) << message;
}

TEST_F(IngestFormats, PicksTheJsonMemberOfAZip) {
  const std::string content = record_line("1", "t", "a", "cs.LG") + "\n";
  write_zip(
      scratch_ / "mixed.zip",
      {{"README.txt", "not json\n"}, {"docs/", ""}, {"data/ArXiv.JSONL", content}, {"other.json", "x\n"}});
  const auto result = read_all(scratch_ / "mixed.zip");
  ASSERT_EQ(result.papers.size(), 1U);
  EXPECT_EQ(result.papers[0].id, "1");
  EXPECT_EQ(result.stats.source_sha256, sha256_file(scratch_ / "mixed.zip"));

  write_zip(scratch_ / "only.zip", {{"snapshot", content}});
  EXPECT_EQ(read_all(scratch_ / "only.zip").papers.size(), 1U);

  write_zip(scratch_ / "none.zip", {{"a.txt", content}, {"b.csv", content}});
  const std::string message = input_error_of(scratch_ / "none.zip");
  EXPECT_NE(message.find("no .json or .jsonl member"), std::string::npos) << message;
  EXPECT_NE(message.find("a.txt, b.csv"), std::string::npos) << message;

  test::write_zip(scratch_ / "encrypted.zip", {{"arxiv.json", content}}, "secret");
  const std::string encrypted = input_error_of(scratch_ / "encrypted.zip");
  EXPECT_NE(encrypted.find("zip member 'arxiv.json' is encrypted"), std::string::npos) << encrypted;

  write_zip(scratch_ / "empty.zip", {});
  EXPECT_NE(input_error_of(scratch_ / "empty.zip").find("holds no files"), std::string::npos);
}

TEST_F(IngestFormats, RejectsEmptyInput) {
  write_file(scratch_ / "empty.jsonl", "");
  EXPECT_NE(input_error_of(scratch_ / "empty.jsonl").find("is empty (0 bytes)"), std::string::npos);
  write_file(scratch_ / "blank.jsonl", "\n  \r\n\t\n");
  EXPECT_NE(input_error_of(scratch_ / "blank.jsonl").find("holds no records"), std::string::npos);
  write_file(scratch_ / "empty.zst", zstd_compress(""));
  EXPECT_NE(input_error_of(scratch_ / "empty.zst").find("holds no data"), std::string::npos);
  write_file(scratch_ / "empty.gz", gzip_compress(""));
  EXPECT_NE(input_error_of(scratch_ / "empty.gz").find("holds no data"), std::string::npos);
  write_zip(scratch_ / "empty-member.zip", {{"x.json", ""}});
  EXPECT_NE(input_error_of(scratch_ / "empty-member.zip").find("holds no data"), std::string::npos);
}

TEST_F(IngestFormats, RejectsFilesThatCannotBeRead) {
  const std::string missing = input_error_of(scratch_ / "missing.jsonl");
  EXPECT_NE(missing.find("missing.jsonl"), std::string::npos) << missing;
  EXPECT_NE(missing.find("No such file"), std::string::npos) << missing;

  std::filesystem::create_directory(scratch_ / "dir.jsonl");
  const std::string directory = input_error_of(scratch_ / "dir.jsonl");
  EXPECT_NE(directory.find("is a directory"), std::string::npos) << directory;
}

TEST_F(IngestFormats, RejectsAFileWithoutReadPermission) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their permissions";
  const auto file = scratch_ / "locked.jsonl";
  write_file(file, record_line("1", "t", "a", "cs.LG") + "\n");
  std::filesystem::permissions(file, std::filesystem::perms::none);
  const std::string message = input_error_of(file);
  EXPECT_NE(message.find("Permission denied"), std::string::npos) << message;
}

TEST_F(IngestFormats, RejectsCorruptCompressedFiles) {
  const std::string content = sample_content(300);
  write_file(scratch_ / "corrupt.zst", flip_bytes_in_middle(zstd_compress(content)));
  write_file(scratch_ / "corrupt.gz", flip_bytes_in_middle(gzip_compress(content)));
  write_zip(scratch_ / "good.zip", {{"arxiv.json", content}});
  write_file(scratch_ / "corrupt.zip", flip_bytes_in_middle(test::read_file(scratch_ / "good.zip")));
  write_file(scratch_ / "garbage.zip", "PK\x03\x04 this is not really a zip archive at all");
  write_file(scratch_ / "garbage.zst", "\x28\xb5\x2f\xfd garbage garbage garbage garbage");
  write_file(scratch_ / "garbage.gz", "\x1f\x8b garbage garbage garbage garbage");
  for (const auto& [name, expected] :
       std::vector<std::pair<std::string, std::string>>{{"corrupt.zst", "corrupt zstd"},
                                                        {"corrupt.gz", "corrupt gzip"},
                                                        {"corrupt.zip", "corrupt zip"},
                                                        {"garbage.zip", "corrupt zip"},
                                                        {"garbage.zst", "corrupt zstd"},
                                                        {"garbage.gz", "corrupt gzip"}}) {
    const std::string message = input_error_of(scratch_ / name);
    EXPECT_NE(message.find(expected), std::string::npos) << name << ": " << message;
  }
}

TEST_F(IngestFormats, RejectsTruncatedCompressedFiles) {
  const std::string content = sample_content(300);
  const std::string zstd = zstd_compress(content);
  const std::string gzip = gzip_compress(content);
  const std::string zip = [&] {
    write_zip(scratch_ / "good.zip", {{"arxiv.json", content}});
    return test::read_file(scratch_ / "good.zip");
  }();
  // Cut in the middle of the data, and just before the end (inside the checksum or trailer).
  for (const std::size_t keep : {zstd.size() / 2, zstd.size() - 2}) {
    write_file(scratch_ / "cut.zst", zstd.substr(0, keep));
    const std::string message = input_error_of(scratch_ / "cut.zst");
    EXPECT_NE(message.find("truncated zstd stream"), std::string::npos) << message;
  }
  for (const std::size_t keep : {gzip.size() / 2, gzip.size() - 3}) {
    write_file(scratch_ / "cut.gz", gzip.substr(0, keep));
    const std::string message = input_error_of(scratch_ / "cut.gz");
    EXPECT_NE(message.find("truncated gzip stream"), std::string::npos) << message;
  }
  for (const std::size_t keep : {zip.size() / 2, zip.size() - 10}) {
    write_file(scratch_ / "cut.zip", zip.substr(0, keep));
    const std::string message = input_error_of(scratch_ / "cut.zip");
    EXPECT_NE(message.find("corrupt zip archive"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace arxivc::ingest
