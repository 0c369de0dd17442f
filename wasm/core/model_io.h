// model_io.h: the model file, JSON with a format name and a version:
//   {"format": "nnplay-model", "version": 1, "task": "classification", "classes": ["0", "1"],
//    "loss": "bce", "inputs": {"raw": ["x1", "x2"], "features": ["x1", "x2"], "mean": [..], "std": [..]},
//    "layers": [{"units": 8, "activation": "tanh", "W": [[..8 numbers..], [..]], "b": [..8..]}, ...]}
// Optional "data" (older files have none, older readers ignore it): the config's dataset section of
// the run that trained it, without a CSV's text, e.g. {"name": "moons", "samples": 400, "noise": 0.1,
// ...}; importing it into a run on other data is allowed, with a note saying so (Trainer::import_model).
// W is stored as (inputs, outputs) rows, as in the reference network. Numbers are written with
// enough digits to read back to the same float, so save and load round-trip exactly.
// Optional "training" (teachcore; files without it still load, and older readers ignore it): what
// a run needs to continue bit for bit where it stopped (`nnplay train --init`, Trainer::import_model):
//   "training": {"optimizer": "adam", "t": 40, "b1_power": .., "b2_power": .., "epoch": 10,
//                "rng": [4 uint32 words], "rng_spare": 0, "rng_has_spare": false, "order": [..m_train..],
//                "position": 0, "partial": {"loss_sum": .., "reference_sum": .., "correct": .., "batches": ..,
//                                           "rms_sum": [..per layer..]},
//                "layers": [{"m_W": [[..]], "v_W": [[..]], "m_b": [..], "v_b": [..]}, ...]}
// Per layer the optimizer's state tensors: none for sgd, the velocity "v_W", "v_b" for momentum,
// the moments "m_W", "v_W", "m_b", "v_b" for adam. position > 0 is an epoch stopped mid-way
// (Trainer::train_batch) with the partial sums of its metrics.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include <optional>
#include <utility>

#include "data.h"
#include "network.h"
#include "optimizer.h"
#include "rng.h"

namespace nnplay {

// The run's state besides the weights (see "training" above). Optimizer moments live in the
// network's layers (DenseLayer::sW, sb).
struct TrainingState {
  std::string optimizer;  // the optimizer kind's name
  long t = 0;
  double b1_power = 1, b2_power = 1;
  int epoch = 0;
  Rng::State rng{};
  std::vector<int> order;
  int position = 0;
  double loss_sum = 0, reference_sum = 0;
  int correct = 0, batches = 0;
  std::vector<double> rms_sum;
};

// The names of an optimizer's state tensors in the files and the trace: {name, member of ParamState}.
std::vector<std::pair<std::string, Matrix ParamState::*>> optimizer_state_names(OptimizerKind kind);

struct Model {
  std::string task;
  std::vector<std::string> classes;
  std::vector<std::string> raw_names;
  FeatureMap features;
  Network net;
  std::optional<TrainingState> training;  // teachcore: absent in older files
  std::string data;                       // the "data" object as JSON text ("" when absent)
};

std::string model_to_json(const Model& model);

// A matrix as JSON numbers (double: a float reads back to the same float): rows_json gives
// [[row 0], [row 1], ...], flat_json every entry in row-major order. The model file's and the trace's.
nlohmann::json rows_json(const Matrix& M);
nlohmann::json flat_json(const Matrix& M);
// Validates format, version, shapes, activations, the loss pair and finite numbers; throws
// Error naming the field (e.g. "model: layers[1].W: 7 rows is not allowed (8, the units of layers[0])").
Model model_from_json(const std::string& text);

}  // namespace nnplay
