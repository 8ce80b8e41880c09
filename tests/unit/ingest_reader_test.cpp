// The reading pipeline: real data, order across threads, exact accounting, long lines, the
// transform and the sink.

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"
#include "arxivc/ingest/reader.hpp"
#include "ingest_test_support.hpp"

namespace arxivc::ingest {
namespace {

using test::read_all;
using test::record_line;
using test::ScratchDir;
using test::write_file;

std::filesystem::path shared_sample() { return test::shared_data_dir() / "arxiv-metadata-5k.json"; }

TEST(IngestReader, ReadsTheSharedSample) {
  const auto result = read_all(shared_sample());
  EXPECT_EQ(result.stats.papers, 5000U);
  EXPECT_EQ(result.stats.lines, 5000U);
  EXPECT_EQ(result.stats.skipped, 0U);
  EXPECT_TRUE(result.stats.skipped_by_reason.empty());
  EXPECT_TRUE(result.stats.first_skipped.empty());
  EXPECT_EQ(result.stats.format, "jsonl");
  EXPECT_EQ(result.stats.bytes, std::filesystem::file_size(shared_sample()));
  EXPECT_EQ(result.stats.source_size, std::filesystem::file_size(shared_sample()));
  EXPECT_EQ(result.stats.source_sha256, sha256_file(shared_sample()));
  ASSERT_EQ(result.papers.size(), 5000U);
  EXPECT_EQ(result.papers.front().id, "alg-geom/9203001");
  EXPECT_EQ(result.papers.front().categories, "alg-geom math.AG");
  EXPECT_EQ(result.papers.front().update_date, "1992-03-05");
  for (std::size_t i = 0; i < result.papers.size(); ++i) {
    ASSERT_EQ(result.papers[i].line, i + 1);
    ASSERT_FALSE(result.papers[i].title.empty());
    ASSERT_FALSE(result.papers[i].abstract.empty());
  }
}

TEST(IngestReader, KeepsInputOrderWithManyThreadsAndSmallChunks) {
  ReadOptions one_thread;
  one_thread.threads = 1;
  const auto reference = read_all(shared_sample(), one_thread);

  ReadOptions many_threads;
  many_threads.threads = 8;
  many_threads.chunk_bytes = 4096;
  const auto result = read_all(shared_sample(), many_threads);
  ASSERT_EQ(result.papers.size(), reference.papers.size());
  for (std::size_t i = 0; i < result.papers.size(); ++i) {
    ASSERT_EQ(result.papers[i].id, reference.papers[i].id) << i;
    ASSERT_EQ(result.papers[i].line, reference.papers[i].line) << i;
    ASSERT_EQ(result.papers[i].abstract, reference.papers[i].abstract) << i;
  }
  // Small chunks do make many batches, delivered in order.
  EXPECT_GT(result.batch_sizes.size(), 1000U);
  EXPECT_LT(reference.batch_sizes.size(), 10U);
}

// 3,000 lines with bad and blank lines at known places, read in many small chunks.
TEST(IngestReader, AccountsForEveryLineExactly) {
  ScratchDir scratch;
  const auto file = scratch / "mixed.jsonl";
  std::string content;
  std::vector<std::uint64_t> bad_lines;
  std::map<SkipReason, std::uint64_t> expected_reasons;
  std::uint64_t good = 0;
  std::uint64_t non_blank = 0;
  const std::vector<std::pair<SkipReason, std::string>> bad_kinds = {
      {SkipReason::invalid_json, "{\"id\": "},
      {SkipReason::missing_field, R"({"id":"1","title":"t","abstract":"a"})"},
      {SkipReason::wrong_type, R"({"id":"1","title":"t","abstract":"a","categories":7})"},
      {SkipReason::invalid_utf8, "{\"id\":\"1\",\"title\":\"\xFF\",\"abstract\":\"a\",\"categories\":\"c\"}"},
      {SkipReason::empty_field, R"({"id":"","title":"t","abstract":"a","categories":"c"})"},
  };
  for (std::uint64_t line = 1; line <= 3000; ++line) {
    if (line % 41 == 0) {
      content += "   \n";
      continue;
    }
    ++non_blank;
    if (line % 97 == 0) {
      const auto& [reason, text] = bad_kinds[(line / 97) % bad_kinds.size()];
      content += text + "\n";
      bad_lines.push_back(line);
      ++expected_reasons[reason];
      continue;
    }
    content +=
        record_line("id/" + std::to_string(line), "title " + std::to_string(line), "abstract", "cs.LG") +
        "\n";
    ++good;
  }
  write_file(file, content);

  ReadOptions options;
  options.threads = 4;
  options.chunk_bytes = 2048;
  options.max_reported = 7;
  const auto result = read_all(file, options);
  EXPECT_EQ(result.stats.lines, non_blank);
  EXPECT_EQ(result.stats.papers, good);
  EXPECT_EQ(result.stats.skipped, bad_lines.size());
  EXPECT_EQ(result.stats.skipped_by_reason, expected_reasons);
  ASSERT_EQ(result.stats.first_skipped.size(), 7U);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(result.stats.first_skipped[i].line, bad_lines[i]);
    EXPECT_EQ(result.stats.first_skipped[i].reason, bad_kinds[(bad_lines[i] / 97) % bad_kinds.size()].first);
  }
  for (const Paper& paper : result.papers) ASSERT_EQ(paper.id, "id/" + std::to_string(paper.line));
  EXPECT_EQ(result.stats.bytes, content.size());
}

TEST(IngestReader, ReadsATenMegabyteLine) {
  ScratchDir scratch;
  const auto file = scratch / "long.jsonl";
  std::string long_abstract(10 << 20, 'x');
  for (std::size_t i = 0; i < long_abstract.size(); i += 101) long_abstract[i] = ' ';
  const std::string content = record_line("1", "short", "a", "cs.LG") + "\n" +
                              record_line("2", "long", long_abstract, "cs.LG") + "\n" +
                              record_line("3", "after", "a", "cs.LG") + "\n";
  write_file(file, content);
  for (const std::size_t chunk_bytes : {std::size_t{4} << 20, std::size_t{4096}}) {
    ReadOptions options;
    options.chunk_bytes = chunk_bytes;
    options.threads = 2;
    const auto result = read_all(file, options);
    ASSERT_EQ(result.papers.size(), 3U);
    EXPECT_EQ(result.papers[1].abstract, long_abstract);
    EXPECT_EQ(result.papers[2].id, "3");
    EXPECT_EQ(result.papers[2].line, 3U);
  }
}

TEST(IngestReader, RunsTheTransformOnWorkerThreads) {
  std::mutex mutex;
  std::set<std::thread::id> transform_threads;
  const PaperTransform transform = [&](Paper& paper) {
    {
      std::lock_guard lock(mutex);
      transform_threads.insert(std::this_thread::get_id());
    }
    std::transform(paper.title.begin(), paper.title.end(), paper.title.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return paper.line % 2 == 1;  // keep odd lines
  };
  ReadOptions options;
  options.threads = 2;
  options.chunk_bytes = 64 << 10;
  const auto result = read_all(shared_sample(), options, transform);
  EXPECT_EQ(result.stats.papers, 2500U);
  EXPECT_EQ(result.stats.dropped, 2500U);
  ASSERT_EQ(result.papers.size(), 2500U);
  EXPECT_EQ(result.papers[0].title, "EXCEPTIONAL LINEAR SYSTEMS ON CURVES ON ENRIQUES SURFACES");
  for (const Paper& paper : result.papers) ASSERT_EQ(paper.line % 2, 1U);
  EXPECT_FALSE(transform_threads.contains(std::this_thread::get_id()));
}

TEST(IngestReader, PassesOnAnErrorOfTheTransform) {
  const PaperTransform transform = [](Paper& paper) {
    if (paper.line == 3000) throw std::runtime_error("transform failed at 3000");
    return true;
  };
  ReadOptions options;
  options.threads = 3;
  options.chunk_bytes = 16 << 10;
  std::uint64_t delivered = 0;
  try {
    read_papers(
        shared_sample(), options, [&](std::vector<Paper>&& batch) { delivered += batch.size(); }, transform);
    FAIL() << "expected the transform's error";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "transform failed at 3000");
  }
  // Everything before the failing chunk was delivered, nothing from it or after it.
  EXPECT_LT(delivered, 2999U);
}

TEST(IngestReader, StopsWhenTheSinkThrows) {
  ReadOptions options;
  options.threads = 2;
  options.chunk_bytes = 8 << 10;
  int batches = 0;
  EXPECT_THROW(read_papers(shared_sample(), options,
                           [&](std::vector<Paper>&&) {
                             if (++batches == 3) throw std::logic_error("sink full");
                           }),
               std::logic_error);
  EXPECT_EQ(batches, 3);
}

TEST(IngestReader, UsesEveryCoreWhenThreadsIsZero) {
  ReadOptions options;
  options.threads = 0;
  EXPECT_EQ(read_all(shared_sample(), options).stats.papers, 5000U);
}

}  // namespace
}  // namespace arxivc::ingest

