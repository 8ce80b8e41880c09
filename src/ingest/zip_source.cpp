#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <exception>
#include <string>
#include <vector>

#include "arxivc/core/error.hpp"
#include "arxivc/core/trace.hpp"
#include "byte_source.hpp"

namespace arxivc::ingest {
namespace {

struct ArchiveDeleter {
  void operator()(archive* reader) const { archive_read_free(reader); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveDeleter>;

ArchiveReader new_archive_reader() {
  ArchiveReader reader(archive_read_new());
  if (!reader) throw Error("cannot create a libarchive reader");
  return reader;
}

std::string archive_problem(archive* reader) {
  const char* message = archive_error_string(reader);
  return message != nullptr ? message : "unknown libarchive error";
}

bool is_json_name(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name.ends_with(".json") || name.ends_with(".jsonl");
}

std::string entry_name(archive_entry* entry) {
  const char* name = archive_entry_pathname(entry);
  return name != nullptr ? name : "";
}

// Picks the member to read from the archive's central directory (a look at the end of the file,
// not a pass over the data). Reading the data then streams front to back, where the member that
// comes first cannot be known to be the only file until the end.
std::string choose_member(const std::filesystem::path& file) {
  ArchiveReader reader = new_archive_reader();
  archive_read_support_format_zip_seekable(reader.get());
  if (archive_read_open_filename(reader.get(), file.c_str(), 1 << 16) != ARCHIVE_OK) {
    throw InputError(file, "corrupt zip archive (truncated, or its central directory is damaged): " +
                               archive_problem(reader.get()));
  }
  std::vector<std::string> files;
  archive_entry* entry = nullptr;
  while (true) {
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN)
      throw InputError(file, "corrupt zip archive: " + archive_problem(reader.get()));
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string name = entry_name(entry);
    if (is_json_name(name)) return name;
    files.push_back(std::move(name));
  }
  if (files.size() == 1) return files.front();
  if (files.empty()) throw InputError(file, "zip archive holds no files");
  std::string listing;
  for (const std::string& name : files) listing += (listing.empty() ? "" : ", ") + name;
  throw InputError(file, "zip archive holds no .json or .jsonl member to read (it holds " + listing + ")");
}

class ZipSource final : public ByteSource {
 public:
  ZipSource(SourceFile& file, const std::string& member)
      : file_(file), reader_(new_archive_reader()), input_buffer_(1 << 17) {
    archive_read_support_format_zip_streamable(reader_.get());
    if (archive_read_open(reader_.get(), this, nullptr, &ZipSource::read_from_file, nullptr) != ARCHIVE_OK) {
      fail();
    }
    archive_entry* entry = nullptr;
    while (true) {
      const int status = archive_read_next_header(reader_.get(), &entry);
      if (status == ARCHIVE_EOF) {
        throw InputError(file_.path(),
                         "corrupt zip archive: member '" + member + "' is listed but not stored");
      }
      if (status < ARCHIVE_WARN) fail();
      if (archive_entry_filetype(entry) == AE_IFREG && entry_name(entry) == member) break;
    }
    if (archive_entry_is_encrypted(entry) != 0) {
      throw InputError(file_.path(), "zip member '" + member + "' is encrypted, which is not supported");
    }
  }

  std::size_t read(char* out, std::size_t capacity) override {
    TraceSpan span("decompress", "ingest");
    std::size_t produced = 0;
    while (produced < capacity && !member_ended_) {
      const la_ssize_t got = archive_read_data(reader_.get(), out + produced, capacity - produced);
      if (got < 0) fail();
      member_ended_ = got == 0;
      produced += static_cast<std::size_t>(got);
    }
    return produced;
  }

 private:
  // libarchive pulls the file's bytes through here, so that SourceFile hashes them as they pass.
  static la_ssize_t read_from_file(archive* reader, void* client, const void** buffer) {
    auto* self = static_cast<ZipSource*>(client);
    try {
      *buffer = self->input_buffer_.data();
      return static_cast<la_ssize_t>(
          self->file_.read(self->input_buffer_.data(), self->input_buffer_.size()));
    } catch (...) {
      // An exception must not unwind through libarchive's C code: keep it for fail().
      self->read_error_ = std::current_exception();
      archive_set_error(reader, EIO, "cannot read the file");
      return -1;
    }
  }

  [[noreturn]] void fail() {
    if (read_error_) std::rethrow_exception(read_error_);
    throw InputError(file_.path(), "corrupt zip archive: " + archive_problem(reader_.get()));
  }

  SourceFile& file_;
  ArchiveReader reader_;
  std::vector<char> input_buffer_;
  std::exception_ptr read_error_;
  bool member_ended_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> make_zip_source(SourceFile& file) {
  // An archive without members is only an end-of-central-directory record, which libarchive does not
  // recognise as a zip archive at all.
  if (file.peek(4) == std::string_view("PK\x05\x06", 4))
    throw InputError(file.path(), "zip archive holds no files");
  return std::make_unique<ZipSource>(file, choose_member(file.path()));
}

}  // namespace arxivc::ingest
