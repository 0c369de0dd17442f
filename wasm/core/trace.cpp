// trace.cpp: Trainer::trace, its JSON form, and the CLI's sample list (see trace.h).
#include "trace.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "model_io.h"
#include "trainer.h"

namespace nnplay {
namespace {

using json = nlohmann::ordered_json;

// Refuses a replacement tensor of the wrong shape or with a non-finite entry.
void check_tensor(const Matrix& M, Eigen::Index rows, Eigen::Index cols, const std::string& name) {
  if (M.rows() != rows || M.cols() != cols)
    throw Error("trace: " + name + ": " + std::to_string(M.rows()) + " x " + std::to_string(M.cols()) +
                " is not allowed (" + std::to_string(rows) + " x " + std::to_string(cols) + ")");
  for (Eigen::Index i = 0; i < M.size(); ++i)
    if (!std::isfinite(M.data()[i]))
      throw Error("trace: " + name + ": entry " + std::to_string(i) + " is not a finite number");
}

}  // namespace

Trace Trainer::trace(const TraceRequest& r) const {
  const int m_train = data_->rows(false), n_in = net_.inputs(), n_out = net_.outputs();
  const size_t L = net_.layers().size();
  if (r.samples.empty() || r.samples.size() > size_t(kMaxTraceSamples))
    throw Error("trace: samples: " + std::to_string(r.samples.size()) + " samples is not allowed (1 to " +
                std::to_string(kMaxTraceSamples) + ")");
  for (int i : r.samples)
    if (i < 0 || i >= m_train)
      throw Error("trace: samples: " + std::to_string(i) + " is not allowed (a training sample, 0 to " +
                  std::to_string(m_train - 1) + ")");
  const int m = static_cast<int>(r.samples.size());
  Trace t;
  t.samples = r.samples;
  t.raw.resize(m, data_->raw_dims);
  t.X.resize(m, n_in);
  t.Y.resize(m, n_out);
  data_->raw_rows(false, r.samples.data(), 0, m, t.raw.data());
  gather_inputs(false, r.samples.data(), 0, m, t.X.data());
  for (int i = 0; i < m; ++i) t.Y.row(i) = Y_train_.row(r.samples[i]);
  if (r.X) check_tensor(*r.X, m, n_in, "X"), t.X = *r.X;
  if (r.Y) check_tensor(*r.Y, m, n_out, "Y"), t.Y = *r.Y;
  if (!r.W.empty() && r.W.size() != L)
    throw Error("trace: W: " + std::to_string(r.W.size()) + " layers is not allowed (all " + std::to_string(L) + ")");
  if (!r.b.empty() && r.b.size() != L)
    throw Error("trace: b: " + std::to_string(r.b.size()) + " layers is not allowed (all " + std::to_string(L) + ")");

  // Copies of the network (weights and optimizer state) and the optimizer: the trainer stays as it is.
  Network net = net_;
  for (size_t l = 0; l < L; ++l) {
    DenseLayer& D = net.layers()[l];
    const std::string k = std::to_string(l + 1);
    if (!r.W.empty()) check_tensor(r.W[l], D.inputs(), D.units(), "W" + k), D.W = r.W[l];
    if (!r.b.empty()) check_tensor(r.b[l], 1, D.units(), "b" + k), D.b = r.b[l];
  }
  Optimizer opt = opt_;

  // Forward, loss, backward: the training step's own calls (Trainer::train_batch).
  Workspace ws;
  const Scalar* A_L = net.forward(t.X.data(), m, ws);
  t.loss_name = loss_name(net.loss());
  t.loss = loss_sums(net.loss(), A_L, t.Y.data(), m, n_out).loss / m;
  std::vector<Matrix> dA;
  net.backward(t.X.data(), t.Y.data(), m, ws, config_.l2, config_.l1, &dA);
  t.l2 = config_.l2, t.l1 = config_.l1;
  t.objective = t.loss;
  for (size_t l = 0; l < L; ++l) {
    const DenseLayer& D = net.layers()[l];
    t.objective += 0.5 * config_.l2 * D.W.cast<double>().squaredNorm() + config_.l1 * D.W.cast<double>().cwiseAbs().sum();
    TraceLayer T;
    T.activation = activation_name(D.activation);
    T.W = D.W, T.b = D.b;
    T.Z = ws.Z[l].topRows(m), T.A = ws.A[l].topRows(m);
    T.dA = dA[l];
    T.dZ = ws.dZ[l].topRows(m);
    T.dW = D.dW, T.db = D.db;
    t.layers.push_back(std::move(T));
  }

  // The update: one optimizer step on the copies, state before and after.
  const OptimizerConfig& c = opt.config();
  t.optimizer = optimizer_name(c.kind);
  t.learning_rate = c.learning_rate, t.momentum = c.momentum, t.nesterov = c.nesterov;
  t.beta1 = c.beta1, t.beta2 = c.beta2, t.epsilon = c.epsilon;
  const auto names = optimizer_state_names(c.kind);
  std::vector<std::vector<std::pair<std::string, Matrix>>> before(L);
  for (size_t l = 0; l < L; ++l)
    for (const auto& [name, member] : names) {
      before[l].push_back({name + "_W_prev", net.layers()[l].sW.*member});
      before[l].push_back({name + "_b_prev", net.layers()[l].sb.*member});
    }
  opt.step(net.layers());
  const Optimizer::Counters k = opt.counters();
  t.t = k.t;
  t.bias_correction1 = 1.0 - k.b1_power, t.bias_correction2 = 1.0 - k.b2_power;
  for (size_t l = 0; l < L; ++l) {
    const DenseLayer& D = net.layers()[l];
    TraceUpdate U;
    U.W = D.W, U.b = D.b;
    for (const auto& [name, member] : names) {
      U.state.push_back({name + "_W", D.sW.*member});
      U.state.push_back({name + "_b", D.sb.*member});
    }
    if (c.kind == OptimizerKind::adam) {
      Matrix m_hat, v_hat;
      opt.adam_hats(D.sW, m_hat, v_hat);
      U.state.push_back({"m_hat_W", m_hat});
      U.state.push_back({"v_hat_W", v_hat});
      opt.adam_hats(D.sb, m_hat, v_hat);
      U.state.push_back({"m_hat_b", m_hat});
      U.state.push_back({"v_hat_b", v_hat});
    }
    for (auto& p : before[l]) U.state.push_back(std::move(p));
    t.update.push_back(std::move(U));
  }
  return t;
}

std::string trace_to_json(const Trace& t) {
  json layers = json::array();
  for (size_t l = 0; l < t.layers.size(); ++l) {
    const TraceLayer& T = t.layers[l];
    json j;
    j["layer"] = l + 1;
    j["activation"] = T.activation;
    j["W"] = rows_json(T.W);
    j["b"] = flat_json(T.b);
    j["Z"] = rows_json(T.Z);
    j["A"] = rows_json(T.A);
    j["dA"] = T.dA.size() ? json(rows_json(T.dA)) : json(nullptr);
    j["dZ"] = rows_json(T.dZ);
    j["dW"] = rows_json(T.dW);
    j["db"] = flat_json(T.db);
    layers.push_back(j);
  }
  json update_layers = json::array();
  for (size_t l = 0; l < t.update.size(); ++l) {
    const TraceUpdate& U = t.update[l];
    json j;
    j["layer"] = l + 1;
    j["W"] = rows_json(U.W);
    j["b"] = flat_json(U.b);
    for (const auto& [name, M] : U.state) j[name] = name.find("_b") != std::string::npos ? flat_json(M) : rows_json(M);
    update_layers.push_back(j);
  }
  json update;
  update["optimizer"] = t.optimizer;
  update["learning_rate"] = t.learning_rate;
  if (t.optimizer == "momentum") {
    update["momentum"] = t.momentum;
    update["nesterov"] = t.nesterov;
  }
  if (t.optimizer == "adam") {
    update["beta1"] = t.beta1;
    update["beta2"] = t.beta2;
    update["epsilon"] = t.epsilon;
    update["bias_correction1"] = t.bias_correction1;
    update["bias_correction2"] = t.bias_correction2;
  }
  update["t"] = t.t;
  update["layers"] = update_layers;
  json root;
  root["samples"] = t.samples;
  root["m"] = t.samples.size();
  root["raw"] = rows_json(t.raw);
  root["X"] = rows_json(t.X);
  root["Y"] = rows_json(t.Y);
  root["layers"] = layers;
  root["loss_name"] = t.loss_name;
  root["loss"] = t.loss;
  root["l2"] = t.l2;
  root["l1"] = t.l1;
  root["objective"] = t.objective;
  root["update"] = update;
  return root.dump();
}

std::vector<int> parse_sample_list(const std::string& text, const std::string& what) {
  std::vector<int> out;
  size_t i = 0;
  while (i <= text.size()) {
    const size_t j = std::min(text.find(',', i), text.size());
    const std::string part = text.substr(i, j - i);
    if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos)
      throw Error(what + ": \"" + text + "\" is not allowed (sample numbers separated by commas, e.g. 0,5)");
    out.push_back(std::stoi(part));
    i = j + 1;
  }
  return out;
}

}  // namespace nnplay
