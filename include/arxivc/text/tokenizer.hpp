#pragma once

// Tokenizer for scientific text (titles and abstracts with LaTeX), shared by every model family.
// ASCII letters are lowercased; a token is a maximal run of ASCII letters, digits and bytes of UTF-8
// multi-byte sequences (kept as they are, so "Schrödinger" stays one token); everything else (spaces,
// punctuation, LaTeX's $ \ { } ^ _) separates tokens. Tokens shorter than `min_length` bytes are dropped
// (a lone digit may be kept), and so, optionally, are English stop words.
//
// Iteration allocates nothing once the caller's scratch buffer has grown to the longest text seen:
// tokens are string_views into that buffer, valid until it is next used.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arxivc::text {

struct TokenizerOptions {
  std::size_t min_length = 2;      // in bytes; tokens shorter than this are dropped...
  bool keep_single_digits = true;  // ...except a lone digit when this is set ("3", "d = 4")
  bool remove_stop_words = false;  // English function words ("the", "of", "we")
};

// True for the lowercase English function words that remove_stop_words drops.
bool is_stop_word(std::string_view lowercase_token);

namespace detail {
// Byte classes: 0 separator, 1 digit, 2 lowercase letter or UTF-8 byte, 3 uppercase ASCII letter.
inline constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = 1;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = 2;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = 3;
  for (int c = 0x80; c <= 0xff; ++c) table[c] = 2;
  return table;
}();
}  // namespace detail

class Tokenizer {
 public:
  explicit Tokenizer(TokenizerOptions options = {}) : options_(options) {}

  const TokenizerOptions& options() const { return options_; }

  // Calls sink(std::string_view token) for every token of `text`, in order. The views point into
  // `scratch`, which grows to text.size() when shorter (keep it across calls: it is then reused).
  template <typename Sink>
  void for_each_token(std::string_view text, std::string& scratch, Sink&& sink) const {
    if (scratch.size() < text.size()) scratch.resize(text.size());
    char* const out = scratch.data();
    std::size_t length = 0;  // bytes written to `out` so far
    std::size_t token_start = 0;
    bool all_digits = true;
    for (const char ch : text) {
      const auto byte = static_cast<unsigned char>(ch);
      const std::uint8_t byte_class = detail::kByteClass[byte];
      if (byte_class != 0) {
        // An uppercase ASCII letter becomes lowercase by setting bit 5.
        out[length++] = static_cast<char>(byte_class == 3 ? (byte | 0x20) : byte);
        all_digits = all_digits && byte_class == 1;
        continue;
      }
      if (length != token_start)
        emit(std::string_view(out + token_start, length - token_start), all_digits, sink);
      token_start = length;
      all_digits = true;
    }
    if (length != token_start)
      emit(std::string_view(out + token_start, length - token_start), all_digits, sink);
  }

  // Replaces `tokens` with the tokens of `text` (views into `scratch`).
  void tokenize(std::string_view text, std::string& scratch, std::vector<std::string_view>& tokens) const {
    tokens.clear();
    for_each_token(text, scratch, [&tokens](std::string_view token) { tokens.push_back(token); });
  }

 private:
  template <typename Sink>
  void emit(std::string_view token, bool all_digits, Sink& sink) const {
    if (token.size() < options_.min_length &&
        !(options_.keep_single_digits && token.size() == 1 && all_digits)) {
      return;
    }
    if (options_.remove_stop_words && is_stop_word(token)) return;
    sink(token);
  }

  TokenizerOptions options_;
};

}  // namespace arxivc::text
