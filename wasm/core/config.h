// config.h: the one run configuration (dataset, network, loss, init, optimizer, schedule, seed),
// parsed from JSON with every field validated. README.md's "Config format" table documents each
// field, its default and its allowed range; errors read
//   config: <field>: <value> is not allowed (<what is allowed>)
#pragma once
#include <cstdint>
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
// The normalized JSON of a config, every field present (l1 only when nonzero; parse_config reads
// it back unchanged).
std::string config_to_json(const Config& c);

// True for the generated 2-D and 1-D sets, whose raw inputs x1 (x2) feed network.features.
bool is_planar_dataset(const std::string& name);

// Names allowed for dataset.name and network.features.
const std::vector<std::string>& dataset_names();
const std::vector<std::string>& feature_names();

// Limits shared by the parser, the README and the page.
constexpr int kMaxLayers = 9, kMaxUnits = 1024, kMaxSamples = 100000, kMaxEpochs = 1000000;

}  // namespace nnplay
