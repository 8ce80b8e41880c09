#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

#include "arxivc/app/export_job.hpp"
#include "command.hpp"

namespace arxivc::cli {

Command register_export_command(CLI::App& app) {
  auto options = std::make_shared<app::ExportJobOptions>();
  auto input = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>("-");
  auto* command = app.add_subcommand(
      "export", "Write one split of a prepared dataset as JSON Lines (id, title, abstract, labels)");
  command->add_option("--input,-i", *input, "Prepared dataset directory (output of prepare)")->required();
  command->add_option("--split", options->split, "Split to write: train, validation or test")
      ->capture_default_str();
  command->add_option("--output,-o", *output, "JSON Lines file, or - for stdout")->capture_default_str();
  auto max_samples = std::make_shared<std::optional<long long>>();
  command->add_option("--max-samples", *max_samples,
                      "At most N papers: the subset `train --max-samples N` uses with the same --seed");
  command->add_option("--seed", options->seed, "Seed of the --max-samples choice (training.seed, default 42)")
      ->capture_default_str();
  command->add_flag("--force", options->force, "Replace --output even when it is not an earlier export");
  return {command, [=] {
            if (*max_samples) options->max_samples = **max_samples;
            options->input = *input;
            options->output = *output;
            const auto result = app::run_export(*options);
            spdlog::info("{} papers of split '{}' exported", result.papers, options->split);
          }};
}

}  // namespace arxivc::cli
