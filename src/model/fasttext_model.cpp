#include "arxivc/model/fasttext_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <barrier>
#include <cmath>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <thread>

#include "arxivc/core/error.hpp"
#include "arxivc/core/trace.hpp"
#include "arxivc/text/fingerprint.hpp"
#include "dense_vector.hpp"

namespace arxivc::model {
namespace {

constexpr std::uint32_t kPayloadVersion = 1;
constexpr std::int64_t kMaxDim = 1024;
constexpr std::int64_t kMaxBuckets = 100'000'000;
constexpr std::size_t kMaxLabels = std::size_t{1} << 20;
// Examples between two progress reports.
// Training examples whose embedding rows are found together (and reported on together).
constexpr std::size_t kBlockExamples = 4096;

// A Fisher-Yates shuffle driven by mt19937_64, identical on every platform (std::shuffle is not).
std::vector<std::uint32_t> shuffled_order(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  std::mt19937_64 rng(seed);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  return order;
}

// Turns label scores into SGD steps in place: score s becomes learning_rate * (target - sigmoid(s)).
// Returns the summed binary log-loss.
double ova_steps(std::span<float> scores, std::span<const float> targets, float learning_rate) {
  double loss = 0.0;
  for (std::size_t l = 0; l < scores.size(); ++l) {
    const float s = scores[l];
    const float e = std::exp(-std::abs(s));  // in (0, 1]: no overflow either way
    const float probability = s >= 0.0F ? 1.0F / (1.0F + e) : e / (1.0F + e);
    // -log(sigmoid(s)) for a positive target, -log(1 - sigmoid(s)) for a negative one, stably.
    const float margin = targets[l] > 0.0F ? -s : s;
    loss += std::max(margin, 0.0F) + std::log1p(e);
    scores[l] = learning_rate * (targets[l] - probability);
  }
  return loss;
}

// The same for a softmax over the scores against a target distribution. Returns the cross-entropy.
double softmax_steps(std::span<float> scores, std::span<const float> targets, float learning_rate) {
  const float max_score = *std::max_element(scores.begin(), scores.end());
  double normaliser = 0.0;
  double target_score = 0.0;
  for (std::size_t l = 0; l < scores.size(); ++l) {
    target_score += static_cast<double>(targets[l]) * (scores[l] - max_score);
    scores[l] = std::exp(scores[l] - max_score);
    normaliser += scores[l];
  }
  const auto inverse = static_cast<float>(1.0 / normaliser);
  for (std::size_t l = 0; l < scores.size(); ++l)
    scores[l] = learning_rate * (targets[l] - scores[l] * inverse);
  return std::log(normaliser) - target_score;
}

std::int64_t read_int_in(const config::Node& value, const std::string& what, std::int64_t low,
                         std::int64_t high) {
  const std::int64_t v = value.as_int(what);
  if (v < low || v > high)
    throw ConfigError(fmt::format("{} must be between {} and {}, not {}", what, low, high, v));
  return v;
}

std::string_view loss_name(FastTextLoss loss) { return loss == FastTextLoss::ova ? "ova" : "softmax"; }

// Counts of 64-bit fingerprints: open addressing with linear probing, at most half full. Several
// times faster than std::unordered_map for the tens of millions of tokens of a training set.
class FingerprintCounter {
 public:
  FingerprintCounter() : keys_(kInitialSlots), counts_(kInitialSlots, 0), used_(kInitialSlots, 0) {}

