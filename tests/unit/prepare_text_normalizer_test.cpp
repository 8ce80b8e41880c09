#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "arxivc/prepare/text_normalizer.hpp"

namespace arxivc::prepare {
namespace {

std::string keep(std::string_view s) { return normalize_text(s, LatexMode::keep); }
std::string simplify(std::string_view s) { return normalize_text(s, LatexMode::simplify); }

TEST(PrepareTextNormalizer, CollapsesAndTrimsAsciiWhitespace) {
  EXPECT_EQ(keep("  a\n\tb  \r\n c  "), "a b c");
  EXPECT_EQ(keep("one\ftwo\vthree\x01"
                 "four"),
            "one two three four");
  EXPECT_EQ(keep(""), "");
  EXPECT_EQ(keep(" \n\t "), "");
  EXPECT_EQ(keep("word"), "word");
}

TEST(PrepareTextNormalizer, UnicodeSpacesBecomeOneSpace) {
  EXPECT_EQ(keep("a\u00a0b"), "a b");          // NO-BREAK SPACE
  EXPECT_EQ(keep("a \u2009\u00a0 b"), "a b");  // THIN SPACE in a run
  EXPECT_EQ(keep("a\u3000b\u2028c\u202fd\u1680e\u0085f"), "a b c d e f");
  EXPECT_EQ(keep("\u00a0lead and trail\u2003"), "lead and trail");
}

TEST(PrepareTextNormalizer, KeepsOtherUnicodeIntact) {
  EXPECT_EQ(keep("Schr\u00f6dinger \u2013 \u03b1\u2010helix \u2192 \u00a9"),
            "Schr\u00f6dinger \u2013 \u03b1\u2010helix \u2192 \u00a9");
  EXPECT_EQ(keep("\u200bzero width"), "\u200bzero width");  // not White_Space: kept
  EXPECT_EQ(keep("truncated \xe2\x80"), "truncated \xe2\x80");
}

TEST(PrepareTextNormalizer, KeepModeLeavesLatexAlone) {
  EXPECT_EQ(keep("The $Sl(2)$ \\emph{model}  of {\\\"u}ber~x"), "The $Sl(2)$ \\emph{model} of {\\\"u}ber~x");
}

TEST(PrepareTextNormalizer, SimplifyRemovesMathDelimitersAndBraces) {
  EXPECT_EQ(simplify("The $Sl(2)$ model"), "The Sl(2) model");
  EXPECT_EQ(simplify("$O(n^{2})$ time"), "O(n^2) time");
  EXPECT_EQ(simplify("$$E=mc^2$$"), "E=mc^2");
  EXPECT_EQ(simplify("a $ b $ c"), "a b c");
}

TEST(PrepareTextNormalizer, SimplifyDropsFormattingCommands) {
  EXPECT_EQ(simplify("a \\emph{new} method"), "a new method");
  EXPECT_EQ(simplify("\\textbf{Bold} and \\textit{it}"), "Bold and it");
  EXPECT_EQ(simplify("$\\mathrm{d}x$"), "dx");
  EXPECT_EQ(simplify("{\\it Italic} text"), "Italic text");
  EXPECT_EQ(simplify("$\\mathbb{R}^n$"), "R^n");
}

TEST(PrepareTextNormalizer, SimplifyComposesAccents) {
  EXPECT_EQ(simplify("Schr\\\"odinger"), "Schr\u00f6dinger");
  EXPECT_EQ(simplify("{\\\"u}ber"), "\u00fcber");
  EXPECT_EQ(simplify("Poincar\\'e"), "Poincar\u00e9");
  EXPECT_EQ(simplify("Poincar\\'{e}"), "Poincar\u00e9");
  EXPECT_EQ(simplify("\\`a la"), "\u00e0 la");
  EXPECT_EQ(simplify("Fran\\c{c}ois"), "Fran\u00e7ois");
  EXPECT_EQ(simplify("Fran\\c cois"), "Fran\u00e7ois");
  EXPECT_EQ(simplify("Ha\\v{s}ek"), "Ha\u0161ek");
  EXPECT_EQ(simplify("Erd\\H{o}s"), "Erd\u0151s");
  EXPECT_EQ(simplify("Espa\\~na"), "Espa\u00f1a");
  EXPECT_EQ(simplify("na\\\"{\\i}ve"), "na\u00efve");
  EXPECT_EQ(simplify("Stra\\ss e"), "Stra\u00dfe");
  EXPECT_EQ(simplify("\\o{}ystein \\AA ngstr\\\"om"), "\u00f8ystein \u00c5ngstr\u00f6m");
  EXPECT_EQ(simplify("\\L{}\\'od\\'z"), "\u0141\u00f3d\u017a");
  EXPECT_EQ(simplify("\\\"x"), "x");  // no precomposed letter: the bare letter
}

TEST(PrepareTextNormalizer, SimplifySpacesAndEscapes) {
  EXPECT_EQ(simplify("line\\\\break"), "line break");
  EXPECT_EQ(simplify("Fig.~1"), "Fig. 1");
  EXPECT_EQ(simplify("a\\,b\\;c\\quad d"), "a b c d");
  EXPECT_EQ(simplify("50\\% of \\$5 \\& more \\#1 a\\_b \\{x\\}"), "50% of $5 & more #1 a_b {x}");
}

TEST(PrepareTextNormalizer, SimplifyKeepsCommandNamesAsWords) {
  EXPECT_EQ(simplify("$\\alpha$-helix"), "alpha-helix");
  EXPECT_EQ(simplify("$\\alpha\\beta$"), "alpha beta");
  EXPECT_EQ(simplify("$x\\in X$"), "x in X");
  EXPECT_EQ(simplify("$\\frac{a}{b}$"), "frac a b");
  EXPECT_EQ(simplify("$\\sqrt{2}$"), "sqrt 2");
  EXPECT_EQ(simplify("$\\alpha_1$"), "alpha_1");
  EXPECT_EQ(simplify("trailing \\"), "trailing");
}

TEST(PrepareTextNormalizer, InPlaceMatchesCopy) {
  for (const std::string text : {"", "  x  ", "$\\alpha\\beta$ and \\\"o", "a\u00a0b \\\\ c"}) {
    for (const auto mode : {LatexMode::keep, LatexMode::simplify}) {
      std::string in_place = text;
      normalize_text_in_place(in_place, mode);
      EXPECT_EQ(in_place, normalize_text(text, mode));
    }
  }
}

// Random mixtures of text, whitespace and markup: the output never has leading, trailing or double spaces,
// and normalising it again changes nothing.
TEST(PrepareTextNormalizer, FuzzedInputIsNormalised) {
  std::mt19937_64 rng(7);
  const std::vector<std::string> pieces = {
      "a", "b", " ", "\n", "\t", "\\", "$", "{", "}", "~", "\"", "'", "`",      "^",      "=",      ".",
      "c", "v", "u", "H",  "r",  "k",  "i", "o", ",", ";", "%",  "_", "\u00a0", "\u2009", "\u00e9", "\u03b1"};
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const auto length = rng() % 40;
    for (std::uint64_t i = 0; i < length; ++i) text += pieces[rng() % pieces.size()];
    for (const auto mode : {LatexMode::keep, LatexMode::simplify}) {
      const auto out = normalize_text(text, mode);
      ASSERT_LE(out.size(), 2 * text.size()) << text;
      if (out.empty()) continue;
      EXPECT_NE(out.front(), ' ') << text;
      EXPECT_NE(out.back(), ' ') << text;
      EXPECT_EQ(out.find("  "), std::string::npos) << text;
      EXPECT_EQ(normalize_text(out, LatexMode::keep), out) << text;
    }
  }
}

// Keep mode against a plain reference (split on whitespace, join with one space), on long texts whose
// spaces fall anywhere relative to the 8-byte blocks of the fast path.
TEST(PrepareTextNormalizer, KeepModeMatchesReference) {
  std::mt19937_64 rng(5);
  const std::vector<std::string> words = {"a",   "bc",  "def",           "ghij", "klmnopqrstu",
                                          "x-y", "(1)", "\u00e9t\u00e9", "$x$"};
  const std::vector<std::string> gaps = {" ", " ", " ", "  ", "\n", " \n ", "\t", "\u00a0", " \u2009"};
  const auto is_gap = [&](const std::string& s) {
    return std::find(gaps.begin(), gaps.end(), s) != gaps.end();
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> pieces;
    const auto length = rng() % 60;
    for (std::uint64_t i = 0; i < length; ++i) {
      pieces.push_back(rng() % 2 == 0 ? words[rng() % words.size()] : gaps[rng() % gaps.size()]);
    }
    std::string text;
    std::string expected;
    bool gap = false;
    for (const auto& piece : pieces) {
      text += piece;
      if (is_gap(piece)) {
        gap = true;
        continue;
      }
      if (gap && !expected.empty()) expected += ' ';
      gap = false;
      expected += piece;
    }
    ASSERT_EQ(keep(text), expected) << text;
  }
}

// Bytes that are not UTF-8 (the reader rejects such lines, but the scanner must not rely on it).
TEST(PrepareTextNormalizer, InvalidUtf8DoesNotCrash) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const auto length = rng() % 24;
    for (std::uint64_t i = 0; i < length; ++i) text += static_cast<char>(rng() % 256);
    EXPECT_LE(normalize_text(text, LatexMode::simplify).size(), 2 * text.size());
    EXPECT_LE(normalize_text(text, LatexMode::keep).size(), text.size());
  }
}

}  // namespace
}  // namespace arxivc::prepare
