// How each line of JSON Lines becomes a Paper or a counted, reported skip.

#include <gtest/gtest.h>

#include <string>

#include "arxivc/core/error.hpp"
#include "arxivc/ingest/reader.hpp"
#include "ingest_test_support.hpp"

namespace arxivc::ingest {
namespace {

using test::read_all;
using test::record_line;
using test::ScratchDir;
using test::write_file;

// A record as the real Kaggle snapshot has it: every field filled, authors_parsed nested arrays,
// several versions, a licence, escapes in the text.
constexpr std::string_view kFullSnapshotRecord =
    R"({"id":"0704.0001","submitter":"Pavel Nadolsky","authors":"C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan","title":"Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies","comments":"37 pages, 15 figures; published version","journal-ref":"Phys.Rev.D76:013009,2007","doi":"10.1103/PhysRevD.76.013009","report-no":"ANL-HEP-PR-07-12","categories":"hep-ph","license":"http://arxiv.org/licenses/nonexclusive-distrib/1.0/","abstract":"  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs at \"hadron colliders\", caf\u00e9 \u2014 ok.\n","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"},{"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"}],"update_date":"2008-11-13","authors_parsed":[["Balázs","C.",""],["Berger","E. L.",""],["Nadolsky","P. M.",""],["Yuan","C. -P.",""]]})";

// A record as the shared sample has it: optional fields null.
constexpr std::string_view kNullOptionalRecord =
    R"({"id": "alg-geom/9203001", "submitter": null, "authors": "Severinas Zube", "title": "Exceptional linear systems", "comments": "14 pages, LATEX", "journal-ref": null, "doi": null, "report-no": null, "categories": "alg-geom math.AG", "license": null, "abstract": "The main purpose $\\&$ more.", "versions": null, "update_date": null, "authors_parsed": null})";

class IngestRecords : public ::testing::Test {
 protected:
  // Reads `content` as a .jsonl file, without expecting it to hold a valid record.
  test::ReadResult read_text(const std::string& content, const ReadOptions& options = {}) {
    const auto file = scratch_ / "input.jsonl";
    write_file(file, content);
    return read_all(file, options);
  }

  // Reads one good record followed by `line`, which must be skipped for `reason`.
  SkippedLine skipped_line(const std::string& line) {
    const auto result = read_text(record_line("1", "t", "a", "cs.LG") + "\n" + line + "\n");
    EXPECT_EQ(result.stats.papers, 1U) << line;
    EXPECT_EQ(result.stats.skipped, 1U) << line;
    EXPECT_EQ(result.stats.first_skipped.size(), 1U) << line;
    if (result.stats.first_skipped.empty()) return {};
    EXPECT_EQ(result.stats.first_skipped[0].line, 2U);
    return result.stats.first_skipped[0];
  }