  void add(std::uint64_t fingerprint, std::uint64_t count = 1) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    const std::size_t mask = keys_.size() - 1;
    std::size_t slot = fingerprint & mask;
    while (used_[slot] != 0 && keys_[slot] != fingerprint) slot = (slot + 1) & mask;
    if (used_[slot] == 0) {
      used_[slot] = 1;
      keys_[slot] = fingerprint;
      ++size_;
    }
    counts_[slot] += count;
  }

  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t slot = 0; slot < keys_.size(); ++slot) {
      if (used_[slot] != 0) visit(keys_[slot], counts_[slot]);
    }
  }

 private:
  static constexpr std::size_t kInitialSlots = std::size_t{1} << 16;

  void grow() {
    FingerprintCounter bigger(keys_.size() * 2);
    for_each([&bigger](std::uint64_t fingerprint, std::uint64_t count) { bigger.add(fingerprint, count); });
    *this = std::move(bigger);
  }
  explicit FingerprintCounter(std::size_t slots) : keys_(slots), counts_(slots, 0), used_(slots, 0) {}

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint64_t> counts_;
  std::vector<std::uint8_t> used_;
  std::size_t size_ = 0;
};

// Token counts of every word of the documents (title and abstract), counted on `threads` threads.
FingerprintCounter count_words(std::span<const Document> documents, const text::Tokenizer& tokenizer,
                               unsigned threads) {
  std::vector<FingerprintCounter> counts(threads);
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        trace::name_thread("features", t + 1);
        TraceSpan span("count_words", "model");
        std::string scratch;
        FingerprintCounter& mine = counts[t];
        const auto count = [&mine](std::string_view token) { mine.add(text::token_fingerprint(token)); };
        for (std::size_t d = documents.size() * t / threads; d < documents.size() * (t + 1) / threads; ++d) {
          tokenizer.for_each_token(documents[d].title, scratch, count);
          tokenizer.for_each_token(documents[d].abstract, scratch, count);
        }
      });
    }
  }
  for (unsigned t = 1; t < threads; ++t) {
    counts[t].for_each(
        [&counts](std::uint64_t fingerprint, std::uint64_t count) { counts[0].add(fingerprint, count); });
    counts[t] = {};
  }
  return std::move(counts[0]);
}

}  // namespace

FastTextParams FastTextParams::from_config(const config::Node& model_section) {
  FastTextParams p;
  if (model_section.is_null()) return p;
  if (!model_section.is_map()) throw ConfigError("model: expected a map of the fasttext model's parameters");
  for (const auto& [key, value] : model_section.entries()) {
    const std::string what = "model." + key;
    if (key == "family") continue;
    const bool known = key == "dim" || key == "buckets" || key == "word_ngrams" || key == "min_count" ||
                       key == "loss" || key == "learning_rate";
    if (!known) {
      throw ConfigError(fmt::format(
          "unknown key {} for the fasttext model (known: family, dim, buckets, word_ngrams, min_count, loss, "
          "learning_rate)",
          what));
    }
    if (value.is_null()) continue;  // keeps the default
    if (key == "dim") {
      p.dim = static_cast<std::size_t>(read_int_in(value, what, 1, kMaxDim));
    } else if (key == "buckets") {
      p.buckets = static_cast<std::size_t>(read_int_in(value, what, 1, kMaxBuckets));
    } else if (key == "word_ngrams") {
      p.word_ngrams = static_cast<int>(read_int_in(value, what, 1, 2));
    } else if (key == "min_count") {
      p.min_count =
          static_cast<std::uint32_t>(read_int_in(value, what, 1, std::numeric_limits<std::uint32_t>::max()));
    } else if (key == "loss") {
      const std::string v = value.as_string(what);
      if (v == "ova") {
        p.loss = FastTextLoss::ova;
      } else if (v == "softmax") {
        p.loss = FastTextLoss::softmax;
      } else {
        throw ConfigError(fmt::format("{} must be 'ova' or 'softmax', not '{}'", what, v));
      }
    } else {
      p.learning_rate = value.as_double(what);
      if (!(p.learning_rate > 0.0) || !std::isfinite(p.learning_rate)) {
        throw ConfigError(fmt::format("{} must be a positive number", what));
      }
    }
  }
  return p;
}

void FastTextModel::initialize(const LabeledDocuments& train, const config::Node& params, bool multi_label,
                               std::uint64_t seed) {
  initialize(train, FastTextParams::from_config(params), multi_label, seed);
}

