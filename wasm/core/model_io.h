// model_io.h: the model file, JSON with a format name and a version:
//   {"format": "nnplay-model", "version": 1, "task": "classification", "classes": ["0", "1"],
//    "loss": "bce", "inputs": {"raw": ["x1", "x2"], "features": ["x1", "x2"], "mean": [..], "std": [..]},
//    "layers": [{"units": 8, "activation": "tanh", "W": [[..8 numbers..], [..]], "b": [..8..]}, ...]}
// W is stored as (inputs, outputs) rows, as in the reference network. Numbers are written with
// enough digits to read back to the same float, so save and load round-trip exactly.
#pragma once
#include <string>
#include <vector>

#include "data.h"
#include "network.h"

namespace nnplay {

struct Model {
  std::string task;
  std::vector<std::string> classes;
  std::vector<std::string> raw_names;
  FeatureMap features;
  Network net;
};

std::string model_to_json(const Model& model);
// Validates format, version, shapes, activations, the loss pair and finite numbers; throws
// Error naming the field (e.g. "model: layers[1].W: 7 rows is not allowed (8, the units of layers[0])").
Model model_from_json(const std::string& text);

}  // namespace nnplay
