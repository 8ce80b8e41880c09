#include "arxivc/text/tokenizer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace arxivc::text {
namespace {

std::vector<std::string> tokens_of(std::string_view text, TokenizerOptions options = {}) {
  const Tokenizer tokenizer(options);
  std::string scratch;
  std::vector<std::string> out;
  tokenizer.for_each_token(text, scratch, [&out](std::string_view token) { out.emplace_back(token); });
  return out;
}

using Tokens = std::vector<std::string>;

TEST(Tokenizer, LowercasesAndSplitsOnPunctuationAndLatex) {
  EXPECT_EQ(tokens_of("Quantum Field-Theory: on $SL(2,\\mathbb{R})$ and {\\em QCD}."),
            (Tokens{"quantum", "field", "theory", "on", "sl", "2", "mathbb", "and", "em", "qcd"}));
}

TEST(Tokenizer, KeepsUtf8SequencesInsideTokens) {
  EXPECT_EQ(tokens_of("Schrödinger équation Gödel"), (Tokens{"schrödinger", "équation", "gödel"}));
}

TEST(Tokenizer, DropsShortTokensButKeepsLoneDigits) {
  EXPECT_EQ(tokens_of("a d = 4 x2 10 k"), (Tokens{"4", "x2", "10"}));
  TokenizerOptions no_digits;
  no_digits.keep_single_digits = false;
  EXPECT_EQ(tokens_of("a d = 4 x2 10", no_digits), (Tokens{"x2", "10"}));
  TokenizerOptions everything;
  everything.min_length = 1;
  EXPECT_EQ(tokens_of("a d = 4", everything), (Tokens{"a", "d", "4"}));
  TokenizerOptions long_only;
  long_only.min_length = 4;
  long_only.keep_single_digits = false;
  EXPECT_EQ(tokens_of("the graph of 3 nodes", long_only), (Tokens{"graph", "nodes"}));
}

TEST(Tokenizer, RemovesStopWordsOnlyWhenAsked) {
  EXPECT_EQ(tokens_of("We study the Spectrum of THE operator"),
            (Tokens{"we", "study", "the", "spectrum", "of", "the", "operator"}));
  TokenizerOptions options;
  options.remove_stop_words = true;
  EXPECT_EQ(tokens_of("We study the Spectrum of THE operator", options),
            (Tokens{"study", "spectrum", "operator"}));
  EXPECT_TRUE(is_stop_word("the"));
  EXPECT_TRUE(is_stop_word("yourselves"));
  EXPECT_FALSE(is_stop_word("model"));
  EXPECT_FALSE(is_stop_word(""));
}

TEST(Tokenizer, HandlesEmptyAndSeparatorOnlyText) {
  EXPECT_TRUE(tokens_of("").empty());
  EXPECT_TRUE(tokens_of("  $\\{}^_ ,.;\n\t").empty());
  EXPECT_EQ(tokens_of("end"), (Tokens{"end"}));
}

TEST(Tokenizer, ReusesScratchAcrossTextsAndVectorApiMatchesCallback) {
  const Tokenizer tokenizer;
  std::string scratch;
  std::vector<std::string_view> tokens;
  tokenizer.tokenize("A much longer first text about Neural Networks", scratch, tokens);
  ASSERT_EQ(tokens.size(), 7U);
  EXPECT_EQ(tokens[5], "neural");
  const char* const buffer = scratch.data();
  tokenizer.tokenize("Short text", scratch, tokens);
  EXPECT_EQ(scratch.data(), buffer) << "a shorter text must reuse the buffer";
  ASSERT_EQ(tokens.size(), 2U);
  EXPECT_EQ(tokens[0], "short");
  EXPECT_EQ(tokens[1], "text");
}

TEST(Tokenizer, TreatsEveryByteSafely) {
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  const Tokens tokens = tokens_of(all_bytes);
  // Digits form one token, the letters (upper and lower) two, bytes 0x80-0xff one.
  ASSERT_EQ(tokens.size(), 4U);
  EXPECT_EQ(tokens[0], "0123456789");
  EXPECT_EQ(tokens[1], "abcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(tokens[2], "abcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(tokens[3].size(), 128U);
}

}  // namespace
}  // namespace arxivc::text
