#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "config_test_tree.hpp"

namespace arxivc::config {
namespace {

using testing::config_error_message;

TEST(ConfigNode, DefaultIsNullAndFactoriesSetKinds) {
  EXPECT_TRUE(Node().is_null());
  EXPECT_EQ(Node::boolean(true).kind(), Node::Kind::boolean);
  EXPECT_EQ(Node::integer(3).kind(), Node::Kind::integer);
  EXPECT_EQ(Node::floating(0.5).kind(), Node::Kind::floating);
  EXPECT_EQ(Node::string("x").kind(), Node::Kind::string);
  EXPECT_TRUE(Node::list().is_list());
  EXPECT_TRUE(Node::map().is_map());
  EXPECT_TRUE(Node::string("x").is_scalar());
  EXPECT_FALSE(Node::map().is_scalar());
}

TEST(ConfigNode, TypedAccessReturnsValues) {
  EXPECT_TRUE(Node::boolean(true).as_bool());
  EXPECT_EQ(Node::integer(-7).as_int(), -7);
  EXPECT_DOUBLE_EQ(Node::floating(2.5).as_double(), 2.5);
  EXPECT_DOUBLE_EQ(Node::integer(4).as_double(), 4.0);
  EXPECT_EQ(Node::string("abc").as_string(), "abc");
  EXPECT_EQ(Node::integer(42).as_string(), "42");
  EXPECT_EQ(Node::floating(1.0).as_string(), "1.0");
  EXPECT_EQ(Node::floating(1e-7).as_string(), "1e-07");
  EXPECT_EQ(Node::boolean(false).as_string(), "false");
}

TEST(ConfigNode, TypedAccessErrorsNameThePathAndTypes) {
  EXPECT_EQ(config_error_message([] { Node::string("abc").as_int("training.epochs"); }),
            "training.epochs: expected an integer, got string 'abc'");
  EXPECT_EQ(config_error_message([] { Node::floating(1.5).as_int("a.b"); }),
            "a.b: expected an integer, got float 1.5");
  EXPECT_EQ(config_error_message([] { Node::integer(1).as_bool("flag"); }),
            "flag: expected a boolean, got integer 1");
  EXPECT_EQ(config_error_message([] { Node::string("1.5").as_double("lr"); }),
            "lr: expected a number, got string '1.5'");
  EXPECT_EQ(config_error_message([] { Node::list().as_string("names"); }),
            "names: expected a string, got a list");
  EXPECT_EQ(config_error_message([] { Node().as_string("out"); }), "out: expected a string, got null");
}

TEST(ConfigNode, MapKeepsInsertionOrderAndErases) {
  Node map = Node::map();
  map["zeta"] = Node::integer(1);
  map["alpha"] = Node::integer(2);
  map["mid"] = Node::integer(3);
  ASSERT_EQ(map.entries().size(), 3U);
  EXPECT_EQ(map.entries()[0].first, "zeta");
  EXPECT_EQ(map.entries()[1].first, "alpha");
  EXPECT_EQ(map.entries()[2].first, "mid");
  map["alpha"] = Node::integer(20);  // an existing key keeps its place
  EXPECT_EQ(map.entries()[1].second.as_int(), 20);
  EXPECT_TRUE(map.erase("zeta"));
  EXPECT_FALSE(map.erase("zeta"));
  EXPECT_EQ(map.find("zeta"), nullptr);
  EXPECT_EQ(map.entries().front().first, "alpha");
}

TEST(ConfigNode, IndexingTurnsNullIntoMapAndRefusesScalars) {
  Node node;
  node["a"] = Node::integer(1);
  EXPECT_TRUE(node.is_map());
  Node scalar = Node::integer(5);
  EXPECT_NE(config_error_message([&] { scalar["a"]; }).find("cannot look up key 'a'"), std::string::npos);
  EXPECT_EQ(Node::integer(5).find("a"), nullptr);
}

TEST(ConfigNode, DottedPathsReachMapsAndListElements) {
  Node root = Node::map();
  root.make_path("model.layers") = Node::list({Node::map(), Node::integer(7)});
  root.make_path("model.layers.0.units") = Node::integer(64);
  ASSERT_NE(root.find_path("model.layers.0.units"), nullptr);
  EXPECT_EQ(root.find_path("model.layers.0.units")->as_int(), 64);
  EXPECT_EQ(root.find_path("model.layers.1")->as_int(), 7);
  EXPECT_EQ(root.find_path("model.layers.2"), nullptr);
  EXPECT_EQ(root.find_path("model.layers.x"), nullptr);
  EXPECT_EQ(root.find_path("model.missing"), nullptr);
  EXPECT_EQ(root.find_path("model.layers.1.deeper"), nullptr);
  EXPECT_EQ(root.find_path(""), &root);
}

TEST(ConfigNode, MakePathCreatesMapsButNotThroughScalars) {
  Node root = Node::map();
  root.make_path("a.b.c") = Node::string("x");
  EXPECT_TRUE(root.find_path("a.b")->is_map());
  root.make_path("n") = Node::integer(1);
  EXPECT_NE(config_error_message([&] { root.make_path("n.sub"); }).find("'n' is integer 1, not a map"),
            std::string::npos);
  root.make_path("list") = Node::list({Node::integer(1)});
  EXPECT_NE(config_error_message([&] { root.make_path("list.3"); }).find("not an index"), std::string::npos);
}

TEST(ConfigNode, EqualityComparesKindsAndValues) {
  EXPECT_EQ(Node(), Node());
  EXPECT_FALSE(Node::integer(1) == Node::floating(1.0));
  EXPECT_FALSE(Node::string("1") == Node::integer(1));
  EXPECT_EQ(Node::floating(std::numeric_limits<double>::quiet_NaN()),
            Node::floating(std::numeric_limits<double>::quiet_NaN()));
  Node a = Node::map();
  a["x"] = Node::integer(1);
  a["y"] = Node::list({Node::string("s")});
  Node b = Node::map();
  b["y"] = Node::list({Node::string("s")});
  b["x"] = Node::integer(1);
  EXPECT_EQ(a, b);  // key order is presentation only
  b["z"] = Node();
  EXPECT_FALSE(a == b);
  EXPECT_FALSE(Node::list({Node::integer(1), Node::integer(2)}) ==
               Node::list({Node::integer(2), Node::integer(1)}));
}

}  // namespace
}  // namespace arxivc::config
