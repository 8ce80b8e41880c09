#include "arxivc/prepare/prepare.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/output_path.hpp"
#include "arxivc/core/trace.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "arxivc/prepare/dedup.hpp"
#include "arxivc/prepare/labels.hpp"
#include "arxivc/prepare/load_papers.hpp"
#include "arxivc/prepare/manifest.hpp"
#include "arxivc/prepare/options_check.hpp"
#include "arxivc/prepare/paper_dates.hpp"
#include "arxivc/prepare/sampling.hpp"
#include "arxivc/prepare/selection.hpp"
#include "arxivc/prepare/splitting.hpp"
#include "arxivc/taxonomy/taxonomy.hpp"

namespace arxivc::prepare {
namespace {

SelectionOptions selection_options(const PrepareOptions& options) {
  return {options.archives,   options.groups, options.categories,
          options.min_papers, options.top_n,  options.clear_boundaries};
}

void remove_duplicates(std::vector<PaperRecord>& papers) {
  std::vector<DedupEntry> entries;
  entries.reserve(papers.size());
  for (const auto& paper : papers) entries.push_back({paper.id, paper.update_day});
  for (const std::size_t position : find_duplicates(entries)) papers[position].mark_duplicate();
}

// What a temporal split compares with its cutoff: YYYYMM (id_month) or YYYYMMDD (update_date); 0 = undated.
std::uint32_t date_key(const PaperRecord& paper, const PrepareOptions& options) {
  return options.temporal_by == "update_date" ? paper.update_day : paper.month;
}

std::uint32_t cutoff_key(const PrepareOptions& options) {
  const std::uint32_t day = parse_cutoff(options.temporal_cutoff).value_or(0);
  // By month, a paper is "before" only when its whole month is: 2020-03-15 puts March 2020 after the cutoff.
  return options.temporal_by == "update_date" ? day : day / 100;
}

// Temporal splits place papers by date: one without any is dropped before sampling.
void drop_undated(std::vector<PaperRecord>& papers, const PrepareOptions& options) {
  if (options.split != SplitMethod::temporal) return;
  for (auto& paper : papers) {
    if (paper.kept() && date_key(paper, options) == 0) paper.drop(DropReason::undated);
  }
}

std::vector<std::size_t> kept_positions(const std::vector<PaperRecord>& papers) {
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < papers.size(); ++i) {
    if (papers[i].kept()) positions.push_back(i);
  }
  return positions;
}

std::vector<std::string_view> primary_codes(const std::vector<PaperRecord>& papers,
                                            std::span<const std::size_t> positions,
                                            const CategoryIndex& index) {
  std::vector<std::string_view> codes;
  codes.reserve(positions.size());
  for (const std::size_t position : positions)
    codes.push_back(index.category(papers[position].categories[0]).code);
  return codes;
}

// Sub-samples the kept papers; returns the positions of those that stay.
std::vector<std::size_t> apply_sampling(std::vector<PaperRecord>& papers, const PrepareOptions& options,
                                        const CategoryIndex& index) {
  const auto candidates = kept_positions(papers);
  const auto strata = primary_codes(papers, candidates, index);
  const auto sampled = sample(strata, {options.max_samples, options.per_category_cap, options.sample_seed});
  for (const std::size_t k : sampled.capped) papers[candidates[k]].drop(DropReason::per_category_cap);
  for (const std::size_t k : sampled.over_total) papers[candidates[k]].drop(DropReason::max_samples);
  std::vector<std::size_t> positions;
  positions.reserve(sampled.kept.size());
  for (const std::size_t k : sampled.kept) positions.push_back(candidates[k]);
  return positions;
}

SplitAssignment assign_splits(const std::vector<PaperRecord>& papers, std::span<const std::size_t> positions,
                              const PrepareOptions& options, const CategoryIndex& index) {
  const auto strata = primary_codes(papers, positions, index);
  const SplitFractions fractions{options.train_fraction, options.validation_fraction, options.test_fraction};
  if (options.split == SplitMethod::random) return split_random(strata, fractions, options.split_seed);
  std::vector<std::uint32_t> dates;
  dates.reserve(positions.size());
  for (const std::size_t position : positions) dates.push_back(date_key(papers[position], options));
  return split_temporal(strata, dates, cutoff_key(options), fractions, options.split_seed);
}

// Writes one split file; `members` index `positions` and `labels`. Releases the papers' text afterwards.
SplitSummary write_one_split(const std::filesystem::path& dir, std::string_view name,
                             std::span<const std::size_t> members, std::span<const std::size_t> positions,
                             const LabelAssignment& labels, std::vector<PaperRecord>& papers,
                             const CategoryIndex& index) {
  SplitSummary summary;
  summary.name = name;
  summary.file = fmt::format("{}.bin", name);
  summary.examples = members.size();
  summary.label_counts.assign(labels.labels.size(), 0);
  const auto file = dir / summary.file;
  summary.sha256 = dataset::write_split(file, members.size(), [&](std::size_t i) {
    const auto& paper = papers[positions[members[i]]];
    return dataset::Example{paper.id, paper.title, paper.abstract, labels.of(members[i]), paper.month};
  });
  summary.bytes = std::filesystem::file_size(file);
  for (const std::size_t member : members) {
    for (const std::uint32_t label : labels.of(member)) ++summary.label_counts[label];
    auto& paper = papers[positions[member]];
    const auto& primary = index.category(paper.categories[0]);
    auto& entry = summary.primary_categories[primary.code];
    entry.first = primary.name;
    ++entry.second;
    std::string().swap(paper.title);
    std::string().swap(paper.abstract);
  }
  return summary;
}

void count_outcomes(const std::vector<PaperRecord>& papers, ManifestContent& content) {
  content.papers = papers.size();
  for (const auto& paper : papers) {
    if (paper.duplicate) {
      ++content.duplicates;
      continue;
    }
    ++content.dropped[static_cast<std::size_t>(paper.dropped)];
    if (paper.unknown_categories.empty()) continue;
    ++content.papers_with_unknown;
    std::string_view codes = paper.unknown_categories;
    while (!codes.empty()) {
      const auto space = codes.find(' ');
      ++content.unknown_categories[std::string(codes.substr(0, space))];
      codes = space == std::string_view::npos ? std::string_view() : codes.substr(space + 1);
    }
  }
  content.kept = content.dropped[static_cast<std::size_t>(DropReason::none)];
  content.dropped[static_cast<std::size_t>(DropReason::none)] = 0;
}

}  // namespace

