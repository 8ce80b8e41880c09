#include "arxivc/model/linear_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <thread>

#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"
#include "synthetic_corpus.hpp"

namespace arxivc::model {
namespace {

using arxivc::testing::make_synthetic_corpus;
using arxivc::testing::SyntheticCorpus;

LinearModelParams small_problem_params() {
  LinearModelParams params;
  params.features.min_df = 1;
  params.features.max_df = 1.0;
  params.learning_rate = 1.0;
  return params;
}

void train(LinearModel& model, const SyntheticCorpus& corpus, const LinearModelParams& params,
           bool multi_label, int epochs, unsigned threads, std::uint64_t seed = 7) {
  model.initialize(corpus.labeled, params, multi_label, seed);
  for (int epoch = 0; epoch < epochs; ++epoch) {
    EpochContext context;
    context.epoch = epoch;
    context.total_epochs = epochs;
    context.seed = seed;
    context.threads = threads;
    context.multi_label = multi_label;
    model.train_epoch(corpus.labeled, context);
  }
}

std::vector<float> predict_all(const Model& model, const std::vector<Document>& documents) {
  std::vector<float> probabilities(documents.size() * model.label_count());
  model.predict(documents, probabilities);
  return probabilities;
}

std::string saved_bytes(const Model& model) {
  BinaryWriter out;
  model.save(out);
  return out.take();
}

// A digest rather than the bytes, so that a failing comparison prints two short lines.
std::string saved_digest(const Model& model) { return sha256_hex(saved_bytes(model)); }

TEST(LinearModel, LearnsKeywordLabelsMultiLabel) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 600, 3, 1);
  LinearModel model;
  train(model, corpus, small_problem_params(), true, 8, 2);
  ASSERT_EQ(model.label_count(), 5U);

  SyntheticCorpus unseen;
  make_synthetic_corpus(unseen, 200, 3, 99);
  const auto probabilities = predict_all(model, unseen.documents());
  for (std::size_t d = 0; d < 200; ++d) {
    for (std::uint32_t l = 0; l < 5; ++l) {
      const float p = probabilities[d * 5 + l];
      ASSERT_GE(p, 0.0F);
      ASSERT_LE(p, 1.0F);
      const bool gold =
          std::find(unseen.labels[d].begin(), unseen.labels[d].end(), l) != unseen.labels[d].end();
      EXPECT_EQ(p > 0.5F, gold) << "document " << d << " label " << l << " p=" << p;
    }
  }
}

TEST(LinearModel, LearnsKeywordLabelsSingleLabelWithSoftmax) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 500, 1, 2);
  LinearModel model;
  train(model, corpus, small_problem_params(), false, 8, 2);

  SyntheticCorpus unseen;
  make_synthetic_corpus(unseen, 200, 1, 98);
  const auto probabilities = predict_all(model, unseen.documents());
  for (std::size_t d = 0; d < 200; ++d) {
    const float* p = probabilities.data() + d * 5;
    EXPECT_NEAR(std::accumulate(p, p + 5, 0.0), 1.0, 1e-5);
    for (int l = 0; l < 5; ++l) ASSERT_TRUE(p[l] >= 0.0F && p[l] <= 1.0F);
    EXPECT_EQ(std::max_element(p, p + 5) - p, unseen.labels[d][0]) << "document " << d;
  }
}

TEST(LinearModel, LearnsWithHashedFeatures) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 600, 2, 3);
  LinearModelParams params = small_problem_params();
  params.features.space = FeatureSpace::hashing;
  params.features.hash_bits = 14;
  LinearModel model;
  train(model, corpus, params, true, 8, 1);
  SyntheticCorpus unseen;
  make_synthetic_corpus(unseen, 100, 1, 97);
  const auto probabilities = predict_all(model, unseen.documents());
  for (std::size_t d = 0; d < 100; ++d) {
    const float* p = probabilities.data() + d * 5;
    EXPECT_EQ(std::max_element(p, p + 5) - p, unseen.labels[d][0]) << "document " << d;
  }
}

