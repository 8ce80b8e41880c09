#include "arxivc/eval/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {
namespace {

// Text inside a table cell or list item: no line breaks, no column separators, no raw HTML.
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '[':
        out += "\\[";
        break;
      case ']':
        out += "\\]";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A link target in the <...> form: only angle brackets and line breaks would end it early.
std::string link_target(std::string_view path) {
  std::string out;
  for (const char c : path) {
    switch (c) {
      case '<':
        out += "%3C";
        break;
      case '>':
        out += "%3E";
        break;
      case '\n':
        out += "%0A";
        break;
      case '\r':
        out += "%0D";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string number(double value) { return fmt::format("{:.4f}", value); }

std::string percent(double part, double whole) {
  return whole == 0 ? "0.0%" : fmt::format("{:.1f}%", 100.0 * part / whole);
}

class ReportWriter {
 public:
  ReportWriter(const EvaluationResult& result, const ReportContext& context)
      : result_(result), context_(context) {
    if (context.label_codes.size() != result.label_count) {
      throw Error(fmt::format("report: {} label codes for {} labels", context.label_codes.size(),
                              result.label_count));
    }
    if (!context.label_names.empty() && context.label_names.size() != result.label_count) {
      throw Error(fmt::format("report: {} label names for {} labels", context.label_names.size(),
                              result.label_count));
    }
  }

  std::string render() {
    out_ += fmt::format("# {}\n", escape(context_.title));
    context_section();
    summary_section();
    per_category_section();
    confusion_section();
    calibration_section();
    outside_section();
    figures_section();
    return std::move(out_);
  }

 private:
  std::string code(std::uint32_t label) const { return escape(context_.label_codes[label]); }
  std::string name(std::uint32_t label) const {
    return context_.label_names.empty() ? "" : escape(context_.label_names[label]);
  }
  std::string code_and_name(std::uint32_t label) const {
    const std::string label_name = name(label);
    return label_name.empty() ? code(label) : fmt::format("{} ({})", code(label), label_name);
  }

  void context_section() {
    if (context_.context_lines.empty()) return;
    out_ += "\n## Context\n\n";
    for (const std::string& line : context_.context_lines) out_ += fmt::format("- {}\n", escape(line));
  }

  void summary_section() {
    const EvaluationResult& r = result_;
    out_ += "\n## Summary\n\n| Metric | Value |\n|---|---:|\n";
    out_ += fmt::format("| Papers | {} |\n", r.papers);
    out_ += fmt::format("| Labels (with support in this split) | {} ({}) |\n", r.label_count,
                        r.labels_with_support);
    out_ += fmt::format("| Gold / predicted labels per paper | {:.2f} / {:.2f} |\n", r.mean_gold_labels,
                        r.mean_predicted_labels);
    out_ += fmt::format("| Primary accuracy (top-1 = gold primary) | {} |\n", number(r.primary_accuracy));
    out_ += fmt::format("| Gold primary in top 5 | {} |\n", number(r.primary_in_top_5));
    out_ += fmt::format("| Archive accuracy (top-1 archive = gold primary archive) | {} |\n",
                        number(r.archive_accuracy));
    out_ += fmt::format("| P@1 / P@3 / P@5 | {} / {} / {} |\n", number(r.precision_at_1),
                        number(r.precision_at_3), number(r.precision_at_5));
    out_ += fmt::format("| NDCG@5 | {} |\n", number(r.ndcg_at_5));
    out_ += fmt::format("| Expected calibration error (top-1) | {} |\n",
                        number(r.calibration.expected_calibration_error));
    out_ += "\n| Average | Precision | Recall | F1 |\n|---|---:|---:|---:|\n";
    const auto row = [&](const char* label, const PrecisionRecallF1& s) {
      out_ +=
          fmt::format("| {} | {} | {} | {} |\n", label, number(s.precision), number(s.recall), number(s.f1));
    };
    row("Micro", r.micro);
    row("Macro (all labels)", r.macro);
    row("Macro (labels with support)", r.macro_supported);
    row("Samples (per paper)", r.samples);
    out_ +=
        "\nSet metrics use the thresholded decision; ranking metrics use the probabilities. Zero divisions "
        "count "
        "as 0. Gold categories outside the label space count as misses.\n";
  }

  void per_category_section() {
    std::vector<const CategoryMetrics*> rows;
    for (const CategoryMetrics& category : result_.per_category) rows.push_back(&category);
    std::stable_sort(rows.begin(), rows.end(), [](const CategoryMetrics* a, const CategoryMetrics* b) {
      return a->support > b->support;
    });
    const std::size_t shown =
        context_.per_category_rows == 0 ? rows.size() : std::min(rows.size(), context_.per_category_rows);
    out_ += "\n## Per-category results\n\n";
    if (shown < rows.size()) {
      out_ += fmt::format("The {} categories with the most support, of {}.\n\n", shown, rows.size());
    }
    out_ +=
        "| Category | Name | Support | Predicted | Precision | Recall | F1 "
        "|\n|---|---|---:|---:|---:|---:|---:|\n";
    for (std::size_t i = 0; i < shown; ++i) {
      const CategoryMetrics& c = *rows[i];
      out_ +=
          fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", code(c.label), name(c.label), c.support,
                      c.predicted, number(c.scores.precision), number(c.scores.recall), number(c.scores.f1));
    }
  }

  void confusion_section() {
    out_ += "\n## Most confused pairs\n\n";
    if (result_.confused_pairs.empty()) {
      out_ += "No paper's top-1 category differs from its gold primary category.\n";
      return;
    }
    std::map<std::uint32_t, std::uint64_t> primary_totals;
    for (const ConfusionCell& cell : result_.primary_confusion) primary_totals[cell.gold] += cell.count;
    out_ +=
        "Gold primary category against the model's top-1 category. \"Cross-listed\" counts the papers whose "
        "predicted category is one of their other gold categories.\n\n"
        "| Gold primary | Predicted top-1 | Papers | Share of the gold primary's papers | Cross-listed |\n"
        "|---|---|---:|---:|---:|\n";
    for (const ConfusionCell& cell : result_.confused_pairs) {
      out_ += fmt::format(
          "| {} | {} | {} | {} | {} |\n", code_and_name(cell.gold), code_and_name(cell.predicted), cell.count,
          percent(static_cast<double>(cell.count), static_cast<double>(primary_totals[cell.gold])),
          cell.predicted_in_gold);
    }
  }

  void calibration_section() {
    const Calibration& calibration = result_.calibration;
    out_ += "\n## Calibration\n\n";
    out_ += fmt::format(
        "Expected calibration error: {} over {} equal-width bins of top-1 confidence (the top-1 label's "
        "probability), against whether the top-1 is {}.\n\n",
        number(calibration.expected_calibration_error), calibration.bins.size(),
        result_.calibration_against_primary ? "the gold primary category"
                                            : "one of the paper's gold categories");
    out_ += "| Confidence | Papers | Mean confidence | Accuracy | Gap |\n|---|---:|---:|---:|---:|\n";
    for (std::size_t b = 0; b < calibration.bins.size(); ++b) {
      const ReliabilityBin& bin = calibration.bins[b];
      const char closing = b + 1 == calibration.bins.size() ? ']' : ')';
      if (bin.count == 0) {
        out_ += fmt::format("| [{:.2f}, {:.2f}{} | 0 | - | - | - |\n", bin.lower, bin.upper, closing);
        continue;
      }
      out_ += fmt::format("| [{:.2f}, {:.2f}{} | {} | {} | {} | {:+.4f} |\n", bin.lower, bin.upper, closing,
                          bin.count, number(bin.mean_confidence), number(bin.accuracy),
                          bin.accuracy - bin.mean_confidence);
    }
  }

  void outside_section() {
    const OutsideLabelSpace& outside = result_.outside;
    out_ += "\n## Papers outside the label space\n\n";
    if (outside.papers == 0) {
      out_ += "Every gold category of the evaluated papers is in the label space.\n";
      return;
    }
    const auto papers = static_cast<double>(result_.papers);
    out_ += fmt::format(
        "{} papers ({}) have at least one gold category outside the label space ({} such categories in all); "
        "{} "
        "({}) have their primary category outside it. The model cannot predict these categories: they count "
        "as "
        "misses in recall, F1, primary accuracy and NDCG, which caps the scores it can reach on this "
        "split.\n",
        outside.papers, percent(static_cast<double>(outside.papers), papers), outside.gold_labels,
        outside.primary_papers, percent(static_cast<double>(outside.primary_papers), papers));
  }

  void figures_section() {
    if (context_.figures.empty()) return;
    out_ += "\n## Figures\n";
    for (const ReportFigure& figure : context_.figures) {
      // The <...> form keeps a path with spaces or parentheses one link target.
      out_ += fmt::format("\n![{}](<{}>)\n", escape(figure.caption), link_target(figure.path));
    }
  }

  const EvaluationResult& result_;
  const ReportContext& context_;
  std::string out_;
};

}  // namespace

std::string render_markdown_report(const EvaluationResult& result, const ReportContext& context) {
  return ReportWriter(result, context).render();
}

}  // namespace arxivc::eval
