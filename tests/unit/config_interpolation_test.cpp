#include <gtest/gtest.h>

#include <ctime>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "config_test_tree.hpp"

namespace arxivc::config {
namespace {

using testing::config_error_message;
using testing::ConfigTree;
using testing::ScopedEnv;

constexpr auto kNpos = std::string::npos;

class ConfigInterpolation : public ::testing::Test {
 protected:
  Config compose_yaml(const std::string& yaml, std::vector<std::string> overrides = {}) {
    tree.write("config.yaml", yaml);
    return tree.compose(std::move(overrides));
  }
  std::string error_for(const std::string& yaml) {
    tree.write("config.yaml", yaml);
    return config_error_message([&] { tree.compose(); });
  }

  ConfigTree tree;
};

TEST_F(ConfigInterpolation, WholeValueKeepsTheTargetType) {
  const Config config = compose_yaml(
      "training:\n"
      "  epochs: 5\n"
      "  lr: 0.5\n"
      "  shuffle: true\n"
      "  tags: [a, b]\n"
      "copy:\n"
      "  epochs: ${training.epochs}\n"
      "  lr: ${training.lr}\n"
      "  shuffle: ${training.shuffle}\n"
      "  tags: ${training.tags}\n"
      "  all: ${training}\n"
      "  nothing: ${missing_ok}\n"
      "missing_ok: null\n");
  EXPECT_EQ(config.at("copy.epochs"), Node::integer(5));
  EXPECT_EQ(config.at("copy.lr"), Node::floating(0.5));
  EXPECT_EQ(config.at("copy.shuffle"), Node::boolean(true));
  EXPECT_EQ(config.at("copy.tags"), config.at("training.tags"));
  EXPECT_EQ(config.at("copy.all"), config.at("training"));
  EXPECT_TRUE(config.at("copy.nothing").is_null());
}

TEST_F(ConfigInterpolation, StringInterpolationMakesAString) {
  const Config config = compose_yaml(
      "name: fasttext\n"
      "epochs: 5\n"
      "lr: 0.001\n"
      "flag: false\n"
      "run: \"run_${name}_e${epochs}_lr${lr}_${flag}\"\n"
      "path: ${name}/model.bin\n"
      "list:\n"
      "  - ${name}\n"
      "  - x_${epochs}\n");
  EXPECT_EQ(config.at("run"), Node::string("run_fasttext_e5_lr0.001_false"));
  EXPECT_EQ(config.get_string("path"), "fasttext/model.bin");
  EXPECT_EQ(config.at("list"), Node::list({Node::string("fasttext"), Node::string("x_5")}));
}

TEST_F(ConfigInterpolation, ChainedAndNestedInterpolations) {
  const Config config = compose_yaml(
      "a: ${b}\n"
      "b: ${c}\n"
      "c: 3\n"
      "which: train\n"
      "files:\n"
      "  train: train.jsonl\n"
      "  test: test.jsonl\n"
      "chosen: ${files.${which}}\n"
      "alias: ${files}\n"
      "through_alias: ${alias.test}\n");
  EXPECT_EQ(config.at("a"), Node::integer(3));
  EXPECT_EQ(config.get_string("chosen"), "train.jsonl");
  EXPECT_EQ(config.get_string("through_alias"), "test.jsonl");
}

TEST_F(ConfigInterpolation, RelativeReferences) {
  const Config config = compose_yaml(
      "top: 1\n"
      "model:\n"
      "  dim: 64\n"
      "  hidden: ${.dim}\n"
      "  outer: ${..top}\n"
      "  items: ['${...top}', '${..dim}']\n");
  EXPECT_EQ(config.get_int("model.hidden"), 64);
  EXPECT_EQ(config.get_int("model.outer"), 1);
  // In a list, one dot is the list itself, as in OmegaConf.
  EXPECT_EQ(config.at("model.items"), Node::list({Node::integer(1), Node::integer(64)}));
}

TEST_F(ConfigInterpolation, ResolvedAfterOverrides) {
  const Config config = compose_yaml("a: 1\nb: ${a}\n", {"a=7", "+c=${b}_x", "+d=${a}"});
  EXPECT_EQ(config.get_int("b"), 7);
  EXPECT_EQ(config.get_string("c"), "7_x");
  EXPECT_EQ(config.at("d"), Node::integer(7));
}

TEST_F(ConfigInterpolation, EscapedInterpolationIsLiteral) {
  const Config config = compose_yaml("a: 1\nliteral: \\${a}\nmixed: x\\${a}_${a}\n");
  EXPECT_EQ(config.get_string("literal"), "${a}");
  EXPECT_EQ(config.get_string("mixed"), "x${a}_1");
}

TEST_F(ConfigInterpolation, EnvironmentResolver) {
  const ScopedEnv set("ARXIVC_CONFIG_TEST_VAR", "from-env");
  const ScopedEnv unset("ARXIVC_CONFIG_TEST_UNSET", nullptr);
  const Config config = compose_yaml(
      "value: ${oc.env:ARXIVC_CONFIG_TEST_VAR}\n"
      "with_default: ${oc.env:ARXIVC_CONFIG_TEST_UNSET,fallback}\n"
      "quoted_default: ${oc.env:ARXIVC_CONFIG_TEST_UNSET,'a,b'}\n"
      "null_default: ${oc.env:ARXIVC_CONFIG_TEST_UNSET,null}\n"
      "in_string: dir/${oc.env:ARXIVC_CONFIG_TEST_VAR}/x\n");
  EXPECT_EQ(config.get_string("value"), "from-env");
  EXPECT_EQ(config.get_string("with_default"), "fallback");
  EXPECT_EQ(config.get_string("quoted_default"), "a,b");
  EXPECT_TRUE(config.at("null_default").is_null());
  EXPECT_EQ(config.get_string("in_string"), "dir/from-env/x");
  const std::string message = error_for("x:\n  y: ${oc.env:ARXIVC_CONFIG_TEST_UNSET}\n");
  EXPECT_NE(message.find("x.y: cannot resolve '${oc.env:ARXIVC_CONFIG_TEST_UNSET}': environment variable "
                         "'ARXIVC_CONFIG_TEST_UNSET' is not set"),
            kNpos)
      << message;
}

TEST_F(ConfigInterpolation, DecodeResolverTypesText) {
  const ScopedEnv set("ARXIVC_CONFIG_TEST_NUMBER", "256");
  const Config config = compose_yaml("batch: ${oc.decode:${oc.env:ARXIVC_CONFIG_TEST_NUMBER}}\n");
  EXPECT_EQ(config.at("batch"), Node::integer(256));
}

TEST_F(ConfigInterpolation, NowFormatsTheInjectedTimeOnce) {
  const Config config = compose_yaml(
      "month: ${now:%Y-%m}\n"
      "dir: outputs/${now:%Y-%m-%d}/${now:%H-%M-%S}\n"
      "again: outputs/${now:%Y-%m-%d}/${now:%H-%M-%S}\n"
      "clock: ${now:%H:%M}\n");
  EXPECT_EQ(config.get_string("month"), "2024-06");
  std::tm local{};
  const std::time_t fixed = ConfigTree::kFixedTime;
  ASSERT_NE(localtime_r(&fixed, &local), nullptr);
  char expected[64];
  ASSERT_GT(std::strftime(expected, sizeof expected, "outputs/%Y-%m-%d/%H-%M-%S", &local), 0U);
  EXPECT_EQ(config.get_string("dir"), expected);
  EXPECT_EQ(config.get_string("again"), config.get_string("dir"));
  ASSERT_GT(std::strftime(expected, sizeof expected, "%H:%M", &local), 0U);
  EXPECT_EQ(config.get_string("clock"), expected);
}

TEST_F(ConfigInterpolation, CyclesAreReported) {
  EXPECT_EQ(error_for("a: ${b}\nb: ${a}\n"), "interpolation cycle: a -> b -> a");
  EXPECT_EQ(error_for("a: ${a}\n"), "interpolation cycle: a -> a");
  EXPECT_NE(error_for("a:\n  b: ${a}\n").find("interpolation cycle: a -> a.b -> a"), kNpos);
  EXPECT_NE(error_for("a: x_${b}\nb: ${c.d}\nc:\n  d: ${a}\n").find("interpolation cycle"), kNpos);
}

TEST_F(ConfigInterpolation, MissingTargetSuggestsTheClosestKey) {
  EXPECT_EQ(error_for("training:\n  batch_size: 1\nx: ${training.bach_size}\n"),
            "x: cannot resolve '${training.bach_size}': unknown key 'training.bach_size' (did you mean "
            "'training.batch_size'?)");
  EXPECT_NE(error_for("x: ${.}\n").find("interpolation cycle"), kNpos);  // "." is the root, which holds x
  EXPECT_NE(error_for("x: ${..up}\n").find("relative reference goes above the top level"), kNpos);
}

TEST_F(ConfigInterpolation, MalformedInterpolationsAreErrors) {
  EXPECT_NE(error_for("x: ${a\n").find("unterminated interpolation"), kNpos);
  EXPECT_NE(error_for("x: ${}\n").find("empty interpolation"), kNpos);
  EXPECT_NE(error_for("x: ${hydra:runtime.cwd}\n").find("unknown resolver 'hydra'"), kNpos);
  EXPECT_NE(error_for("m:\n  k: 1\nx: a_${m}\n").find("is a map, which cannot be part of a string"), kNpos);
  EXPECT_NE(error_for("x: ${oc.env:}\n").find("oc.env takes a variable name"), kNpos);
}

TEST_F(ConfigInterpolation, EnvironmentValueThatIsNotUtf8IsAnError) {
  const ScopedEnv set("ARXIVC_CONFIG_TEST_VAR", "caf\xe9");
  const std::string message = error_for("value: ${oc.env:ARXIVC_CONFIG_TEST_VAR}\n");
  EXPECT_NE(message.find("environment variable 'ARXIVC_CONFIG_TEST_VAR' is not valid UTF-8"), kNpos)
      << message;
}

}  // namespace
}  // namespace arxivc::config
