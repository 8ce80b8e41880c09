#include <gtest/gtest.h>

#include "arxivc/config/node_json.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/prepare/prepare.hpp"

namespace arxivc::prepare {
namespace {

using config::Node;

Node strings(std::initializer_list<const char*> items) {
  auto list = Node::list();
  for (const char* item : items) list.items().push_back(Node::string(item));
  return list;
}

// The shape of configs/prepare/default.yaml, composed under `prepare`, plus a `run` section.
Node default_root() {
  Node root = Node::map();
  auto& prepare = root["prepare"];
  prepare["input"] = Node::string("data/papers.jsonl.zst");
  prepare["output"] = Node::string("datasets/papers");
  prepare["strict"] = Node::boolean(false);
  prepare["threads"] = Node::integer(0);
  prepare["text"]["latex"] = Node::string("keep");
  prepare["selection"]["archives"] = Node::list();
  prepare["selection"]["groups"] = Node::list();
  prepare["selection"]["categories"] = Node::list();
  prepare["selection"]["min_papers"] = Node::integer(0);
  prepare["selection"]["top_n"] = Node::integer(0);
  prepare["selection"]["clear_boundaries"] = Node::boolean(false);
  prepare["labels"]["mode"] = Node::string("all");
  prepare["sampling"]["max_samples"] = Node();
  prepare["sampling"]["per_category_cap"] = Node();
  prepare["sampling"]["seed"] = Node::integer(42);
  prepare["split"]["method"] = Node::string("random");
  prepare["split"]["train"] = Node::floating(0.8);
  prepare["split"]["validation"] = Node::floating(0.1);
  prepare["split"]["test"] = Node::floating(0.1);
  prepare["split"]["seed"] = Node::integer(42);
  prepare["split"]["temporal_by"] = Node::string("id_month");
  prepare["split"]["temporal_cutoff"] = Node();
  root["run"]["dir"] = Node::string("outputs/2026-11-25/16-00-00");
  root["run"]["seed"] = Node::integer(42);
  return root;
}

PrepareOptions options_of(const Node& root) { return options_from_config(config::Config(root, {}, {})); }

std::string config_error(const Node& root) {
  try {
    options_of(root);
    return "";
  } catch (const ConfigError& e) {
    return e.what();
  }
}

TEST(PrepareOptions, Defaults) {
  const auto options = options_of(default_root());
  EXPECT_EQ(options.input, "data/papers.jsonl.zst");
  EXPECT_EQ(options.output, "datasets/papers");
  EXPECT_FALSE(options.strict);
  EXPECT_EQ(options.latex, LatexMode::keep);
  EXPECT_TRUE(options.archives.empty());
  EXPECT_EQ(options.label_mode, LabelMode::all);
  EXPECT_FALSE(options.max_samples.has_value());
  EXPECT_FALSE(options.per_category_cap.has_value());
  EXPECT_EQ(options.split, SplitMethod::random);
  EXPECT_DOUBLE_EQ(options.train_fraction, 0.8);
  EXPECT_TRUE(options.temporal_cutoff.empty());
  // The configuration is recorded without the run's (timestamped) directory.
  EXPECT_EQ(options.config.at("prepare").at("split").at("train"), 0.8);
  EXPECT_EQ(options.config.at("run").at("seed"), 42);
  EXPECT_FALSE(options.config.at("run").contains("dir"));
}

TEST(PrepareOptions, EveryKey) {
  auto root = default_root();
  auto& prepare = root["prepare"];
  prepare["strict"] = Node::boolean(true);
  prepare["threads"] = Node::integer(3);
  prepare["text"]["latex"] = Node::string("simplify");
  prepare["selection"]["archives"] = strings({"cs", "math"});
  prepare["selection"]["groups"] = Node::string("Physics");  // a scalar counts as one item
  prepare["selection"]["categories"] = strings({"cs.LG"});
  prepare["selection"]["min_papers"] = Node::integer(10);
  prepare["selection"]["top_n"] = Node::integer(20);
  prepare["selection"]["clear_boundaries"] = Node::boolean(true);
  prepare["labels"]["mode"] = Node::string("archive");
  prepare["sampling"]["max_samples"] = Node::integer(1000);
  prepare["sampling"]["per_category_cap"] = Node::integer(50);
  prepare["sampling"]["seed"] = Node::integer(7);
  prepare["split"]["method"] = Node::string("temporal");
  prepare["split"]["train"] = Node::integer(0);
  prepare["split"]["validation"] = Node::floating(0.5);
  prepare["split"]["test"] = Node::floating(0.5);
  prepare["split"]["seed"] = Node::integer(8);
  prepare["split"]["temporal_by"] = Node::string("update_date");
  prepare["split"]["temporal_cutoff"] = Node::string("2025-06-15");
  const auto options = options_of(root);
  EXPECT_TRUE(options.strict);
  EXPECT_EQ(options.threads, 3u);
  EXPECT_EQ(options.latex, LatexMode::simplify);
  EXPECT_EQ(options.archives, (std::vector<std::string>{"cs", "math"}));
  EXPECT_EQ(options.groups, (std::vector<std::string>{"Physics"}));
  EXPECT_EQ(options.categories, (std::vector<std::string>{"cs.LG"}));
  EXPECT_EQ(options.min_papers, 10);
  EXPECT_EQ(options.top_n, 20);
  EXPECT_TRUE(options.clear_boundaries);
  EXPECT_EQ(options.label_mode, LabelMode::archive);
  EXPECT_EQ(options.max_samples, 1000);
  EXPECT_EQ(options.per_category_cap, 50);
  EXPECT_EQ(options.sample_seed, 7u);
  EXPECT_EQ(options.split, SplitMethod::temporal);
  EXPECT_DOUBLE_EQ(options.train_fraction, 0.0);
  EXPECT_EQ(options.split_seed, 8u);
  EXPECT_EQ(options.temporal_by, "update_date");
  EXPECT_EQ(options.temporal_cutoff, "2025-06-15");
}

TEST(PrepareOptions, InvalidValuesNameTheKey) {
  const auto expect_error = [](Node root, const std::string& path, Node value, const std::string& expected) {
    root.make_path(path) = std::move(value);
    const auto error = config_error(root);
    EXPECT_NE(error.find(expected), std::string::npos) << path << ": " << error;
  };
  expect_error(default_root(), "prepare.labels.mode", Node::string("multi"), "prepare.labels.mode");
  expect_error(default_root(), "prepare.labels.mode", Node::string("multi"), "primary, all, archive");
  expect_error(default_root(), "prepare.text.latex", Node::string("strip"), "keep, simplify");
  expect_error(default_root(), "prepare.split.method", Node::string("kfold"), "random, temporal");
  expect_error(default_root(), "prepare.split.temporal_by", Node::string("year"),
               "prepare.split.temporal_by");
  expect_error(default_root(), "prepare.split.train", Node::floating(0.9), "prepare.split.validation");
  expect_error(default_root(), "prepare.split.test", Node::floating(-0.1), "prepare.split.test");
  expect_error(default_root(), "prepare.split.temporal_cutoff", Node::string("2025-13"), "temporal_cutoff");
  expect_error(default_root(), "prepare.split.method", Node::string("temporal"),
               "temporal_cutoff is not set");
  expect_error(default_root(), "prepare.sampling.max_samples", Node::integer(-5),
               "prepare.sampling.max_samples");
  expect_error(default_root(), "prepare.selection.top_n", Node::integer(-1), "prepare.selection.top_n");
  expect_error(default_root(), "prepare.threads", Node::integer(-2), "prepare.threads");
  expect_error(default_root(), "prepare.input", Node(), "prepare.input");
}

TEST(PrepareOptions, NodeToJson) {
  Node root = Node::map();
  root["b"] = Node::boolean(true);
  root["a"]["i"] = Node::integer(-3);
  root["a"]["f"] = Node::floating(0.25);
  root["a"]["s"] = Node::string("x");
  root["a"]["n"] = Node();
  root["l"] = strings({"p", "q"});
  const nlohmann::json expected = {
      {"a", {{"f", 0.25}, {"i", -3}, {"n", nullptr}, {"s", "x"}}}, {"b", true}, {"l", {"p", "q"}}};
  EXPECT_EQ(config::to_json(root), expected);
}

}  // namespace
}  // namespace arxivc::prepare
