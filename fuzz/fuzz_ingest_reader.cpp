// The ingest reader on a whole file: the input is written to a file and read with read_papers, which
// picks the format from the first bytes, so plain JSON Lines, gzip, zstd and zip archives are all
// reached. Corrupt input must end in arxivc::Error (InputError), never in a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "arxivc/core/error.hpp"
#include "arxivc/ingest/reader.hpp"

namespace fs = std::filesystem;

namespace {

// One file for the whole run, removed at exit. No extension: the format must come from the content.
struct InputFile {
  fs::path path = fs::temp_directory_path() / ("arxivc-fuzz-ingest-" + std::to_string(::getpid()));
  ~InputFile() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const InputFile input;
  const fs::path& file = input.path;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }

  arxivc::ingest::ReadOptions options;
  options.threads = 1;
  options.chunk_bytes = 1024;  // small chunks: lines cross chunk boundaries even in small inputs
  std::uint64_t skipped = 0;
  options.on_skipped = [&skipped](const arxivc::ingest::SkippedLine&) { ++skipped; };
  std::size_t papers = 0;
  try {
    arxivc::ingest::read_papers(
        file, options, [&papers](std::vector<arxivc::ingest::Paper>&& batch) { papers += batch.size(); },
        [](arxivc::ingest::Paper& paper) { return !paper.title.empty(); });
  } catch (const arxivc::Error&) {
    // Corrupt, truncated, empty or record-less input: the expected answer to most inputs.
  }
  return 0;
}
