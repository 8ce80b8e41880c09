#include "arxivc/model/linear_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <barrier>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <thread>

#include "arxivc/core/error.hpp"
#include "arxivc/core/trace.hpp"
#include "worker_threads.hpp"

namespace arxivc::model {
namespace {

constexpr std::size_t kFloatsPerCacheLine = 16;
// Threads meet after each chunk of examples, to report progress and to fold the L2 scale.
constexpr std::size_t kChunkExamples = 16384;
// The weights are kept as scale * stored; the scale is folded into them before it gets this small.
constexpr double kMinScale = 1e-3;
// Softmax training: threads exchange their slices' normalisers once per block of this many examples.
constexpr std::size_t kSoftmaxBlock = 32;
// Version 2 stores the weight rows padded to whole cache lines at a 64-byte aligned file offset, so a
// mapped model file is used in place; version 1 (compact rows) is still read.
constexpr std::uint32_t kPayloadVersion = 2;
constexpr std::size_t kRowAlignment = 64;

// A Fisher-Yates shuffle driven by mt19937_64, identical on every platform (std::shuffle is not).
std::vector<std::uint32_t> shuffled_order(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  std::mt19937_64 rng(seed);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  return order;
}

// Labels [begin, end) of one thread: whole cache lines of every weight row, so no two threads write
// to one cache line.
struct LabelSlice {
  std::size_t begin;
  std::size_t end;
};
LabelSlice label_slice(std::size_t label_count, std::size_t stride, unsigned thread, unsigned threads) {
  const std::size_t lines = stride / kFloatsPerCacheLine;
  const std::size_t begin = std::min(label_count, lines * thread / threads * kFloatsPerCacheLine);
  const std::size_t end = std::min(label_count, lines * (thread + 1) / threads * kFloatsPerCacheLine);
  return {begin, end};
}

// Binary log-loss of score s against target y in {0, 1}, computed stably.
double logistic_loss(float s, bool positive) {
  const double z = positive ? -static_cast<double>(s) : static_cast<double>(s);
  return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

void read_positive(const config::Node& value, const std::string& what, double& out) {
  out = value.as_double(what);
  if (!(out > 0.0) || !std::isfinite(out))
    throw ConfigError(fmt::format("{} must be a positive number", what));
}

std::int64_t read_int_in(const config::Node& value, const std::string& what, std::int64_t low,
                         std::int64_t high) {
  const std::int64_t v = value.as_int(what);
  if (v < low || v > high)
    throw ConfigError(fmt::format("{} must be between {} and {}, not {}", what, low, high, v));
  return v;
}

}  // namespace

LinearModelParams LinearModelParams::from_config(const config::Node& model_section) {
  LinearModelParams p;
  if (model_section.is_null()) return p;
  if (!model_section.is_map()) throw ConfigError("model: expected a map of the linear model's parameters");
  bool saw_df_option = false;
  bool saw_hash_bits = false;
  for (const auto& [key, value] : model_section.entries()) {
    const std::string what = "model." + key;
    if (key == "family") continue;
    if (key == "features") {
      const std::string v = value.as_string(what);
      if (v == "vocabulary") {
        p.features.space = FeatureSpace::vocabulary;
      } else if (v == "hashing") {
        p.features.space = FeatureSpace::hashing;
      } else {
        throw ConfigError(fmt::format("{} must be 'vocabulary' or 'hashing', not '{}'", what, v));
      }
    } else if (key == "ngram_max") {
      p.features.ngram_max = static_cast<int>(read_int_in(value, what, 1, 3));
    } else if (key == "min_df") {
      p.features.min_df = read_int_in(value, what, 1, std::numeric_limits<std::uint32_t>::max());
      saw_df_option = true;
    } else if (key == "max_df") {
      p.features.max_df = value.as_double(what);
      if (!(p.features.max_df > 0.0 && p.features.max_df <= 1.0)) {
        throw ConfigError(fmt::format("{} must be a fraction of documents in (0, 1]", what));
      }
      saw_df_option = true;
    } else if (key == "max_features") {
      p.features.max_features = read_int_in(value, what, 1, std::numeric_limits<std::int32_t>::max());
      saw_df_option = true;
    } else if (key == "hash_bits") {
      p.features.hash_bits = static_cast<int>(read_int_in(value, what, 10, 28));
      saw_hash_bits = true;
    } else if (key == "sublinear_tf") {
      p.features.sublinear_tf = value.as_bool(what);
    } else if (key == "title_weight") {
      p.features.title_weight = value.as_double(what);
      if (!(p.features.title_weight >= 1.0 && p.features.title_weight <= 100.0)) {
        throw ConfigError(fmt::format("{} must be a number between 1 and 100", what));
      }
    } else if (key == "min_token_length") {
      p.features.tokenizer.min_length = static_cast<std::size_t>(read_int_in(value, what, 1, 64));
    } else if (key == "keep_single_digits") {
      p.features.tokenizer.keep_single_digits = value.as_bool(what);
    } else if (key == "stop_words") {
      p.features.tokenizer.remove_stop_words = value.as_bool(what);
    } else if (key == "learning_rate") {
      read_positive(value, what, p.learning_rate);
    } else if (key == "l2") {
      p.l2 = value.as_double(what);
      if (!(p.l2 >= 0.0) || !std::isfinite(p.l2)) throw ConfigError(what + " must be a number >= 0");
    } else if (key == "primary_weight") {
      read_positive(value, what, p.primary_weight);
    } else {
      throw ConfigError(fmt::format(
          "unknown key {} for the linear model (known: features, ngram_max, min_df, max_df, max_features, "
          "hash_bits, sublinear_tf, title_weight, min_token_length, keep_single_digits, stop_words, "
          "learning_rate, l2, "
          "primary_weight)",
          what));
    }
  }
  if (p.features.space == FeatureSpace::hashing && saw_df_option) {
    throw ConfigError("model.min_df, model.max_df and model.max_features apply to features: vocabulary only");
  }
  if (p.features.space == FeatureSpace::vocabulary && saw_hash_bits) {
    throw ConfigError("model.hash_bits applies to features: hashing only");
  }
  return p;
}

void LinearModel::initialize(const LabeledDocuments& train, const config::Node& params, bool multi_label,
                             std::uint64_t seed) {
  initialize(train, LinearModelParams::from_config(params), multi_label, seed);
}

void LinearModel::initialize(const LabeledDocuments& train, const LinearModelParams& params, bool multi_label,
                             std::uint64_t seed) {
  if (train.label_count == 0) throw Error("linear model: the training data has no labels");
  if (train.labels.size() != train.documents.size()) {
    throw Error("linear model: training documents and label lists differ in number");
  }
  params_ = params;
  multi_label_ = multi_label;
  seed_ = seed;
  label_count_ = train.label_count;
  cache_ = FeatureCache{};
  // The vocabulary fit's result does not depend on the thread count; use the cores there are.
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
  features_.fit(train.documents, params_.features, threads);
  allocate_parameters();

  // Biases start at the labels' log prior odds (log prior for softmax), so that the first examples
  // do not spend their updates on learning the label frequencies.
  std::vector<double> counts(label_count_, 0.0);
  for (std::size_t d = 0; d < train.labels.size(); ++d) {
    const auto labels = train.labels[d];
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] >= label_count_) {
        throw Error(fmt::format("linear model: document {} has label {} but there are {} labels", d,
                                labels[i], label_count_));
      }
      if (multi_label_ || i == 0) counts[labels[i]] += 1.0;
    }
  }
  const auto n = static_cast<double>(train.documents.size());
  for (std::size_t l = 0; l < label_count_; ++l) {
    const double prior = (counts[l] + 1.0) / (n + 2.0);
    bias_[l] = static_cast<float>(multi_label_ ? std::log(prior / (1.0 - prior)) : std::log(prior));
  }
}

