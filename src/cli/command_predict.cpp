#include <spdlog/spdlog.h>

#include <memory>

#include "arxivc/app/predict_job.hpp"
#include "command.hpp"

namespace arxivc::cli {

Command register_predict_command(CLI::App& app) {
  auto options = std::make_shared<app::PredictJobOptions>();
  auto model_dir = std::make_shared<std::string>();
  auto input = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>("-");
  auto* command = app.add_subcommand("predict", "Predict categories for papers: JSON Lines out, input order");
  command->add_option("--model,-m", *model_dir, "Model directory (output of train)")->required();
  command->add_option("--input,-i", *input, "Metadata in any format prepare reads, or - for stdin")
      ->required();
  command->add_option("--output,-o", *output, "JSON Lines file, or - for stdout")->capture_default_str();
  command->add_option("--top-k,-k", options->top_k, "Categories listed in \"top\"")
      ->capture_default_str()
      ->check(at_least(1));
  command->add_option("--threads,-j", options->threads, "Threads, 0 = all cores");
  command->add_flag("--force", options->force,
                    "Replace --output even when it is not an earlier prediction file");
  return {command, [=] {
            options->model_dir = *model_dir;
            options->input = *input;
            options->output = *output;
            const auto result = app::run_predict(*options);
            spdlog::info("{} papers predicted, {} bad lines reported", result.papers, result.errors);
          }};
}

}  // namespace arxivc::cli