void FastTextModel::initialize(const LabeledDocuments& train, const FastTextParams& params, bool multi_label,
                               std::uint64_t seed) {
  if (train.label_count == 0) throw Error("fasttext model: the training data has no labels");
  if (train.label_count > kMaxLabels)
    throw Error(fmt::format("fasttext model: {} labels are too many", train.label_count));
  params_ = params;
  multi_label_ = multi_label;
  seed_ = seed;
  label_count_ = train.label_count;
  loss_ = params.loss.value_or(multi_label ? FastTextLoss::ova : FastTextLoss::softmax);
  tokenizer_options_ = text::TokenizerOptions{};
  check_labels(train);

  // Words in order of decreasing count (ties by fingerprint): the order does not depend on threads.
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
  const auto counts = count_words(train.documents, text::Tokenizer(tokenizer_options_), threads);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> kept;  // (count, fingerprint)
  counts.for_each([&](std::uint64_t fingerprint, std::uint64_t count) {
    if (count >= params_.min_count) kept.emplace_back(count, fingerprint);
  });
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::uint64_t> fingerprints;
  fingerprints.reserve(kept.size());
  for (const auto& entry : kept) fingerprints.push_back(entry.second);
  vocabulary_ = WordVocabulary(std::move(fingerprints));
  if (embedding_rows() >= std::numeric_limits<std::uint32_t>::max()) {
    throw Error(fmt::format("fasttext model: {} embedding rows are too many", embedding_rows()));
  }

  // Embeddings start uniform in [-1/dim, 1/dim] as in fastText; the output layer starts at zero.
  // The random values are built from raw mt19937_64 bits: the same on every platform.
  input_.resize(embedding_rows() * params_.dim);
  std::mt19937_64 rng(seed ^ 0x6a09e667f3bcc909ULL);
  const float range = 1.0F / static_cast<float>(params_.dim);
  for (float& weight : input_) {
    const auto unit = static_cast<float>(rng() >> 40) * 0x1p-24F;  // [0, 1)
    weight = (2.0F * unit - 1.0F) * range;
  }
  output_.assign(label_count_ * params_.dim, 0.0F);

  // Biases start at the labels' log prior odds (log prior for softmax), so that the first examples do
  // not spend their updates on learning the label frequencies.
  std::vector<double> counts_per_label(label_count_, 0.0);
  for (const auto labels : train.labels) {
    if (labels.empty()) continue;
    if (!multi_label_) {
      counts_per_label[labels[0]] += 1.0;
    } else if (loss_ == FastTextLoss::ova) {
      for (const std::uint32_t label : labels) counts_per_label[label] += 1.0;
    } else {
      for (const std::uint32_t label : labels)
        counts_per_label[label] += 1.0 / static_cast<double>(labels.size());
    }
  }
  const auto n = static_cast<double>(train.documents.size());
  bias_.resize(label_count_);
  for (std::size_t l = 0; l < label_count_; ++l) {
    const double prior = (counts_per_label[l] + 1.0) / (n + 2.0);
    bias_[l] =
        static_cast<float>(loss_ == FastTextLoss::ova ? std::log(prior / (1.0 - prior)) : std::log(prior));
  }
}

void FastTextModel::check_labels(const LabeledDocuments& data) const {
  if (data.labels.size() != data.documents.size()) {
    throw Error(fmt::format("fasttext model: {} documents but {} label lists", data.documents.size(),
                            data.labels.size()));
  }
  for (std::size_t d = 0; d < data.labels.size(); ++d) {
    if (!multi_label_ && data.labels[d].empty()) {
      throw Error(fmt::format("fasttext model: document {} has no label (single-label training)", d));
    }
    for (const std::uint32_t label : data.labels[d]) {
      if (label >= label_count_) {
        throw Error(fmt::format("fasttext model: document {} has label {} but there are {} labels", d, label,
                                label_count_));
      }
    }
  }
}