void LinearModel::allocate_parameters() {
  stride_ = (label_count_ + kFloatsPerCacheLine - 1) / kFloatsPerCacheLine * kFloatsPerCacheLine;
  weights_.assign(features_.feature_count() * stride_, 0.0F);
  rows_ = weights_.data();
  rows_owner_.reset();
  bias_.assign(stride_, 0.0F);
}

void LinearModel::ensure_feature_cache(const LabeledDocuments& train, unsigned threads) {
  if (cache_.documents == train.documents.data() && cache_.count == train.documents.size()) return;
  cache_ = FeatureCache{};
  const std::size_t n = train.documents.size();
  struct Part {
    std::vector<std::uint64_t> sizes;
    std::vector<std::uint32_t> indices;
    std::vector<float> values;
  };
  std::vector<Part> parts(threads);
  detail::run_on_threads(threads, "train", "feature_cache", [&](unsigned t) {
    TfidfFeatures::Workspace workspace;
    SparseFeatures row;
    Part& part = parts[t];
    for (std::size_t d = n * t / threads; d < n * (t + 1) / threads; ++d) {
      features_.transform(train.documents[d], workspace, row);
      part.sizes.push_back(row.indices.size());
      part.indices.insert(part.indices.end(), row.indices.begin(), row.indices.end());
      part.values.insert(part.values.end(), row.values.begin(), row.values.end());
    }
  });
  cache_.offsets.reserve(n + 1);
  cache_.offsets.push_back(0);
  std::size_t total = 0;
  for (const Part& part : parts) total += part.indices.size();
  cache_.indices.reserve(total);
  cache_.values.reserve(total);
  for (Part& part : parts) {
    for (const std::uint64_t size : part.sizes) cache_.offsets.push_back(cache_.offsets.back() + size);
    cache_.indices.insert(cache_.indices.end(), part.indices.begin(), part.indices.end());
    cache_.values.insert(cache_.values.end(), part.values.begin(), part.values.end());
    part = Part{};
  }
  cache_.documents = train.documents.data();
  cache_.count = n;
}

