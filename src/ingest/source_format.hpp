#pragma once

#include <filesystem>
#include <string_view>

namespace arxivc::ingest {

enum class SourceFormat { jsonl, gzip, zstd, zip };

// The name reported in ReadStats::format: "jsonl", "gzip", "zstd" or "zip".
std::string_view to_string(SourceFormat format);

// Decides the format from the file's first bytes (`head`, at least the first 6 when the file is that
// long), whatever the file is called. Throws InputError when the content is a compression format
// this reader does not support, or when the name promises a compressed file (.gz, .zst, .zip) but
// the content is not one: such a file is corrupt or mislabelled, and reading it as text would only
// report every line as bad.
SourceFormat detect_source_format(const std::filesystem::path& file, std::string_view head);

}  // namespace arxivc::ingest
