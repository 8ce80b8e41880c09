#include "ingest_test_support.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace arxivc::ingest::test {

ScratchDir::ScratchDir() {
  const char* root = std::getenv("ARXIVC_TEST_TMP");
  const std::filesystem::path base =
      root != nullptr ? std::filesystem::path(root) : std::filesystem::temp_directory_path();
  static std::atomic<int> counter{0};
  path_ = base / ("ingest-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path shared_data_dir() {
  if (const char* dir = std::getenv("ARXIVC_DATA_DIR")) return dir;
  return ARXIVC_SHARED_DATA_DEFAULT;
}

std::string record_line(std::string_view id, std::string_view title, std::string_view abstract,
                        std::string_view categories, std::string_view update_date) {
  nlohmann::ordered_json record;
  record["id"] = id;
  record["submitter"] = nullptr;
  record["authors"] = "A. Author, B. Author";
  record["title"] = title;
  record["comments"] = "10 pages";
  record["journal-ref"] = nullptr;
  record["doi"] = nullptr;
  record["report-no"] = nullptr;
  record["categories"] = categories;
  record["license"] = nullptr;
  record["abstract"] = abstract;
  record["versions"] =
      nlohmann::ordered_json::array({{{"version", "v1"}, {"created", "Thu, 5 Mar 1992 00:00:00 GMT"}}});
  record["update_date"] = update_date;
  record["authors_parsed"] = nullptr;
  return record.dump();
}

void write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string gzip_compress(std::string_view content) {
  z_stream stream{};
  // 15 + 16: the largest window, with a gzip header and trailer.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string compressed(deflateBound(&stream, content.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
  stream.avail_in = static_cast<uInt>(content.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  const int status = deflate(&stream, Z_FINISH);
  compressed.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return compressed;
}

std::string zstd_compress(std::string_view content) {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
  std::string compressed(ZSTD_compressBound(content.size()), '\0');
  const std::size_t size =
      ZSTD_compress2(context, compressed.data(), compressed.size(), content.data(), content.size());
  ZSTD_freeCCtx(context);
  if (ZSTD_isError(size)) throw std::runtime_error(ZSTD_getErrorName(size));
  compressed.resize(size);
  return compressed;
}

void write_zip(const std::filesystem::path& path, const std::vector<ZipMember>& members,
               const std::string& passphrase) {
  archive* writer = archive_write_new();
  archive_write_set_format_zip(writer);
  if (!passphrase.empty() && (archive_write_set_options(writer, "zip:encryption=zipcrypt") != ARCHIVE_OK ||
                              archive_write_set_passphrase(writer, passphrase.c_str()) != ARCHIVE_OK)) {
    throw std::runtime_error(archive_error_string(writer));
  }
  if (archive_write_open_filename(writer, path.c_str()) != ARCHIVE_OK) {
    throw std::runtime_error(archive_error_string(writer));
  }
  for (const ZipMember& member : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, member.name.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(member.content.size()));
    const bool is_directory = member.name.ends_with('/');
    archive_entry_set_filetype(entry, is_directory ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry, is_directory ? 0755 : 0644);
    if (archive_write_header(writer, entry) != ARCHIVE_OK ||
        archive_write_data(writer, member.content.data(), member.content.size()) < 0) {
      throw std::runtime_error(archive_error_string(writer));
    }
    archive_entry_free(entry);
  }
  if (archive_write_close(writer) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(writer));
  archive_write_free(writer);
}

ReadResult read_all(const std::filesystem::path& file, const ReadOptions& options,
                    const PaperTransform& transform) {
  ReadResult result;
  result.stats = read_papers(
      file, options,
      [&](std::vector<Paper>&& batch) {
        result.batch_sizes.push_back(batch.size());
        for (Paper& paper : batch) result.papers.push_back(std::move(paper));
      },
      transform);
  return result;
}

}  // namespace arxivc::ingest::test