double LinearModel::train_epoch(const LabeledDocuments& train, const EpochContext& context) {
  if (label_count_ == 0) throw Error("linear model: train_epoch before initialize or load");
  if (train.label_count != label_count_ || train.labels.size() != train.documents.size()) {
    throw Error(fmt::format("linear model: training data has {} labels, the model {}", train.label_count,
                            label_count_));
  }
  const std::size_t n = train.documents.size();
  if (n == 0) return 0.0;
  own_weights();
  if (!multi_label_) {
    for (std::size_t d = 0; d < n; ++d) {
      if (train.labels[d].empty()) throw Error(fmt::format("linear model: document {} has no label", d));
    }
  }
  const unsigned threads =
      static_cast<unsigned>(std::clamp<std::size_t>(context.threads, 1, stride_ / kFloatsPerCacheLine));
  ensure_feature_cache(train, threads);

  const auto order = shuffled_order(n, context.seed ^ (0x9e3779b97f4a7c15ULL * (context.epoch + 1)));
  const double total_steps = static_cast<double>(n) * std::max(1, context.total_epochs);
  const double first_step = static_cast<double>(n) * context.epoch;
  const auto learning_rate_at = [&](std::size_t position) {
    const double progress = (first_step + static_cast<double>(position)) / total_steps;
    return params_.learning_rate * std::max(0.0, 1.0 - progress);
  };

  double scale = 1.0;  // the true weights are scale * weights_
  const auto fold_scale = [&] {
    const auto factor = static_cast<float>(scale);
    const std::size_t rows = features_.feature_count();
    detail::run_on_threads(threads, "train", "fold_scale", [&](unsigned t) {
      for (std::size_t i = rows * t / threads * stride_; i < rows * (t + 1) / threads * stride_; ++i) {
        weights_[i] *= factor;
      }
    });
    scale = 1.0;
  };

  // Softmax couples the labels through the normaliser: each thread publishes, per example of a block,
  // its slice's (max score, sum of exp(score - max)); blocks alternate between two halves of the buffer.
  const std::size_t block = multi_label_ ? 1 : kSoftmaxBlock;
  std::vector<double> partial_max(2 * block * threads);
  std::vector<double> partial_sum(2 * block * threads);

  double loss_sum = 0.0;
  for (std::size_t chunk_begin = 0; chunk_begin < n; chunk_begin += kChunkExamples) {
    const std::size_t chunk_end = std::min(n, chunk_begin + kChunkExamples);
    std::vector<double> thread_loss(threads, 0.0);
    std::vector<double> thread_scale(threads, scale);
    std::barrier<> block_barrier(threads);
    detail::run_on_threads(threads, "train", "sgd", [&](unsigned t) {
      const LabelSlice slice = label_slice(label_count_, stride_, t, threads);
      const std::size_t width = slice.end - slice.begin;
      float* const bias = bias_.data() + slice.begin;
      std::vector<float> scores(block * width);
      std::vector<float> positive(width, 0.0F);
      double local_scale = scale;
      double loss = 0.0;

      // scores := bias + scale * (x . W) over this slice, for document d.
      const auto score = [&](std::uint32_t d, float* out) {
        std::fill(out, out + width, 0.0F);
        for (std::uint64_t k = cache_.offsets[d]; k < cache_.offsets[d + 1]; ++k) {
          const float* __restrict row = weights_.data() + cache_.indices[k] * stride_ + slice.begin;
          const float x = cache_.values[k];
          float* __restrict s = out;
          for (std::size_t l = 0; l < width; ++l) s[l] += x * row[l];
        }
        const auto true_scale = static_cast<float>(local_scale);
        for (std::size_t l = 0; l < width; ++l) out[l] = out[l] * true_scale + bias[l];
      };
      // One SGD step with the loss gradient `gradient` (per label of the slice) at position `position`:
      // L2 shrinks every weight through the scale, the gradient touches the document's rows only.
      const auto step = [&](std::uint32_t d, std::size_t position, const float* gradient) {
        const double eta = learning_rate_at(position);
        local_scale *= 1.0 - eta * params_.l2;
        const auto row_step = static_cast<float>(eta / local_scale);
        for (std::uint64_t k = cache_.offsets[d]; k < cache_.offsets[d + 1]; ++k) {
          float* __restrict row = weights_.data() + cache_.indices[k] * stride_ + slice.begin;
          const float factor = row_step * cache_.values[k];
          const float* __restrict g = gradient;
          for (std::size_t l = 0; l < width; ++l) row[l] -= factor * g[l];
        }
        const auto bias_step = static_cast<float>(eta);
        for (std::size_t l = 0; l < width; ++l) bias[l] -= bias_step * gradient[l];
      };
      const auto in_slice = [&](std::uint32_t label) { return label >= slice.begin && label < slice.end; };

      if (multi_label_) {
        for (std::size_t position = chunk_begin; position < chunk_end; ++position) {
          const std::uint32_t d = order[position];
          const auto labels = train.labels[d];
          float* const s = scores.data();
          score(d, s);
          for (const std::uint32_t label : labels) {
            if (in_slice(label)) positive[label - slice.begin] = 1.0F;
          }
          for (std::size_t l = 0; l < width; ++l) {
            loss += logistic_loss(s[l], positive[l] != 0.0F);
            s[l] = 1.0F / (1.0F + std::exp(-s[l])) - positive[l];  // d loss / d score
          }
          if (!labels.empty() && in_slice(labels[0])) {
            s[labels[0] - slice.begin] *= static_cast<float>(params_.primary_weight);
          }
          for (const std::uint32_t label : labels) {
            if (in_slice(label)) positive[label - slice.begin] = 0.0F;
          }
          step(d, position, s);
        }
      } else {
        // Blocks of examples are scored with the weights as they were at the block's start, so that the
        // threads meet once per block rather than once per example.
        for (std::size_t block_begin = chunk_begin; block_begin < chunk_end; block_begin += block) {
          const std::size_t block_size = std::min(block, chunk_end - block_begin);
          const std::size_t half = ((block_begin / block) & 1) * block * threads;
          for (std::size_t b = 0; b < block_size; ++b) {
            float* const s = scores.data() + b * width;
            score(order[block_begin + b], s);
            const float local_max =
                width == 0 ? -std::numeric_limits<float>::infinity() : *std::max_element(s, s + width);
            double local_sum = 0.0;
            for (std::size_t l = 0; l < width; ++l)
              local_sum += std::exp(static_cast<double>(s[l] - local_max));
            partial_max[half + b * threads + t] = local_max;
            partial_sum[half + b * threads + t] = local_sum;
          }
          block_barrier.arrive_and_wait();
          for (std::size_t b = 0; b < block_size; ++b) {
            const std::size_t position = block_begin + b;
            const std::uint32_t d = order[position];
            float* const s = scores.data() + b * width;
            const double* const maxima = partial_max.data() + half + b * threads;
            const double* const sums = partial_sum.data() + half + b * threads;
            const double global_max = *std::max_element(maxima, maxima + threads);
            double normaliser = 0.0;
            for (unsigned u = 0; u < threads; ++u) normaliser += sums[u] * std::exp(maxima[u] - global_max);
            const double log_normaliser = global_max + std::log(normaliser);
            const std::uint32_t gold = train.labels[d][0];
            if (in_slice(gold)) loss += log_normaliser - static_cast<double>(s[gold - slice.begin]);
            for (std::size_t l = 0; l < width; ++l) {
              s[l] = static_cast<float>(std::exp(static_cast<double>(s[l]) - log_normaliser));
            }
            if (in_slice(gold)) s[gold - slice.begin] -= 1.0F;
            step(d, position, s);
          }
        }
      }
      thread_loss[t] = loss;
      thread_scale[t] = local_scale;
    });
    scale = thread_scale[0];  // every thread followed the same sequence of scales
    for (const double loss : thread_loss) loss_sum += loss;
    if (scale < kMinScale) fold_scale();
    if (context.on_progress) {
      context.on_progress(static_cast<double>(chunk_end) / static_cast<double>(n),
                          loss_sum / static_cast<double>(chunk_end), learning_rate_at(chunk_end));
    }
  }
  fold_scale();
  return loss_sum / static_cast<double>(n);
}