TEST(LinearModel, SameSeedAndThreadCountGiveIdenticalWeights) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 300, 3, 4);
  // More labels than one cache line holds, so two threads really split every row.
  corpus.labeled.label_count = 40;
  for (const bool multi_label : {true, false}) {
    LinearModel one_thread;
    LinearModel two_threads;
    LinearModel two_threads_again;
    LinearModel other_seed;
    train(one_thread, corpus, small_problem_params(), multi_label, 3, 1);
    train(two_threads, corpus, small_problem_params(), multi_label, 3, 2);
    train(two_threads_again, corpus, small_problem_params(), multi_label, 3, 2);
    train(other_seed, corpus, small_problem_params(), multi_label, 3, 2, 8);
    EXPECT_EQ(saved_digest(two_threads), saved_digest(two_threads_again)) << multi_label;
    // One-vs-rest labels are independent, so the split of labels across threads cannot matter; softmax
    // sums its normaliser across the threads' slices, which rounds differently.
    if (multi_label) {
      EXPECT_EQ(saved_digest(one_thread), saved_digest(two_threads));
    }
    EXPECT_NE(saved_digest(two_threads), saved_digest(other_seed)) << multi_label;
  }
}

TEST(LinearModel, ConcurrentPredictionsMatchOneThread) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 400, 2, 5);
  LinearModel model;
  train(model, corpus, small_problem_params(), true, 3, 2);
  const auto documents = corpus.documents();
  const auto expected = predict_all(model, documents);
  std::vector<std::vector<float>> results(4);
  {
    std::vector<std::jthread> threads;
    for (auto& result : results) {
      threads.emplace_back([&model, &documents, &result] { result = predict_all(model, documents); });
    }
  }
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

TEST(LinearModel, SaveLoadRoundTripPredictsIdentically) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 300, 2, 6);
  LinearModel model;
  train(model, corpus, small_problem_params(), true, 2, 2);
  const std::string bytes = saved_bytes(model);
  LinearModel loaded;
  BinaryReader in(bytes, "test");
  loaded.load(in);
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(loaded.label_count(), model.label_count());
  EXPECT_EQ(predict_all(loaded, corpus.documents()), predict_all(model, corpus.documents()));
  EXPECT_TRUE(saved_bytes(loaded) == bytes);
  EXPECT_EQ(loaded.describe(), model.describe());
}

TEST(LinearModel, ResumedTrainingAfterLoadEqualsUninterruptedTraining) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 300, 2, 6);
  LinearModel uninterrupted;
  train(uninterrupted, corpus, small_problem_params(), true, 3, 2);

  LinearModel first_epoch;
  first_epoch.initialize(corpus.labeled, small_problem_params(), true, 7);
  EpochContext context;
  context.total_epochs = 3;
  context.seed = 7;
  context.threads = 2;
  first_epoch.train_epoch(corpus.labeled, context);
  const std::string checkpoint = saved_bytes(first_epoch);
  LinearModel resumed;
  BinaryReader in(checkpoint, "checkpoint");
  resumed.load(in);
  for (int epoch = 1; epoch < 3; ++epoch) {
    context.epoch = epoch;
    resumed.train_epoch(corpus.labeled, context);
  }
  EXPECT_EQ(saved_digest(resumed), saved_digest(uninterrupted));
}

TEST(LinearModel, ReportsProgressAndDecreasingLoss) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 400, 2, 8);
  LinearModel model;
  model.initialize(corpus.labeled, small_problem_params(), true, 1);
  std::vector<double> fractions;
  EpochContext context;
  context.total_epochs = 4;
  context.on_progress = [&fractions](double fraction, double loss, double learning_rate) {
    EXPECT_TRUE(std::isfinite(loss));
    EXPECT_GE(learning_rate, 0.0);
    fractions.push_back(fraction);
  };
  const double first = model.train_epoch(corpus.labeled, context);
  context.epoch = 3;
  const double last = model.train_epoch(corpus.labeled, context);
  EXPECT_LT(last, first);
  ASSERT_FALSE(fractions.empty());
  EXPECT_DOUBLE_EQ(fractions.back(), 1.0);
}

TEST(LinearModel, RejectsMisuse) {
  LinearModel model;
  std::vector<Document> documents(1);
  std::vector<float> probabilities(5);
  EXPECT_THROW(model.predict(documents, probabilities), Error);

  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 50, 1, 9);
  train(model, corpus, small_problem_params(), true, 1, 1);
  std::vector<float> too_small(3);
  EXPECT_THROW(model.predict(documents, too_small), Error);

  corpus.labels[3] = {7};  // beyond label_count
  corpus.labeled.labels[3] = corpus.labels[3];
  LinearModel other;
  EXPECT_THROW(other.initialize(corpus.labeled, small_problem_params(), true, 1), Error);
}

