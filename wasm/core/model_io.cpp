// model_io.cpp: model file write and validated read (see model_io.h).
#include "model_io.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "json_limits.h"

namespace nnplay {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& field, const std::string& what) { throw Error("model: " + field + ": " + what); }

const json& need(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) fail(where + key, "missing");
  return *it;
}

std::vector<std::string> strings(const json& v, const std::string& field) {
  if (!v.is_array()) fail(field, shorten(v.dump()) + " is not allowed (a list of strings)");
  std::vector<std::string> out;
  for (const json& s : v) {
    if (!s.is_string()) fail(field, shorten(v.dump()) + " is not allowed (a list of strings)");
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::vector<double> numbers(const json& v, const std::string& field, size_t n) {
  if (!v.is_array() || v.size() != n)
    fail(field, (v.is_array() ? std::to_string(v.size()) + " numbers" : shorten(v.dump())) + " is not allowed (a list of " +
                    std::to_string(n) + " numbers)");
  std::vector<double> out;
  for (size_t i = 0; i < n; ++i) {
    // Finite as the float the network holds, too (1e300 is a finite double but an infinite float).
    if (!v[i].is_number() || !std::isfinite(v[i].get<double>()) || !std::isfinite(static_cast<Scalar>(v[i].get<double>())))
      fail(field + "[" + std::to_string(i) + "]", shorten(v[i].dump()) + " is not allowed (a finite number)");
    out.push_back(v[i].get<double>());
  }
  return out;
}

}  // namespace

std::string model_to_json(const Model& model) {
  json layers = json::array();
  for (const DenseLayer& L : model.net.layers()) {
    json W = json::array();
    for (int r = 0; r < L.inputs(); ++r) {
      json row = json::array();
      for (int c = 0; c < L.units(); ++c) row.push_back(double(L.W(r, c)));
      W.push_back(row);
    }
    json b = json::array();
    for (int c = 0; c < L.units(); ++c) b.push_back(double(L.b(c)));
    layers.push_back({{"units", L.units()}, {"activation", activation_name(L.activation)}, {"W", W}, {"b", b}});
  }
  json inputs = {{"raw", model.raw_names}, {"features", model.features.features}};
  if (!model.features.mean.empty()) {
    inputs["mean"] = model.features.mean;
    inputs["std"] = model.features.std;
  }
  json root = {{"format", "nnplay-model"}, {"version", 1},       {"task", model.task},
               {"classes", model.classes}, {"loss", loss_name(model.net.loss())}, {"inputs", inputs},
               {"layers", layers}};
  return root.dump();
}

Model model_from_json(const std::string& text) {
  check_json_limits(text, "model", kMaxModelBytes);  // before parsing: size and nesting
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {  // a syntax error, or a number beyond double's range
    throw Error("model: not valid JSON (" + one_line(e.what(), 160) + ")");
  }
  if (!root.is_object()) fail("(top level)", "not a JSON object");
  const json& format = need(root, "format", "");
  if (format != "nnplay-model") fail("format", shorten(format.dump()) + " is not allowed (\"nnplay-model\")");
  const json& version = need(root, "version", "");
  if (version != 1) fail("version", shorten(version.dump()) + " is not allowed (1; this nnplay reads version 1)");
  Model model;
  const json& task = need(root, "task", "");
  if (task != "classification" && task != "regression")
    fail("task", shorten(task.dump()) + " is not allowed (\"classification\" or \"regression\")");
  model.task = task.get<std::string>();
  model.classes = strings(need(root, "classes", ""), "classes");
  const json& loss_j = need(root, "loss", "");
  Loss loss;
  if (!loss_j.is_string() || !parse_loss(loss_j.get<std::string>(), loss))
    fail("loss", shorten(loss_j.dump()) + " is not allowed (one of mse, bce, cce)");

  const json& in = need(root, "inputs", "");
  if (!in.is_object()) fail("inputs", "not an object");
  model.raw_names = strings(need(in, "raw", "inputs."), "inputs.raw");
  if (model.raw_names.empty()) fail("inputs.raw", "[] is not allowed (at least one input)");
  FeatureMap& f = model.features;
  f.raw_dims = static_cast<int>(model.raw_names.size());
  f.features = strings(need(in, "features", "inputs."), "inputs.features");
  for (size_t j = 0; j < f.features.size(); ++j) {
    const auto& names = feature_names();
    if (std::find(names.begin(), names.end(), f.features[j]) == names.end())
      fail("inputs.features[" + std::to_string(j) + "]", quote(f.features[j]) + " is not a known feature");
    if (f.raw_dims < 2 && f.features[j].find("x2") != std::string::npos)
      fail("inputs.features[" + std::to_string(j) + "]", quote(f.features[j]) + " needs two raw inputs");
  }
  if (in.contains("mean") || in.contains("std")) {
    f.mean = numbers(need(in, "mean", "inputs."), "inputs.mean", f.inputs());
    f.std = numbers(need(in, "std", "inputs."), "inputs.std", f.inputs());
    for (size_t j = 0; j < f.std.size(); ++j)
      if (!(f.std[j] > 0)) fail("inputs.std[" + std::to_string(j) + "]", "must be > 0");
  }

  const json& layers = need(root, "layers", "");
  if (!layers.is_array() || layers.empty() || layers.size() > size_t(kMaxLayers))
    fail("layers", "is not allowed (a list of 1 to " + std::to_string(kMaxLayers) + " layers)");
  std::vector<int> units;
  std::vector<Activation> acts;
  for (size_t l = 0; l < layers.size(); ++l) {
    const std::string where = "layers[" + std::to_string(l) + "]";
    const json& L = layers[l];
    if (!L.is_object()) fail(where, "not an object");
    const json& u = need(L, "units", where + ".");
    if (!u.is_number_integer() || u.get<long long>() < 1 || u.get<long long>() > kMaxUnits)
      fail(where + ".units", shorten(u.dump()) + " is not allowed (an integer 1 to " + std::to_string(kMaxUnits) + ")");
    const json& a = need(L, "activation", where + ".");
    Activation act;
    if (!a.is_string() || !parse_activation(a.get<std::string>(), act))
      fail(where + ".activation", shorten(a.dump()) + " is not allowed (one of relu, leaky_relu, sigmoid, tanh, softmax, linear)");
    if (act == Activation::softmax && l + 1 != layers.size()) fail(where + ".activation", "softmax only as the output layer");
    units.push_back(u.get<int>());
    acts.push_back(act);
  }
  const Activation out = acts.back();
  if ((loss == Loss::cce) != (out == Activation::softmax) || (loss == Loss::bce && (out != Activation::sigmoid || units.back() != 1)))
    fail("loss", "\"" + loss_name(loss) + "\" is not allowed with a " + std::to_string(units.back()) + "-unit " +
                     activation_name(out) + " output (softmax pairs with cce, bce with one sigmoid unit)");
  if (model.task == "classification" && units.back() != 1 && units.back() != int(model.classes.size()))
    fail("layers[" + std::to_string(units.size() - 1) + "].units",
         std::to_string(units.back()) + " is not allowed (1 or the number of classes, " +
             std::to_string(model.classes.size()) + ")");

  model.net = Network(f.inputs(), units, acts, loss);
  for (size_t l = 0; l < layers.size(); ++l) {
    DenseLayer& L = model.net.layers()[l];
    const std::string where = "layers[" + std::to_string(l) + "]";
    const json& W = need(layers[l], "W", where + ".");
    const std::string expect = std::to_string(L.inputs()) + (l == 0 ? ", the network's inputs" : ", the units of layers[" + std::to_string(l - 1) + "]");
    if (!W.is_array() || W.size() != size_t(L.inputs()))
      fail(where + ".W", (W.is_array() ? std::to_string(W.size()) + " rows" : shorten(W.dump())) + " is not allowed (" + expect + ")");
    for (int r = 0; r < L.inputs(); ++r) {
      const std::vector<double> row = numbers(W[r], where + ".W[" + std::to_string(r) + "]", L.units());
      for (int c = 0; c < L.units(); ++c) L.W(r, c) = static_cast<Scalar>(row[c]);
    }
    const std::vector<double> b = numbers(need(layers[l], "b", where + "."), where + ".b", L.units());
    for (int c = 0; c < L.units(); ++c) L.b(c) = static_cast<Scalar>(b[c]);
  }
  return model;
}

}  // namespace nnplay