  ScratchDir scratch_;
};

TEST_F(IngestRecords, ReadsAFullSnapshotRecord) {
  const auto result = read_text(std::string(kFullSnapshotRecord) + "\n");
  ASSERT_EQ(result.papers.size(), 1U);
  const Paper& paper = result.papers[0];
  EXPECT_EQ(paper.id, "0704.0001");
  EXPECT_EQ(paper.title,
            "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies");
  EXPECT_EQ(paper.abstract,
            "  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the "
            "production of massive photon pairs at \"hadron colliders\", caf\xC3\xA9 \xE2\x80\x94 ok.\n");
  EXPECT_EQ(paper.categories, "hep-ph");
  EXPECT_EQ(paper.update_date, "2008-11-13");
  EXPECT_EQ(paper.line, 1U);
  EXPECT_EQ(result.stats.lines, 1U);
  EXPECT_EQ(result.stats.skipped, 0U);
}

TEST_F(IngestRecords, ReadsARecordWithNullOptionalFields) {
  const auto result = read_text(std::string(kNullOptionalRecord) + "\n");
  ASSERT_EQ(result.papers.size(), 1U);
  EXPECT_EQ(result.papers[0].id, "alg-geom/9203001");
  EXPECT_EQ(result.papers[0].abstract, "The main purpose $\\&$ more.");
  EXPECT_EQ(result.papers[0].categories, "alg-geom math.AG");
  EXPECT_EQ(result.papers[0].update_date, "");
}

TEST_F(IngestRecords, AcceptsRecordsWithOnlyTheRequiredFieldsInAnyOrder) {
  const auto result = read_text(
      R"({"categories":"math.CO","abstract":"b","extra":{"nested":[1,2.5e3,-0,true,false,null,{"k":"v"}]},"title":"a","id":"x/1"})"
      "\n");
  ASSERT_EQ(result.papers.size(), 1U);
  EXPECT_EQ(result.papers[0].id, "x/1");
  EXPECT_EQ(result.papers[0].title, "a");
  EXPECT_EQ(result.papers[0].abstract, "b");
  EXPECT_EQ(result.papers[0].categories, "math.CO");
  EXPECT_EQ(result.papers[0].update_date, "");
}

TEST_F(IngestRecords, IgnoresBlankLinesAndHandlesCrlf) {
  const std::string content = record_line("1", "t1", "a1", "cs.LG") + "\r\n" + "\r\n" + "   \t \r\n" + "\n" +
                              record_line("2", "t2", "a2", "cs.CV") + "\r\n" + "  \n";
  const auto result = read_text(content);
  ASSERT_EQ(result.papers.size(), 2U);
  EXPECT_EQ(result.stats.lines, 2U);
  EXPECT_EQ(result.stats.skipped, 0U);
  EXPECT_EQ(result.papers[0].line, 1U);
  EXPECT_EQ(result.papers[1].line, 5U);
  EXPECT_EQ(result.papers[1].update_date, "2020-01-02");
  EXPECT_EQ(result.papers[1].abstract, "a2");
}

TEST_F(IngestRecords, IgnoresAByteOrderMarkAtTheStartOfTheFile) {
  const auto result = read_text("\xEF\xBB\xBF" + record_line("1", "t", "a", "cs.LG") + "\n" + "\xEF\xBB\xBF" +
                                record_line("2", "t", "a", "cs.LG") + "\n");
  ASSERT_EQ(result.papers.size(), 1U);
  EXPECT_EQ(result.papers[0].id, "1");
  ASSERT_EQ(result.stats.first_skipped.size(), 1U);
  EXPECT_EQ(result.stats.first_skipped[0].line, 2U);
}

TEST_F(IngestRecords, CountsATruncatedLastLineAsOneBadLine) {
  const std::string whole =
      record_line("1", "t", "a", "cs.LG") + "\n" + record_line("2", "t", "a", "cs.LG") + "\n";
  const std::string cut = record_line("3", "title", "abstract", "cs.LG").substr(0, 40);
  const auto result = read_text(whole + cut);
  EXPECT_EQ(result.stats.papers, 2U);
  EXPECT_EQ(result.stats.lines, 3U);
  EXPECT_EQ(result.stats.skipped, 1U);
  ASSERT_EQ(result.stats.first_skipped.size(), 1U);
  EXPECT_EQ(result.stats.first_skipped[0].line, 3U);
  EXPECT_EQ(result.stats.first_skipped[0].reason, SkipReason::invalid_json);
}

TEST_F(IngestRecords, SkipsLinesThatAreNotValidJson) {
  const std::string good = record_line("9", "t", "a", "cs.LG");
  const std::vector<std::string> bad_lines = {
      good + " x",                                                              // trailing garbage
      good + good,                                                              // two objects on one line
      good + "}",                                                               // superfluous brace
      good.substr(0, good.size() - 1),                                          // unclosed object
      "[1, 2, 3]",                                                              // an array, not an object
      "\"just a string\"",                                                      // a string
      "42",                                                                     // a number
      "{\"id\": \"1\", \"title\": \"t\",}",                                     // trailing comma
      "{id: \"1\"}",                                                            // unquoted key
      R"({"id":"1","title":"t","abstract":"a","categories":"c","doi":nul})",    // bad literal, unkept field
      R"({"id":"1","title":"t","abstract":"a","categories":"c","n":01})",       // bad number, unkept field
      R"({"id":"1","title":"t","abstract":"a","categories":"c","x":"\q"})",     // bad escape, unkept field
      R"({"id":"1","title":"t\x","abstract":"a","categories":"c"})",            // bad escape, kept field
      R"({"id":"1","title":"t","abstract":"a","categories":"c","v":[1,,2]})",   // bad array
      R"({"id":"1","title":"t","abstract":"a","categories":"c","v":{"k" 1}})",  // bad object
      R"({"id":"1","title":"t","abstract":"a","categories":"c","update_date":tru})",  // bad literal, kept
                                                                                      // field
      R"({"id":"1","title":"t","abstract":"a","categories":"c"} {"id":"2"})",         // two objects
      std::string("{\"id\":\"1\",\"title\":\"a\tb\",\"abstract\":\"a\",\"categories\":\"c\"}"),  // raw tab
      R"({"id":"1","title":"t","abstract":"a","categories":"c","id":"2"})",  // a kept field twice
      std::string(R"({"id":"1","title":"t","abstract":"a","categories":"c","v":)")
          .append(500, '[')
          .append(500, ']')
          .append("}"),  // nested too deeply to check
  };
  for (const std::string& line : bad_lines) {
    const SkippedLine skipped = skipped_line(line);
    EXPECT_EQ(skipped.reason, SkipReason::invalid_json) << line << " -> " << skipped.detail;
    EXPECT_FALSE(skipped.detail.empty());
  }
}

TEST_F(IngestRecords, NamesTheFieldOfInvalidJsonInside) {
  const SkippedLine skipped =
      skipped_line(R"({"id":"1","title":"t","abstract":"a","categories":"c","doi":nul})");
  EXPECT_NE(skipped.detail.find("'doi'"), std::string::npos) << skipped.detail;
}

TEST_F(IngestRecords, SkipsLinesThatAreNotUtf8) {
  const std::vector<std::string> bad_lines = {
      "{\"id\":\"1\",\"title\":\"caf\xE9\",\"abstract\":\"a\",\"categories\":\"c\"}",  // Latin-1 byte
      "{\"id\":\"1\",\"title\":\"t\",\"abstract\":\"a\",\"categories\":\"c\",\"x\":\"\xC3\"}",  // cut
                                                                                                // sequence
      "{\"id\":\"1\",\"title\":\"\xED\xA0\x80\",\"abstract\":\"a\",\"categories\":\"c\"}",      // surrogate
      "{\"id\":\"1\",\"title\":\"\xF8\x88\x80\x80\x80\",\"abstract\":\"a\",\"categories\":\"c\"}",  // 5 bytes
  };
  for (const std::string& line : bad_lines) {
    const SkippedLine skipped = skipped_line(line);
    EXPECT_EQ(skipped.reason, SkipReason::invalid_utf8) << skipped.detail;
  }
}

TEST_F(IngestRecords, SkipsFieldsOfTheWrongType) {
  const SkippedLine categories = skipped_line(R"({"id":"1","title":"t","abstract":"a","categories":42})");
  EXPECT_EQ(categories.reason, SkipReason::wrong_type);
  EXPECT_EQ(categories.detail, "field 'categories' is a number, expected a string");

  const SkippedLine title = skipped_line(R"({"id":"1","title":null,"abstract":"a","categories":"c"})");
  EXPECT_EQ(title.reason, SkipReason::wrong_type);
  EXPECT_EQ(title.detail, "field 'title' is null, expected a string");

  const SkippedLine id = skipped_line(R"({"id":["1"],"title":"t","abstract":"a","categories":"c"})");
  EXPECT_EQ(id.reason, SkipReason::wrong_type);
  EXPECT_EQ(id.detail, "field 'id' is an array, expected a string");

  const SkippedLine abstract =
      skipped_line(R"({"id":"1","title":"t","abstract":{"text":"a"},"categories":"c"})");
  EXPECT_EQ(abstract.reason, SkipReason::wrong_type);
  EXPECT_EQ(abstract.detail, "field 'abstract' is an object, expected a string");

  const SkippedLine date =
      skipped_line(R"({"id":"1","title":"t","abstract":"a","categories":"c","update_date":true})");
  EXPECT_EQ(date.reason, SkipReason::wrong_type);
  EXPECT_EQ(date.detail, "field 'update_date' is a boolean, expected a string or null");
}

TEST_F(IngestRecords, SkipsRecordsMissingARequiredField) {
  for (const std::string field : {"id", "title", "abstract", "categories"}) {
    std::string line = "{";
    for (const std::string other : {"id", "title", "abstract", "categories"}) {
      if (other == field) continue;
      if (line.size() > 1) line += ",";
      line += std::string("\"").append(other).append("\":\"x\"");
    }
    line += "}";
    const SkippedLine skipped = skipped_line(line);
    EXPECT_EQ(skipped.reason, SkipReason::missing_field) << line;
    EXPECT_EQ(skipped.detail, "field '" + field + "' is missing");
  }
}

TEST_F(IngestRecords, SkipsRecordsWithAnEmptyIdOrCategories) {
  const SkippedLine id = skipped_line(R"({"id":"","title":"t","abstract":"a","categories":"c"})");
  EXPECT_EQ(id.reason, SkipReason::empty_field);
  EXPECT_EQ(id.detail, "field 'id' is empty");
  const SkippedLine categories = skipped_line(R"({"id":"1","title":"t","abstract":"a","categories":"  "})");
  EXPECT_EQ(categories.reason, SkipReason::empty_field);
  EXPECT_EQ(categories.detail, "field 'categories' is empty");
}

// Prediction reads new papers, which have no categories yet: then the field may be absent or empty.
TEST_F(IngestRecords, CategoriesAreOptionalWhenNotRequired) {
  ReadOptions options;
  options.require_categories = false;
  const auto result = read_text(R"({"id":"1","title":"t","abstract":"a"})"
                                "\n"
                                R"({"id":"2","title":"t","abstract":"a","categories":""})"
                                "\n"
                                R"({"id":"3","title":"t","abstract":"a","categories":null})"
                                "\n"
                                R"({"title":"t","abstract":"a"})"
                                "\n",
                                options);
  EXPECT_EQ(result.stats.papers, 3U);
  ASSERT_EQ(result.papers.size(), 3U);
  for (const auto& paper : result.papers) EXPECT_TRUE(paper.categories.empty()) << paper.id;
  ASSERT_EQ(result.stats.first_skipped.size(), 1U);
  EXPECT_EQ(result.stats.first_skipped[0].detail, "field 'id' is missing");
}

TEST_F(IngestRecords, SkipsBinaryGarbageBetweenRecords) {
  std::string garbage;
  for (int i = 0; i < 300; ++i) {
    const int byte = (i * 37 + 11) % 256;
    garbage += static_cast<char>(byte == '\n' ? 0 : byte);
  }
  const std::string content = record_line("1", "t", "a", "cs.LG") + "\n" + garbage + "\n" +
                              std::string("\0\0\0{", 4) + "\n" + record_line("2", "t", "a", "cs.LG") + "\n";
  const auto result = read_text(content);
  EXPECT_EQ(result.stats.papers, 2U);
  EXPECT_EQ(result.stats.skipped, 2U);
  ASSERT_EQ(result.stats.first_skipped.size(), 2U);
  EXPECT_EQ(result.stats.first_skipped[0].line, 2U);
  EXPECT_EQ(result.stats.first_skipped[1].line, 3U);
  ASSERT_EQ(result.papers.size(), 2U);
  EXPECT_EQ(result.papers[1].line, 4U);
}

TEST_F(IngestRecords, RejectsAFileOfOnlyGarbage) {
  const auto file = scratch_ / "garbage.jsonl";
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919) % 251);
  write_file(file, garbage);
  try {
    read_all(file);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("no valid arXiv record"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(file.string()), std::string::npos) << error.what();
  }
}