TEST(LinearModel, EmptyDocumentsGetThePriorNotACrash) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 100, 1, 10);
  LinearModel model;
  train(model, corpus, small_problem_params(), false, 2, 2);
  const std::vector<Document> empty = {{"", ""}, {"$$ {} ()", "unknownword"}};
  const auto probabilities = predict_all(model, empty);
  EXPECT_NEAR(std::accumulate(probabilities.begin(), probabilities.begin() + 5, 0.0), 1.0, 1e-5);
  EXPECT_EQ(std::vector<float>(probabilities.begin(), probabilities.begin() + 5),
            std::vector<float>(probabilities.begin() + 5, probabilities.end()));
}

config::Node section(std::initializer_list<std::pair<const char*, config::Node>> entries) {
  config::Node node = config::Node::map();
  for (const auto& [key, value] : entries) node[key] = value;
  return node;
}

TEST(LinearModelParams, ReadsEveryKey) {
  const auto params = LinearModelParams::from_config(section({
      {"family", config::Node::string("linear")},
      {"features", config::Node::string("vocabulary")},
      {"ngram_max", config::Node::integer(1)},
      {"min_df", config::Node::integer(3)},
      {"max_df", config::Node::floating(0.25)},
      {"max_features", config::Node::integer(5000)},
      {"sublinear_tf", config::Node::boolean(false)},
      {"title_weight", config::Node::integer(2)},
      {"min_token_length", config::Node::integer(3)},
      {"keep_single_digits", config::Node::boolean(false)},
      {"stop_words", config::Node::boolean(true)},
      {"learning_rate", config::Node::floating(0.25)},
      {"l2", config::Node::integer(0)},
      {"primary_weight", config::Node::floating(2.0)},
  }));
  EXPECT_EQ(params.features.ngram_max, 1);
  EXPECT_EQ(params.features.min_df, 3);
  EXPECT_DOUBLE_EQ(params.features.max_df, 0.25);
  EXPECT_EQ(params.features.max_features, 5000);
  EXPECT_FALSE(params.features.sublinear_tf);
  EXPECT_DOUBLE_EQ(params.features.title_weight, 2.0);
  EXPECT_EQ(params.features.tokenizer.min_length, 3U);
  EXPECT_FALSE(params.features.tokenizer.keep_single_digits);
  EXPECT_TRUE(params.features.tokenizer.remove_stop_words);
  EXPECT_DOUBLE_EQ(params.learning_rate, 0.25);
  EXPECT_DOUBLE_EQ(params.l2, 0.0);
  EXPECT_DOUBLE_EQ(params.primary_weight, 2.0);

  const auto hashing = LinearModelParams::from_config(
      section({{"features", config::Node::string("hashing")}, {"hash_bits", config::Node::integer(18)}}));
  EXPECT_EQ(hashing.features.space, FeatureSpace::hashing);
  EXPECT_EQ(hashing.features.hash_bits, 18);
  EXPECT_NO_THROW(LinearModelParams::from_config(config::Node()));
}

void expect_config_error(const config::Node& node, const std::string& fragment) {
  try {
    LinearModelParams::from_config(node);
    ADD_FAILURE() << "expected a ConfigError mentioning " << fragment;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(LinearModelParams, RejectsUnknownKeysAndBadValues) {
  expect_config_error(section({{"learning_rat", config::Node::floating(0.1)}}), "model.learning_rat");
  expect_config_error(section({{"features", config::Node::string("bags")}}), "model.features");
  expect_config_error(section({{"ngram_max", config::Node::integer(4)}}), "model.ngram_max");
  expect_config_error(section({{"max_df", config::Node::floating(1.5)}}), "model.max_df");
  expect_config_error(section({{"learning_rate", config::Node::floating(-1)}}), "model.learning_rate");
  expect_config_error(section({{"l2", config::Node::floating(-1e-6)}}), "model.l2");
  expect_config_error(section({{"title_weight", config::Node::floating(0.5)}}), "model.title_weight");
  expect_config_error(section({{"hash_bits", config::Node::integer(40)}}), "model.hash_bits");
  expect_config_error(
      section({{"features", config::Node::string("hashing")}, {"min_df", config::Node::integer(2)}}),
      "vocabulary only");
  expect_config_error(section({{"hash_bits", config::Node::integer(20)}}), "hashing only");
  expect_config_error(config::Node::list(), "model");

  LinearModel model;
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 20, 1, 11);
  EXPECT_THROW(model.initialize(corpus.labeled, section({{"epochs", config::Node::integer(3)}}), true, 1),
               ConfigError);
}

}  // namespace
}  // namespace arxivc::model
