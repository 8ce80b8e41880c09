#include "arxivc/ingest/reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <thread>

#include "arxivc/core/error.hpp"
#include "byte_source.hpp"
#include "chunk_parser.hpp"
#include "line_chunker.hpp"
#include "parse_pipeline.hpp"
#include "source_file.hpp"
#include "source_format.hpp"

namespace arxivc::ingest {
namespace {

// Enough leading bytes to recognise every supported (and rejected) signature.
constexpr std::size_t kSignatureBytes = 8;

unsigned parser_threads(const ReadOptions& options) {
  if (options.threads != 0) return options.threads;
  return std::max(std::thread::hardware_concurrency(), 1U);
}

std::string describe(const SkippedLine& skipped) {
  return fmt::format("bad record ({}): {}", to_string(skipped.reason), skipped.detail);
}

// Delivers a chunk's papers and bad lines in line order: the papers before each bad line as one batch,
// then the bad line.
void deliver_interleaved(std::vector<Paper>&& papers, const std::vector<SkippedLine>& skipped,
                         const BatchSink& sink, const std::function<void(const SkippedLine&)>& on_skipped) {
  if (skipped.empty()) {
    if (!papers.empty() && sink) sink(std::move(papers));
    return;
  }
  std::size_t next_paper = 0;
  auto deliver_papers_before = [&](std::uint64_t line) {
    std::vector<Paper> batch;
    while (next_paper < papers.size() && papers[next_paper].line < line) {
      batch.push_back(std::move(papers[next_paper++]));
    }
    if (!batch.empty() && sink) sink(std::move(batch));
  };
  for (const SkippedLine& bad : skipped) {
    deliver_papers_before(bad.line);
    on_skipped(bad);
  }
  deliver_papers_before(std::numeric_limits<std::uint64_t>::max());
}

}  // namespace

ReadStats read_papers(const std::filesystem::path& file, const ReadOptions& options, const BatchSink& sink,
                      const PaperTransform& transform) {
  SourceFile source_file(file);
  const std::string_view head = source_file.peek(kSignatureBytes);
  if (head.empty()) throw InputError(file, "is empty (0 bytes): expected arXiv metadata in JSON Lines");
  const SourceFormat format = detect_source_format(file, head);
  const std::unique_ptr<ByteSource> content = open_byte_source(source_file, format);
  LineChunker chunker(*content, options.chunk_bytes);

  ReadStats stats;
  std::array<std::uint64_t, kSkipReasonCount> skipped_by_reason{};
  std::uint64_t valid_records = 0;
  // Strict mode needs each chunk's first bad line, whatever the reporting limit.
  // on_skipped needs every bad line of a chunk.
  const std::size_t reported_per_chunk = options.on_skipped ? std::numeric_limits<std::size_t>::max()
                                         : options.strict   ? std::max<std::size_t>(options.max_reported, 1)
                                                            : options.max_reported;
  ParsePipeline pipeline(chunker, transform, parser_threads(options), reported_per_chunk,
                         options.require_categories);
  pipeline.run([&](ChunkResult&& result) {
    if (options.strict && !result.first_skipped.empty()) {
      const SkippedLine& first_bad = result.first_skipped.front();
      throw InputError(file, first_bad.line, describe(first_bad));
    }
    stats.lines += result.lines;
    valid_records += result.valid;
    stats.dropped += result.dropped;
    for (std::size_t reason = 0; reason < kSkipReasonCount; ++reason) {
      skipped_by_reason[reason] += result.skipped_by_reason[reason];
    }
    stats.papers += result.papers.size();
    if (options.on_skipped) {
      deliver_interleaved(std::move(result.papers), result.first_skipped, sink, options.on_skipped);
    } else if (!result.papers.empty() && sink) {
      sink(std::move(result.papers));
    }
    for (SkippedLine& skipped : result.first_skipped) {
      if (stats.first_skipped.size() >= options.max_reported) break;
      stats.first_skipped.push_back(std::move(skipped));
    }
  });
  // The archive formats may end with data after the content (a zip's central directory).
  source_file.read_to_end();

  stats.bytes = chunker.bytes();
  stats.source_size = source_file.bytes_read();
  stats.source_sha256 = source_file.sha256_hex();
  stats.format = std::string(to_string(format));
  for (std::size_t reason = 0; reason < kSkipReasonCount; ++reason) {
    if (skipped_by_reason[reason] == 0) continue;
    stats.skipped_by_reason[static_cast<SkipReason>(reason)] = skipped_by_reason[reason];
    stats.skipped += skipped_by_reason[reason];
  }

  if (stats.bytes == 0) {
    throw InputError(file, fmt::format("holds no data: its {} content is empty", stats.format));
  }
  if (stats.lines == 0) throw InputError(file, "holds no records, only blank lines");
  if (valid_records == 0) {
    const std::string first = stats.first_skipped.empty()
                                  ? std::string()
                                  : fmt::format(" (first: line {}: {})", stats.first_skipped.front().line,
                                                describe(stats.first_skipped.front()));
    throw InputError(
        file, fmt::format("holds no valid arXiv record: all {} lines were skipped{}", stats.lines, first));
  }
  return stats;
}

}  // namespace arxivc::ingest