void FastTextModel::append_document_rows(const Document& document, std::string& scratch,
                                         std::vector<std::uint32_t>& rows) const {
  const text::Tokenizer tokenizer(tokenizer_options_);
  const auto words = static_cast<std::uint32_t>(vocabulary_.size());
  const std::size_t buckets = bucket_rows();
  for (const std::string_view field : {document.title, document.abstract}) {
    std::uint64_t previous = 0;
    bool has_previous = false;
    tokenizer.for_each_token(field, scratch, [&](std::string_view token) {
      const std::uint64_t fingerprint = text::token_fingerprint(token);
      const std::uint32_t word = vocabulary_.find(fingerprint);
      if (word != WordVocabulary::kAbsent) rows.push_back(word);
      // Bigrams use every token, also those outside the vocabulary, as fastText does.
      if (buckets != 0 && has_previous) {
        rows.push_back(words +
                       static_cast<std::uint32_t>(text::bigram_fingerprint(previous, fingerprint) % buckets));
      }
      previous = fingerprint;
      has_previous = true;
    });
  }
}

void FastTextModel::average_embedding(std::span<const std::uint32_t> rows, float* hidden) const {
  const std::size_t dim = params_.dim;
  std::fill_n(hidden, dim, 0.0F);
  if (rows.empty()) return;
  // The rows lie scattered over hundreds of megabytes: fetching some rows ahead hides the memory latency
  // that otherwise dominates training and prediction.
  constexpr std::size_t kPrefetchDistance = 6;
  const std::size_t row_bytes = dim * sizeof(float);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (k + kPrefetchDistance < rows.size()) {
      const char* ahead = reinterpret_cast<const char*>(input_.data() + rows[k + kPrefetchDistance] * dim);
      for (std::size_t offset = 0; offset < row_bytes; offset += 64) __builtin_prefetch(ahead + offset);
    }
    dense::add(hidden, input_.data() + rows[k] * dim, dim);
  }
  dense::scale(hidden, 1.0F / static_cast<float>(rows.size()), dim);
}

void FastTextModel::label_scores(const float* hidden, float* scores) const {
  const std::size_t dim = params_.dim;
  for (std::size_t l = 0; l < label_count_; ++l)
    scores[l] = bias_[l] + dense::dot(output_.data() + l * dim, hidden, dim);
}

