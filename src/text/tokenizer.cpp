#include "arxivc/text/tokenizer.hpp"

#include <algorithm>
#include <array>

namespace arxivc::text {
namespace {

// English function words common in abstracts that carry no subject (sorted, for binary search).
// Deliberately short: words such as "field", "model" or "order" are subject words in some fields.
constexpr std::array<std::string_view, 130> kStopWords = {
    "about", "above",   "after",  "again",  "against", "all",   "also",    "am",    "among",  "an",
    "and",   "any",     "are",    "as",     "at",      "be",    "because", "been",  "before", "being",
    "below", "between", "both",   "but",    "by",      "can",   "could",   "did",   "do",     "does",
    "doing", "down",    "during", "each",   "either",  "etc",   "few",     "for",   "from",   "further",
    "had",   "has",     "have",   "having", "he",      "her",   "here",    "hers",  "him",    "his",
    "how",   "however", "if",     "in",     "into",    "is",    "it",      "its",   "itself", "just",
    "may",   "me",      "might",  "more",   "most",    "must",  "my",      "no",    "nor",    "not",
    "of",    "off",     "on",     "once",   "only",    "or",    "other",   "our",   "ours",   "out",
    "over",  "own",     "same",   "she",    "should",  "so",    "some",    "such",  "than",   "that",
    "the",   "their",   "them",   "then",   "there",   "these", "they",    "this",  "those",  "through",
    "thus",  "to",      "too",    "under",  "until",   "up",    "upon",    "us",    "very",   "via",
    "was",   "we",      "were",   "what",   "when",    "where", "which",   "while", "who",    "whom",
    "why",   "will",    "with",   "within", "would",   "yet",   "you",     "your",  "yours",  "yourselves"};

static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()));

}  // namespace

bool is_stop_word(std::string_view lowercase_token) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), lowercase_token);
}

}  // namespace arxivc::text
