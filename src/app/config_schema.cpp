#include "arxivc/app/config_schema.hpp"

#include <limits>

namespace arxivc::app {
namespace {

using S = config::Schema;
constexpr unsigned kText = S::string;
constexpr unsigned kOptionalText = S::string | S::null_value;
constexpr unsigned kInt = S::integer;
constexpr unsigned kOptionalInt = S::integer | S::null_value;
constexpr unsigned kNumber = S::number;
constexpr unsigned kFlag = S::boolean;
constexpr unsigned kNames = S::list | S::string | S::null_value;  // a list, or one name
constexpr double kMaxThreads = 1024;
constexpr double kMaxSeed = static_cast<double>(std::numeric_limits<std::int64_t>::max());

S build() {
  S schema;
  schema.add("paths.data_dir", kText);
  schema.add("paths.datasets", kText);
  schema.add("reports.dir", kText);
  schema.add("run.dir", kText);
  schema.add("run.seed", kInt).range(0, kMaxSeed);
  schema.add("data.name", kText);
  schema.add("data.path", kText);

  schema.add("prepare.input", kText);
  schema.add("prepare.output", kText);
  schema.add("prepare.strict", kFlag);
  schema.add("prepare.force", kFlag);
  schema.add("prepare.threads", kInt).range(0, kMaxThreads);
  schema.add("prepare.text.latex", kText).one_of({"keep", "simplify"});
  schema.add("prepare.selection.archives", kNames);
  schema.add("prepare.selection.groups", kNames);
  schema.add("prepare.selection.categories", kNames);
  schema.add("prepare.selection.min_papers", kInt).at_least(0);
  schema.add("prepare.selection.top_n", kInt).at_least(0);
  schema.add("prepare.selection.clear_boundaries", kFlag);
  schema.add("prepare.labels.mode", kText).one_of({"primary", "all", "archive"});
  schema.add("prepare.sampling.max_samples", kOptionalInt).at_least(1);
  schema.add("prepare.sampling.per_category_cap", kOptionalInt).at_least(1);
  schema.add("prepare.sampling.seed", kInt).range(0, kMaxSeed);
  schema.add("prepare.split.method", kText).one_of({"random", "temporal"});
  schema.add("prepare.split.train", kNumber).range(0, 1);
  schema.add("prepare.split.validation", kNumber).range(0, 1);
  schema.add("prepare.split.test", kNumber).range(0, 1);
  schema.add("prepare.split.seed", kInt).range(0, kMaxSeed);
  schema.add("prepare.split.temporal_by", kText).one_of({"id_month", "update_date"});
  schema.add("prepare.split.temporal_cutoff", kOptionalText);

  schema.add("training.input", kOptionalText);
  schema.add("training.output", kText);
  schema.add("training.epochs", kInt).range(1, 10000);
  schema.add("training.patience", kInt).range(0, 10000);
  schema.add("training.metric", kText).one_of({"micro_f1", "primary_accuracy", "samples_f1"});
  schema.add("training.max_samples", kOptionalInt).at_least(1);
  schema.add("training.threads", kInt).range(0, kMaxThreads);
  schema.add("training.seed", kInt).range(0, kMaxSeed);
  schema.add("training.thresholds", kText).one_of({"global", "per_label"});
  schema.add("training.resume", kFlag);
  schema.add("training.force", kFlag);

  schema.add("experiment.name", kText);
  // Each model family checks its own parameters (unknown ones included) when it reads them.
  schema.add("model", S::map).open();

  schema.add("serve.model", kOptionalText);
  schema.add("serve.host", kText);
  schema.add("serve.port", kInt | kText).range(0, 65535);
  schema.add("serve.threads", kInt).range(0, kMaxThreads);
  schema.add("serve.workers", kInt).range(0, kMaxThreads);
  schema.add("serve.queue_capacity", kInt).range(1, 1 << 24);
  schema.add("serve.max_batch", kInt).range(1, 1 << 20);
  schema.add("serve.max_body_bytes", kInt).range(1024, 4294967296.0);
  schema.add("serve.read_timeout_s", kNumber).range(0.001, 86400);
  schema.add("serve.idle_timeout_s", kNumber).range(0.001, 86400);
  schema.add("serve.shutdown_timeout_s", kNumber).range(0.001, 86400);
  schema.add("serve.api_key", kOptionalText).secret();
  schema.add("serve.auth", kFlag);
  schema.add("serve.web_dir", kText);
  schema.add("serve.access_log", kFlag);
  return schema;
}

}  // namespace

const config::Schema& config_schema() {
  static const S schema = build();
  return schema;
}

}  // namespace arxivc::app
