#pragma once

#include <cstddef>
#include <memory>

#include "source_file.hpp"
#include "source_format.hpp"

namespace arxivc::ingest {

// The decompressed content of a source file, read front to back.
class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Copies up to `capacity` bytes of content into `out`. Returns 0 only at the end of the content,
  // once the stream has been checked to be complete. Throws InputError for corrupt or truncated data.
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

// The content of `file` decoded as `format`. The file must outlive the source.
std::unique_ptr<ByteSource> open_byte_source(SourceFile& file, SourceFormat format);

std::unique_ptr<ByteSource> make_plain_source(SourceFile& file);
// Concatenated gzip members are read one after another, as gzip -d does.
std::unique_ptr<ByteSource> make_gzip_source(SourceFile& file);
// Concatenated zstd frames are read one after another, as zstd -d does.
std::unique_ptr<ByteSource> make_zstd_source(SourceFile& file);
// The first member whose name ends in .json or .jsonl, or else the only file in the archive.
std::unique_ptr<ByteSource> make_zip_source(SourceFile& file);

}  // namespace arxivc::ingest
