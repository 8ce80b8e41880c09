#include "source_format.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "arxivc/core/error.hpp"

namespace arxivc::ingest {
namespace {

bool starts_with_bytes(std::string_view head, std::string_view magic) { return head.starts_with(magic); }

std::string lowercase_extension(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

}  // namespace

std::string_view to_string(SourceFormat format) {
  switch (format) {
    case SourceFormat::jsonl:
      return "jsonl";
    case SourceFormat::gzip:
      return "gzip";
    case SourceFormat::zstd:
      return "zstd";
    case SourceFormat::zip:
      return "zip";
  }
  return "unknown";
}

SourceFormat detect_source_format(const std::filesystem::path& file, std::string_view head) {
  using namespace std::string_view_literals;
  if (starts_with_bytes(head, "\x1f\x8b"sv)) return SourceFormat::gzip;
  if (starts_with_bytes(head, "\x28\xb5\x2f\xfd"sv)) return SourceFormat::zstd;
  // A local file header, or the end-of-central-directory record of an archive without members.
  if (starts_with_bytes(head, "PK\x03\x04"sv) || starts_with_bytes(head, "PK\x05\x06"sv)) {
    return SourceFormat::zip;
  }
  if (starts_with_bytes(head,
                        "\xfd"
                        "7zXZ\x00"sv)) {
    throw InputError(
        file, "is xz-compressed, which is not supported: use zstd (.zst), gzip (.gz) or plain JSON Lines");
  }
  if (starts_with_bytes(head, "BZh"sv) && head.size() > 3 && head[3] >= '1' && head[3] <= '9') {
    throw InputError(
        file, "is bzip2-compressed, which is not supported: use zstd (.zst), gzip (.gz) or plain JSON Lines");
  }
  const std::string extension = lowercase_extension(file);
  if (extension == ".gz" || extension == ".zst" || extension == ".zip") {
    throw InputError(file,
                     "is named like a " + extension.substr(1) +
                         " file but does not start with its signature: the file is corrupt or mislabelled");
  }
  return SourceFormat::jsonl;
}

}  // namespace arxivc::ingest
