#pragma once

// Streaming, multi-threaded reader of arXiv metadata in JSON Lines: plain (.json/.jsonl), gzip (.gz),
// zstd (.zst) and the Kaggle download archive (.zip holding the snapshot). Memory stays bounded by a
// fixed number of in-flight chunks, whatever the file size.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "arxivc/ingest/paper.hpp"

namespace arxivc::ingest {

enum class SkipReason { invalid_json, missing_field, wrong_type, invalid_utf8, empty_field };

std::string_view to_string(SkipReason reason);

struct SkippedLine {
  std::uint64_t line = 0;
  SkipReason reason = SkipReason::invalid_json;
  std::string detail;  // e.g. "field 'categories' is a number, expected a string"
};

struct ReadOptions {
  bool strict = false;   // the first bad line throws InputError(file, line, reason)
  unsigned threads = 0;  // parser threads; 0 = hardware concurrency
  std::size_t chunk_bytes = 4 << 20;
  std::size_t max_reported = 10;  // how many skipped lines are kept with their line number
  // Whether a record needs a non-empty `categories` field: yes for datasets and evaluation, no for
  // prediction (new papers have no categories yet).
  bool require_categories = true;
  // When set, called on the calling thread for every skipped line, in input order relative to the
  // batches of papers (a batch is split around a bad line), so callers can answer each input line in
  // place (`arxivc predict`). Not called in strict mode, where the first bad line throws.
  std::function<void(const SkippedLine&)> on_skipped;
};

struct ReadStats {
  std::uint64_t lines = 0;    // non-empty lines seen
  std::uint64_t papers = 0;   // valid records delivered
  std::uint64_t dropped = 0;  // valid records the PaperTransform rejected (not delivered)
  std::uint64_t skipped = 0;
  std::map<SkipReason, std::uint64_t> skipped_by_reason;
  std::vector<SkippedLine> first_skipped;  // up to max_reported, in line order
  std::uint64_t bytes = 0;                 // uncompressed bytes read
  std::uint64_t source_size = 0;           // size of the file on disk
  std::string source_sha256;               // hash of the file on disk (compressed bytes)
  std::string format;                      // "jsonl", "gzip", "zstd", "zip"
};

// Called on a parser thread for each valid paper before it is delivered; must be thread-safe.
// Lets callers do per-paper work (text normalisation) in parallel. Return false to drop the paper.
using PaperTransform = std::function<bool(Paper&)>;

// Called on the calling thread with consecutive batches of papers, in input order.
using BatchSink = std::function<void(std::vector<Paper>&&)>;

// Reads the whole file. Throws InputError for a missing, empty, unreadable, truncated or corrupt file,
// for a file without a single valid record (and, with strict, for the first bad line). A corruption
// found part-way through a compressed file is thrown after the papers before it were delivered.
// The format comes from the file's first bytes, not its name; from a zip archive, the first member
// whose name ends in .json or .jsonl is read, or else its only file.
ReadStats read_papers(const std::filesystem::path& file, const ReadOptions& options, const BatchSink& sink,
                      const PaperTransform& transform = {});

}  // namespace arxivc::ingest
