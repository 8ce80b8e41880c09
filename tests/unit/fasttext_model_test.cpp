#include "arxivc/model/fasttext_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "arxivc/core/binary_io.hpp"
#include "arxivc/core/error.hpp"
#include "synthetic_corpus.hpp"

namespace arxivc::model {
namespace {

using testing::make_synthetic_corpus;
using testing::SyntheticCorpus;

const std::size_t kLabels = testing::synthetic_keywords().size();

config::Node small_params(const std::string& loss = "") {
  config::Node params = config::Node::map();
  params["family"] = config::Node::string("fasttext");
  params["dim"] = config::Node::integer(16);
  params["buckets"] = config::Node::integer(2000);
  params["word_ngrams"] = config::Node::integer(2);
  params["min_count"] = config::Node::integer(2);
  params["learning_rate"] = config::Node::floating(0.5);
  if (!loss.empty()) params["loss"] = config::Node::string(loss);
  return params;
}

void train(FastTextModel& model, const LabeledDocuments& data, int epochs, bool multi_label,
           std::uint64_t seed = 7, int first_epoch = 0) {
  for (int epoch = first_epoch; epoch < epochs; ++epoch) {
    EpochContext context;
    context.epoch = epoch;
    context.total_epochs = epochs;
    context.seed = seed;
    context.multi_label = multi_label;
    model.train_epoch(data, context);
  }
}

FastTextModel trained_model(const SyntheticCorpus& corpus, bool multi_label, const std::string& loss = "",
                            std::uint64_t seed = 7) {
  FastTextModel model;
  const auto& data = corpus.labeled;
  model.initialize(data, small_params(loss), multi_label, seed);
  train(model, data, 8, multi_label, seed);
  return model;
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

TEST(FastTextModelTest, OvaLearnsWhichKeywordsDecideTheLabels) {
  SyntheticCorpus train_corpus;
  make_synthetic_corpus(train_corpus, 800, 2, 1);
  SyntheticCorpus test_corpus;
  make_synthetic_corpus(test_corpus, 200, 2, 2);
  const FastTextModel model = trained_model(train_corpus, true, "ova");
  EXPECT_EQ(model.loss(), FastTextLoss::ova);
  const auto probabilities = predict_all(model, test_corpus.documents());
  std::size_t exact = 0;
  for (std::size_t d = 0; d < test_corpus.labels.size(); ++d) {
    std::set<std::uint32_t> predicted;
    for (std::uint32_t l = 0; l < kLabels; ++l) {
      const float p = probabilities[d * kLabels + l];
      ASSERT_GE(p, 0.0F);
      ASSERT_LE(p, 1.0F);
      if (p > 0.5F) predicted.insert(l);
    }
    const std::set<std::uint32_t> gold(test_corpus.labels[d].begin(), test_corpus.labels[d].end());
    exact += predicted == gold ? 1 : 0;
  }
  EXPECT_GE(exact, 190U) << "label sets predicted exactly: " << exact << " of 200";
}

TEST(FastTextModelTest, SoftmaxLearnsTheKeywordLabelAndSumsToOne) {
  SyntheticCorpus train_corpus;
  make_synthetic_corpus(train_corpus, 800, 1, 3);
  SyntheticCorpus test_corpus;
  make_synthetic_corpus(test_corpus, 200, 1, 4);
  const FastTextModel model = trained_model(train_corpus, false);  // single-label: softmax by default
  EXPECT_EQ(model.loss(), FastTextLoss::softmax);
  const auto probabilities = predict_all(model, test_corpus.documents());
  std::size_t correct = 0;
  for (std::size_t d = 0; d < test_corpus.labels.size(); ++d) {
    const float* row = probabilities.data() + d * kLabels;
    double sum = 0.0;
    for (std::size_t l = 0; l < kLabels; ++l) {
      ASSERT_GE(row[l], 0.0F);
      ASSERT_LE(row[l], 1.0F);
      sum += row[l];
    }
    EXPECT_NEAR(sum, 1.0, 1e-5);
    correct +=
        static_cast<std::uint32_t>(std::max_element(row, row + kLabels) - row) == test_corpus.labels[d][0];
  }
  EXPECT_GE(correct, 195U) << "correct: " << correct << " of 200";
}

TEST(FastTextModelTest, MultiLabelSoftmaxRanksTheDocumentsLabelsFirst) {
  SyntheticCorpus train_corpus;
  make_synthetic_corpus(train_corpus, 800, 2, 5);
  SyntheticCorpus test_corpus;
  make_synthetic_corpus(test_corpus, 200, 2, 6);
  const FastTextModel model = trained_model(train_corpus, true, "softmax");
  const auto probabilities = predict_all(model, test_corpus.documents());
  std::size_t correct = 0;
  for (std::size_t d = 0; d < test_corpus.labels.size(); ++d) {
    const float* row = probabilities.data() + d * kLabels;
    const auto& gold = test_corpus.labels[d];
    std::vector<std::uint32_t> ranked(kLabels);
    for (std::uint32_t l = 0; l < kLabels; ++l) ranked[l] = l;
    std::sort(ranked.begin(), ranked.end(),
              [row](std::uint32_t a, std::uint32_t b) { return row[a] > row[b]; });
    const std::set<std::uint32_t> top(ranked.begin(),
                                      ranked.begin() + static_cast<std::ptrdiff_t>(gold.size()));
    correct += top == std::set<std::uint32_t>(gold.begin(), gold.end()) ? 1 : 0;
  }
  EXPECT_GE(correct, 190U) << "correct: " << correct << " of 200";
}

TEST(FastTextModelTest, UnigramsOnlyLearnToo) {
  SyntheticCorpus train_corpus;
  make_synthetic_corpus(train_corpus, 800, 1, 7);
  SyntheticCorpus test_corpus;
  make_synthetic_corpus(test_corpus, 200, 1, 8);
  FastTextModel model;
  auto params = small_params("ova");
  params["word_ngrams"] = config::Node::integer(1);
  const auto& data = train_corpus.labeled;
  model.initialize(data, params, false, 7);
  train(model, data, 8, false);
  const auto probabilities = predict_all(model, test_corpus.documents());
  std::size_t correct = 0;
  for (std::size_t d = 0; d < test_corpus.labels.size(); ++d) {
    const float* row = probabilities.data() + d * kLabels;
    correct +=
        static_cast<std::uint32_t>(std::max_element(row, row + kLabels) - row) == test_corpus.labels[d][0];
  }
  EXPECT_GE(correct, 195U);
}

TEST(FastTextModelTest, TheVocabularyKeepsWordsSeenAtLeastMinCountTimes) {
  const std::vector<std::uint32_t> label = {0};
  LabeledDocuments data;
  data.label_count = 1;
  for (const char* title : {"rare common", "common", "common twice", "twice"}) {
    data.documents.push_back({title, ""});
    data.labels.emplace_back(label);
  }
  FastTextModel model;
  model.initialize(data, small_params(), true, 1);
  EXPECT_EQ(model.vocabulary_size(), 2U);  // common (3), twice (2)
  auto params = small_params();
  params["min_count"] = config::Node::integer(1);
  model.initialize(data, params, true, 1);
  EXPECT_EQ(model.vocabulary_size(), 3U);
}

TEST(FastTextModelTest, SameSeedGivesTheSameModelAndAnotherSeedAnotherOne) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 300, 2, 9);
  const FastTextModel first = trained_model(corpus, true, "", 11);
  const FastTextModel second = trained_model(corpus, true, "", 11);
  EXPECT_EQ(saved_bytes(first), saved_bytes(second));
  EXPECT_EQ(predict_all(first, corpus.documents()), predict_all(second, corpus.documents()));
  const FastTextModel other = trained_model(corpus, true, "", 12);
  EXPECT_NE(saved_bytes(first), saved_bytes(other));
}

TEST(FastTextModelTest, TrainingIgnoresTheThreadCount) {
  // Enough papers for several blocks, so that a helper thread finds rows while blocks train.
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 9000, 2, 10);
  const auto& data = corpus.labeled;
  std::vector<std::string> bytes;
  for (const unsigned threads : {1U, 2U, 4U}) {
    FastTextModel model;
    model.initialize(data, small_params(), true, 3);
    EpochContext context;
    context.total_epochs = 2;
    context.seed = 3;
    context.threads = threads;
    for (context.epoch = 0; context.epoch < 2; ++context.epoch) model.train_epoch(data, context);
    bytes.push_back(saved_bytes(model));
  }
  EXPECT_EQ(bytes[0], bytes[1]);
  EXPECT_EQ(bytes[0], bytes[2]);
}

