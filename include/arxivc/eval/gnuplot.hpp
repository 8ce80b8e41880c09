#pragma once

// Draws a figure by running gnuplot (Debian package gnuplot-nox) on a generated script.
// Text from data (category names) travels in data files, never in commands; text that must appear in a
// command (titles, axis labels) is quoted by gnuplot_string(). gnuplot runs through posix_spawnp with
// an argument vector (no shell), in a private temporary directory; the image is moved into place
// atomically.

#include <chrono>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace arxivc::eval {

struct PlotOptions {
  std::string gnuplot = "gnuplot";  // program name (searched on PATH) or path
  int width = 0;                    // pixels; 0: a size suited to the figure
  int height = 0;
  std::chrono::seconds timeout{120};  // gnuplot is killed after this long
};

struct GnuplotDataFile {
  std::string name;     // plain file name, referenced by the script ("bars.tsv")
  std::string content;  // tab-separated rows
};

// Whether `program` can be found and executed (a path, or a name on PATH).
bool gnuplot_available(const std::string& program = "gnuplot");

// A gnuplot string literal showing `text` verbatim: single-quoted (no escape processing), embedded
// quotes doubled, control characters replaced by spaces.
std::string gnuplot_string(std::string_view text);

// A field of a tab-separated data file: tabs and line breaks become spaces, double quotes (which gnuplot
// treats as field quoting) become single quotes.
std::string gnuplot_data_field(std::string_view text);

// Renders `output` (.png: pngcairo, .svg: svg; anything else is a UsageError) at width x height pixels.
// `body` is the script after the terminal and output settings; it runs in the directory holding the data
// files, so it refers to them by name. Throws arxivc::Error when gnuplot is missing, fails (with its
// messages), times out, or writes no image.
void render_gnuplot(const std::filesystem::path& output, int width, int height, std::string_view body,
                    std::span<const GnuplotDataFile> data_files, const PlotOptions& options);

}  // namespace arxivc::eval
