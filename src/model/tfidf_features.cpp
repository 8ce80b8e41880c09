#include "arxivc/model/tfidf_features.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <thread>

#include "arxivc/text/fingerprint.hpp"

namespace arxivc::model {
namespace {

constexpr std::uint32_t kAbsent = 0xffffffffU;
constexpr std::uint32_t kMaxNgram = 3;

// Document frequencies of fingerprints: open addressing, linear probing, key 0 marks an empty slot
// (fingerprints are never 0). The document that last counted a key is kept, so a fingerprint
// repeated within a document is counted once without sorting the document's fingerprints.
class DocumentFrequencyCounter {
 public:
  DocumentFrequencyCounter() { resize(1U << 16); }

  void add(std::uint64_t fingerprint, std::uint32_t document) {
    if ((size_ + 1) * 2 > keys_.size()) resize(keys_.size() * 2);
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t slot = fingerprint & mask;; slot = (slot + 1) & mask) {
      if (keys_[slot] == fingerprint) {
        if (last_document_[slot] != document) {
          last_document_[slot] = document;
          ++counts_[slot];
        }
        return;
      }
      if (keys_[slot] == 0) {
        keys_[slot] = fingerprint;
        counts_[slot] = 1;
        last_document_[slot] = document;
        ++size_;
        return;
      }
    }
  }

  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t slot = 0; slot < keys_.size(); ++slot) {
      if (keys_[slot] != 0) visit(keys_[slot], counts_[slot]);
    }
  }

 private:
  void resize(std::size_t capacity) {
    std::vector<std::uint64_t> old_keys(capacity, 0);
    std::vector<std::uint32_t> old_counts(capacity, 0);
    std::vector<std::uint32_t> old_last(capacity, 0);
    old_keys.swap(keys_);
    old_counts.swap(counts_);
    old_last.swap(last_document_);
    const std::size_t mask = capacity - 1;
    for (std::size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] == 0) continue;
      std::size_t slot = old_keys[i] & mask;
      while (keys_[slot] != 0) slot = (slot + 1) & mask;
      keys_[slot] = old_keys[i];
      counts_[slot] = old_counts[i];
      last_document_[slot] = old_last[i];
    }
  }

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> counts_;
  std::vector<std::uint32_t> last_document_;
  std::size_t size_ = 0;
};

struct Candidate {
  std::uint64_t fingerprint;
  std::uint32_t document_frequency;
};

// Most frequent first; ties by fingerprint, so the choice does not depend on thread count or order.
bool more_frequent(const Candidate& a, const Candidate& b) {
  if (a.document_frequency != b.document_frequency) return a.document_frequency > b.document_frequency;
  return a.fingerprint < b.fingerprint;
}

float smoothed_idf(std::uint64_t documents, std::uint64_t document_frequency) {
  return static_cast<float>(
      std::log((1.0 + static_cast<double>(documents)) / (1.0 + static_cast<double>(document_frequency))) +
      1.0);
}

// Runs work(thread_index) on `threads` threads (the caller's thread is one of them).
template <typename Work>
void run_on_threads(unsigned threads, Work&& work) {
  std::vector<std::jthread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back([&work, t] { work(t); });
  work(0U);
}

}  // namespace

void TfidfFeatures::fingerprints(const Document& document, Workspace& workspace) const {
  const text::Tokenizer tokenizer(options_.tokenizer);
  auto& out = workspace.fingerprints;
  out.clear();
  const auto ngram_max = static_cast<std::size_t>(options_.ngram_max);
  for (const std::string_view field : {document.title, document.abstract}) {
    // The last tokens' fingerprints, most recent first, for the n-grams ending at the current token.
    std::uint64_t previous[kMaxNgram - 1] = {0, 0};
    std::size_t tokens = 0;
    tokenizer.for_each_token(field, workspace.scratch, [&](std::string_view token) {
      const std::uint64_t unigram = text::token_fingerprint(token);
      out.push_back(unigram | (unigram == 0));
      if (ngram_max >= 2 && tokens >= 1) {
        const std::uint64_t bigram = text::bigram_fingerprint(previous[0], unigram);
        out.push_back(bigram | (bigram == 0));
        if (ngram_max >= 3 && tokens >= 2) {
          const std::uint64_t trigram = text::bigram_fingerprint(
              text::bigram_fingerprint(previous[1], previous[0]), unigram ^ 0x5bd1e9955bd1e995ULL);
          out.push_back(trigram | (trigram == 0));
        }
      }
      previous[1] = previous[0];
      previous[0] = unigram;
      ++tokens;
    });
  }
}