double FastTextModel::train_epoch(const LabeledDocuments& train, const EpochContext& context) {
  if (label_count_ == 0) throw Error("fasttext model: train_epoch before initialize or load");
  if (train.label_count != label_count_) {
    throw Error(fmt::format("fasttext model: training data has {} labels, the model {}", train.label_count,
                            label_count_));
  }
  check_labels(train);
  const std::size_t n = train.documents.size();
  if (n == 0) return 0.0;

  const auto order = shuffled_order(
      n, context.seed ^ (0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(context.epoch + 1)));
  const double total_steps = static_cast<double>(n) * std::max(1, context.total_epochs);
  const double first_step = static_cast<double>(n) * context.epoch;
  const auto learning_rate_at = [&](std::size_t position) {
    const double progress = (first_step + static_cast<double>(position)) / total_steps;
    return params_.learning_rate * std::max(0.0, 1.0 - progress);
  };

  // The examples go in blocks; with a second thread, the rows of block b + 1 are found while block b
  // trains. Finding rows reads the vocabulary only, so the result is the same either way.
  const std::size_t blocks = (n + kBlockExamples - 1) / kBlockExamples;
  std::array<RowBlock, 2> buffers;
  std::string scratch;
  const auto fill = [&](std::size_t block, RowBlock& rows, std::string& own_scratch) {
    rows.offsets.assign(1, 0);
    rows.rows.clear();
    const std::size_t end = std::min(n, (block + 1) * kBlockExamples);
    for (std::size_t position = block * kBlockExamples; position < end; ++position) {
      append_document_rows(train.documents[order[position]], own_scratch, rows.rows);
      rows.offsets.push_back(rows.rows.size());
    }
  };
  const std::size_t dim = params_.dim;
  std::vector<float> hidden(dim);
  std::vector<float> gradient(dim);
  std::vector<float> steps(label_count_);
  std::vector<float> targets(label_count_, 0.0F);
  double loss_sum = 0.0;
  std::size_t examples = 0;
  const auto train_block = [&](std::size_t block, const RowBlock& rows) {
    for (std::size_t i = 0; i + 1 < rows.offsets.size(); ++i) {
      const std::size_t position = block * kBlockExamples + i;
      const auto labels = train.labels[order[position]];
      // A softmax needs a target distribution: a multi-label run's unlabelled document teaches it nothing.
      if (loss_ == FastTextLoss::softmax && labels.empty()) continue;
      if (!multi_label_) {
        targets[labels[0]] = 1.0F;
      } else {
        const float share = loss_ == FastTextLoss::ova ? 1.0F : 1.0F / static_cast<float>(labels.size());
        for (const std::uint32_t label : labels) targets[label] = share;
      }

      const std::span<const std::uint32_t> document(rows.rows.data() + rows.offsets[i],
                                                    rows.offsets[i + 1] - rows.offsets[i]);
      average_embedding(document, hidden.data());
      label_scores(hidden.data(), steps.data());
      const auto learning_rate = static_cast<float>(learning_rate_at(position));
      loss_sum += loss_ == FastTextLoss::ova ? ova_steps(steps, targets, learning_rate)
                                             : softmax_steps(steps, targets, learning_rate);
      ++examples;

      // Back-propagate through the output layer (with its weights before this step), then step it.
      std::fill(gradient.begin(), gradient.end(), 0.0F);
      for (std::size_t l = 0; l < label_count_; ++l) {
        float* const weights = output_.data() + l * dim;
        dense::add_scaled(gradient.data(), steps[l], weights, dim);
        dense::add_scaled(weights, steps[l], hidden.data(), dim);
        bias_[l] += steps[l];
      }
      if (!document.empty()) {
        dense::scale(gradient.data(), 1.0F / static_cast<float>(document.size()), dim);
        for (const std::uint32_t row : document) dense::add(input_.data() + row * dim, gradient.data(), dim);
      }
      for (const std::uint32_t label : labels) targets[label] = 0.0F;
    }
    if (context.on_progress) {
      const std::size_t done = std::min(n, (block + 1) * kBlockExamples);
      context.on_progress(static_cast<double>(done) / static_cast<double>(n),
                          loss_sum / static_cast<double>(std::max<std::size_t>(examples, 1)),
                          learning_rate_at(done));
    }
  };

  fill(0, buffers[0], scratch);
  if (context.threads < 2 || blocks == 1) {
    for (std::size_t block = 0; block < blocks; ++block) {
      if (block != 0) fill(block, buffers[block % 2], scratch);
      train_block(block, buffers[block % 2]);
    }
  } else {
    // Phase b of the barrier ends when block b has trained and block b + 1's rows are found. A thread
    // that fails drops out of the barrier, so that the other one never waits for it.
    std::barrier phase_done(2);
    std::exception_ptr helper_error;
    std::jthread row_finder([&] {
      trace::name_thread("row_finder");
      TraceSpan span("find_rows", "model");
      std::string helper_scratch;
      for (std::size_t block = 1; block < blocks; ++block) {
        try {
          fill(block, buffers[block % 2], helper_scratch);
        } catch (...) {
          helper_error = std::current_exception();
          phase_done.arrive_and_drop();
          return;
        }
        phase_done.arrive_and_wait();
      }
    });
    try {
      for (std::size_t block = 0; block < blocks; ++block) {
        train_block(block, buffers[block % 2]);
        if (block + 1 < blocks) phase_done.arrive_and_wait();
        if (helper_error) break;
      }
    } catch (...) {
      phase_done.arrive_and_drop();
      throw;
    }
    row_finder.join();
    if (helper_error) std::rethrow_exception(helper_error);
  }
  const double mean_loss = loss_sum / static_cast<double>(std::max<std::size_t>(examples, 1));
  if (context.on_progress) context.on_progress(1.0, mean_loss, learning_rate_at(n));
  return mean_loss;
}

