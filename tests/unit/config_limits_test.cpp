// What a hostile or careless configuration cannot do: recurse, expand without bound, nest without
// bound, hide a misspelt key in a file, or carry a secret into anything written.

#include <gtest/gtest.h>

#include "arxivc/config/config.hpp"
#include "arxivc/config/schema.hpp"
#include "arxivc/core/error.hpp"
#include "config_test_tree.hpp"

namespace arxivc::config {
namespace {

using testing::config_error_message;
using testing::ConfigTree;

constexpr auto kNpos = std::string::npos;

TEST(ConfigLimits, ARecursiveAliasIsAnErrorNotACrash) {
  for (const char* text : {"a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a\n  - x\n  - *a\n"}) {
    const auto message = config_error_message([&] { parse_yaml(text, "loop.yaml"); });
    EXPECT_NE(message.find("loop.yaml:"), kNpos) << message;
    EXPECT_NE(message.find("recursive alias"), kNpos) << message;
  }
}

TEST(ConfigLimits, AliasesMayRepeatButNotExplode) {
  // Shared, non-recursive aliases are fine...
  const auto shared = parse_yaml("base: &b {lr: 0.1}\none: *b\ntwo: *b\n", "ok.yaml");
  EXPECT_EQ(shared.find_path("two.lr")->as_double(), 0.1);
  // ...but "billion laughs" (ten aliases of ten aliases of ...) is refused before it grows.
  std::string laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    laughs += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) laughs += (j ? ", *a" : "*a") + std::to_string(i - 1);
    laughs += "]\n";
  }
  const auto message = config_error_message([&] { parse_yaml(laughs, "laughs.yaml"); });
  EXPECT_NE(message.find("laughs.yaml"), kNpos) << message;
  EXPECT_NE(message.find("expands to more than"), kNpos) << message;
}

TEST(ConfigLimits, DeeplyNestedOverridesAreErrorsNotCrashes) {
  ConfigTree tree;
  tree.write("config.yaml", "x: 1\n");
  for (const char open : {'[', '{'}) {
    const std::string value = std::string(30000, open);
    const auto message = config_error_message([&] { tree.compose({"x=" + value}); });
    EXPECT_NE(message.find("nesting deeper than"), kNpos) << message;
    EXPECT_LT(message.size(), 400u) << "the echo of a huge override is truncated";
  }
  // Within the limit, nesting still works.
  const auto config = tree.compose({"x=[[[[1]]]]"});
  EXPECT_EQ(config.root().find_path("x.0.0.0.0")->as_int(), 1);
}

TEST(ConfigLimits, ARecursiveInterpolationIsAnError) {
  ConfigTree tree;
  tree.write("config.yaml", "a: ${b}\nb: ${a}\n");
  const auto message = config_error_message([&] { tree.compose(); });
  EXPECT_NE(message.find("a"), kNpos) << message;
}

class ConfigSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema.add("training.epochs", Schema::integer).range(1, 100);
    schema.add("training.threads", Schema::integer).range(0, 64);
    schema.add("serve.api_key", Schema::string | Schema::null_value).secret();
    schema.add("model", Schema::map).open();
    tree.write("config.yaml",
               "defaults:\n  - training: default\n  - _self_\n"
               "serve:\n  api_key: null\nmodel:\n  anything: 1\n");
    tree.write("training/default.yaml", "epochs: 5\nthreads: 0\n");
  }
  Config compose(std::vector<std::string> overrides = {}) const {
    ComposeOptions options;
    options.config_dir = tree.dir();
    options.overrides = std::move(overrides);
    options.now = ConfigTree::kFixedTime;
    options.schema = &schema;
    return config::compose(options);
  }

  Schema schema;
  ConfigTree tree;
};

TEST_F(ConfigSchemaTest, AnUnknownKeyInAFileIsAnErrorNamingTheFile) {
  tree.write("training/default.yaml", "epochs: 5\nthreads: 0\nepoch: 3\n");
  const auto message = config_error_message([&] { compose(); });
  EXPECT_NE(message.find("training/default.yaml"), kNpos) << message;
  EXPECT_NE(message.find("unknown key 'training.epoch' (did you mean 'training.epochs'?)"), kNpos) << message;
  // An open section takes any key.
  tree.write("training/default.yaml", "epochs: 5\nthreads: 0\n");
  EXPECT_NO_THROW(compose({"+model.new_parameter=2"}));
}

TEST_F(ConfigSchemaTest, ValuesAreRangeCheckedWhereverTheyComeFrom) {
  EXPECT_EQ(config_error_message([&] { compose({"training.threads=-1"}); }),
            "training.threads: integer -1 is out of range: it must be between 0 and 64");
  EXPECT_NE(config_error_message([&] { compose({"training.epochs=0"}); }).find("between 1 and 100"), kNpos);
  EXPECT_NE(config_error_message([&] { compose({"training.epochs=five"}); }).find("expected an integer"),
            kNpos);
  tree.write("training/default.yaml", "epochs: 500\nthreads: 0\n");
  EXPECT_NE(config_error_message([&] { compose(); }).find("training.epochs"), kNpos);
}

TEST_F(ConfigSchemaTest, SecretsAreRedactedInEverythingWritten) {
  const std::string key = "s3cret-value-42";
  const auto config = compose({"serve.api_key=" + key});
  EXPECT_EQ(config.get_string("serve.api_key"), key);  // the program still reads the value
  const auto yaml = config.to_yaml();
  EXPECT_EQ(yaml.find(key), kNpos) << yaml;
  EXPECT_NE(yaml.find("api_key: \"***\""), kNpos) << yaml;
  for (const auto& override_text : config.overrides())
    EXPECT_EQ(override_text.find(key), kNpos) << override_text;
  // A configuration read back from a written one cannot pass the placeholder off as a key.
  tree.write("config.yaml", yaml);
  const auto reread = compose();
  const auto message = config_error_message([&] { (void)reread.get_string("serve.api_key"); });
  EXPECT_NE(message.find("placeholder"), kNpos) << message;
}

TEST_F(ConfigSchemaTest, ErrorsAboutASecretOverrideDoNotEchoIt) {
  const std::string key = "s3cret-value-42";
  for (const std::string& text :
       {"serve.api_key=[" + key, "serve.api_key={a: " + key, "+serve.api_key=" + key,
        "serve.api_key=${oc.env:ARXIVC_SURELY_UNSET}" + key,
        "serve.api_key=[" + key + std::string(300, 'x')}) {
    const auto message = config_error_message([&] { compose({text}); });
    EXPECT_FALSE(message.empty()) << text;
    EXPECT_EQ(message.find(key), kNpos) << message;
    EXPECT_EQ(message.find("s3cret"), kNpos) << message;
  }
}

TEST_F(ConfigSchemaTest, AShortSecretIsRedactedWithoutGarblingTheMessage) {
  const auto message = config_error_message([&] { compose({"+serve.api_key=e"}); });
  EXPECT_EQ(message.find("api_key=e"), kNpos) << message;
  EXPECT_NE(message.find("the key already exists"), kNpos) << message;  // "e" elsewhere is left alone
}

TEST_F(ConfigSchemaTest, AnUnsetSecretStaysNull) {
  const auto config = compose();
  EXPECT_NE(config.to_yaml().find("api_key: null"), kNpos) << config.to_yaml();
}

}  // namespace
}  // namespace arxivc::config
