// config.cpp: JSON -> Config with validation, and back. Uses nlohmann-json (Debian's package).
#include "config.h"

#include <nlohmann/json.hpp>
#include <cmath>
#include <set>

#include "errors.h"
#include "json_limits.h"

namespace nnplay {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& field, const json& value, const std::string& allowed) {
  // The value as JSON (one line, control characters escaped), cut to a readable length.
  throw Error("config: " + field + ": " + shorten(value.dump()) + " is not allowed (" + allowed + ")");
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

// Refuses fields that are not in `known`, so a typo never silently falls back to a default.
void check_fields(const json& obj, const std::string& where, const std::vector<std::string>& known) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end())
      throw Error("config: " + where + (where.empty() ? "" : ".") + one_line(it.key()) + ": unknown field (allowed: " +
                  join(known) + ")");
}

const json* field(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

json object_at(const json& obj, const char* key, const std::string& name) {
  const json* v = field(obj, key);
  if (!v) return json::object();
  if (!v->is_object()) fail(name, *v, "an object");
  return *v;
}

void read_number(const json& obj, const char* key, const std::string& name, double& out, double lo, double hi,
                 bool lo_open, bool hi_open, const std::string& allowed) {
  const json* v = field(obj, key);
  if (!v) return;
  if (!v->is_number()) fail(name, *v, allowed);
  const double x = v->get<double>();
  const bool ok = (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
  if (!ok) fail(name, *v, allowed);
  out = x;
}

template <typename Int>
void read_int(const json& obj, const char* key, const std::string& name, Int& out, long long lo, long long hi) {
  const json* v = field(obj, key);
  if (!v) return;
  const std::string allowed = "an integer " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!v->is_number()) fail(name, *v, allowed);
  const double x = v->get<double>();
  // Range first: casting a double beyond long long's range would be undefined behaviour.
  if (!(x >= double(lo) && x <= double(hi)) || x != std::floor(x)) fail(name, *v, allowed);
  out = static_cast<Int>(static_cast<long long>(x));
}

void read_bool(const json& obj, const char* key, const std::string& name, bool& out) {
  const json* v = field(obj, key);
  if (!v) return;
  if (!v->is_boolean()) fail(name, *v, "true or false");
  out = v->get<bool>();
}

template <typename Enum>
void read_enum(const json& obj, const char* key, const std::string& name, Enum& out,
               const std::vector<std::string>& names, bool (*parse)(const std::string&, Enum&)) {
  const json* v = field(obj, key);
  if (!v) return;
  if (!v->is_string() || !parse(v->get<std::string>(), out)) fail(name, *v, "one of " + join(names));
}

bool parse_name(const std::vector<std::string>& names, const std::string& s, std::string& out) {
  if (std::find(names.begin(), names.end(), s) == names.end()) return false;
  out = s;
  return true;
}

}  // namespace

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names = {"circle", "xor",   "gaussians", "spiral",       "moons",
                                                 "sine",   "plane", "csv",       "random", "fashion_mnist"};
  return names;
}
bool is_planar_dataset(const std::string& name) {
  return name == "circle" || name == "xor" || name == "gaussians" || name == "spiral" || name == "moons" ||
         name == "sine" || name == "plane";
}
const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> names = {"x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"};
  return names;
}