void LinearModel::predict(std::span<const Document> documents, std::span<float> probabilities) const {
  if (label_count_ == 0) throw Error("linear model: predict before initialize or load");
  if (probabilities.size() != documents.size() * label_count_) {
    throw Error(fmt::format("linear model: {} documents need {} probabilities, got room for {}",
                            documents.size(), documents.size() * label_count_, probabilities.size()));
  }
  TfidfFeatures::Workspace workspace;
  SparseFeatures row_features;
  AlignedFloats scores(stride_);
  for (std::size_t d = 0; d < documents.size(); ++d) {
    features_.transform(documents[d], workspace, row_features);
    std::copy(bias_.begin(), bias_.end(), scores.begin());
    float* __restrict s = scores.data();
    for (std::size_t k = 0; k < row_features.indices.size(); ++k) {
      const float* __restrict row = rows_ + row_features.indices[k] * stride_;
      const float x = row_features.values[k];
      for (std::size_t l = 0; l < stride_; ++l) s[l] += x * row[l];
    }
    float* out = probabilities.data() + d * label_count_;
    if (multi_label_) {
      for (std::size_t l = 0; l < label_count_; ++l) out[l] = 1.0F / (1.0F + std::exp(-s[l]));
    } else {
      const float max_score = *std::max_element(s, s + label_count_);
      double sum = 0.0;
      for (std::size_t l = 0; l < label_count_; ++l) sum += std::exp(static_cast<double>(s[l] - max_score));
      for (std::size_t l = 0; l < label_count_; ++l) {
        out[l] = static_cast<float>(std::exp(static_cast<double>(s[l] - max_score)) / sum);
      }
    }
  }
}

