#include "arxivc/model/model_file.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "arxivc/core/binary_io.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"
#include "arxivc/model/linear_model.hpp"
#include "synthetic_corpus.hpp"

namespace arxivc::model {
namespace {

namespace fs = std::filesystem;

class ModelFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* root = std::getenv("ARXIVC_TEST_TMP");
    const fs::path base = root != nullptr ? fs::path(root) : fs::temp_directory_path();
    dir_ = base / ("model_file_test-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    arxivc::testing::make_synthetic_corpus(corpus_, 200, 2, 21);
    LinearModelParams params;
    params.features.min_df = 1;
    params.features.max_df = 1.0;
    model_.initialize(corpus_.labeled, params, true, 5);
    EpochContext context;
    context.total_epochs = 2;
    context.threads = 2;
    for (context.epoch = 0; context.epoch < 2; ++context.epoch) model_.train_epoch(corpus_.labeled, context);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<float> predictions(const Model& model) const {
    std::vector<float> probabilities(corpus_.labeled.documents.size() * model.label_count());
    model.predict(corpus_.labeled.documents, probabilities);
    return probabilities;
  }
  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return bytes;
  }
  static void write(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  // Loading `path` must throw arxivc::Error whose message names the file and contains `fragment`.
  static void expect_load_error(const fs::path& path, const std::string& fragment) {
    try {
      load_model_file(path);
      ADD_FAILURE() << "loading " << path << " should fail with: " << fragment;
    } catch (const Error& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(fragment), std::string::npos) << message;
      EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    }
  }
  // A file laid out as save_model_file does, with any family and payload, and a valid checksum.
  static std::string forge(std::uint32_t version, const std::string& family, const std::string& payload) {
    BinaryWriter out;
    for (const char c : std::string("ARXIVCM\x1a")) out.put<char>(c);
    out.put<std::uint32_t>(version);
    out.put_string(family);
    out.put_string("{}");
    out.put_string(payload);
    std::string bytes = out.take();
    if (version != 1) return bytes + model_file_checksum(version, bytes);
    // Format 1 ended in a SHA-256, computed here without the code under test.
    const std::string hex = sha256_hex(bytes);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
  }

