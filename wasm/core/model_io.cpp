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

// The optional "training" section (teachcore), written and read at the end of this file.
json training_to_json(const Model& model);
TrainingState training_from_json(const json& j, Network& net);

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
  if (!model.data.empty()) root["data"] = json::parse(model.data);
  if (model.training) root["training"] = training_to_json(model);  // teachcore
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
  if ((loss == Loss::cce && out != Activation::softmax) || (loss == Loss::bce && (out != Activation::sigmoid || units.back() != 1)))
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
  if (root.contains("training")) model.training = training_from_json(root["training"], model.net);  // teachcore
  if (root.contains("data") && root["data"].is_object()) model.data = root["data"].dump();  // only ever compared
  return model;
}

// ---- the training state (teachcore) -----------------------------------------------------------

std::vector<std::pair<std::string, Matrix ParamState::*>> optimizer_state_names(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::sgd: return {};
    case OptimizerKind::momentum: return {{"v", &ParamState::m}};  // the velocity is kept in ParamState::m
    case OptimizerKind::adam: return {{"m", &ParamState::m}, {"v", &ParamState::v}};
  }
  return {};
}

json rows_json(const Matrix& M) {
  json out = json::array();
  for (Eigen::Index r = 0; r < M.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < M.cols(); ++c) row.push_back(double(M(r, c)));
    out.push_back(row);
  }
  return out;
}

json flat_json(const Matrix& M) {
  json out = json::array();
  for (Eigen::Index i = 0; i < M.size(); ++i) out.push_back(double(M.data()[i]));
  return out;
}