void FastTextModel::predict(std::span<const Document> documents, std::span<float> probabilities) const {
  if (label_count_ == 0) throw Error("fasttext model: predict before initialize or load");
  if (probabilities.size() != documents.size() * label_count_) {
    throw Error(fmt::format("fasttext model: {} documents need {} probabilities, got room for {}",
                            documents.size(), documents.size() * label_count_, probabilities.size()));
  }
  std::string scratch;
  std::vector<std::uint32_t> rows;
  std::vector<float> hidden(params_.dim);
  for (std::size_t d = 0; d < documents.size(); ++d) {
    rows.clear();
    append_document_rows(documents[d], scratch, rows);
    average_embedding(rows, hidden.data());
    float* const out = probabilities.data() + d * label_count_;
    label_scores(hidden.data(), out);
    if (loss_ == FastTextLoss::ova) {
      for (std::size_t l = 0; l < label_count_; ++l) out[l] = 1.0F / (1.0F + std::exp(-out[l]));
    } else {
      const float max_score = *std::max_element(out, out + label_count_);
      double sum = 0.0;
      for (std::size_t l = 0; l < label_count_; ++l) {
        out[l] = std::exp(out[l] - max_score);
        sum += out[l];
      }
      const auto inverse = static_cast<float>(1.0 / sum);
      for (std::size_t l = 0; l < label_count_; ++l) out[l] *= inverse;
    }
  }
}

void FastTextModel::save(BinaryWriter& out) const {
  out.put<std::uint32_t>(kPayloadVersion);
  out.put<std::uint64_t>(params_.dim);
  out.put<std::uint64_t>(params_.buckets);
  out.put<std::uint32_t>(static_cast<std::uint32_t>(params_.word_ngrams));
  out.put<std::uint32_t>(params_.min_count);
  out.put<double>(params_.learning_rate);
  out.put<std::uint8_t>(static_cast<std::uint8_t>(loss_));
  out.put<std::uint8_t>(multi_label_ ? 1 : 0);
  out.put<std::uint64_t>(seed_);
  out.put<std::uint64_t>(tokenizer_options_.min_length);
  out.put<std::uint8_t>(tokenizer_options_.keep_single_digits ? 1 : 0);
  out.put<std::uint8_t>(tokenizer_options_.remove_stop_words ? 1 : 0);
  out.put<std::uint64_t>(label_count_);
  out.put_array(std::span<const std::uint64_t>(vocabulary_.fingerprints()));
  out.put_array(std::span<const float>(input_));
  out.put_array(std::span<const float>(output_));
  out.put_array(std::span<const float>(bias_));
}