PrepareResult run_prepare(const PrepareOptions& options) {
  check_options(options);
  OutputRule rule;
  rule.what = "dataset directory";
  rule.is_earlier_output = [](const std::filesystem::path& dir) { return dataset::is_dataset_dir(dir); };
  check_output_path(options.output, {options.input}, rule, options.force);
  remove_stale_temporaries(options.output);

  const CategoryIndex index(taxonomy::Taxonomy::builtin());
  const CategorySelector selector(index, selection_options(options));

  ingest::ReadOptions read_options;
  read_options.strict = options.strict;
  read_options.threads = options.threads;
  auto loaded = [&] {
    TraceSpan span("read_input", "prepare");
    auto result = load_papers(options.input, read_options, options.latex, index, selector);
    span.arg("papers", result.records.size()).arg("bytes", result.stats.bytes);
    return result;
  }();
  auto& papers = loaded.records;
  spdlog::info("read {} papers from {} ({} lines skipped)", papers.size(), options.input.string(),
               loaded.stats.skipped);

  {
    TraceSpan span("dedup", "prepare");
    remove_duplicates(papers);
  }
  const auto selection = [&] {
    TraceSpan span("select", "prepare");
    auto report = selector.select(papers);
    drop_undated(papers, options);
    return report;
  }();
  std::vector<std::size_t> positions;
  {
    TraceSpan span("sample", "prepare");
    positions = apply_sampling(papers, options, index);
  }
  const auto labels = [&] {
    TraceSpan span("label", "prepare");
    return assign_labels(papers, positions, options.label_mode, index);
  }();
  const auto assignment = [&] {
    TraceSpan span("split", "prepare");
    return assign_splits(papers, positions, options, index);
  }();
  spdlog::info("{} categories selected, {} papers kept, {} labels ({} mode)", selection.selected.size(),
               positions.size(), labels.labels.size(), to_string(options.label_mode));

  ManifestContent content;
  content.config = options.config;
  content.source = options.input;
  content.read = std::move(loaded.stats);
  content.label_mode = options.label_mode;
  content.labels = labels.labels;
  count_outcomes(papers, content);

  AtomicDirectory output(options.output);
  for (std::size_t s = 0; s < kSplitNames.size(); ++s) {
    TraceSpan span("write", "prepare");
    span.arg("split", kSplitNames[s]).arg("examples", assignment.members[s].size());
    content.splits.push_back(write_one_split(output.staging(), kSplitNames[s], assignment.members[s],
                                             positions, labels, papers, index));
    if (assignment.members[s].empty()) spdlog::warn("split {} is empty", kSplitNames[s]);
    spdlog::info("wrote {} ({} examples)", content.splits.back().file, content.splits.back().examples);
  }
  TraceSpan span("write_manifest", "prepare");
  const auto manifest = build_manifest(content);
  write_file_atomic(output.staging() / "manifest.json", manifest_text(manifest));
  output.commit();
  return {output.final_path(), manifest};
}

}  // namespace arxivc::prepare
