#include "arxivc/model/tfidf_features.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace arxivc::model {
namespace {

struct Fitted {
  std::vector<std::string> texts;
  std::vector<Document> documents;
  TfidfFeatures features;
};

// Documents whose abstracts are the given texts (titles empty).
void fit(Fitted& f, std::vector<std::string> texts, const TfidfOptions& options, unsigned threads = 1) {
  f.texts = std::move(texts);
  f.documents.clear();
  for (const std::string& t : f.texts) f.documents.push_back({"", t});
  f.features.fit(f.documents, options, threads);
}

TfidfOptions keep_everything() {
  TfidfOptions options;
  options.min_df = 1;
  options.max_df = 1.0;
  return options;
}

SparseFeatures transform(const TfidfFeatures& features, std::string_view title, std::string_view abstract) {
  TfidfFeatures::Workspace workspace;
  SparseFeatures out;
  features.transform({title, abstract}, workspace, out);
  return out;
}

TEST(TfidfFeatures, VectorsAreSortedAndUnitLength) {
  Fitted f;
  fit(f, {"alpha beta gamma", "alpha beta", "alpha delta delta"}, keep_everything());
  // Unigrams alpha beta gamma delta; bigrams "alpha beta", "beta gamma", "alpha delta", "delta delta".
  EXPECT_EQ(f.features.feature_count(), 8U);
  const SparseFeatures v = transform(f.features, "", "alpha delta delta gamma");
  ASSERT_FALSE(v.indices.empty());
  EXPECT_TRUE(std::is_sorted(v.indices.begin(), v.indices.end()));
  EXPECT_EQ(std::adjacent_find(v.indices.begin(), v.indices.end()), v.indices.end());
  const double norm = std::inner_product(v.values.begin(), v.values.end(), v.values.begin(), 0.0);
  EXPECT_NEAR(norm, 1.0, 1e-6);
}

TEST(TfidfFeatures, WeightsFollowSublinearTfAndSmoothedIdf) {
  TfidfOptions options = keep_everything();
  options.ngram_max = 1;
  Fitted f;
  fit(f, {"common rare", "common", "common"}, options);
  ASSERT_EQ(f.features.feature_count(), 2U);
  // "common" is in 3 of 3 documents, "rare" in 1: idf = ln(4/4) + 1 = 1 and ln(4/2) + 1.
  const SparseFeatures v = transform(f.features, "", "rare rare rare common");
  ASSERT_EQ(v.indices.size(), 2U);
  // Index 0 is the most frequent n-gram.
  const double common = 1.0 * 1.0;
  const double rare = (1.0 + std::log(3.0)) * (std::log(2.0) + 1.0);
  const double norm = std::sqrt(common * common + rare * rare);
  EXPECT_NEAR(v.values[0], common / norm, 1e-6);
  EXPECT_NEAR(v.values[1], rare / norm, 1e-6);

  options.sublinear_tf = false;
  fit(f, {"common rare", "common", "common"}, options);
  const SparseFeatures raw = transform(f.features, "", "rare rare rare common");
  const double raw_rare = 3.0 * (std::log(2.0) + 1.0);
  EXPECT_NEAR(raw.values[1], raw_rare / std::sqrt(1.0 + raw_rare * raw_rare), 1e-6);
}

TEST(TfidfFeatures, DocumentFrequencyCutOffs) {
  std::vector<std::string> texts = {"everywhere often once", "everywhere often", "everywhere often",
                                    "everywhere twice", "everywhere twice"};
  TfidfOptions options;
  options.ngram_max = 1;
  options.min_df = 2;
  options.max_df = 0.9;
  Fitted f;
  fit(f, texts, options);
  // "once" is under min_df, "everywhere" (5 of 5) over max_df: "often" and "twice" remain.
  EXPECT_EQ(f.features.feature_count(), 2U);
  EXPECT_TRUE(transform(f.features, "", "once everywhere").indices.empty());
  EXPECT_EQ(transform(f.features, "", "often").indices, std::vector<std::uint32_t>{0});
  EXPECT_EQ(transform(f.features, "", "twice").indices, std::vector<std::uint32_t>{1});

  options.max_features = 1;
  fit(f, texts, options);
  EXPECT_EQ(f.features.feature_count(), 1U);
  EXPECT_EQ(transform(f.features, "", "often twice").indices.size(), 1U) << "the more frequent one is kept";
  EXPECT_TRUE(transform(f.features, "", "twice").indices.empty());
}

TEST(TfidfFeatures, NgramsStayWithinAFieldAndTitleWeighsMore) {
  TfidfOptions options = keep_everything();
  Fitted f;
  fit(f, {"deep learning", "learning theory"}, options);
  // Unigrams deep, learning, theory; bigrams "deep learning", "learning theory".
  EXPECT_EQ(f.features.feature_count(), 5U);
  const SparseFeatures split = transform(f.features, "deep", "learning");
  EXPECT_EQ(split.indices.size(), 2U) << "no bigram across title and abstract";
  EXPECT_EQ(transform(f.features, "", "deep learning").indices.size(), 3U);

  options.ngram_max = 1;
  options.title_weight = 3.0;
  fit(f, {"alpha", "beta"}, options);
  const SparseFeatures weighted = transform(f.features, "alpha", "beta");
  ASSERT_EQ(weighted.indices.size(), 2U);
  // Equal idf; alpha has tf 3 (one title occurrence), beta tf 1.
  const float alpha = weighted.values[weighted.indices[0] == 0 ? 0 : 1];
  const float beta = weighted.values[weighted.indices[0] == 0 ? 1 : 0];
  EXPECT_NEAR(alpha / beta, 1.0 + std::log(3.0), 1e-5);
}

TEST(TfidfFeatures, FitIsTheSameForAnyThreadCountAndRoundTrips) {
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) {
    texts.push_back(fmt::format("w{} w{} shared w{}", i % 17, i % 5, i % 29));
  }
  TfidfOptions options;
  options.min_df = 2;
  Fitted one;
  Fitted three;
  fit(one, texts, options, 1);
  fit(three, texts, options, 3);
  BinaryWriter a;
  BinaryWriter b;
  one.features.save(a);
  three.features.save(b);
  EXPECT_TRUE(a.bytes() == b.bytes());

  TfidfFeatures loaded;
  BinaryReader in(a.bytes(), "features");
  loaded.load(in);
  EXPECT_TRUE(in.at_end());
  const SparseFeatures x = transform(one.features, "w3 shared", "w1 w4 w3 shared");
  const SparseFeatures y = transform(loaded, "w3 shared", "w1 w4 w3 shared");
  EXPECT_EQ(x.indices, y.indices);
  EXPECT_EQ(x.values, y.values);
  EXPECT_EQ(loaded.describe(), one.features.describe());
}

TEST(TfidfFeatures, HashingUsesTwoToTheBitsFeatures) {
  TfidfOptions options;
  options.space = FeatureSpace::hashing;
  options.hash_bits = 10;
  Fitted f;
  fit(f, {"quantum field theory", "string theory"}, options, 2);
  EXPECT_EQ(f.features.feature_count(), 1024U);
  const SparseFeatures v = transform(f.features, "", "a never seen word and quantum theory");
  EXPECT_FALSE(v.indices.empty());
  for (const std::uint32_t index : v.indices) EXPECT_LT(index, 1024U);
}

}  // namespace
}  // namespace arxivc::model