void TfidfFeatures::fit(std::span<const Document> documents, const TfidfOptions& options, unsigned threads) {
  options_ = options;
  threads = std::max(1U, threads);
  fitted_documents_ = documents.size();
  vocabulary_.clear();
  idf_.clear();

  if (options_.space == FeatureSpace::hashing) {
    const std::size_t buckets = std::size_t{1} << options_.hash_bits;
    const int shift = 64 - options_.hash_bits;
    std::vector<std::vector<std::uint32_t>> partial(threads);
    run_on_threads(threads, [&](unsigned t) {
      Workspace workspace;
      auto& df = partial[t];
      df.assign(buckets, 0);
      const std::size_t begin = documents.size() * t / threads;
      const std::size_t end = documents.size() * (t + 1) / threads;
      for (std::size_t d = begin; d < end; ++d) {
        fingerprints(documents[d], workspace);
        auto& ids = workspace.ids;
        ids.clear();
        for (const std::uint64_t f : workspace.fingerprints)
          ids.push_back(static_cast<std::uint32_t>(f >> shift));
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (const std::uint32_t id : ids) ++df[id];
      }
    });
    idf_.resize(buckets);
    for (std::size_t b = 0; b < buckets; ++b) {
      std::uint64_t df = 0;
      for (const auto& p : partial) df += p[b];
      idf_[b] = smoothed_idf(fitted_documents_, df);
    }
    build_lookup_table();
    return;
  }

  // Vocabulary: each thread counts the fingerprints of one partition (by their top bits) over all
  // documents, so the partitions' tables together hold each fingerprint once.
  const auto max_count = static_cast<std::uint64_t>(options_.max_df * static_cast<double>(documents.size()));
  const auto min_count = static_cast<std::uint64_t>(std::max<std::int64_t>(1, options_.min_df));
  std::vector<std::vector<Candidate>> kept(threads);
  run_on_threads(threads, [&](unsigned t) {
    Workspace workspace;
    DocumentFrequencyCounter counter;
    for (std::size_t d = 0; d < documents.size(); ++d) {
      fingerprints(documents[d], workspace);
      for (const std::uint64_t f : workspace.fingerprints) {
        if ((f >> 56) % threads == t) counter.add(f, static_cast<std::uint32_t>(d));
      }
    }
    counter.for_each([&](std::uint64_t fingerprint, std::uint32_t count) {
      if (count >= min_count && count <= max_count) kept[t].push_back({fingerprint, count});
    });
  });
  std::vector<Candidate> candidates;
  for (auto& k : kept) {
    candidates.insert(candidates.end(), k.begin(), k.end());
    std::vector<Candidate>().swap(k);
  }
  const auto limit = static_cast<std::size_t>(options_.max_features);
  if (candidates.size() > limit) {
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(limit),
                     candidates.end(), more_frequent);
    candidates.resize(limit);
  }
  // Frequent features get the low indices: their weight rows are read most and then sit together.
  std::sort(candidates.begin(), candidates.end(), more_frequent);
  vocabulary_.reserve(candidates.size());
  idf_.reserve(candidates.size());
  for (const Candidate& c : candidates) {
    vocabulary_.push_back(c.fingerprint);
    idf_.push_back(smoothed_idf(fitted_documents_, c.document_frequency));
  }
  build_lookup_table();
}

void TfidfFeatures::build_lookup_table() {
  table_keys_.clear();
  table_values_.clear();
  if (options_.space == FeatureSpace::hashing) return;
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, vocabulary_.size() * 2));
  table_keys_.assign(capacity, 0);
  table_values_.assign(capacity, kAbsent);
  const std::size_t mask = capacity - 1;
  for (std::size_t id = 0; id < vocabulary_.size(); ++id) {
    std::size_t slot = vocabulary_[id] & mask;
    while (table_keys_[slot] != 0) slot = (slot + 1) & mask;
    table_keys_[slot] = vocabulary_[id];
    table_values_[slot] = static_cast<std::uint32_t>(id);
  }
}

std::uint32_t TfidfFeatures::lookup(std::uint64_t fingerprint) const {
  if (options_.space == FeatureSpace::hashing) {
    return static_cast<std::uint32_t>(fingerprint >> (64 - options_.hash_bits));
  }
  const std::size_t mask = table_keys_.size() - 1;
  for (std::size_t slot = fingerprint & mask;; slot = (slot + 1) & mask) {
    if (table_keys_[slot] == fingerprint) return table_values_[slot];
    if (table_keys_[slot] == 0) return kAbsent;
  }
}