TEST(FastTextModelTest, AFailingProgressCallbackStopsTheEpochCleanly) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 9000, 2, 19);
  const auto& data = corpus.labeled;
  for (const unsigned threads : {1U, 2U}) {
    FastTextModel model;
    model.initialize(data, small_params(), true, 3);
    EpochContext context;
    context.threads = threads;
    std::vector<double> fractions;
    context.on_progress = [&fractions](double fraction, double loss, double learning_rate) {
      EXPECT_GT(loss, 0.0);
      EXPECT_GE(learning_rate, 0.0);
      fractions.push_back(fraction);
      if (fractions.size() == 2) throw Error("interrupted");
    };
    EXPECT_THROW(model.train_epoch(data, context), Error);
    ASSERT_EQ(fractions.size(), 2U);
    EXPECT_LT(fractions[0], fractions[1]);
    EXPECT_LT(fractions[1], 1.0);
  }
}

TEST(FastTextModelTest, ResumingFromASavedModelEqualsTrainingThrough) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 300, 2, 13);
  const auto& data = corpus.labeled;
  FastTextModel through;
  through.initialize(data, small_params(), true, 5);
  train(through, data, 4, true, 5);

  FastTextModel first_half;
  first_half.initialize(data, small_params(), true, 5);
  for (int epoch = 0; epoch < 2; ++epoch) {
    EpochContext context;
    context.epoch = epoch;
    context.total_epochs = 4;
    context.seed = 5;
    first_half.train_epoch(data, context);
  }
  const std::string checkpoint = saved_bytes(first_half);
  BinaryReader in(checkpoint, "checkpoint");
  FastTextModel resumed;
  resumed.load(in);
  train(resumed, data, 4, true, 5, 2);
  EXPECT_EQ(saved_bytes(resumed), saved_bytes(through));
}

