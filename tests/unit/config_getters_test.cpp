#include <gtest/gtest.h>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "config_test_tree.hpp"

namespace arxivc::config {
namespace {

using testing::config_error_message;
using testing::ConfigTree;
using testing::ScopedEnv;

constexpr auto kNpos = std::string::npos;

class ConfigGetters : public ::testing::Test {
 protected:
  void SetUp() override {
    tree.write("config.yaml",
               "training:\n"
               "  epochs: 5\n"
               "  lr: 0.01\n"
               "  warmup: 2\n"
               "  shuffle: true\n"
               "  seed: null\n"
               "data:\n"
               "  name: sample\n"
               "  categories: [cs.LG, cs.AI]\n"
               "  one_category: math.ST\n"
               "  no_categories: null\n"
               "  bad_list: [a, [b]]\n"
               "  path: ???\n");
  }
  ConfigTree tree;
};

TEST_F(ConfigGetters, ReadTypedValues) {
  const Config config = tree.compose();
  EXPECT_EQ(config.get_int("training.epochs"), 5);
  EXPECT_DOUBLE_EQ(config.get_double("training.lr"), 0.01);
  EXPECT_DOUBLE_EQ(config.get_double("training.warmup"), 2.0);  // integers read as numbers
  EXPECT_TRUE(config.get_bool("training.shuffle"));
  EXPECT_EQ(config.get_string("data.name"), "sample");
  EXPECT_EQ(config.get_string("training.epochs"), "5");
  EXPECT_TRUE(config.has("training.seed"));
  EXPECT_FALSE(config.has("training.nope"));
}

TEST_F(ConfigGetters, TypeErrorsNameThePath) {
  const Config config = tree.compose({"training.epochs=abc"});
  EXPECT_EQ(config_error_message([&] { config.get_int("training.epochs"); }),
            "training.epochs: expected an integer, got string 'abc'");
  EXPECT_EQ(config_error_message([&] { config.get_bool("data.name"); }),
            "data.name: expected a boolean, got string 'sample'");
  EXPECT_EQ(config_error_message([&] { config.get_double("training.shuffle"); }),
            "training.shuffle: expected a number, got boolean true");
  EXPECT_EQ(config_error_message([&] { config.get_string("training"); }),
            "training: expected a string, got a map");
}

TEST_F(ConfigGetters, MissingKeySuggestsTheClosest) {
  const Config config = tree.compose();
  EXPECT_EQ(config_error_message([&] { config.get_int("training.epoch"); }),
            "unknown key 'training.epoch' (did you mean 'training.epochs'?)");
}

TEST_F(ConfigGetters, StringListsAcceptListsScalarsAndNull) {
  const Config config = tree.compose();
  EXPECT_EQ(config.get_string_list("data.categories"), (std::vector<std::string>{"cs.LG", "cs.AI"}));
  EXPECT_EQ(config.get_string_list("data.one_category"), std::vector<std::string>{"math.ST"});
  EXPECT_TRUE(config.get_string_list("data.no_categories").empty());
  EXPECT_EQ(config_error_message([&] { config.get_string_list("data.bad_list"); }),
            "data.bad_list.1: expected a string, got a list");
}

TEST_F(ConfigGetters, OptionalGettersTreatNullAndAbsentAsUnset) {
  const Config config = tree.compose();
  EXPECT_EQ(config.get_optional_int("training.seed"), std::nullopt);
  EXPECT_EQ(config.get_optional_int("training.absent"), std::nullopt);
  EXPECT_EQ(config.get_optional_int("training.epochs"), 5);
  EXPECT_EQ(config.get_optional_string("training.seed"), std::nullopt);
  EXPECT_EQ(config.get_optional_string("data.name"), "sample");
  EXPECT_EQ(tree.compose({"training.seed=42"}).get_optional_int("training.seed"), 42);
  EXPECT_NE(config_error_message([&] {
              tree.compose({"training.seed=x"}).get_optional_int("training.seed");
            }).find("expected an integer"),
            kNpos);
}

TEST_F(ConfigGetters, MandatoryMissingValueMustBeSet) {
  const Config config = tree.compose();
  EXPECT_EQ(config_error_message([&] { config.get_string("data.path"); }),
            "data.path: mandatory value is missing (set it with data.path=...)");
  EXPECT_EQ(tree.compose({"data.path=x.jsonl"}).get_string("data.path"), "x.jsonl");
}

TEST_F(ConfigGetters, ComposedConfigRoundTripsThroughYaml) {
  const Config config = tree.compose({"training.lr=1e-3", "+name='true'"});
  const Node back = parse_yaml(config.to_yaml(), "composed.yaml");
  EXPECT_EQ(back, config.root());
  EXPECT_EQ(back.find_path("training.lr")->kind(), Node::Kind::floating);
  EXPECT_EQ(back.find_path("name")->kind(), Node::Kind::string);
}

// Changes the working directory for one test.
class ScopedCwd {
 public:
  explicit ScopedCwd(const std::filesystem::path& dir) : previous_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~ScopedCwd() { std::filesystem::current_path(previous_); }
  ScopedCwd(const ScopedCwd&) = delete;
  ScopedCwd& operator=(const ScopedCwd&) = delete;

 private:
  std::filesystem::path previous_;
};

TEST(ConfigDefaultDir, EnvironmentVariableWins) {
  const ScopedEnv env("ARXIVC_CONFIG_DIR", "/somewhere/configs");
  EXPECT_EQ(default_config_dir(), std::filesystem::path("/somewhere/configs"));
}

TEST(ConfigDefaultDir, WorkingDirectoryConfigsIsNext) {
  const ScopedEnv env("ARXIVC_CONFIG_DIR", nullptr);
  ConfigTree tree;
  tree.write("configs/config.yaml", "a: 1\n");
  const ScopedCwd cwd(tree.dir());
  EXPECT_EQ(default_config_dir(), std::filesystem::path("configs"));
}

}  // namespace
}  // namespace arxivc::config