namespace {

json training_to_json(const Model& model) {
  const TrainingState& s = *model.training;
  OptimizerKind kind = OptimizerKind::sgd;
  parse_optimizer(s.optimizer, kind);
  json layers = json::array();
  for (const DenseLayer& L : model.net.layers()) {
    json l = json::object();
    for (const auto& [name, member] : optimizer_state_names(kind)) {
      l[name + "_W"] = rows_json(L.sW.*member);
      l[name + "_b"] = flat_json(L.sb.*member);
    }
    layers.push_back(l);
  }
  json partial = {{"loss_sum", s.loss_sum}, {"reference_sum", s.reference_sum}, {"correct", s.correct},
                  {"batches", s.batches}, {"rms_sum", s.rms_sum}};
  return {{"optimizer", s.optimizer}, {"t", s.t}, {"b1_power", s.b1_power}, {"b2_power", s.b2_power},
          {"epoch", s.epoch}, {"rng", {s.rng.s[0], s.rng.s[1], s.rng.s[2], s.rng.s[3]}},
          {"rng_spare", s.rng.spare}, {"rng_has_spare", s.rng.has_spare}, {"order", s.order},
          {"position", s.position}, {"partial", partial}, {"layers", layers}};
}

long long integer(const json& obj, const char* key, long long lo, long long hi) {
  const std::string field = std::string("training.") + key;
  const json& v = need(obj, key, "training.");
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
    fail(field, v.dump() + " is not allowed (an integer " + std::to_string(lo) + " to " + std::to_string(hi) + ")");
  return v.get<long long>();
}

double finite(const json& obj, const char* key, const std::string& where) {
  const json& v = need(obj, key, where);
  if (!v.is_number() || !std::isfinite(v.get<double>())) fail(where + key, v.dump() + " is not allowed (a finite number)");
  return v.get<double>();
}

TrainingState training_from_json(const json& j, Network& net) {
  if (!j.is_object()) fail("training", "not an object");
  TrainingState s;
  const json& opt = need(j, "optimizer", "training.");
  OptimizerKind kind;
  if (!opt.is_string() || !parse_optimizer(opt.get<std::string>(), kind))
    fail("training.optimizer", opt.dump() + " is not allowed (one of sgd, momentum, adam)");
  s.optimizer = opt.get<std::string>();
  s.t = static_cast<long>(integer(j, "t", 0, 1LL << 50));
  s.b1_power = finite(j, "b1_power", "training.");
  s.b2_power = finite(j, "b2_power", "training.");
  if (!(s.b1_power >= 0 && s.b1_power <= 1) || !(s.b2_power >= 0 && s.b2_power <= 1))
    fail("training.b1_power", "b1_power and b2_power must be 0 to 1");
  s.epoch = static_cast<int>(integer(j, "epoch", 0, 2000000000));
  const json& rng = need(j, "rng", "training.");
  if (!rng.is_array() || rng.size() != 4) fail("training.rng", rng.dump() + " is not allowed (4 unsigned 32-bit integers)");
  for (int i = 0; i < 4; ++i) {
    if (!rng[i].is_number_unsigned() || rng[i].get<unsigned long long>() > 0xFFFFFFFFull)
      fail("training.rng", rng.dump() + " is not allowed (4 unsigned 32-bit integers)");
    s.rng.s[i] = static_cast<uint32_t>(rng[i].get<unsigned long long>());
  }
  s.rng.spare = finite(j, "rng_spare", "training.");
  const json& has = need(j, "rng_has_spare", "training.");
  if (!has.is_boolean()) fail("training.rng_has_spare", has.dump() + " is not allowed (true or false)");
  s.rng.has_spare = has.get<bool>();
  const json& order = need(j, "order", "training.");
  if (!order.is_array()) fail("training.order", "not a list");
  std::vector<char> seen(order.size(), 0);
  for (size_t i = 0; i < order.size(); ++i) {
    const json& v = order[i];
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() >= (long long)order.size() ||
        seen[v.get<size_t>()]++)
      fail("training.order[" + std::to_string(i) + "]", v.dump() + " is not allowed (a permutation of 0 to " +
                                                            std::to_string(order.size()) + " - 1)");
    s.order.push_back(v.get<int>());
  }
  s.position = static_cast<int>(integer(j, "position", 0, order.empty() ? 0 : (long long)order.size() - 1));
  const json& partial = need(j, "partial", "training.");
  if (!partial.is_object()) fail("training.partial", "not an object");
  s.loss_sum = finite(partial, "loss_sum", "training.partial.");
  s.reference_sum = finite(partial, "reference_sum", "training.partial.");
  s.correct = static_cast<int>(finite(partial, "correct", "training.partial."));
  s.batches = static_cast<int>(finite(partial, "batches", "training.partial."));
  s.rms_sum = numbers(need(partial, "rms_sum", "training.partial."), "training.partial.rms_sum", net.layers().size());
  const json& layers = need(j, "layers", "training.");
  if (!layers.is_array() || layers.size() != net.layers().size())
    fail("training.layers", "is not allowed (one entry per layer, " + std::to_string(net.layers().size()) + ")");
  Optimizer fresh(OptimizerConfig{kind});
  fresh.reset(net.layers());  // sizes the state tensors for this kind
  for (size_t l = 0; l < layers.size(); ++l) {
    DenseLayer& L = net.layers()[l];
    const std::string where = "training.layers[" + std::to_string(l) + "].";
    for (const auto& [name, member] : optimizer_state_names(kind)) {
      const json& W = need(layers[l], (name + "_W").c_str(), where);
      if (!W.is_array() || W.size() != size_t(L.inputs()))
        fail(where + name + "_W", "is not allowed (" + std::to_string(L.inputs()) + " rows, the shape of W)");
      Matrix& S = L.sW.*member;
      for (int r = 0; r < L.inputs(); ++r) {
        const std::vector<double> row = numbers(W[r], where + name + "_W[" + std::to_string(r) + "]", L.units());
        for (int c = 0; c < L.units(); ++c) S(r, c) = static_cast<Scalar>(row[c]);
      }
      const std::vector<double> b = numbers(need(layers[l], (name + "_b").c_str(), where), where + name + "_b", L.units());
      for (int c = 0; c < L.units(); ++c) (L.sb.*member)(0, c) = static_cast<Scalar>(b[c]);
    }
  }
  return s;
}

}  // namespace

}  // namespace nnplay