  fs::path dir_;
  arxivc::testing::SyntheticCorpus corpus_;
  LinearModel model_;
};

TEST_F(ModelFile, RoundTripGivesIdenticalPredictionsAndMetadata) {
  const nlohmann::json metadata = {{"labels", {"a", "b", "c", "d", "e"}}, {"run", "test"}};
  const fs::path path = dir_ / "model.bin";
  save_model_file(path, model_, metadata);
  const LoadedModel loaded = load_model_file(path);
  ASSERT_NE(loaded.model, nullptr);
  EXPECT_EQ(loaded.model->family(), "linear");
  EXPECT_EQ(loaded.metadata, metadata);
  EXPECT_EQ(predictions(*loaded.model), predictions(model_));
  // Saving the loaded model again reproduces the file byte for byte.
  save_model_file(dir_ / "again.bin", *loaded.model, metadata);
  EXPECT_TRUE(read(path) == read(dir_ / "again.bin"));
}

// Found by fuzz_model_loader: a linear model without features (every n-gram below min_df) saves and
// loads, but reading its empty vocabulary and weight matrix passed null pointers to memcpy (undefined
// behaviour, reported by UBSan in `make asan`). Without an owner of the bytes the matrix is copied.
TEST_F(ModelFile, ModelWithAnEmptyVocabularyRoundTrips) {
  LinearModelParams params;
  params.features.min_df = 1000000;
  LinearModel empty;
  empty.initialize(corpus_.labeled, params, true, 5);
  const std::string bytes = serialize_model(empty, nlohmann::json::object());
  const LoadedModel copied = deserialize_model(bytes, "empty model");
  ASSERT_NE(copied.model, nullptr);
  EXPECT_EQ(predictions(*copied.model), predictions(empty));
}

TEST_F(ModelFile, DamagedByteIsAChecksumError) {
  const fs::path path = dir_ / "model.bin";
  save_model_file(path, model_, {{"k", 1}});
  std::string bytes = read(path);
  for (const std::size_t position : {bytes.size() / 2, bytes.size() - 40, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[position] = static_cast<char>(damaged[position] ^ 0x10);
    write(path, damaged);
    expect_load_error(path, "checksum mismatch");
  }
}

// Files of more than a few MB are checked on a second thread while they are parsed: the same answers.
TEST_F(ModelFile, LargeFileIsCheckedWhileParsed) {
  const nlohmann::json metadata = {{"labels", {"a", "b", "c", "d", "e"}},
                                   {"padding", std::string(9 << 20, 'x')}};
  const fs::path path = dir_ / "model.bin";
  save_model_file(path, model_, metadata);
  const LoadedModel loaded = load_model_file(path);
  EXPECT_EQ(loaded.metadata, metadata);
  EXPECT_EQ(predictions(*loaded.model), predictions(model_));

  const std::string bytes = read(path);
  // A damaged byte in the padding parses fine; one in the family name's length makes the parser fail.
  // Both are reported as the damage they are.
  for (const std::size_t position : {bytes.size() / 2, std::size_t{13}}) {
    std::string damaged = bytes;
    damaged[position] = static_cast<char>(damaged[position] ^ 0x10);
    write(path, damaged);
    expect_load_error(path, "checksum mismatch");
  }
}

// Format 1 ended in a SHA-256 (format 2: XXH3-128); such files still load, and are still checked.
TEST_F(ModelFile, FormatOneFilesWithSha256StillLoad) {
  const fs::path path = dir_ / "model.bin";
  BinaryWriter payload;
  model_.save(payload);
  const std::string bytes = forge(1, "linear", payload.bytes());
  EXPECT_EQ(bytes.size(), forge(2, "linear", payload.bytes()).size() + 16);
  write(path, bytes);
  EXPECT_EQ(predictions(*load_model_file(path).model), predictions(model_));
  std::string damaged = bytes;
  damaged[bytes.size() / 2] = static_cast<char>(damaged[bytes.size() / 2] ^ 0x01);
  write(path, damaged);
  expect_load_error(path, "checksum mismatch");
}

TEST_F(ModelFile, ChecksumIsXxh3OfEveryByteBefore) {
  const fs::path path = dir_ / "model.bin";
  save_model_file(path, model_, {{"k", 1}});
  const std::string bytes = read(path);
  ASSERT_GT(bytes.size(), 16u);
  EXPECT_EQ(bytes.substr(bytes.size() - 16), model_file_checksum(2, bytes.substr(0, bytes.size() - 16)));
  // XXH3-128 of the empty input, canonical (big-endian): the published test vector.
  const std::string empty = model_file_checksum(2, "");
  std::string hex;
  for (const char c : empty) hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  EXPECT_EQ(hex, "99aa06d3014798d86001c324468d497f");
}

TEST_F(ModelFile, LoadingReturnsTheChecksumThatIdentifiesTheFile) {
  const fs::path path = dir_ / "model.bin";
  save_model_file(path, model_, {{"k", 1}});
  const std::string bytes = read(path);
  EXPECT_EQ(load_model_file(path).checksum, bytes.substr(bytes.size() - 16));
}

TEST_F(ModelFile, TruncatedFileIsRejected) {
  const fs::path path = dir_ / "model.bin";
  save_model_file(path, model_, {});
  const std::string bytes = read(path);
  for (const std::size_t size : {bytes.size() - 1, bytes.size() / 2, std::size_t{14}, std::size_t{12}}) {
    write(path, bytes.substr(0, size));
    EXPECT_THROW(load_model_file(path), Error) << size;
  }
  write(path, bytes.substr(0, bytes.size() / 2));
  expect_load_error(path, "truncated");
  write(path, bytes.substr(0, 4));
  expect_load_error(path, "not an arxivc model file");
}

TEST_F(ModelFile, WrongMagicIsNotAModelFile) {
  const fs::path path = dir_ / "model.bin";
  write(path, "{\"this\": \"is json\"}\n");
  expect_load_error(path, "not an arxivc model file");
  write(path, "");
  expect_load_error(path, "not an arxivc model file");
}

TEST_F(ModelFile, NewerFormatVersionIsRejected) {
  const fs::path path = dir_ / "model.bin";
  BinaryWriter payload;
  model_.save(payload);
  write(path, forge(kModelFormatVersion + 1, "linear", payload.bytes()));
  expect_load_error(path, "model format version " + std::to_string(kModelFormatVersion + 1) +
                              " is newer than this build supports (" + std::to_string(kModelFormatVersion) +
                              ")");
}

TEST_F(ModelFile, UnknownFamilyIsRejected) {
  const fs::path path = dir_ / "model.bin";
  write(path, forge(kModelFormatVersion, "transformer-xxl", "payload"));
  expect_load_error(path, "unknown model family 'transformer-xxl'");
}

TEST_F(ModelFile, PayloadMustBeConsumedExactly) {
  const fs::path path = dir_ / "model.bin";
  BinaryWriter payload;
  model_.save(payload);
  write(path, forge(kModelFormatVersion, "linear", payload.bytes() + "extra"));
  expect_load_error(path, "did not read");
  write(path, forge(kModelFormatVersion, "linear", payload.bytes().substr(0, payload.bytes().size() - 8)));
  expect_load_error(path, "(linear payload)");
}

TEST_F(ModelFile, MissingFileIsAnError) { expect_load_error(dir_ / "absent.bin", "cannot open"); }

TEST(ModelRegistry, CreatesKnownFamiliesAndNamesThemOnError) {
  EXPECT_EQ(model_families(), (std::vector<std::string>{"linear", "fasttext"}));
  EXPECT_EQ(create_model("linear")->family(), "linear");
  try {
    create_model("lineer");
    ADD_FAILURE() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("lineer"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("linear"), std::string::npos);
  }
}

}  // namespace
}  // namespace arxivc::model