namespace arxivc::ingest {
namespace {

// on_skipped interleaves bad lines with the papers around them, in input order, across chunks.
TEST(IngestReader, ReportsEveryBadLineInPlace) {
  test::ScratchDir scratch;
  const auto file = scratch / "interleaved.jsonl";
  std::string content;
  std::vector<std::uint64_t> expected;  // every line number, in order
  std::vector<bool> expected_bad;
  for (std::uint64_t line = 1; line <= 2000; ++line) {
    const bool bad = line % 7 == 3;
    content += bad ? std::string("{broken\n")
                   : test::record_line("p" + std::to_string(line), "t", "a", "cs.LG") + "\n";
    expected.push_back(line);
    expected_bad.push_back(bad);
  }
  test::write_file(file, content);
  ReadOptions options;
  options.threads = 3;
  options.chunk_bytes = 1024;
  std::vector<std::uint64_t> seen;
  std::vector<bool> seen_bad;
  options.on_skipped = [&](const SkippedLine& skipped) {
    seen.push_back(skipped.line);
    seen_bad.push_back(true);
  };
  const auto stats = read_papers(file, options, [&](std::vector<Paper>&& papers) {
    for (const auto& p : papers) {
      seen.push_back(p.line);
      seen_bad.push_back(false);
    }
  });
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(seen_bad, expected_bad);
  EXPECT_EQ(stats.skipped, 2000U / 7 + 1);
  EXPECT_EQ(stats.first_skipped.size(), options.max_reported);
}

}  // namespace
}  // namespace arxivc::ingest
