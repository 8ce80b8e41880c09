#include "arxivc/model/tfidf_features.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <thread>

#include "arxivc/core/trace.hpp"
#include "arxivc/text/fingerprint.hpp"
#include "worker_threads.hpp"

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

  // Starts loading the slot of `fingerprint` into the cache ahead of add().
  void prefetch(std::uint64_t fingerprint) const {
    __builtin_prefetch(&slots_[fingerprint & (slots_.size() - 1)], 1);
  }

  void add(std::uint64_t fingerprint, std::uint32_t document) {
    if ((size_ + 1) * 2 > slots_.size()) resize(slots_.size() * 2);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = fingerprint & mask;; index = (index + 1) & mask) {
      Slot& slot = slots_[index];
      if (slot.fingerprint == fingerprint) {
        if (slot.last_document != document) {
          slot.last_document = document;
          ++slot.count;
        }
        return;
      }
      if (slot.fingerprint == 0) {
        slot = Slot{fingerprint, 1, document};
        ++size_;
        return;
      }
    }
  }

  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const Slot& slot : slots_) {
      if (slot.fingerprint != 0) visit(slot.fingerprint, slot.count);
    }
  }

 private:
  struct Slot {
    std::uint64_t fingerprint;
    std::uint32_t count;
    std::uint32_t last_document;
  };

  void resize(std::size_t capacity) {
    std::vector<Slot> old(capacity, Slot{0, 0, 0});
    old.swap(slots_);
    const std::size_t mask = capacity - 1;
    for (const Slot& slot : old) {
      if (slot.fingerprint == 0) continue;
      std::size_t index = slot.fingerprint & mask;
      while (slots_[index].fingerprint != 0) index = (index + 1) & mask;
      slots_[index] = slot;
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

// How far ahead of its use a hash-table slot is prefetched.
constexpr std::size_t kPrefetchDistance = 16;

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

}  // namespace

void TfidfFeatures::fingerprints(const Document& document, Workspace& workspace) const {
  const text::Tokenizer tokenizer(options_.tokenizer);
  auto& out = workspace.fingerprints;
  out.clear();
  const auto ngram_max = static_cast<std::size_t>(options_.ngram_max);
  workspace.title_fingerprints = 0;
  for (const std::string_view field : {document.title, document.abstract}) {
    if (field.data() == document.abstract.data() && field.size() == document.abstract.size()) {
      workspace.title_fingerprints = out.size();
    }
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
    detail::run_on_threads(threads, "features", "document_frequencies", [&](unsigned t) {
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
  detail::run_on_threads(threads, "features", "vocabulary", [&](unsigned t) {
    Workspace workspace;
    DocumentFrequencyCounter counter;
    for (std::size_t d = 0; d < documents.size(); ++d) {
      fingerprints(documents[d], workspace);
      // This thread's fingerprints, moved to the front of the buffer.
      auto& mine = workspace.fingerprints;
      const auto end =
          std::remove_if(mine.begin(), mine.end(), [&](std::uint64_t f) { return (f >> 56) % threads != t; });
      const auto count = static_cast<std::size_t>(end - mine.begin());
      for (std::size_t i = 0; i < count; ++i) {
        if (i + kPrefetchDistance < count) counter.prefetch(mine[i + kPrefetchDistance]);
        counter.add(mine[i], static_cast<std::uint32_t>(d));
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
  table_.clear();
  if (options_.space == FeatureSpace::hashing) return;
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, vocabulary_.size() * 2));
  table_.assign(capacity, Slot{0, kAbsent});
  const std::size_t mask = capacity - 1;
  for (std::size_t id = 0; id < vocabulary_.size(); ++id) {
    std::size_t index = vocabulary_[id] & mask;
    while (table_[index].fingerprint != 0) index = (index + 1) & mask;
    table_[index] = Slot{vocabulary_[id], static_cast<std::uint32_t>(id)};
  }
}

std::uint32_t TfidfFeatures::lookup(std::uint64_t fingerprint) const {
  if (options_.space == FeatureSpace::hashing) {
    return static_cast<std::uint32_t>(fingerprint >> (64 - options_.hash_bits));
  }
  const std::size_t mask = table_.size() - 1;
  for (std::size_t index = fingerprint & mask;; index = (index + 1) & mask) {
    if (table_[index].fingerprint == fingerprint) return table_[index].feature;
    if (table_[index].fingerprint == 0) return kAbsent;
  }
}

void TfidfFeatures::transform(const Document& document, Workspace& workspace, SparseFeatures& out) const {
  out.indices.clear();
  out.values.clear();
  fingerprints(document, workspace);
  auto& ids = workspace.ids;
  ids.clear();
  const auto& fingerprints = workspace.fingerprints;
  const bool prefetch = options_.space == FeatureSpace::vocabulary;
  for (std::size_t i = 0; i < fingerprints.size(); ++i) {
    if (prefetch && i + kPrefetchDistance < fingerprints.size()) {
      __builtin_prefetch(&table_[fingerprints[i + kPrefetchDistance] & (table_.size() - 1)]);
    }
    // Occurrences in the title are marked in the lowest bit.
    const std::uint32_t id = lookup(fingerprints[i]);
    if (id != kAbsent) ids.push_back(id << 1 | (i < workspace.title_fingerprints ? 1U : 0U));
  }
  std::sort(ids.begin(), ids.end());
  const auto title_weight = static_cast<float>(options_.title_weight);
  double squared_norm = 0.0;
  for (std::size_t i = 0; i < ids.size();) {
    const std::uint32_t feature = ids[i] >> 1;
    float tf = 0.0F;
    std::size_t j = i;
    for (; j < ids.size() && ids[j] >> 1 == feature; ++j) tf += (ids[j] & 1U) != 0 ? title_weight : 1.0F;
    const float weight = (options_.sublinear_tf ? 1.0F + std::log(tf) : tf) * idf_[feature];
    out.indices.push_back(feature);
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
  out.put<double>(options_.title_weight);
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
  options_.title_weight = in.get<double>();
  if (!(options_.title_weight >= 1.0 && options_.title_weight <= 100.0)) in.fail("implausible title_weight");
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
  j["title_weight"] = options_.title_weight;
  j["min_token_length"] = options_.tokenizer.min_length;
  j["keep_single_digits"] = options_.tokenizer.keep_single_digits;
  j["stop_words"] = options_.tokenizer.remove_stop_words;
  j["feature_count"] = feature_count();
  j["fitted_documents"] = fitted_documents_;
  return j;
}

}  // namespace arxivc::model
