#include "arxivc/eval/plots.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {
namespace {

constexpr int kDefaultWidth = 1000;

struct Bar {
  std::string name;
  double value;
  std::string text;  // printed at the bar's end
};

// Axis labels longer than this are shortened: gnuplot sizes the margin to the longest label, and one very
// long name would squeeze the plot area to nothing.
constexpr std::size_t kMaxLabelBytes = 56;

std::string axis_label(std::string_view text) {
  if (text.size() <= kMaxLabelBytes) return std::string(text);
  std::size_t cut = kMaxLabelBytes - 3;
  // Never split a UTF-8 sequence: back up over continuation bytes (10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

int size_or(int requested, int fallback) { return requested > 0 ? requested : fallback; }

void check_values(std::span<const double> values, const char* what, double lowest, double highest) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]) || values[i] < lowest || values[i] > highest) {
      throw Error(fmt::format("{}: value {} ({}) is not in [{}, {}]", what, i, values[i], lowest, highest));
    }
  }
}

void check_same_size(std::size_t names, std::size_t values, const char* what) {
  if (names != values) throw Error(fmt::format("{}: {} names for {} values", what, names, values));
  if (names == 0) throw Error(fmt::format("{}: nothing to draw", what));
}

// Horizontal bars, first on top, category names on the vertical axis.
void draw_horizontal_bars(const std::filesystem::path& output, const std::vector<Bar>& bars,
                          const std::string& title, const std::string& value_axis, double value_max,
                          const PlotOptions& options) {
  std::string data;
  for (const Bar& bar : bars) {
    data += fmt::format("{}\t{}\t{}\n", gnuplot_data_field(axis_label(bar.name)), bar.value,
                        gnuplot_data_field(bar.text));
  }
  const double n = static_cast<double>(bars.size());
  const std::string body = fmt::format(
      "set datafile separator '\\t'\n"
      "set title {}\n"
      "set xlabel {}\n"
      "set key off\n"
      "set border 3\n"
      "set ytics nomirror scale 0\n"
      "set xtics nomirror\n"
      "set grid xtics lc rgb '#dddddd'\n"
      "set style fill solid 0.85 border rgb '#2b4f7a'\n"
      // Explicit bounds from high to low put the first bar on top.
      "set yrange [{}:-0.6]\n"
      "set xrange [0:{}]\n"
      "plot 'bars.tsv' using ($2/2):0:($2/2):(0.38):yticlabels(1) with boxxyerror lc rgb '#4477aa', \\\n"
      "     '' using 2:0:(stringcolumn(3)) with labels left offset 0.5,0 font ',9'\n",
      gnuplot_string(title), gnuplot_string(value_axis), n - 0.4, value_max * 1.15);
  const GnuplotDataFile files[] = {{"bars.tsv", data}};
  render_gnuplot(output, size_or(options.width, kDefaultWidth),
                 size_or(options.height, std::max(300, 120 + 22 * static_cast<int>(bars.size()))), body,
                 files, options);
}

std::string count_text(double value) {
  return value == std::floor(value) && std::abs(value) < 1e15 ? fmt::format("{:.0f}", value)
                                                              : fmt::format("{:.3g}", value);
}

// A data value gnuplot reads as missing (set datafile missing 'NaN').
std::string data_value(double value) { return std::isfinite(value) ? fmt::format("{}", value) : "NaN"; }

bool has_finite(const std::vector<double>& values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

}  // namespace