TEST_F(IngestRecords, DeliversTheSameIdTwice) {
  const auto result =
      read_text(record_line("1", "a", "a", "cs.LG") + "\n" + record_line("1", "b", "b", "cs.LG") + "\n");
  ASSERT_EQ(result.papers.size(), 2U);
  EXPECT_EQ(result.papers[0].title, "a");
  EXPECT_EQ(result.papers[1].title, "b");
}

TEST_F(IngestRecords, StrictModeThrowsAtTheFirstBadLine) {
  const auto file = scratch_ / "strict.jsonl";
  std::string content;
  for (int i = 1; i <= 50; ++i) content += record_line(std::to_string(i), "t", "a", "cs.LG") + "\n";
  content += R"({"id":"x","title":"t","abstract":"a"})"
             "\n";
  content += "not json\n";
  write_file(file, content);
  ReadOptions options;
  options.strict = true;
  options.max_reported = 0;
  options.chunk_bytes = 1024;
  options.threads = 3;
  try {
    read_all(file, options);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 51U);
    EXPECT_EQ(error.file(), file);
    const std::string message = error.what();
    EXPECT_NE(message.find(file.string() + ":51:"), std::string::npos) << message;
    EXPECT_NE(message.find("missing_field"), std::string::npos) << message;
    EXPECT_NE(message.find("'categories'"), std::string::npos) << message;
  }
  // Without strict, the same file reads with the two bad lines counted.
  options.strict = false;
  const auto result = read_all(file, options);
  EXPECT_EQ(result.stats.papers, 50U);
  EXPECT_EQ(result.stats.skipped, 2U);
}

}  // namespace
}  // namespace arxivc::ingest
