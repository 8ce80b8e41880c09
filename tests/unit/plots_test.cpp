#include "arxivc/eval/plots.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

class EvalPlotsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!gnuplot_available()) GTEST_SKIP() << "gnuplot is not installed (Debian package gnuplot-nox)";
    const char* base = std::getenv("ARXIVC_TEST_TMP");
    std::mt19937_64 random(std::random_device{}());
    dir_ = std::filesystem::path(base != nullptr ? base : std::filesystem::temp_directory_path().string()) /
           ("plots-" + std::to_string(random()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // A PNG starts with its 8-byte signature and an IHDR chunk; a drawn figure is more than a few bytes.
  static void expect_png(const std::filesystem::path& path) {
    const std::string content = read_all(path);
    ASSERT_GT(content.size(), 5000U) << path;
    EXPECT_EQ(content.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << path;
    EXPECT_EQ(content.substr(12, 4), "IHDR") << path;
  }

  static std::string expect_svg(const std::filesystem::path& path) {
    const std::string content = read_all(path);
    EXPECT_GT(content.size(), 2000U) << path;
    EXPECT_EQ(content.rfind("<?xml", 0), 0U) << path;
    EXPECT_NE(content.find("<svg"), std::string::npos) << path;
    EXPECT_NE(content.find("</svg>"), std::string::npos) << path;
    return content;
  }

  std::filesystem::path dir_;
};

const std::vector<std::string> kNames = {"cs.LG Machine Learning", "hep_th High Energy Physics - Theory",
                                         "math.ST Statistics \"Theory\"",
                                         "cond-mat.mes-hall <Mesoscale> & Nano", "q-bio.GN Genomics"};

TEST_F(EvalPlotsTest, CategoryDistribution) {
  const std::vector<double> counts = {1200, 800, 300, 450, 20};
  plot_category_distribution(dir_ / "distribution.png", kNames, counts, "Papers per category (train)", 4);
  expect_png(dir_ / "distribution.png");
  plot_category_distribution(dir_ / "distribution.svg", kNames, counts, "Papers per category (train)", 4);
  const std::string svg = expect_svg(dir_ / "distribution.svg");
  EXPECT_NE(svg.find("Papers per category (train)"), std::string::npos);
  // Names are shown verbatim (no subscript for '_'), escaped for XML; the smallest is beyond the top 4.
  EXPECT_NE(svg.find("hep_th High Energy Physics - Theory"), std::string::npos);
  EXPECT_NE(svg.find("cond-mat.mes-hall &lt;Mesoscale"), std::string::npos);
  EXPECT_NE(svg.find("&amp; Nano"), std::string::npos);
  EXPECT_NE(svg.find("math.ST Statistics 'Theory'"), std::string::npos);
  EXPECT_EQ(svg.find("q-bio.GN"), std::string::npos);

  // A very long name is shortened so that it cannot squeeze the bars away.
  const std::vector<std::string> long_names = {std::string(300, 'x'), "short"};
  plot_category_distribution(dir_ / "long.svg", long_names, std::vector<double>{2, 1}, "Long");
  const std::string long_svg = expect_svg(dir_ / "long.svg");
  EXPECT_NE(long_svg.find(std::string(53, 'x') + "..."), std::string::npos);
  EXPECT_EQ(long_svg.find(std::string(54, 'x')), std::string::npos);
}

TEST_F(EvalPlotsTest, TrainingCurves) {
  TrainingCurves curves;
  curves.train_loss = {0.9, 0.6, 0.45, 0.4};
  curves.validation_loss = {0.95, 0.7, NAN, 0.55};
  curves.validation_metric = {0.4, 0.55, 0.6, 0.62};
  plot_training_curves(dir_ / "curves.png", curves, "Training of linear");
  expect_png(dir_ / "curves.png");
  plot_training_curves(dir_ / "curves.svg", curves, "Training of linear");
  const std::string svg = expect_svg(dir_ / "curves.svg");
  EXPECT_NE(svg.find("validation micro-F1"), std::string::npos);
  EXPECT_NE(svg.find("training loss"), std::string::npos);
  EXPECT_NE(svg.find("Epoch"), std::string::npos);

  TrainingCurves loss_only;
  loss_only.train_loss = {0.7};
  plot_training_curves(dir_ / "one-epoch.png", loss_only, "One epoch");
  expect_png(dir_ / "one-epoch.png");
}

TEST_F(EvalPlotsTest, CategoryF1) {
  const std::vector<double> f1 = {0.81, 0.64, 0.0, 1.0, 0.33};
  plot_category_f1(dir_ / "f1.png", kNames, f1, "F1 per category (test)");
  expect_png(dir_ / "f1.png");
  const std::string svg =
      (plot_category_f1(dir_ / "f1.svg", kNames, f1, "F1 per category (test)"), expect_svg(dir_ / "f1.svg"));
  EXPECT_NE(svg.find("0.640"), std::string::npos);
  EXPECT_NE(svg.find("q-bio.GN Genomics"), std::string::npos);
}

TEST_F(EvalPlotsTest, ConfusionHeatmap) {
  const std::vector<std::string> codes = {"cs.LG", "stat.ML", "cs.AI"};
  const std::vector<double> shares = {0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.15, 0.05, 0.8};
  plot_confusion_heatmap(dir_ / "confusion.png", codes, shares, "share of the gold primary's papers",
                         "Most confused categories");
  expect_png(dir_ / "confusion.png");
  plot_confusion_heatmap(dir_ / "confusion.svg", codes, shares, "share of the gold primary's papers",
                         "Most confused categories");
  const std::string svg = expect_svg(dir_ / "confusion.svg");
  EXPECT_NE(svg.find("stat.ML"), std::string::npos);
  EXPECT_NE(svg.find("0.05"), std::string::npos);
  EXPECT_NE(svg.find("Gold primary category"), std::string::npos);
  // A single category is still a figure.
  plot_confusion_heatmap(dir_ / "single.png", std::vector<std::string>{"cs.LG"}, std::vector<double>{1.0},
                         "share", "One");
  expect_png(dir_ / "single.png");
}

TEST_F(EvalPlotsTest, ReliabilityDiagram) {
  const std::vector<float> confidence = {0.95F, 0.9F, 0.85F, 0.6F, 0.55F, 0.3F, 0.92F, 0.71F};
  const std::vector<std::uint8_t> correct = {1, 1, 0, 1, 0, 0, 1, 1};
  const Calibration calibration = compute_calibration(confidence, correct, 10);
  plot_reliability_diagram(dir_ / "reliability.png", calibration.bins, "Reliability (test)");
  expect_png(dir_ / "reliability.png");
  plot_reliability_diagram(dir_ / "reliability.svg", calibration.bins, "Reliability (test)");
  const std::string svg = expect_svg(dir_ / "reliability.svg");
  EXPECT_NE(svg.find("perfect calibration"), std::string::npos);
  // Bins: 0.3, 0.55, 0.6, 0.71 alone; 0.85 and 0.9 (as a float just below 0.9) together; 0.92 and 0.95.
  EXPECT_NE(svg.find("n=2"), std::string::npos);
  EXPECT_NE(svg.find("n=1"), std::string::npos);
  // No papers: every bin empty, only the diagonal.
  const Calibration empty = compute_calibration({}, {}, 10);
  plot_reliability_diagram(dir_ / "empty.png", empty.bins, "Nothing");
  expect_png(dir_ / "empty.png");
}

TEST_F(EvalPlotsTest, TextCannotInjectCommands) {
  const std::filesystem::path marker = dir_ / "injected";
  const std::string attack =
      "x'; system('touch " + marker.string() + "'); print '\nsystem(\"touch " + marker.string() + "\")";
  const std::vector<std::string> names = {attack, "plain"};
  plot_category_distribution(dir_ / "attack.svg", names, std::vector<double>{3, 1}, attack);
  TrainingCurves curves;
  curves.train_loss = {1.0, 0.5};
  curves.validation_metric = {0.2, 0.4};
  curves.metric_name = attack;
  plot_training_curves(dir_ / "attack-curves.png", curves, attack);
  plot_confusion_heatmap(dir_ / "attack-heatmap.png", names, std::vector<double>{1, 0, 0, 1}, attack, attack);
  EXPECT_FALSE(std::filesystem::exists(marker));
  const std::string svg = expect_svg(dir_ / "attack.svg");
  EXPECT_NE(svg.find("system('touch"), std::string::npos);
}

TEST_F(EvalPlotsTest, FailuresAreClearErrors) {
  const std::vector<double> counts = {2, 1};
  const std::vector<std::string> names = {"a", "b"};
  PlotOptions missing;
  missing.gnuplot = "/nonexistent/gnuplot";
  try {
    plot_category_distribution(dir_ / "missing.png", names, counts, "t", 10, missing);
    ADD_FAILURE() << "no error without gnuplot";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gnuplot-nox"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(gnuplot_available("/nonexistent/gnuplot"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "missing.png"));

  // A failing script reports gnuplot's message and leaves no image.
  try {
    render_gnuplot(dir_ / "broken.png", 400, 300, "plot 'no-such-file.tsv' using 1:2\n", {}, {});
    ADD_FAILURE() << "no error from a failing gnuplot";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gnuplot exited with status"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no-such-file.tsv"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "broken.png"));

  EXPECT_THROW(plot_category_distribution(dir_ / "figure.jpg", names, counts, "t"), UsageError);
  EXPECT_THROW(plot_category_distribution(dir_ / "x.png", names, std::vector<double>{1}, "t"), Error);
  EXPECT_THROW(plot_category_f1(dir_ / "x.png", names, std::vector<double>{0.5, 1.5}, "t"), Error);
  EXPECT_THROW(plot_confusion_heatmap(dir_ / "x.png", names, std::vector<double>{1, 2, 3}, "v", "t"), Error);
  EXPECT_THROW(plot_training_curves(dir_ / "x.png", TrainingCurves{}, "t"), Error);
  TrainingCurves uneven;
  uneven.train_loss = {1, 2};
  uneven.validation_metric = {0.5};
  EXPECT_THROW(plot_training_curves(dir_ / "x.png", uneven, "t"), Error);
  EXPECT_THROW(plot_reliability_diagram(dir_ / "x.png", std::vector<ReliabilityBin>{}, "t"), Error);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.png"));
}

}  // namespace
}  // namespace arxivc::eval
