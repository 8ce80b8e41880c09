// The JSON record parser on one line of JSON Lines, as the chunk parser hands it over: the line without
// its line break, followed by kParserPadding readable bytes (in a chunk, the start of the next lines).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "arxivc/ingest/paper.hpp"
#include "ingest/chunk.hpp"
#include "ingest/record_parser.hpp"

using arxivc::ingest::kParserPadding;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One parser of each kind for the whole run: their buffers are reused from line to line, as on a
  // parser thread.
  static arxivc::ingest::RecordParser for_datasets(true);
  static arxivc::ingest::RecordParser for_prediction(false);

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view line = input.substr(0, input.find('\n'));
  if (line.find_first_not_of(" \t\r\n") == std::string_view::npos) return 0;  // the reader skips blank lines

  // Exactly the readable bytes, so AddressSanitizer sees any read beyond the padding.
  const std::size_t readable = line.size() + kParserPadding;
  auto buffer = std::make_unique<char[]>(readable);
  std::memcpy(buffer.get(), line.data(), line.size());
  const std::string_view after = input.substr(line.size());
  std::memcpy(buffer.get() + line.size(), after.data(), std::min(after.size(), kParserPadding));

  const std::string_view padded_line(buffer.get(), line.size());
  arxivc::ingest::Paper paper;
  (void)for_datasets.parse(padded_line, readable, paper);
  arxivc::ingest::Paper unlabelled;
  (void)for_prediction.parse(padded_line, readable, unlabelled);
  return 0;
}