void FastTextModel::load(BinaryReader& in) {
  const auto version = in.get<std::uint32_t>();
  if (version != kPayloadVersion) in.fail(fmt::format("unsupported fasttext payload version {}", version));
  FastTextParams params;
  params.dim = in.get<std::uint64_t>();
  if (params.dim < 1 || params.dim > kMaxDim)
    in.fail(fmt::format("implausible embedding dimension {}", params.dim));
  params.buckets = in.get<std::uint64_t>();
  if (params.buckets < 1 || params.buckets > kMaxBuckets)
    in.fail(fmt::format("implausible bucket count {}", params.buckets));
  const auto word_ngrams = in.get<std::uint32_t>();
  if (word_ngrams < 1 || word_ngrams > 2) in.fail(fmt::format("word_ngrams {} is not 1 or 2", word_ngrams));
  params.word_ngrams = static_cast<int>(word_ngrams);
  params.min_count = in.get<std::uint32_t>();
  params.learning_rate = in.get<double>();
  if (!(params.learning_rate > 0.0) || !std::isfinite(params.learning_rate)) in.fail("invalid learning rate");
  const auto loss = in.get<std::uint8_t>();
  if (loss > 1) in.fail(fmt::format("unknown loss code {}", loss));
  params.loss = static_cast<FastTextLoss>(loss);
  const bool multi_label = in.get<std::uint8_t>() != 0;
  const auto seed = in.get<std::uint64_t>();
  text::TokenizerOptions tokenizer_options;
  tokenizer_options.min_length = in.get<std::uint64_t>();
  if (tokenizer_options.min_length < 1 || tokenizer_options.min_length > 64)
    in.fail("implausible minimum token length");
  tokenizer_options.keep_single_digits = in.get<std::uint8_t>() != 0;
  tokenizer_options.remove_stop_words = in.get<std::uint8_t>() != 0;
  const auto label_count = in.get<std::uint64_t>();
  if (label_count == 0 || label_count > kMaxLabels)
    in.fail(fmt::format("implausible label count {}", label_count));
  auto fingerprints = in.get_array<std::uint64_t>();
  WordVocabulary vocabulary;
  try {
    vocabulary = WordVocabulary(std::move(fingerprints));
  } catch (const Error& e) {
    in.fail(e.what());
  }
  const std::size_t rows = vocabulary.size() + (params.word_ngrams >= 2 ? params.buckets : 0);
  auto input = in.get_array<float>();
  if (input.size() / params.dim != rows || input.size() % params.dim != 0) {
    in.fail(fmt::format("embedding matrix has {} values, expected {} rows of {}", input.size(), rows,
                        params.dim));
  }
  auto output = in.get_array<float>();
  if (output.size() != label_count * params.dim) {
    in.fail(fmt::format("output matrix has {} values, expected {} labels x {}", output.size(), label_count,
                        params.dim));
  }
  auto bias = in.get_array<float>();
  if (bias.size() != label_count)
    in.fail(fmt::format("bias vector has {} values, expected {}", bias.size(), label_count));

  // Only now, with everything read and checked, does the model change.
  params_ = params;
  loss_ = *params.loss;
  multi_label_ = multi_label;
  seed_ = seed;
  tokenizer_options_ = tokenizer_options;
  label_count_ = label_count;
  vocabulary_ = std::move(vocabulary);
  input_.assign(input.begin(), input.end());
  output_ = std::move(output);
  bias_ = std::move(bias);
}

std::string FastTextModel::describe() const {
  nlohmann::json j;
  j["family"] = family();
  j["loss"] = loss_name(loss_);
  j["objective"] = loss_ == FastTextLoss::ova ? "one sigmoid per label" : "softmax over labels";
  j["multi_label"] = multi_label_;
  j["label_count"] = label_count_;
  j["featurisation"] = {{"input", "title and abstract, tokenised apart"},
                        {"tokenizer",
                         {{"min_length", tokenizer_options_.min_length},
                          {"keep_single_digits", tokenizer_options_.keep_single_digits},
                          {"remove_stop_words", tokenizer_options_.remove_stop_words}}},
                        {"word_ngrams", params_.word_ngrams},
                        {"min_count", params_.min_count},
                        {"vocabulary_size", vocabulary_.size()},
                        {"buckets", bucket_rows()},
                        {"dim", params_.dim}};
  j["optimiser"] = {
      {"algorithm", "sgd, one example at a time, single-threaded; learning rate decaying linearly to 0"},
      {"learning_rate", params_.learning_rate}};
  j["parameters"] = input_.size() + output_.size() + bias_.size();
  j["seed"] = seed_;
  return j.dump();
}

}  // namespace arxivc::model