void plot_category_distribution(const std::filesystem::path& output, std::span<const std::string> names,
                                std::span<const double> counts, const std::string& title, std::size_t top_n,
                                const PlotOptions& options) {
  check_same_size(names.size(), counts.size(), "category distribution");
  check_values(counts, "category distribution", 0.0, HUGE_VAL);
  std::vector<std::size_t> order(names.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
  if (top_n != 0 && order.size() > top_n) order.resize(top_n);
  std::vector<Bar> bars;
  for (const std::size_t i : order) bars.push_back({names[i], counts[i], count_text(counts[i])});
  const double largest = bars.front().value;
  draw_horizontal_bars(output, bars, title, "Papers", largest > 0 ? largest : 1.0, options);
}

void plot_category_f1(const std::filesystem::path& output, std::span<const std::string> names,
                      std::span<const double> f1, const std::string& title, const PlotOptions& options) {
  check_same_size(names.size(), f1.size(), "category F1");
  check_values(f1, "category F1", 0.0, 1.0);
  std::vector<Bar> bars;
  for (std::size_t i = 0; i < names.size(); ++i)
    bars.push_back({names[i], f1[i], fmt::format("{:.3f}", f1[i])});
  draw_horizontal_bars(output, bars, title, "F1", 1.0, options);
}

void plot_training_curves(const std::filesystem::path& output, const TrainingCurves& curves,
                          const std::string& title, const PlotOptions& options) {
  const std::size_t epochs = curves.train_loss.size();
  if (epochs == 0) throw Error("training curves: no epoch to draw");
  for (const auto* series : {&curves.validation_loss, &curves.validation_metric}) {
    if (!series->empty() && series->size() != epochs) {
      throw Error(fmt::format("training curves: a validation series has {} values for {} epochs",
                              series->size(), epochs));
    }
  }
  std::string data;
  for (std::size_t e = 0; e < epochs; ++e) {
    const auto value = [&](const std::vector<double>& series) {
      return series.empty() ? std::string("NaN") : data_value(series[e]);
    };
    data += fmt::format("{}\t{}\t{}\t{}\n", e + 1, data_value(curves.train_loss[e]),
                        value(curves.validation_loss), value(curves.validation_metric));
  }
  // gnuplot rejects a plot whose points are all undefined, so only series with a value are drawn.
  std::vector<std::string> plots;
  if (has_finite(curves.train_loss)) {
    plots.push_back(
        "'curves.tsv' using 1:2 with linespoints lw 2 pt 7 lc rgb '#4477aa' title 'training loss'");
  }
  if (has_finite(curves.validation_loss)) {
    plots.push_back(
        "'curves.tsv' using 1:3 with linespoints lw 2 pt 5 lc rgb '#ee7733' title 'validation loss'");
  }
  const bool with_metric = has_finite(curves.validation_metric);
  if (with_metric) {
    plots.push_back(fmt::format(
        "'curves.tsv' using 1:4 axes x1y2 with linespoints lw 2 dt 2 pt 9 lc rgb '#228833' title {}",
        gnuplot_string(curves.metric_name)));
  }
  if (plots.empty()) throw Error("training curves: every value is missing");
  std::string body = fmt::format(
      "set datafile separator '\\t'\n"
      "set datafile missing 'NaN'\n"
      "set title {}\n"
      "set ylabel 'Loss'\n"
      "set xrange [0.5:{}]\n"
      "set key below spacing 1.5\n"
      "set bmargin 6\n"
      "set xlabel 'Epoch'\n"
      "set grid lc rgb '#dddddd'\n"
      "set ytics nomirror\n",
      gnuplot_string(title), static_cast<double>(epochs) + 0.5);
  if (epochs <= 20) body += "set xtics 1\n";
  if (with_metric) body += fmt::format("set y2tics\nset y2label {}\n", gnuplot_string(curves.metric_name));
  body += "plot ";
  for (std::size_t i = 0; i < plots.size(); ++i) body += (i == 0 ? "" : ", \\\n     ") + plots[i];
  body += '\n';
  const GnuplotDataFile files[] = {{"curves.tsv", data}};
  render_gnuplot(output, size_or(options.width, kDefaultWidth), size_or(options.height, 600), body, files,
                 options);
}

void plot_confusion_heatmap(const std::filesystem::path& output, std::span<const std::string> codes,
                            std::span<const double> values, const std::string& value_label,
                            const std::string& title, const PlotOptions& options) {
  const std::size_t k = codes.size();
  if (k == 0) throw Error("confusion heatmap: nothing to draw");
  if (values.size() != k * k) {
    throw Error(fmt::format("confusion heatmap: {} values for {} x {} categories", values.size(), k, k));
  }
  check_values(values, "confusion heatmap", -HUGE_VAL, HUGE_VAL);
  std::string data;
  for (std::size_t r = 0; r < k; ++r) {
    for (std::size_t c = 0; c < k; ++c) {
      const double value = values[r * k + c];
      data +=
          fmt::format("{}\t{}\t{}\t{}\t{}\t{:.2f}\n", c, r, value, gnuplot_data_field(axis_label(codes[c])),
                      gnuplot_data_field(axis_label(codes[r])), value);
    }
  }
  const double highest = *std::max_element(values.begin(), values.end());
  const double lowest = std::min(0.0, *std::min_element(values.begin(), values.end()));
  const double side = static_cast<double>(k) - 0.5;
  const std::string body = fmt::format(
      "set datafile separator '\\t'\n"
      "set title {}\n"
      "set xlabel 'Predicted top-1 category'\n"
      "set ylabel 'Gold primary category'\n"
      "set cblabel {}\n"
      "set key off\n"
      "set xrange [-0.5:{}]\n"
      "set yrange [{}:-0.5]\n"
      "set cbrange [{}:{}]\n"
      "set xtics rotate by 45 right scale 0\n"
      "set ytics scale 0\n"
      "set palette defined (0 '#ffffff', 0.5 '#fdae6b', 1 '#e6550d')\n"
      "set style fill solid 1.0 noborder\n"
      "plot 'cells.tsv' using 1:2:(0.5):(0.5):3:xticlabels(4):yticlabels(5) with boxxyerror fc palette, \\\n"
      "     '' using 1:2:(stringcolumn(6)) with labels font ',9'\n",
      gnuplot_string(title), gnuplot_string(value_label), side, side, lowest,
      highest > lowest ? highest : lowest + 1);
  const GnuplotDataFile files[] = {{"cells.tsv", data}};
  const int square = std::max(500, 200 + 48 * static_cast<int>(k));
  render_gnuplot(output, size_or(options.width, square + 120), size_or(options.height, square), body, files,
                 options);
}

void plot_reliability_diagram(const std::filesystem::path& output, std::span<const ReliabilityBin> bins,
                              const std::string& title, const PlotOptions& options) {
  if (bins.empty()) throw Error("reliability diagram: no bins");
  std::string data;
  for (std::size_t b = 0; b < bins.size(); ++b) {
    const ReliabilityBin& bin = bins[b];
    const double fields[] = {bin.lower, bin.upper, bin.mean_confidence, bin.accuracy};
    check_values(fields, fmt::format("reliability diagram, bin {}", b).c_str(), 0.0, 1.0);
    if (bin.count == 0) continue;
    data += fmt::format("{}\t{}\t{}\t{}\tn={}\n", (bin.lower + bin.upper) / 2, bin.accuracy,
                        (bin.upper - bin.lower) / 2, bin.mean_confidence, bin.count);
  }
  std::string body =
      "set datafile separator '\\t'\n"
      "set title " +
      gnuplot_string(title) +
      "\n"
      "set xlabel 'Confidence (probability of the top-1 category)'\n"
      "set ylabel 'Accuracy'\n"
      "set xrange [0:1]\n"
      "set yrange [0:1.05]\n"
      "set size ratio 1\n"
      "set key top left\n"
      "set grid lc rgb '#dddddd'\n"
      "set style fill transparent solid 0.45 border rgb '#2b4f7a'\n"
      "plot x with lines dt 2 lw 1.5 lc rgb '#555555' title 'perfect calibration'";
  // An evaluation without papers leaves every bin empty: only the diagonal is drawn then.
  if (!data.empty()) {
    body +=
        ", \\\n"
        "     'bins.tsv' using 1:($2/2):3:($2/2) with boxxyerror lc rgb '#4477aa' title 'accuracy per bin', "
        "\\\n"
        "     '' using 4:2 with linespoints lw 2 pt 7 lc rgb '#cc3311' title 'mean confidence vs accuracy', "
        "\\\n"
        "     '' using 1:2:(stringcolumn(5)) with labels offset 0,0.8 font ',8' notitle";
  }
  body += '\n';
  const GnuplotDataFile files[] = {{"bins.tsv", data}};
  render_gnuplot(output, size_or(options.width, 750), size_or(options.height, 750), body, files, options);
}

}  // namespace arxivc::eval
