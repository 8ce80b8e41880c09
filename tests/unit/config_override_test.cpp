#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "config_test_tree.hpp"

namespace arxivc::config {
namespace {

using testing::config_error_message;
using testing::ConfigTree;

constexpr auto kNpos = std::string::npos;

class ConfigOverride : public ::testing::Test {
 protected:
  void SetUp() override {
    tree.write("config.yaml",
               "name: run\n"
               "training:\n"
               "  batch_size: 32\n"
               "  lr: 0.001\n"
               "  layers: [1, 2, 3]\n"
               "  optimizer:\n"
               "    name: adam\n"
               "    betas: [0.9, 0.999]\n"
               "seed: null\n");
  }

  // The value the override grammar gives `text`, read back through ++value=<text>.
  Node value_of(const std::string& text) const { return tree.compose({"++value=" + text}).at("value"); }

  ConfigTree tree;
};

TEST_F(ConfigOverride, AssignsExistingKeysWithTypedValues) {
  const Config config =
      tree.compose({"training.batch_size=256", "name=other", "seed=7", "training.layers.1=20"});
  EXPECT_EQ(config.at("training.batch_size"), Node::integer(256));
  EXPECT_EQ(config.get_string("name"), "other");
  EXPECT_EQ(config.get_int("seed"), 7);
  EXPECT_EQ(config.at("training.layers"),
            Node::list({Node::integer(1), Node::integer(20), Node::integer(3)}));
}

TEST_F(ConfigOverride, UnknownKeySuggestsTheClosest) {
  EXPECT_EQ(config_error_message([&] { tree.compose({"training.bach_size=1"}); }),
            "unknown key 'training.bach_size' (did you mean 'training.batch_size'?) in override "
            "'training.bach_size=1' (to add a new key write '+training.bach_size=1')");
  const std::string top = config_error_message([&] { tree.compose({"trainig.lr=1"}); });
  EXPECT_NE(top.find("(did you mean 'training.lr'?)"), kNpos) << top;
  const std::string unrelated =
      config_error_message([&] { tree.compose({"training.completely_different=1"}); });
  EXPECT_NE(
      unrelated.find("unknown key 'training.completely_different' (keys under 'training': batch_size, lr, "
                     "layers, optimizer)"),
      kNpos)
      << unrelated;
}

TEST_F(ConfigOverride, PlusAddsNewKeysOnly) {
  const Config config = tree.compose({"+training.warmup=10", "+extra.deep.key=x"});
  EXPECT_EQ(config.get_int("training.warmup"), 10);
  EXPECT_EQ(config.get_string("extra.deep.key"), "x");
  const std::string message = config_error_message([&] { tree.compose({"+training.lr=0.1"}); });
  EXPECT_NE(message.find("cannot add 'training.lr' with '+training.lr=0.1': the key already exists"), kNpos)
      << message;
  EXPECT_NE(config_error_message([&] { tree.compose({"+name.sub=1"}); }).find("not a map"), kNpos);
}

TEST_F(ConfigOverride, PlusPlusAddsOrAssigns) {
  const Config config = tree.compose({"++training.lr=0.5", "++training.momentum=0.9"});
  EXPECT_DOUBLE_EQ(config.get_double("training.lr"), 0.5);
  EXPECT_DOUBLE_EQ(config.get_double("training.momentum"), 0.9);
}

TEST_F(ConfigOverride, TildeDeletesKeysAndListElements) {
  const Config config = tree.compose({"~training.optimizer", "~training.layers.0", "~seed"});
  EXPECT_FALSE(config.has("training.optimizer"));
  EXPECT_FALSE(config.has("seed"));
  EXPECT_EQ(config.at("training.layers"), Node::list({Node::integer(2), Node::integer(3)}));
  EXPECT_FALSE(tree.compose({"~training.batch_size=32"}).has("training.batch_size"));
  const std::string mismatch = config_error_message([&] { tree.compose({"~training.batch_size=64"}); });
  EXPECT_NE(mismatch.find("'training.batch_size' is integer 32, not integer 64"), kNpos) << mismatch;
  const std::string missing = config_error_message([&] { tree.compose({"~training.bach_size"}); });
  EXPECT_NE(missing.find("did you mean 'training.batch_size'?"), kNpos) << missing;
}

TEST_F(ConfigOverride, AssigningADictReplacesTheWholeMap) {
  const Config config = tree.compose({"training.optimizer={name:sgd,momentum:0.9}"});
  EXPECT_EQ(config.get_string("training.optimizer.name"), "sgd");
  EXPECT_DOUBLE_EQ(config.get_double("training.optimizer.momentum"), 0.9);
  EXPECT_FALSE(config.has("training.optimizer.betas"));
}

TEST_F(ConfigOverride, LaterOverridesWin) {
  EXPECT_EQ(tree.compose({"training.batch_size=1", "training.batch_size=2"}).get_int("training.batch_size"),
            2);
}

TEST_F(ConfigOverride, ValuesAreTypedLikeHydra) {
  EXPECT_EQ(value_of("1"), Node::integer(1));
  EXPECT_EQ(value_of("-3"), Node::integer(-3));
  EXPECT_EQ(value_of("+4"), Node::integer(4));
  EXPECT_EQ(value_of("1_000"), Node::integer(1000));
  EXPECT_EQ(value_of("1.5"), Node::floating(1.5));
  EXPECT_EQ(value_of("1e-3"), Node::floating(1e-3));
  EXPECT_EQ(value_of("-1E+2"), Node::floating(-100.0));
  EXPECT_EQ(value_of(".5"), Node::floating(0.5));
  EXPECT_EQ(value_of("5."), Node::floating(5.0));
  EXPECT_EQ(value_of("inf"), Node::floating(std::numeric_limits<double>::infinity()));
  EXPECT_EQ(value_of("-Inf"), Node::floating(-std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(std::isnan(value_of("NaN").as_double()));
  EXPECT_EQ(value_of("true"), Node::boolean(true));
  EXPECT_EQ(value_of("TRUE"), Node::boolean(true));
  EXPECT_EQ(value_of("False"), Node::boolean(false));
  EXPECT_EQ(value_of("null"), Node());
  EXPECT_EQ(value_of("NULL"), Node());
  EXPECT_EQ(value_of("abc"), Node::string("abc"));
  EXPECT_EQ(value_of("007"), Node::string("007"));
  EXPECT_EQ(value_of("hello world"), Node::string("hello world"));
  EXPECT_EQ(value_of("  padded  "), Node::string("padded"));
  EXPECT_EQ(value_of("http://host:80/a=b"), Node::string("http://host:80/a=b"));
  EXPECT_EQ(value_of("a\\,b"), Node::string("a,b"));
  EXPECT_EQ(value_of("\\1"), Node::string("\\1"));
}

TEST_F(ConfigOverride, QuotedValuesAreStrings) {
  EXPECT_EQ(value_of("'1'"), Node::string("1"));
  EXPECT_EQ(value_of("\"true\""), Node::string("true"));
  EXPECT_EQ(value_of("'null'"), Node::string("null"));
  EXPECT_EQ(value_of("''"), Node::string(""));
  EXPECT_EQ(value_of(""), Node::string(""));
  EXPECT_EQ(value_of("'a,b'"), Node::string("a,b"));
  EXPECT_EQ(value_of("'it\\'s'"), Node::string("it's"));
  EXPECT_EQ(value_of("\"say \\\"hi\\\"\""), Node::string("say \"hi\""));
  EXPECT_EQ(value_of("'back\\\\slash'"), Node::string("back\\slash"));
}

TEST_F(ConfigOverride, ListsAndDictsNest) {
  EXPECT_EQ(value_of("[]"), Node::list());
  EXPECT_EQ(value_of("{}"), Node::map());
  EXPECT_EQ(value_of("[a,b,[1,2]]"), Node::list({Node::string("a"), Node::string("b"),
                                                 Node::list({Node::integer(1), Node::integer(2)})}));
  EXPECT_EQ(value_of("[ 1 , 'x y' , null ]"), Node::list({Node::integer(1), Node::string("x y"), Node()}));
  Node dict = Node::map();
  dict["a"] = Node::integer(1);
  dict["b"] = Node::string("x");
  dict["c"] = Node::list({Node::floating(0.5)});
  EXPECT_EQ(value_of("{a:1,b:x,c:[0.5]}"), dict);
  Node nested = Node::map();
  nested["k"]["inner"] = Node::boolean(true);
  EXPECT_EQ(value_of("{k: {inner: true}}"), nested);
}

TEST_F(ConfigOverride, MalformedOverridesAreErrors) {
  const auto message = [&](const std::string& text) {
    return config_error_message([&] { tree.compose({text}); });
  };
  EXPECT_NE(message("training.layers=[1,2").find("list is missing its closing ']'"), kNpos);
  EXPECT_NE(message("training.layers=[1,,2]").find("empty element in list"), kNpos);
  EXPECT_NE(message("training.layers=[1,2,]").find("empty element in list"), kNpos);
  EXPECT_NE(message("training.layers=[1 2]]").find("unexpected ']'"), kNpos);
  EXPECT_NE(message("training.optimizer={a}").find("expected ':' after dict key 'a'"), kNpos);
  EXPECT_NE(message("training.optimizer={a:1,a:2}").find("duplicate dict key 'a'"), kNpos);
  EXPECT_NE(message("training.optimizer={a:1").find("missing its closing '}'"), kNpos);
  EXPECT_NE(message("name='abc").find("unterminated single quote"), kNpos);
  EXPECT_NE(message("name=a,b").find("sweep"), kNpos);
  EXPECT_NE(message("name=ab'c").find("unexpected quote"), kNpos);
  EXPECT_NE(message("name=${a").find("unterminated interpolation"), kNpos);
  EXPECT_NE(message("name").find("missing '='"), kNpos);
  EXPECT_NE(message("=5").find("the key is empty"), kNpos);
  EXPECT_NE(message("training..lr=1").find("empty segment"), kNpos);
  EXPECT_NE(message("bad key=1").find("invalid character ' '"), kNpos);
  EXPECT_NE(message("seed=99999999999999999999").find("out of range"), kNpos);
  EXPECT_EQ(message("training.layers=[1,2"),
            "malformed override 'training.layers=[1,2': list is missing its closing ']'");
}

TEST_F(ConfigOverride, ValueThatIsNotUtf8IsAnError) {
  const std::string message = config_error_message([&] { tree.compose({"name=caf\xe9"}); });
  EXPECT_NE(message.find("the value is not valid UTF-8 text"), kNpos) << message;
  EXPECT_EQ(tree.compose({"name=caf\xc3\xa9"}).get_string("name"), "caf\xc3\xa9");
}

}  // namespace
}  // namespace arxivc::config