TEST(FastTextModelTest, ConcurrentPredictionsEqualSingleThreadedOnes) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 400, 2, 14);
  const FastTextModel model = trained_model(corpus, true);
  const auto documents = corpus.documents();
  const auto expected = predict_all(model, documents);

  constexpr unsigned kThreads = 6;
  std::vector<std::vector<float>> results(kThreads);
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        // Each thread scores everything, in batches of a different size, several times over.
        const std::size_t batch = 1 + t * 7;
        std::vector<float>& mine = results[t];
        mine.assign(expected.size(), -1.0F);
        for (int round = 0; round < 3; ++round) {
          for (std::size_t begin = 0; begin < documents.size(); begin += batch) {
            const std::size_t count = std::min(batch, documents.size() - begin);
            model.predict(std::span(documents).subspan(begin, count),
                          std::span(mine).subspan(begin * kLabels, count * kLabels));
          }
        }
      });
    }
  }
  for (unsigned t = 0; t < kThreads; ++t) EXPECT_EQ(results[t], expected) << "thread " << t;
}

TEST(FastTextModelTest, SaveAndLoadRoundTrip) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 300, 2, 15);
  const FastTextModel model = trained_model(corpus, true, "softmax");
  const std::string bytes = saved_bytes(model);

  auto loaded = create_model("fasttext");
  ASSERT_EQ(loaded->family(), "fasttext");
  BinaryReader in(bytes, "model");
  loaded->load(in);
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(loaded->label_count(), kLabels);
  EXPECT_EQ(predict_all(*loaded, corpus.documents()), predict_all(model, corpus.documents()));
  EXPECT_EQ(saved_bytes(*loaded), bytes);
  EXPECT_EQ(loaded->describe(), model.describe());
}

