#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "config_test_tree.hpp"

namespace arxivc::config {
namespace {

using testing::config_error_message;

Node parse(std::string_view text) { return parse_yaml(text, "test.yaml"); }

TEST(ConfigYaml, PlainScalarsAreTypedLikeYamlCore) {
  const Node root = parse(
      "int: 1\n"
      "negative: -42\n"
      "hex: 0x1F\n"
      "float: 1.5\n"
      "exponent: 1e-3\n"
      "trailing_dot: 2.\n"
      "yes_bool: true\n"
      "no_bool: False\n"
      "tilde: ~\n"
      "null_word: null\n"
      "empty:\n"
      "inf: .inf\n"
      "minus_inf: -.inf\n"
      "nan: .nan\n"
      "word: hello\n"
      "yes_word: yes\n"
      "date: 2024-01-02\n");
  EXPECT_EQ(root.find("int")->as_int(), 1);
  EXPECT_EQ(root.find("negative")->as_int(), -42);
  EXPECT_EQ(root.find("hex")->as_int(), 31);
  EXPECT_EQ(root.find("float")->kind(), Node::Kind::floating);
  EXPECT_DOUBLE_EQ(root.find("float")->as_double(), 1.5);
  EXPECT_EQ(root.find("exponent")->kind(), Node::Kind::floating);
  EXPECT_DOUBLE_EQ(root.find("exponent")->as_double(), 1e-3);
  EXPECT_EQ(root.find("trailing_dot")->kind(), Node::Kind::floating);
  EXPECT_TRUE(root.find("yes_bool")->as_bool());
  EXPECT_FALSE(root.find("no_bool")->as_bool());
  EXPECT_TRUE(root.find("tilde")->is_null());
  EXPECT_TRUE(root.find("null_word")->is_null());
  EXPECT_TRUE(root.find("empty")->is_null());
  EXPECT_EQ(root.find("inf")->as_double(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(root.find("minus_inf")->as_double(), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(root.find("nan")->as_double()));
  EXPECT_EQ(root.find("word")->as_string(), "hello");
  EXPECT_EQ(root.find("yes_word")->kind(), Node::Kind::string);  // YAML 1.2: only true/false are booleans
  EXPECT_EQ(root.find("date")->as_string(), "2024-01-02");
}

TEST(ConfigYaml, QuotedAndBlockScalarsAreStrings) {
  const Node root = parse(
      "a: \"1\"\n"
      "b: 'true'\n"
      "c: \"null\"\n"
      "d: ''\n"
      "e: !!str 12\n"
      "f: |\n"
      "  line one\n"
      "  line two\n");
  EXPECT_EQ(*root.find("a"), Node::string("1"));
  EXPECT_EQ(*root.find("b"), Node::string("true"));
  EXPECT_EQ(*root.find("c"), Node::string("null"));
  EXPECT_EQ(*root.find("d"), Node::string(""));
  EXPECT_EQ(*root.find("e"), Node::string("12"));
  EXPECT_EQ(*root.find("f"), Node::string("line one\nline two\n"));
}

TEST(ConfigYaml, KeepsKeyOrderAndNesting) {
  const Node root = parse(
      "zeta: 1\n"
      "alpha:\n"
      "  nested: [1, two, {k: v}]\n"
      "beta: {}\n");
  ASSERT_EQ(root.entries().size(), 3U);
  EXPECT_EQ(root.entries()[0].first, "zeta");
  EXPECT_EQ(root.entries()[1].first, "alpha");
  EXPECT_EQ(root.entries()[2].first, "beta");
  const Node* nested = root.find_path("alpha.nested");
  ASSERT_NE(nested, nullptr);
  ASSERT_EQ(nested->items().size(), 3U);
  EXPECT_EQ(nested->items()[1], Node::string("two"));
  EXPECT_EQ(root.find_path("alpha.nested.2.k")->as_string(), "v");
  EXPECT_TRUE(root.find("beta")->is_map());
}

TEST(ConfigYaml, EmptyDocumentIsNull) { EXPECT_TRUE(parse("").is_null()); }

TEST(ConfigYaml, SyntaxErrorNamesFileAndLine) {
  const std::string message =
      config_error_message([] { parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "configs/bad.yaml"); });
  EXPECT_NE(message.find("configs/bad.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("YAML syntax error"), std::string::npos) << message;
  const std::string indentation = config_error_message([] { parse_yaml("a:\n  b: 1\n c: 2\n", "x.yaml"); });
  EXPECT_NE(indentation.find("x.yaml:3:"), std::string::npos) << indentation;
}

TEST(ConfigYaml, ExcessiveNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_NE(config_error_message([&] { parse_yaml(deep, "deep.yaml"); }).find("deep.yaml:1:"),
            std::string::npos);
  EXPECT_NE(config_error_message([&] { parse_yaml(deep, "deep.yaml"); }).find("nesting is too deep"),
            std::string::npos);
}

TEST(ConfigYaml, DuplicateKeyIsAnErrorWithLine) {
  EXPECT_EQ(config_error_message([] { parse_yaml("a: 1\nb: 2\na: 3\n", "dup.yaml"); }),
            "dup.yaml:3: duplicate key 'a'");
}

TEST(ConfigYaml, IntegerOutOfRangeIsAnError) {
  EXPECT_NE(config_error_message([] {
              parse_yaml("n: 99999999999999999999\n", "big.yaml");
            }).find("big.yaml:1: integer out of range"),
            std::string::npos);
}

TEST(ConfigYaml, LoadFileReportsMissingFile) {
  testing::ConfigTree tree;
  EXPECT_NE(config_error_message([&] { load_yaml_file(tree.dir() / "absent.yaml"); }).find("absent.yaml"),
            std::string::npos);
  tree.write("present.yaml", "k: v\n");
  EXPECT_EQ(load_yaml_file(tree.dir() / "present.yaml").find("k")->as_string(), "v");
}

TEST(ConfigYaml, EmitsDeterministicBlockStyle) {
  Node root = Node::map();
  root["name"] = Node::string("run");
  root["training"]["batch_size"] = Node::integer(256);
  root["training"]["lr"] = Node::floating(0.001);
  root["tags"] = Node::list({Node::string("a"), Node::string("b")});
  root["empty_list"] = Node::list();
  root["empty_map"] = Node::map();
  root["nothing"] = Node();
  EXPECT_EQ(to_yaml(root),
            "name: run\n"
            "training:\n"
            "  batch_size: 256\n"
            "  lr: 0.001\n"
            "tags:\n"
            "  - a\n"
            "  - b\n"
            "empty_list: []\n"
            "empty_map: {}\n"
            "nothing: null\n");
}

TEST(ConfigYaml, QuotesStringsThatWouldChangeType) {
  EXPECT_EQ(to_yaml(Node::string("true")), "\"true\"\n");
  EXPECT_EQ(to_yaml(Node::string("1")), "\"1\"\n");
  EXPECT_EQ(to_yaml(Node::string("null")), "\"null\"\n");
  EXPECT_EQ(to_yaml(Node::string("")), "\"\"\n");
  EXPECT_EQ(to_yaml(Node::string("a: b")), "\"a: b\"\n");
  EXPECT_EQ(to_yaml(Node::string("say \"hi\"\n")), "\"say \\\"hi\\\"\\n\"\n");
  EXPECT_EQ(to_yaml(Node::string("data/train.jsonl")), "data/train.jsonl\n");
  EXPECT_EQ(to_yaml(Node::floating(1.0)), "1.0\n");
  EXPECT_EQ(to_yaml(Node::floating(1e-7)), "1e-07\n");
}

TEST(ConfigYaml, RoundTripsEveryKindAndAwkwardStrings) {
  Node root = Node::map();
  const std::vector<std::string> awkward = {"true",
                                            "False",
                                            "1",
                                            "-1",
                                            "1.5",
                                            "1e3",
                                            "null",
                                            "~",
                                            "",
                                            " ",
                                            "yes",
                                            "off",
                                            "0x10",
                                            ".inf",
                                            ".nan",
                                            "a: b",
                                            "# not a comment",
                                            "a #b",
                                            "x:",
                                            "- item",
                                            "[1, 2]",
                                            "{a: 1}",
                                            "${a.b}",
                                            "'single'",
                                            "\"double\"",
                                            "back\\slash",
                                            "tab\there",
                                            "line\nbreak",
                                            "trailing ",
                                            " leading",
                                            "@at",
                                            "`tick",
                                            "%percent",
                                            "*star",
                                            "&amp",
                                            "!bang",
                                            "|pipe",
                                            ">fold",
                                            "?q",
                                            "comma, here",
                                            "ünïcödé",
                                            "\x01control",
                                            "2024-06-15",
                                            "-",
                                            "."};
  Node strings = Node::list();
  for (const std::string& text : awkward) strings.items().push_back(Node::string(text));
  root["strings"] = strings;
  root["floats"] = Node::list({Node::floating(1.0), Node::floating(1e-7), Node::floating(-0.5),
                               Node::floating(1e20), Node::floating(123456.789), Node::floating(0.1),
                               Node::floating(std::numeric_limits<double>::infinity()),
                               Node::floating(-std::numeric_limits<double>::infinity()),
                               Node::floating(std::numeric_limits<double>::quiet_NaN())});
  root["ints"] = Node::list({Node::integer(0), Node::integer(-5),
                             Node::integer(std::numeric_limits<std::int64_t>::max()),
                             Node::integer(std::numeric_limits<std::int64_t>::min())});
  root["bools"] = Node::list({Node::boolean(true), Node::boolean(false)});
  root["null"] = Node();
  root["nested"] = Node::list(
      {Node::list({Node::integer(1), Node::list({Node::integer(2)})}), Node::map(), Node::list(), Node()});
  Node item = Node::map();
  item["k"] = Node::string("v");
  item["inner"]["deep"] = Node::list({Node::string("x")});
  root["nested"].items().push_back(item);
  root["weird keys"]["a: b"] = Node::integer(1);
  root["weird keys"]["1"] = Node::integer(2);
  root["weird keys"]["true"] = Node::integer(3);
  root["weird keys"][""] = Node::integer(4);

  const std::string yaml = to_yaml(root);
  const Node back = parse_yaml(yaml, "roundtrip.yaml");
  EXPECT_EQ(back, root) << yaml;
  EXPECT_EQ(to_yaml(back), yaml);  // stable: same text after a second trip
  EXPECT_EQ(back.find_path("floats.0")->kind(), Node::Kind::floating);
  EXPECT_EQ(back.find_path("floats.1")->kind(), Node::Kind::floating);
}

TEST(ConfigYaml, RoundTripsScalarAndEmptyRoots) {
  for (const Node& node : {Node(), Node::map(), Node::list(), Node::integer(3), Node::string("x y"),
                           Node::floating(2.0), Node::boolean(true)}) {
    EXPECT_EQ(parse_yaml(to_yaml(node), "root.yaml"), node) << to_yaml(node);
  }
}

// Found by fuzz_config_compose: a value with bytes that are not UTF-8 was accepted, and writing the
// configuration as JSON (dataset settings, model metadata) then threw nlohmann's type_error.
TEST(ConfigYaml, TextThatIsNotUtf8IsAnError) {
  std::string message = config_error_message([] { parse("a: ok\nb: caf\xe9\n"); });
  EXPECT_NE(message.find("test.yaml:2: text that is not valid UTF-8"), std::string::npos) << message;
  message = config_error_message([] { parse("\"k\xff\": 1\n"); });
  EXPECT_NE(message.find("test.yaml:1: text that is not valid UTF-8"), std::string::npos) << message;
  EXPECT_EQ(parse("# a comment in Latin-1: caf\xe9\nb: caf\xc3\xa9\n").find_path("b")->as_string(),
            "caf\xc3\xa9");
}

}  // namespace
}  // namespace arxivc::config
