#include <gtest/gtest.h>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "config_test_tree.hpp"

namespace arxivc::config {
namespace {

using testing::config_error_message;
using testing::ConfigTree;

constexpr auto kNpos = std::string::npos;

// A base config with a data group chosen by default and an experiment group chosen on demand.
class ConfigCompose : public ::testing::Test {
 protected:
  void SetUp() override {
    tree.write("config.yaml",
               "defaults:\n"
               "  - data: sample\n"
               "  - _self_\n"
               "  - experiment: null\n"
               "name: base\n"
               "training:\n"
               "  batch_size: 32\n"
               "  epochs: 5\n"
               "data:\n"
               "  limit: 100\n");
    tree.write("data/sample.yaml", "path: sample.jsonl\nlimit: 10\n");
    tree.write("data/full.yaml", "path: full.jsonl\n");
    tree.write("experiment/fasttext.yaml",
               "# @package _global_\n"
               "training:\n"
               "  batch_size: 128\n"
               "model:\n"
               "  kind: fasttext\n");
    tree.write("experiment/tfidf_linear.yaml", "# @package _global_\nmodel:\n  kind: tfidf_linear\n");
  }

  ConfigTree tree;
};

TEST_F(ConfigCompose, MergesGroupsAndBaseInDefaultsOrder) {
  const Config config = tree.compose();
  EXPECT_EQ(config.get_string("data.path"), "sample.jsonl");
  EXPECT_EQ(config.get_int("data.limit"), 100);  // _self_ after data: the base file wins
  EXPECT_EQ(config.get_int("training.batch_size"), 32);
  EXPECT_FALSE(config.has("model"));
  EXPECT_FALSE(config.has("defaults"));
  EXPECT_EQ(config.choices(), (std::map<std::string, std::string>{{"data", "sample"}}));
  ASSERT_EQ(config.root().entries().size(), 3U);
  EXPECT_EQ(config.root().entries()[0].first, "data");
  EXPECT_EQ(config.root().entries()[1].first, "name");
  EXPECT_EQ(config.root().entries()[2].first, "training");
}

TEST_F(ConfigCompose, SelfFirstLetsGroupsOverrideTheBase) {
  tree.write("config.yaml", "defaults:\n  - _self_\n  - data: sample\ndata:\n  limit: 100\n");
  EXPECT_EQ(tree.compose().get_int("data.limit"), 10);
}

TEST_F(ConfigCompose, AbsentSelfMeansTheBaseComesLast) {
  tree.write("config.yaml", "defaults:\n  - data: sample\ndata:\n  limit: 100\n");
  EXPECT_EQ(tree.compose().get_int("data.limit"), 100);
}

TEST_F(ConfigCompose, BaseWithoutDefaultsListLoads) {
  tree.write("config.yaml", "a: 1\n");
  const Config config = tree.compose();
  EXPECT_EQ(config.get_int("a"), 1);
  EXPECT_TRUE(config.choices().empty());
}

TEST_F(ConfigCompose, GroupOverrideChoosesAnotherOption) {
  const Config config = tree.compose({"data=full"});
  EXPECT_EQ(config.get_string("data.path"), "full.jsonl");
  EXPECT_EQ(config.choices().at("data"), "full");
  EXPECT_EQ(config.overrides(), std::vector<std::string>{"data=full"});
}

TEST_F(ConfigCompose, GlobalPackageExperimentMergesAtTheRoot) {
  const Config config = tree.compose({"experiment=fasttext", "training.epochs=9"});
  EXPECT_EQ(config.get_int("training.batch_size"), 128);
  EXPECT_EQ(config.get_int("training.epochs"), 9);
  EXPECT_EQ(config.get_string("model.kind"), "fasttext");
  EXPECT_FALSE(config.has("experiment"));
  EXPECT_EQ(config.choices().at("experiment"), "fasttext");
}

TEST_F(ConfigCompose, ValueOverridesApplyAfterGroups) {
  const Config config = tree.compose({"training.batch_size=256", "experiment=fasttext"});
  EXPECT_EQ(config.get_int("training.batch_size"), 256);
}

// Hydra's config entry: `- sample` in data/tiny.yaml extends data/sample.yaml at the same package.
TEST_F(ConfigCompose, PlainNameInAGroupFileExtendsAnotherFileOfTheGroup) {
  tree.write("data/tiny.yaml", "defaults:\n  - sample\n  - _self_\nlimit: 3\n");
  tree.write("config.yaml", "defaults:\n  - data: tiny\n");
  const Config config = tree.compose();
  EXPECT_EQ(config.get_string("data.path"), "sample.jsonl");  // from data/sample.yaml
  EXPECT_EQ(config.get_int("data.limit"), 3);                 // its own value wins after _self_
  EXPECT_EQ(config.choices().at("data"), "tiny");
  EXPECT_EQ(tree.compose({"data.limit=7"}).get_int("data.limit"), 7);

  tree.write("data/tiny.yaml", "defaults:\n  - smaple\nlimit: 3\n");
  const std::string message = config_error_message([&] { tree.compose(); });
  EXPECT_NE(message.find("config 'data/smaple'"), kNpos) << message;
  EXPECT_NE(message.find("did you mean 'sample'?"), kNpos) << message;

  tree.write("data/tiny.yaml", "defaults:\n  - tiny\n");
  EXPECT_NE(config_error_message([&] { tree.compose(); }).find("nest too deeply"), kNpos);
  tree.write("data/tiny.yaml", "defaults:\n  - ../config\n");
  EXPECT_NE(config_error_message([&] { tree.compose(); }).find("invalid config name"), kNpos);
}

TEST_F(ConfigCompose, UnknownGroupOptionSuggestsTheClosest) {
  const std::string message = config_error_message([&] { tree.compose({"experiment=fastext"}); });
  EXPECT_NE(
      message.find("unknown option 'fastext' for group 'experiment' (did you mean 'fasttext'? available: "
                   "fasttext, tfidf_linear)"),
      kNpos)
      << message;
  const std::string far = config_error_message([&] { tree.compose({"experiment=zzzzzzzz"}); });
  EXPECT_NE(far.find("unknown option 'zzzzzzzz' for group 'experiment' (available: fasttext, tfidf_linear)"),
            kNpos)
      << far;
}

TEST_F(ConfigCompose, UnknownOptionInDefaultsListNamesTheFile) {
  tree.write("config.yaml", "defaults:\n  - data: smaple\n");
  const std::string message = config_error_message([&] { tree.compose(); });
  EXPECT_NE(message.find("unknown option 'smaple' for group 'data' (did you mean 'sample'?"), kNpos)
      << message;
  EXPECT_NE(message.find("config.yaml"), kNpos) << message;
}

TEST_F(ConfigCompose, UnknownGroupInDefaultsListSuggestsTheClosest) {
  tree.write("config.yaml", "defaults:\n  - dta: sample\n");
  const std::string message = config_error_message([&] { tree.compose(); });
  EXPECT_NE(message.find("unknown config group 'dta'"), kNpos) << message;
  EXPECT_NE(message.find("did you mean 'data'?"), kNpos) << message;
}

TEST_F(ConfigCompose, OverridingAGroupNotInTheDefaultsListIsAnError) {
  tree.write("config.yaml", "defaults:\n  - data: sample\n");
  const std::string message = config_error_message([&] { tree.compose({"experiment=fasttext"}); });
  EXPECT_NE(message.find("not in the defaults list (use +experiment=fasttext to add it)"), kNpos) << message;
}

TEST_F(ConfigCompose, PlusAddsAGroupAfterTheBase) {
  tree.write("config.yaml", "defaults:\n  - data: sample\ntraining:\n  batch_size: 32\n");
  const Config config = tree.compose({"+experiment=fasttext"});
  EXPECT_EQ(config.get_int("training.batch_size"), 128);
  EXPECT_EQ(config.choices().at("experiment"), "fasttext");
}

TEST_F(ConfigCompose, AddedGroupsMergeInCommandLineOrder) {
  tree.write("config.yaml", "defaults:\n  - data: sample\n");
  tree.write("zeta/one.yaml", "# @package _global_\nwinner: zeta\n");
  tree.write("alpha/one.yaml", "# @package _global_\nwinner: alpha\n");
  EXPECT_EQ(tree.compose({"+zeta=one", "+alpha=one"}).get_string("winner"), "alpha");
  EXPECT_EQ(tree.compose({"+alpha=one", "+zeta=one"}).get_string("winner"), "zeta");
  EXPECT_EQ(tree.compose({"++alpha=one", "++zeta=one"}).get_string("winner"), "zeta");
}

TEST_F(ConfigCompose, PlusOnAGroupAlreadyListedIsAnError) {
  const std::string message = config_error_message([&] { tree.compose({"+data=full"}); });
  EXPECT_NE(message.find("cannot add config group 'data'"), kNpos) << message;
  EXPECT_NE(message.find("already in the defaults list"), kNpos) << message;
}

TEST_F(ConfigCompose, PlusPlusChoosesOrAddsAGroup) {
  EXPECT_EQ(tree.compose({"++data=full"}).get_string("data.path"), "full.jsonl");
  tree.write("config.yaml", "defaults:\n  - data: sample\n");
  EXPECT_EQ(tree.compose({"++experiment=tfidf_linear"}).get_string("model.kind"), "tfidf_linear");
}

TEST_F(ConfigCompose, TildeRemovesAGroup) {
  const Config config = tree.compose({"~data"});
  EXPECT_FALSE(config.has("data.path"));
  EXPECT_EQ(config.get_int("data.limit"), 100);  // the base file's own data keys remain
  EXPECT_EQ(config.choices().count("data"), 0U);
  EXPECT_FALSE(tree.compose({"~data=sample"}).has("data.path"));
  const std::string mismatch = config_error_message([&] { tree.compose({"~data=full"}); });
  EXPECT_NE(mismatch.find("its option is 'sample', not 'full'"), kNpos) << mismatch;
}

TEST_F(ConfigCompose, NullOptionSelectsNothingUntilOverridden) {
  tree.write("config.yaml", "defaults:\n  - data: null\n");
  EXPECT_FALSE(tree.compose().has("data"));
  EXPECT_EQ(tree.compose({"data=full"}).get_string("data.path"), "full.jsonl");
}

TEST_F(ConfigCompose, OptionalGroupIsSkippedWhenAbsent) {
  tree.write("config.yaml", "defaults:\n  - data: sample\n  - optional data_extra: local\n");
  tree.write("data_extra/other.yaml", "x: 1\n");
  const Config without = tree.compose();
  EXPECT_FALSE(without.has("data_extra"));
  tree.write("data_extra/local.yaml", "x: 2\n");
  EXPECT_EQ(tree.compose().get_int("data_extra.x"), 2);
}

TEST_F(ConfigCompose, GroupFilesMayHaveTheirOwnDefaultsList) {
  tree.write("data/full.yaml",
             "defaults:\n"
             "  - tokenizer: basic\n"
             "  - /model: linear\n"
             "path: full.jsonl\n");
  tree.write("data/tokenizer/basic.yaml", "lowercase: true\n");
  tree.write("model/linear.yaml", "kind: linear\n");
  const Config config = tree.compose({"data=full"});
  EXPECT_TRUE(
      config.get_bool("data.tokenizer.lowercase"));      // relative group: data/tokenizer at data.tokenizer
  EXPECT_EQ(config.get_string("model.kind"), "linear");  // absolute group: /model at model
  EXPECT_EQ(config.choices().at("data/tokenizer"), "basic");
  EXPECT_EQ(config.choices().at("model"), "linear");
}

TEST_F(ConfigCompose, OverrideEntryInAGroupFileChangesAnotherChoice) {
  tree.write("experiment/big.yaml",
             "# @package _global_\n"
             "defaults:\n"
             "  - override /data: full\n"
             "training:\n"
             "  epochs: 50\n");
  const Config config = tree.compose({"experiment=big"});
  EXPECT_EQ(config.get_string("data.path"), "full.jsonl");
  EXPECT_EQ(config.choices().at("data"), "full");
  EXPECT_EQ(config.get_int("training.epochs"), 50);
  // The command line outranks the experiment file.
  EXPECT_EQ(tree.compose({"experiment=big", "data=sample"}).get_string("data.path"), "sample.jsonl");
}

TEST_F(ConfigCompose, OverrideEntryForAnUnlistedGroupIsAnError) {
  tree.write("experiment/bad.yaml", "# @package _global_\ndefaults:\n  - override /model: linear\n");
  tree.write("model/linear.yaml", "kind: linear\n");
  const std::string message = config_error_message([&] { tree.compose({"experiment=bad"}); });
  EXPECT_NE(message.find("'override model' matches no config group"), kNpos) << message;
}

TEST_F(ConfigCompose, GroupListedTwiceIsAnError) {
  tree.write("experiment/dup.yaml", "# @package _global_\ndefaults:\n  - /data: full\n");
  const std::string message = config_error_message([&] { tree.compose({"experiment=dup"}); });
  EXPECT_NE(message.find("config group 'data' is in the defaults lists twice"), kNpos) << message;
}

TEST_F(ConfigCompose, PackageHeaderPlacesContent) {
  tree.write("data/nested.yaml", "# @package settings.input\npath: nested.jsonl\n");
  EXPECT_EQ(tree.compose({"data=nested"}).get_string("settings.input.path"), "nested.jsonl");
  tree.write("data/grouped.yaml", "# a comment first\n# @package _group_\npath: g.jsonl\n");
  EXPECT_EQ(tree.compose({"data=grouped"}).get_string("data.path"), "g.jsonl");
  tree.write("data/late.yaml", "path: late.jsonl\n# @package _global_\n");  // not at the top: ignored
  EXPECT_EQ(tree.compose({"data=late"}).get_string("data.path"), "late.jsonl");
}

TEST_F(ConfigCompose, EmptyGroupFileCreatesAnEmptyMap) {
  tree.write("data/empty.yaml", "");
  tree.write("config.yaml", "defaults:\n  - data: empty\n");
  const Config config = tree.compose();
  ASSERT_TRUE(config.has("data"));
  EXPECT_TRUE(config.at("data").is_map());
}

TEST_F(ConfigCompose, MissingDirectoryOrBaseFileIsAnError) {
  ComposeOptions options;
  options.config_dir = tree.dir() / "nope";
  EXPECT_NE(config_error_message([&] { compose(options); }).find("config directory"), kNpos);
  options.config_dir = tree.dir();
  options.config_name = "other";
  const std::string message = config_error_message([&] { compose(options); });
  EXPECT_NE(message.find("base config"), kNpos) << message;
  EXPECT_NE(message.find("other.yaml"), kNpos) << message;
}

TEST_F(ConfigCompose, SyntaxErrorInAGroupFileNamesFileAndLine) {
  tree.write("data/broken.yaml", "path: x\nlimit: [1, 2\n");
  const std::string message = config_error_message([&] { tree.compose({"data=broken"}); });
  EXPECT_NE(message.find("broken.yaml:"), kNpos) << message;
  EXPECT_NE(message.find("YAML syntax error"), kNpos) << message;
}

TEST_F(ConfigCompose, MalformedDefaultsListsAreErrors) {
  tree.write("config.yaml", "defaults: data\n");
  EXPECT_NE(config_error_message([&] { tree.compose(); }).find("'defaults' must be a list"), kNpos);
  tree.write("config.yaml", "defaults:\n  - [a, b]\n");
  EXPECT_NE(config_error_message([&] { tree.compose(); }).find("unsupported defaults list entry"), kNpos);
  tree.write("config.yaml", "defaults:\n  - something\n");
  EXPECT_NE(
      config_error_message([&] { tree.compose(); }).find("config 'something' named in the defaults list"),
      kNpos);
  tree.write("config.yaml", "defaults:\n  - _self_\n  - _self_\n");
  EXPECT_NE(config_error_message([&] { tree.compose(); }).find("_self_ appears twice"), kNpos);
  tree.write("config.yaml", "defaults:\n  - data: ../secret\n");
  EXPECT_NE(config_error_message([&] { tree.compose(); }).find("invalid option"), kNpos);
  tree.write("config.yaml", "- a\n- b\n");
  EXPECT_NE(config_error_message([&] { tree.compose(); }).find("must hold a map"), kNpos);
}

TEST_F(ConfigCompose, GroupOptionMustBeOneName) {
  const std::string message = config_error_message([&] { tree.compose({"data=[sample,full]"}); });
  EXPECT_NE(message.find("takes one option name"), kNpos) << message;
}

}  // namespace
}  // namespace arxivc::config
