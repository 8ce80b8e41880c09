#include "byte_source.hpp"

namespace arxivc::ingest {

std::unique_ptr<ByteSource> open_byte_source(SourceFile& file, SourceFormat format) {
  switch (format) {
    case SourceFormat::gzip:
      return make_gzip_source(file);
    case SourceFormat::zstd:
      return make_zstd_source(file);
    case SourceFormat::zip:
      return make_zip_source(file);
    case SourceFormat::jsonl:
      break;
  }
  return make_plain_source(file);
}

}  // namespace arxivc::ingest