void LinearModel::own_weights() {
  if (!rows_owner_) return;
  weights_.assign(rows_, rows_ + features_.feature_count() * stride_);
  rows_ = weights_.data();
  rows_owner_.reset();
}

void LinearModel::save(BinaryWriter& out) const {
  out.put<std::uint32_t>(kPayloadVersion);
  out.put<std::uint8_t>(multi_label_ ? 1 : 0);
  out.put<std::uint64_t>(seed_);
  out.put<double>(params_.learning_rate);
  out.put<double>(params_.l2);
  out.put<double>(params_.primary_weight);
  out.put<std::uint64_t>(label_count_);
  features_.save(out);
  // The padded rows as they are in memory, at an offset of the writer (the whole model file when saved
  // by save_model_file) that is a multiple of 64 bytes: a count of padding bytes, the padding, the rows.
  const std::size_t matrix_bytes = features_.feature_count() * stride_ * sizeof(float);
  out.reserve(out.size() + sizeof(std::uint64_t) + 1 + kRowAlignment + matrix_bytes + sizeof(std::uint64_t) +
              label_count_ * sizeof(float) + 64);
  out.put<std::uint64_t>(stride_);
  const std::size_t padding = (kRowAlignment - (out.size() + 1) % kRowAlignment) % kRowAlignment;
  out.put<std::uint8_t>(static_cast<std::uint8_t>(padding));
  static constexpr std::array<char, kRowAlignment> kZeros{};
  out.put_bytes(kZeros.data(), padding);
  if (matrix_bytes > 0) out.put_bytes(rows_, matrix_bytes);
  out.put_array(std::span<const float>(bias_.data(), label_count_));
}

