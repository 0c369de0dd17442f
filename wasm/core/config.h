// config.h: the one run configuration (dataset, network, loss, init, optimizer, schedule, seed),
// parsed from JSON with every field validated. One table (config_fields(), config.cpp) holds each
// field's path, kind, range or allowed names, the phrase its errors use, and the page's URL key and
// label; parse_config validates with it, config_to_json writes with it, and config_schema_json()
// hands it (with the datasets and the limits) to the page, which writes none of it again.
// Defaults are the member initialisers below; the table reads them from a default Config.
// README.md's "Config format" table documents each field; errors read
//   config: <field>: <value> is not allowed (<what is allowed>)
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "activation.h"
#include "init.h"
#include "loss.h"
#include "optimizer.h"

namespace nnplay {

struct DatasetConfig {
  std::string name = "xor";
  int samples = 400;
  double noise = 0.1;
  double test_ratio = 0.2;
  uint32_t seed = 1;
  int arms = 2;
  int inputs = 2;      // random only: input columns
  int classes = 2;     // random only: classes
  std::string csv;     // csv only: the text
  std::string target;  // csv only: target column ("" = last)
  std::string task = "auto";
  bool standardize = true;
};

struct LayerConfig {
  int units = 1;
  Activation activation = Activation::linear;
};

struct Config {
  DatasetConfig dataset;
  std::vector<std::string> features;  // empty: the dataset's default (x1, x2 or x1)
  std::vector<LayerConfig> layers = {{8, Activation::tanh}, {8, Activation::tanh}, {1, Activation::sigmoid}};
  Loss loss = Loss::bce;
  Init init = Init::xavier_uniform;
  OptimizerConfig optimizer;
  int batch_size = 10;  // 0: full batch
  int epochs = 100;
  double l2 = 0;
  double l1 = 0;  // teachcore: L1 penalty, objective + l1 sum |W|
  uint32_t seed = 1;
  bool shuffle = true;
};

// Parses and validates the JSON text; throws Error naming the first bad field.
Config parse_config(const std::string& json_text);
// The normalized JSON of a config, every field present (parse_config reads it back unchanged).
std::string config_to_json(const Config& c);

// Limits shared by the parser, the README and the page (which reads them from config_schema_json()).
constexpr int kMaxLayers = 9, kMaxUnits = 1024, kMaxSamples = 100000, kMaxEpochs = 1000000;
constexpr long long kMaxSeed = 4294967295LL;
// Training images in the page's Fashion-MNIST asset (scripts/fashion-asset.mjs), its samples default.
constexpr int kFashionTrain = 60000;

// One field of the config: what parse_config checks, what config_to_json writes, what the page shows.
enum class FieldKind { integer, number, boolean, choice, text, features, layers };

// How the page's arrow keys and spinners step a number field (web/js/steps.mjs): linear, by `by`;
// log, to the next value m * 10^k of the ladder of `marks` (1, 3: 0.01, 0.03, 0.1, 0.3); log_gap,
// the same ladder on the gap to 1 (0.9, 0.97, 0.99, 0.997). `first`: the step up from 0 (0: none).
enum class StepScale { linear, log, log_gap };
struct Stepping {
  StepScale scale = StepScale::linear;
  double by = 1;
  std::vector<double> marks;
  double first = 0;
};
struct ConfigField {
  std::string path;   // "optimizer.learning_rate"
  std::string key;    // the page's URL key ("lr"); empty: not a page field
  std::string label;  // the page's label
  FieldKind kind;
  double lo = 0, hi = 0;                // integer, number: the range...
  bool lo_open = false, hi_open = false;  // ...and whether an end is excluded
  std::vector<std::string> values;      // choice, features, layers: the allowed names
  std::vector<std::string> labels;      // choice: the page's label of each value (may be empty)
  std::vector<std::string> only;        // datasets it is allowed with (empty: all)
  std::vector<std::string> used_by;     // datasets it has an effect on (empty: all)
  std::string allowed;                  // the phrase of its errors: "a number > 0 and <= 10"
  Stepping stepping;                    // integer, number: the page's steps
  std::function<nlohmann::json(const Config&)> get;        // null: not written
  std::function<void(Config&, const nlohmann::json&)> set;  // a value already checked
};
// In the order parse_config reads them (which is also the order of the allowed-field lists).
const std::vector<ConfigField>& config_fields();

// What the page needs to know of a dataset before the core builds it.
struct DatasetInfo {
  std::string name, label;
  std::string task;     // "classification", "regression", or "" (from the data: csv)
  int dims = 0;         // raw inputs (0: from the data)
  int classes = 0;      // 0: regression, from the data, or from classes_field
  std::string classes_field;  // a config field that sets the classes (spiral: dataset.arms)
  bool planar = false;  // a generator whose raw inputs x1 (x2) feed network.features
  bool offered = true;  // shown by the page (random is for benchmarks)
  std::string defaults; // config JSON the page applies when switching to it ("" : none)
};
const std::vector<DatasetInfo>& dataset_infos();

// True for the generated 2-D and 1-D sets, whose raw inputs x1 (x2) feed network.features.
bool is_planar_dataset(const std::string& name);

// Names allowed for dataset.name and network.features; the features of 1-D data (x1 only).
const std::vector<std::string>& dataset_names();
const std::vector<std::string>& feature_names();
const std::vector<std::string>& feature_names_1d();

// The table, the datasets, the names of every choice and the limits, as JSON for the page.
std::string config_schema_json();

}  // namespace nnplay