Config parse_config(const std::string& json_text) {
  check_json_limits(json_text, "config", kMaxConfigBytes);  // before parsing: size and nesting
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& e) {  // a syntax error, or a number beyond double's range
    throw Error("config: not valid JSON (" + one_line(e.what(), 160) + ")");
  }
  if (!root.is_object()) fail("(top level)", root, "a JSON object");
  check_fields(root, "", {"dataset", "network", "loss", "init", "optimizer", "batch_size", "epochs", "l2", "seed",
                          "shuffle", "l1" /* teachcore */});
  Config c;

  const json d = object_at(root, "dataset", "dataset");
  check_fields(d, "dataset", {"name", "samples", "noise", "test_ratio", "seed", "arms", "inputs", "classes", "csv",
                              "target", "task", "standardize"});
  DatasetConfig& dc = c.dataset;
  if (const json* v = field(d, "name"))
    if (!v->is_string() || !parse_name(dataset_names(), v->get<std::string>(), dc.name))
      fail("dataset.name", *v, "one of " + join(dataset_names()));
  read_int(d, "samples", "dataset.samples", dc.samples, 10, kMaxSamples);
  read_number(d, "noise", "dataset.noise", dc.noise, 0, 5, false, false, "a number 0 to 5");
  read_number(d, "test_ratio", "dataset.test_ratio", dc.test_ratio, 0, 0.9, false, false, "a number 0 to 0.9");
  read_int(d, "seed", "dataset.seed", dc.seed, 0, 4294967295LL);
  read_int(d, "arms", "dataset.arms", dc.arms, 2, 8);
  read_int(d, "inputs", "dataset.inputs", dc.inputs, 1, 4096);
  read_int(d, "classes", "dataset.classes", dc.classes, 2, 100);
  if (const json* v = field(d, "csv")) {
    if (!v->is_string()) fail("dataset.csv", *v, "the CSV text as a string");
    dc.csv = v->get<std::string>();
  }
  if (const json* v = field(d, "target")) {
    if (!v->is_string()) fail("dataset.target", *v, "a column name");
    dc.target = v->get<std::string>();
  }
  if (const json* v = field(d, "task"))
    if (!v->is_string() || !parse_name({"auto", "classification", "regression"}, v->get<std::string>(), dc.task))
      fail("dataset.task", *v, "one of auto, classification, regression");
  read_bool(d, "standardize", "dataset.standardize", dc.standardize);
  if (dc.name == "fashion_mnist") dc.standardize = false;  // pixels are scaled to [0, 1] instead
  for (const char* key : {"inputs", "classes"})
    if (dc.name != "random" && field(d, key))
      throw Error("config: dataset." + std::string(key) + ": only allowed with dataset.name \"random\"");
  if (dc.name == "csv" && dc.csv.empty())
    throw Error("config: dataset.csv: missing (the csv dataset needs the CSV text)");
  if (dc.name != "csv" && (field(d, "csv") || field(d, "target")))
    throw Error("config: dataset." + std::string(field(d, "csv") ? "csv" : "target") +
                ": only allowed with dataset.name \"csv\"");

  const json n = object_at(root, "network", "network");
  check_fields(n, "network", {"features", "layers"});
  if (const json* v = field(n, "features")) {
    if (!v->is_array() || v->empty()) fail("network.features", *v, "a non-empty list of " + join(feature_names()));
    std::set<std::string> seen;
    for (size_t i = 0; i < v->size(); ++i) {
      const json& f = (*v)[i];
      std::string name;
      const std::string where = "network.features[" + std::to_string(i) + "]";
      if (!f.is_string() || !parse_name(feature_names(), f.get<std::string>(), name))
        fail(where, f, "one of " + join(feature_names()));
      if (!seen.insert(name).second) fail(where, f, "each feature once");
      c.features.push_back(name);
    }
    if (!is_planar_dataset(dc.name))
      throw Error("config: network.features: not allowed with the " + dc.name + " dataset (its columns are the features)");
  }
  if (const json* v = field(n, "layers")) {
    const std::string allowed = "a list of 1 to " + std::to_string(kMaxLayers) + " layers, the last one the output";
    if (!v->is_array() || v->empty() || v->size() > size_t(kMaxLayers)) fail("network.layers", *v, allowed);
    c.layers.clear();
    for (size_t i = 0; i < v->size(); ++i) {
      const json& lj = (*v)[i];
      const std::string where = "network.layers[" + std::to_string(i) + "]";
      if (!lj.is_object()) fail(where, lj, "an object with units and activation");
      check_fields(lj, where, {"units", "activation"});
      LayerConfig lc;
      lc.units = 0;
      if (!field(lj, "units")) throw Error("config: " + where + ".units: missing (an integer 1 to " +
                                           std::to_string(kMaxUnits) + ")");
      read_int(lj, "units", where + ".units", lc.units, 1, kMaxUnits);
      if (!field(lj, "activation")) throw Error("config: " + where + ".activation: missing (one of " +
                                                join(activation_names()) + ")");
      read_enum(lj, "activation", where + ".activation", lc.activation, activation_names(), parse_activation);
      if (lc.activation == Activation::softmax && i + 1 != v->size())
        throw Error("config: " + where + ".activation: \"softmax\" is not allowed in a hidden layer (only as the "
                    "output layer, fused with cce)");
      c.layers.push_back(lc);
    }
  }

  read_enum(root, "loss", "loss", c.loss, loss_names(), parse_loss);
  read_enum(root, "init", "init", c.init, init_names(), parse_init);

  const json o = object_at(root, "optimizer", "optimizer");
  check_fields(o, "optimizer", {"name", "learning_rate", "momentum", "nesterov", "beta1", "beta2", "epsilon"});
  OptimizerConfig& oc = c.optimizer;
  read_enum(o, "name", "optimizer.name", oc.kind, optimizer_names(), parse_optimizer);
  read_number(o, "learning_rate", "optimizer.learning_rate", oc.learning_rate, 0, 10, true, false,
              "a number > 0 and <= 10");
  read_number(o, "momentum", "optimizer.momentum", oc.momentum, 0, 1, false, true, "a number >= 0 and < 1");
  read_bool(o, "nesterov", "optimizer.nesterov", oc.nesterov);
  read_number(o, "beta1", "optimizer.beta1", oc.beta1, 0, 1, false, true, "a number >= 0 and < 1");
  read_number(o, "beta2", "optimizer.beta2", oc.beta2, 0, 1, false, true, "a number >= 0 and < 1");
  read_number(o, "epsilon", "optimizer.epsilon", oc.epsilon, 0, 1, true, false, "a number > 0 and <= 1");

  read_int(root, "batch_size", "batch_size", c.batch_size, 0, kMaxSamples);
  read_int(root, "epochs", "epochs", c.epochs, 1, kMaxEpochs);
  read_number(root, "l2", "l2", c.l2, 0, 1, false, false, "a number 0 to 1");
  read_number(root, "l1", "l1", c.l1, 0, 1, false, false, "a number 0 to 1");  // teachcore: L1 penalty
  read_int(root, "seed", "seed", c.seed, 0, 4294967295LL);
  read_bool(root, "shuffle", "shuffle", c.shuffle);

  // Output activation and loss must form a pair nnplay differentiates exactly.
  const Activation out = c.layers.back().activation;
  const std::string out_field = "network.layers[" + std::to_string(c.layers.size() - 1) + "].activation";
  if (out == Activation::softmax && c.loss == Loss::bce)  // teachcore: softmax with mse is allowed
    throw Error("config: loss: \"bce\" is not allowed with a softmax output (softmax pairs with cce or mse; use "
                "one of those, or another output activation)");
  if (c.loss == Loss::cce && out != Activation::softmax)
    throw Error("config: " + out_field + ": \"" + activation_name(out) + "\" is not allowed with cce (cce needs a "
                "softmax output)");
  if (c.loss == Loss::bce && out != Activation::sigmoid)
    throw Error("config: " + out_field + ": \"" + activation_name(out) + "\" is not allowed with bce (bce needs a "
                "sigmoid output)");
  if (c.loss == Loss::bce && c.layers.back().units != 1)
    throw Error("config: network.layers[" + std::to_string(c.layers.size() - 1) + "].units: " +
                std::to_string(c.layers.back().units) + " is not allowed with bce (bce needs 1 output unit; for k "
                "classes use softmax with cce)");
  return c;
}

