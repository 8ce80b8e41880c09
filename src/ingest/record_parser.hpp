#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "arxivc/ingest/paper.hpp"
#include "arxivc/ingest/reader.hpp"

namespace arxivc::ingest {

// Why one line is not a usable record.
struct RecordProblem {
  SkipReason reason;
  std::string detail;  // names the field where there is one
};

// Turns one line of JSON Lines into a Paper. Holds a simdjson parser whose buffers are reused from
// line to line: one RecordParser per thread.
class RecordParser {
 public:
  // `require_categories`: a record without a non-empty `categories` field is a problem (else it is
  // read with empty categories).
  explicit RecordParser(bool require_categories = true);
  ~RecordParser();
  RecordParser(const RecordParser&) = delete;
  RecordParser& operator=(const RecordParser&) = delete;

  // Parses `line` (without its line break; not blank) into `paper`'s text fields. `readable` is how
  // many bytes can be read from line.data(): at least line.size() + kParserPadding. The whole line
  // must be valid JSON (UTF-8, one object, nothing after it), including fields that are not kept.
  std::optional<RecordProblem> parse(std::string_view line, std::size_t readable, Paper& paper);

 private:
  struct State;
  std::unique_ptr<State> state_;
  bool require_categories_ = true;
};

}  // namespace arxivc::ingest
