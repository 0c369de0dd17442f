// export_script.h: the take-home files of a run, the one place the CLI (`nnplay export`) and the
// page (the binding exportScript) get them from. For a fresh run it writes
//   train.py     a Python script (NumPy from scratch, or idiomatic PyTorch) that trains the same
//                network from the same initial weights with the same optimizer, L2 and batch order
//                (nnplay's generator ported to Python) and prints the same JSON lines as `nnplay train`
//   data.json    the network's inputs X and targets Y of both splits, as nnplay computed them (after
//                the feature map and standardisation; targets 0/1, one-hot or values)
//   init.json    the initial weights: nnplay's model file (also `nnplay train --init init.json`)
//   config.json  the normalized config (`nnplay train --config config.json` gives the same lines)
// Nothing is re-derived in Python. What it is not: a model converter for a trained run (the
// optimizer state and the shuffling stream are not exported, so it refuses a trainer past epoch 0).
#pragma once
#include <string>
#include <vector>

#include "trainer.h"

namespace nnplay {

struct ExportedFile {
  std::string name;     // file name, no directory
  std::string content;  // UTF-8 text
};

// The scripts export_script writes: "numpy", "pytorch".
const std::vector<std::string>& export_script_names();

// The files for a trainer that has not trained yet. Throws Error on an unknown script name or a
// trainer past epoch 0. The CLI and the page get the same bytes for the same config.
std::vector<ExportedFile> export_script(const Trainer& t, const std::string& script);

// The same for a config (JSON text): a fresh trainer, then its files.
std::vector<ExportedFile> export_script(const std::string& config_json, const std::string& script);

}  // namespace nnplay