std::string config_to_json(const Config& c) {
  json d = {{"name", c.dataset.name},   {"samples", c.dataset.samples}, {"noise", c.dataset.noise},
            {"test_ratio", c.dataset.test_ratio}, {"seed", c.dataset.seed}, {"arms", c.dataset.arms},
            {"task", c.dataset.task}, {"standardize", c.dataset.standardize}};
  if (c.dataset.name == "random") {
    d["inputs"] = c.dataset.inputs;
    d["classes"] = c.dataset.classes;
  }
  if (c.dataset.name == "csv") {
    d["csv"] = c.dataset.csv;
    if (!c.dataset.target.empty()) d["target"] = c.dataset.target;
  }
  json layers = json::array();
  for (const LayerConfig& l : c.layers) layers.push_back({{"units", l.units}, {"activation", activation_name(l.activation)}});
  json net = {{"layers", layers}};
  if (!c.features.empty()) net["features"] = c.features;
  const OptimizerConfig& o = c.optimizer;
  json opt = {{"name", optimizer_name(o.kind)}, {"learning_rate", o.learning_rate}, {"momentum", o.momentum},
              {"nesterov", o.nesterov}, {"beta1", o.beta1}, {"beta2", o.beta2}, {"epsilon", o.epsilon}};
  json root = {{"dataset", d}, {"network", net}, {"loss", loss_name(c.loss)}, {"init", init_name(c.init)},
               {"optimizer", opt}, {"batch_size", c.batch_size}, {"epochs", c.epochs}, {"l2", c.l2},
               {"seed", c.seed}, {"shuffle", c.shuffle}};
  // teachcore: written only when set, so pages and files that predate l1 keep reading the output.
  if (c.l1 != 0) root["l1"] = c.l1;
  return root.dump();
}

}  // namespace nnplay
