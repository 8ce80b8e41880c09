#include "chunk_parser.hpp"

#include <cstring>
#include <string_view>

#include "arxivc/core/trace.hpp"

namespace arxivc::ingest {
namespace {

bool is_json_whitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_blank(std::string_view line) {
  for (const char c : line) {
    if (!is_json_whitespace(c)) return false;
  }
  return true;
}

// Some editors on Windows start UTF-8 text with a byte order mark; it is not part of the first record.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// A first guess at the number of records in a chunk, to spare the vector most of its regrowth.
constexpr std::size_t kTypicalRecordBytes = 1024;

}  // namespace

ChunkResult parse_chunk(const Chunk& chunk, RecordParser& parser, const PaperTransform& transform,
                        std::size_t max_reported) {
  ChunkResult result;
  const ChunkBuffer& buffer = chunk.buffer;
  TraceSpan parse_span("parse", "ingest");
  result.papers.reserve(buffer.size() / kTypicalRecordBytes + 1);
  const char* position = buffer.data();
  const char* const end = buffer.data() + buffer.size();
  for (std::uint64_t line_number = chunk.first_line; position < end; ++line_number) {
    const auto* line_break =
        static_cast<const char*>(std::memchr(position, '\n', static_cast<std::size_t>(end - position)));
    const char* line_end = line_break != nullptr ? line_break : end;
    std::string_view line(position, static_cast<std::size_t>(line_end - position));
    if (chunk.index == 0 && position == buffer.data() && line.starts_with(kByteOrderMark)) {
      line.remove_prefix(kByteOrderMark.size());
    }
    position = line_break != nullptr ? line_break + 1 : end;
    if (is_blank(line)) continue;
    ++result.lines;
    Paper& paper = result.papers.emplace_back();
    auto problem = parser.parse(line, buffer.readable_from(line.data()), paper);
    if (problem) {
      result.papers.pop_back();
      ++result.skipped_by_reason[static_cast<std::size_t>(problem->reason)];
      if (result.first_skipped.size() < max_reported) {
        result.first_skipped.push_back(SkippedLine{line_number, problem->reason, std::move(problem->detail)});
      }
      continue;
    }
    ++result.valid;
    paper.line = line_number;
  }
  parse_span.arg("chunk", chunk.index).arg("bytes", buffer.size()).arg("records", result.lines);
  parse_span.end();
  // The transform (normalisation) is a second pass over the parsed chunk, so that a trace shows parsing
  // and normalising apart; a chunk (4 MB) of papers is still in the last-level cache.
  if (transform) {
    TraceSpan span("normalise", "ingest");
    std::size_t kept = 0;
    for (std::size_t i = 0; i < result.papers.size(); ++i) {
      if (!transform(result.papers[i])) {
        ++result.dropped;
        continue;
      }
      if (kept != i) result.papers[kept] = std::move(result.papers[i]);
      ++kept;
    }
    result.papers.erase(result.papers.begin() + static_cast<std::ptrdiff_t>(kept), result.papers.end());
    span.arg("chunk", chunk.index).arg("papers", kept);
  }
  return result;
}

}  // namespace arxivc::ingest