TEST(FastTextModelTest, TruncatedOrDamagedPayloadsAreErrors) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 100, 2, 16);
  const FastTextModel model = trained_model(corpus, true);
  const std::string bytes = saved_bytes(model);

  // Every truncation in the header, and a spread of them through the matrices.
  std::vector<std::size_t> cuts;
  for (std::size_t cut = 0; cut < 128; ++cut) cuts.push_back(cut);
  for (std::size_t cut = 128; cut < bytes.size(); cut += bytes.size() / 97) cuts.push_back(cut);
  cuts.push_back(bytes.size() - 1);
  for (const std::size_t cut : cuts) {
    FastTextModel target;
    BinaryReader in(std::string_view(bytes).substr(0, cut), "payload");
    EXPECT_THROW(target.load(in), Error) << "cut at " << cut;
  }

  // Header fields with impossible values: version, dim, buckets, word_ngrams, loss.
  const auto damaged = [&](std::size_t offset, auto value) {
    std::string copy = bytes;
    std::memcpy(copy.data() + offset, &value, sizeof(value));
    FastTextModel target;
    BinaryReader in(copy, "payload");
    target.load(in);
  };
  EXPECT_THROW(damaged(0, std::uint32_t{99}), Error);
  EXPECT_THROW(damaged(4, std::uint64_t{0}), Error);
  EXPECT_THROW(damaged(4, std::uint64_t{15}), Error);     // dim no longer matches the matrices
  EXPECT_THROW(damaged(12, std::uint64_t{1999}), Error);  // buckets no longer match
  EXPECT_THROW(damaged(20, std::uint32_t{3}), Error);
  EXPECT_THROW(damaged(36, std::uint8_t{7}), Error);
  EXPECT_THROW(damaged(4, std::uint64_t{1} << 40), Error);
}

TEST(FastTextModelTest, ParameterErrorsAreConfigErrors) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 50, 2, 17);
  const auto& data = corpus.labeled;
  FastTextModel model;
  auto unknown = small_params();
  unknown["hidden_size"] = config::Node::integer(3);
  try {
    model.initialize(data, unknown, true, 1);
    FAIL() << "an unknown key was accepted";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("model.hidden_size"), std::string::npos) << message;
    for (const char* known : {"dim", "buckets", "word_ngrams", "min_count", "loss", "learning_rate"}) {
      EXPECT_NE(message.find(known), std::string::npos) << message;
    }
  }
  const auto with = [](const char* key, config::Node value) {
    auto params = small_params();
    params[key] = std::move(value);
    return params;
  };
  EXPECT_THROW(model.initialize(data, with("loss", config::Node::string("hinge")), true, 1), ConfigError);
  EXPECT_THROW(model.initialize(data, with("dim", config::Node::integer(0)), true, 1), ConfigError);
  EXPECT_THROW(model.initialize(data, with("word_ngrams", config::Node::integer(3)), true, 1), ConfigError);
  EXPECT_THROW(model.initialize(data, with("learning_rate", config::Node::floating(-1.0)), true, 1),
               ConfigError);
  EXPECT_THROW(model.initialize(data, with("buckets", config::Node::string("many")), true, 1), ConfigError);
  EXPECT_THROW(model.initialize(data, config::Node::string("fast"), true, 1), ConfigError);
}

TEST(FastTextModelTest, MisuseIsAnError) {
  SyntheticCorpus corpus;
  make_synthetic_corpus(corpus, 50, 2, 18);
  FastTextModel model;
  std::vector<float> probabilities(kLabels);
  const std::vector<Document> one = {{"title", "abstract"}};
  EXPECT_THROW(model.predict(one, probabilities), Error);  // neither initialised nor loaded
  auto data = corpus.labeled;
  model.initialize(data, small_params(), true, 1);
  std::vector<float> too_small(1);
  EXPECT_THROW(model.predict(one, too_small), Error);
  const std::vector<std::uint32_t> out_of_range = {static_cast<std::uint32_t>(kLabels)};
  data.labels[0] = out_of_range;
  EXPECT_THROW(train(model, data, 1, true), Error);
  data.labels[0] = {};
  FastTextModel single;
  EXPECT_THROW(single.initialize(data, small_params(), false, 1), Error);  // single-label needs a label
}

}  // namespace
}  // namespace arxivc::model