void TfidfFeatures::transform(const Document& document, Workspace& workspace, SparseFeatures& out) const {
  out.indices.clear();
  out.values.clear();
  fingerprints(document, workspace);
  auto& ids = workspace.ids;
  ids.clear();
  for (const std::uint64_t f : workspace.fingerprints) {
    const std::uint32_t id = lookup(f);
    if (id != kAbsent) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  double squared_norm = 0.0;
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i + 1;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    const auto tf = static_cast<float>(j - i);
    const float weight = (options_.sublinear_tf ? 1.0F + std::log(tf) : tf) * idf_[ids[i]];
    out.indices.push_back(ids[i]);
    out.values.push_back(weight);
    squared_norm += static_cast<double>(weight) * weight;
    i = j;
  }
  if (squared_norm > 0.0) {
    const auto inverse_norm = static_cast<float>(1.0 / std::sqrt(squared_norm));
    for (float& v : out.values) v *= inverse_norm;
  }
}

void TfidfFeatures::save(BinaryWriter& out) const {
  out.put<std::uint8_t>(options_.space == FeatureSpace::hashing ? 1 : 0);
  out.put<std::int32_t>(options_.ngram_max);
  out.put<std::int64_t>(options_.min_df);
  out.put<double>(options_.max_df);
  out.put<std::int64_t>(options_.max_features);
  out.put<std::int32_t>(options_.hash_bits);
  out.put<std::uint8_t>(options_.sublinear_tf ? 1 : 0);
  out.put<std::uint64_t>(options_.tokenizer.min_length);
  out.put<std::uint8_t>(options_.tokenizer.keep_single_digits ? 1 : 0);
  out.put<std::uint8_t>(options_.tokenizer.remove_stop_words ? 1 : 0);
  out.put<std::uint64_t>(fitted_documents_);
  out.put_array(std::span<const float>(idf_));
  out.put_array(std::span<const std::uint64_t>(vocabulary_));
}

void TfidfFeatures::load(BinaryReader& in) {
  const auto space = in.get<std::uint8_t>();
  if (space > 1) in.fail("unknown feature space " + std::to_string(space));
  options_.space = space == 1 ? FeatureSpace::hashing : FeatureSpace::vocabulary;
  options_.ngram_max = in.get<std::int32_t>();
  if (options_.ngram_max < 1 || options_.ngram_max > static_cast<int>(kMaxNgram))
    in.fail("implausible ngram_max");
  options_.min_df = in.get<std::int64_t>();
  options_.max_df = in.get<double>();
  options_.max_features = in.get<std::int64_t>();
  options_.hash_bits = in.get<std::int32_t>();
  if (options_.hash_bits < 1 || options_.hash_bits > 31) in.fail("implausible hash_bits");
  options_.sublinear_tf = in.get<std::uint8_t>() != 0;
  options_.tokenizer.min_length = in.get<std::uint64_t>();
  options_.tokenizer.keep_single_digits = in.get<std::uint8_t>() != 0;
  options_.tokenizer.remove_stop_words = in.get<std::uint8_t>() != 0;
  fitted_documents_ = in.get<std::uint64_t>();
  idf_ = in.get_array<float>();
  vocabulary_ = in.get_array<std::uint64_t>();
  if (options_.space == FeatureSpace::hashing) {
    if (idf_.size() != (std::size_t{1} << options_.hash_bits) || !vocabulary_.empty()) {
      in.fail("hashed features do not match hash_bits");
    }
  } else {
    if (vocabulary_.size() != idf_.size()) in.fail("vocabulary and idf sizes differ");
    if (std::find(vocabulary_.begin(), vocabulary_.end(), 0) != vocabulary_.end())
      in.fail("invalid vocabulary entry");
  }
  build_lookup_table();
}

nlohmann::json TfidfFeatures::describe() const {
  nlohmann::json j;
  j["features"] = options_.space == FeatureSpace::hashing ? "hashing" : "vocabulary";
  j["ngram_max"] = options_.ngram_max;
  if (options_.space == FeatureSpace::hashing) {
    j["hash_bits"] = options_.hash_bits;
  } else {
    j["min_df"] = options_.min_df;
    j["max_df"] = options_.max_df;
    j["max_features"] = options_.max_features;
  }
  j["sublinear_tf"] = options_.sublinear_tf;
  j["min_token_length"] = options_.tokenizer.min_length;
  j["keep_single_digits"] = options_.tokenizer.keep_single_digits;
  j["stop_words"] = options_.tokenizer.remove_stop_words;
  j["feature_count"] = feature_count();
  j["fitted_documents"] = fitted_documents_;
  return j;
}

}  // namespace arxivc::model