void LinearModel::load(BinaryReader& in) {
  const auto version = in.get<std::uint32_t>();
  if (version != 1 && version != kPayloadVersion)
    in.fail(fmt::format("unsupported linear model payload version {} (this build reads 1 and {})", version,
                        kPayloadVersion));
  multi_label_ = in.get<std::uint8_t>() != 0;
  seed_ = in.get<std::uint64_t>();
  params_.learning_rate = in.get<double>();
  params_.l2 = in.get<double>();
  params_.primary_weight = in.get<double>();
  label_count_ = in.get<std::uint64_t>();
  if (label_count_ == 0 || label_count_ > (1U << 20)) in.fail("implausible label count");
  features_.load(in);
  params_.features = features_.options();
  stride_ = (label_count_ + kFloatsPerCacheLine - 1) / kFloatsPerCacheLine * kFloatsPerCacheLine;
  const std::size_t features = features_.feature_count();
  rows_owner_.reset();
  if (version == 1) {  // compact rows, copied into the padded layout
    if (in.get<std::uint64_t>() != features * label_count_) in.fail("weight matrix has the wrong size");
    const std::size_t row_bytes = label_count_ * sizeof(float);
    const std::string_view compact = in.get_bytes(features * row_bytes);
    weights_.assign(features * stride_, 0.0F);
    for (std::size_t f = 0; f < features; ++f) {
      std::memcpy(weights_.data() + f * stride_, compact.data() + f * row_bytes, row_bytes);
    }
    rows_ = weights_.data();
  } else {
    if (in.get<std::uint64_t>() != stride_) in.fail("weight rows have the wrong stride");
    const auto padding = in.get<std::uint8_t>();
    if (padding >= kRowAlignment) in.fail("implausible padding before the weight rows");
    in.get_bytes(padding);
    const std::string_view matrix = in.get_bytes(features * stride_ * sizeof(float));
    if (in.owner() && reinterpret_cast<std::uintptr_t>(matrix.data()) % kRowAlignment == 0) {
      weights_ = AlignedFloats{};
      rows_ = reinterpret_cast<const float*>(matrix.data());
      rows_owner_ = in.owner();
    } else {
      weights_.resize(features * stride_);
      // No features (an empty vocabulary) leaves data() null, which memcpy must not be given.
      if (!matrix.empty()) std::memcpy(weights_.data(), matrix.data(), matrix.size());
      rows_ = weights_.data();
    }
  }
  const auto bias = in.get_array<float>();
  if (bias.size() != label_count_) in.fail("bias vector has the wrong size");
  bias_.assign(stride_, 0.0F);
  std::copy(bias.begin(), bias.end(), bias_.begin());
  cache_ = FeatureCache{};
}

std::string LinearModel::describe() const {
  nlohmann::json j;
  j["family"] = family();
  j["objective"] = multi_label_ ? "one-vs-rest logistic" : "softmax";
  j["label_count"] = label_count_;
  j["featurisation"] = features_.describe();
  j["optimiser"] = {{"algorithm", "sgd, learning rate decaying linearly to 0"},
                    {"learning_rate", params_.learning_rate},
                    {"l2", params_.l2},
                    {"primary_weight", params_.primary_weight}};
  j["seed"] = seed_;
  return j.dump();
}

}  // namespace arxivc::model
