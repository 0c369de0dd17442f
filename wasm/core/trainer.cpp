// trainer.cpp: the training loop (mini-batches, shuffling, metrics), evaluation, prediction,
// model import/export and the gradient check (see trainer.h).
#include "trainer.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "errors.h"

namespace nnplay {
namespace {

// Samples whose predicted class equals the true one. One output: a >= 0.5 means class 1;
// several: the first largest output is the class.
int count_correct(const Scalar* A, const Scalar* Y, int m, int n) {
  int correct = 0;
  for (int i = 0; i < m; ++i) {
    const Scalar* a = A + size_t(i) * n;
    const Scalar* y = Y + size_t(i) * n;
    if (n == 1) {
      correct += (a[0] >= Scalar(0.5)) == (y[0] >= Scalar(0.5));
    } else {
      int ka = 0, ky = 0;
      for (int j = 1; j < n; ++j) {
        if (a[j] > a[ka]) ka = j;
        if (y[j] > y[ky]) ky = j;
      }
      correct += ka == ky;
    }
  }
  return correct;
}

std::string layer_field(size_t l, const char* what) { return "network.layers[" + std::to_string(l) + "]." + what; }

}  // namespace

std::string metrics_to_json(const EpochMetrics& m) {
  nlohmann::ordered_json j;
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr); };
  j["epoch"] = m.epoch;
  j["loss"] = m.loss;
  j["accuracy"] = opt(m.accuracy);
  j["test_loss"] = opt(m.test_loss);
  j["test_accuracy"] = opt(m.test_accuracy);
  j["seconds"] = m.seconds;
  return j.dump();
}

Trainer::Trainer(const std::string& config_json) : config_(parse_config(config_json)) {
  setup(make_dataset(config_.dataset));
}
Trainer::Trainer(const Config& config) : config_(config) { setup(make_dataset(config_.dataset)); }
Trainer::Trainer(const Config& config, Dataset data) : config_(config) { setup(std::move(data)); }

void Trainer::setup(Dataset data) {
  const Config& c = config_;
  data_ = std::move(data);
  const bool classify = data_.task == "classification";
  const size_t last = c.layers.size() - 1;
  const int outputs = c.layers.back().units;
  // The output layer and loss must fit the data.
  if (!classify && c.loss != Loss::mse)
    throw Error("config: loss: \"" + loss_name(c.loss) + "\" is not allowed with the " + data_.name +
                " dataset (it is regression: use mse)");
  if (!classify && outputs != 1)
    throw Error("config: " + layer_field(last, "units") + ": " + std::to_string(outputs) +
                " is not allowed (the " + data_.name + " dataset has 1 target: use 1)");
  if (classify && c.loss == Loss::bce && data_.classes != 2)
    throw Error("config: loss: \"bce\" is not allowed with " + std::to_string(data_.classes) +
                " classes (bce is binary: use softmax with cce and " + std::to_string(data_.classes) + " units)");
  if (classify && outputs != data_.classes && !(outputs == 1 && data_.classes == 2))
    throw Error("config: " + layer_field(last, "units") + ": " + std::to_string(outputs) + " is not allowed (the " +
                data_.name + " dataset has " + std::to_string(data_.classes) + " classes: use " +
                std::to_string(data_.classes) + (data_.classes == 2 ? ", or 1 with a sigmoid" : "") + ")");
  if (data_.raw_train.rows() < 1)
    throw Error("config: dataset.test_ratio: " + nlohmann::json(c.dataset.test_ratio).dump() +
                " is not allowed here (it leaves no training samples)");

  features_ = make_feature_map(c, data_);
  std::vector<int> units;
  std::vector<Activation> acts;
  for (const LayerConfig& l : c.layers) units.push_back(l.units), acts.push_back(l.activation);
  net_ = Network(features_.inputs(), units, acts, c.loss);
  Rng init_rng(c.seed);
  for (DenseLayer& L : net_.layers()) init_weights(c.init, L.W, init_rng);
  opt_ = Optimizer(c.optimizer);
  opt_.reset(net_.layers());
  shuffle_rng_ = Rng(uint64_t(c.seed) + 0x100000000ull);  // its own stream, apart from the init's

  const int m_train = static_cast<int>(data_.raw_train.rows());
  order_.resize(m_train);
  for (int i = 0; i < m_train; ++i) order_[i] = i;
  batch_ = c.batch_size == 0 || c.batch_size > m_train ? m_train : c.batch_size;
  prepare_buffers();
  epoch_ = 0;
  pos_ = 0;
  rms_sum_.assign(net_.layers().size(), 0.0);
}

// Network inputs and targets of both splits from the feature map and the output layer, and the
// mini-batch buffers: everything that follows from features_ and net_ (new run or imported model).
void Trainer::prepare_buffers() {
  const bool classify = data_.task == "classification";
  const int outputs = net_.outputs();
  const int m_train = static_cast<int>(data_.raw_train.rows()), m_test = static_cast<int>(data_.raw_test.rows());
  X_train_.resize(m_train, features_.inputs());
  features_.apply(data_.raw_train.data(), m_train, X_train_.data());
  X_test_.resize(m_test, features_.inputs());
  if (m_test) features_.apply(data_.raw_test.data(), m_test, X_test_.data());
  Y_train_ = encode_targets(data_.target_train, outputs, classify);
  Y_test_ = encode_targets(data_.target_test, outputs, classify);
  Xb_.resize(batch_, features_.inputs());
  Yb_.resize(batch_, outputs);
  net_.reserve(train_ws_, batch_);
}

// One epoch is its mini-batches, stepped by train_batch until the epoch completes.
EpochMetrics Trainer::train_epoch() {
  BatchResult r;
  do r = train_batch(); while (!r.finished);
  return *r.finished;
}

// One mini-batch: gather its rows (in this epoch's order), forward, loss, backward, update. The
// epoch's metrics are sums kept across calls, so batch-by-batch stepping ends an epoch with exactly
// the numbers of train_epoch.
BatchResult Trainer::train_batch() {
  const auto start = std::chrono::steady_clock::now();
  const int m = static_cast<int>(X_train_.rows()), n_in = net_.inputs(), n_out = net_.outputs();
  const bool classify = data_.task == "classification";
  const size_t L = net_.layers().size();
  if (pos_ == 0) {  // a new epoch
    if (config_.shuffle) shuffle_rng_.shuffle(order_);
    loss_sum_ = reference_sum_ = seconds_ = 0;
    correct_ = batches_ = 0;
    rms_sum_.assign(L, 0.0);
  }
  const int start_row = pos_;
  const int mb = start_row + batch_ <= m ? batch_ : m - start_row;
  for (int i = 0; i < mb; ++i) {
    const int r = order_[start_row + i];
    std::copy_n(X_train_.data() + size_t(r) * n_in, n_in, Xb_.data() + size_t(i) * n_in);
    std::copy_n(Y_train_.data() + size_t(r) * n_out, n_out, Yb_.data() + size_t(i) * n_out);
  }
  const Scalar* A = net_.forward(Xb_.data(), mb, train_ws_);
  const LossSums s = loss_sums(net_.loss(), A, Yb_.data(), mb, n_out);
  loss_sum_ += s.loss / mb;
  reference_sum_ += s.reference / mb;
  if (classify) correct_ += count_correct(A, Yb_.data(), mb, n_out);
  ++batches_;
  net_.backward(Xb_.data(), Yb_.data(), mb, train_ws_, config_.l2, config_.l1);
  // Gradient flow: RMS of each layer's dW = sqrt(sum dW^2 / size), summed in order in double.
  for (size_t l = 0; l < L; ++l) {
    const Matrix& dW = net_.layers()[l].dW;
    double sq = 0;
    for (Eigen::Index i = 0; i < dW.size(); ++i) sq += double(dW.data()[i]) * double(dW.data()[i]);
    rms_sum_[l] += std::sqrt(sq / double(dW.size()));
  }
  opt_.step(net_.layers());
  pos_ += mb;

  BatchResult r;
  r.epoch = epoch_ + 1;
  r.position = pos_;
  r.samples = mb;
  r.loss = s.loss / mb;
  if (pos_ >= m) {
    pos_ = 0;
    ++epoch_;
    EpochMetrics out;
    out.epoch = epoch_;
    out.loss = loss_sum_ / batches_;
    last_reference_ = reference_sum_ / batches_ / n_out;
    if (classify) out.accuracy = double(correct_) / m;
    if (X_test_.rows() > 0) {
      const EpochMetrics t = evaluate_matrix(X_test_, Y_test_);
      out.test_loss = t.loss;
      out.test_accuracy = t.accuracy;
    }
    for (size_t l = 0; l < L; ++l) out.grad_rms.push_back(rms_sum_[l] / batches_);
    out.seconds = seconds_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.finished = out;
  } else {
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return r;
}

std::vector<EpochMetrics> Trainer::train(int n) {
  if (n < 1) throw Error("train: epochs: " + std::to_string(n) + " is not allowed (an integer >= 1)");
  std::vector<EpochMetrics> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) out.push_back(train_epoch());
  return out;
}

const Scalar* Trainer::forward_eval(const Scalar* X, int m) const { return net_.forward(X, m, eval_ws_); }

EpochMetrics Trainer::evaluate_matrix(const Matrix& X, const Matrix& Y) const {
  EpochMetrics out;
  out.epoch = epoch_;
  const int m = static_cast<int>(X.rows()), n_out = net_.outputs();
  if (m == 0) return out;
  const Scalar* A = forward_eval(X.data(), m);
  out.loss = loss_sums(net_.loss(), A, Y.data(), m, n_out).loss / m;
  if (data_.task == "classification") out.accuracy = double(count_correct(A, Y.data(), m, n_out)) / m;
  return out;
}

EpochMetrics Trainer::evaluate(bool test) const {
  return test ? evaluate_matrix(X_test_, Y_test_) : evaluate_matrix(X_train_, Y_train_);
}

std::vector<Scalar> Trainer::predict_raw(const Scalar* raw, int m) const {
  if (m < 0) throw Error("predict: rows: " + std::to_string(m) + " is not allowed (an integer >= 0)");
  eval_in_.resize(m, features_.inputs());
  features_.apply(raw, m, eval_in_.data());
  const Scalar* A = m ? forward_eval(eval_in_.data(), m) : nullptr;
  return std::vector<Scalar>(A, A + size_t(m) * net_.outputs());
}

// The grid's raw points, row by row from y0, through the feature map and the network.
int Trainer::grid_forward(double x0, double x1, double y0, double y1, int nx, int ny) {
  if (nx < 1 || ny < 1 || nx > 1000 || ny > 1000)
    throw Error("predict_grid: " + std::to_string(nx) + " x " + std::to_string(ny) +
                " is not allowed (1 to 1000 points a side)");
  const int d = data_.raw_dims;
  if (d > 2) throw Error("predict_grid: the " + data_.name + " dataset has " + std::to_string(d) + " inputs (a grid needs 1 or 2)");
  grid_raw_.resize(size_t(nx) * ny * d);
  for (int r = 0; r < ny; ++r)
    for (int c = 0; c < nx; ++c) {
      Scalar* p = grid_raw_.data() + (size_t(r) * nx + c) * d;
      p[0] = static_cast<Scalar>(nx > 1 ? x0 + (x1 - x0) * c / (nx - 1) : x0);
      if (d == 2) p[1] = static_cast<Scalar>(ny > 1 ? y0 + (y1 - y0) * r / (ny - 1) : y0);
    }
  const int m = nx * ny;
  eval_in_.resize(m, features_.inputs());
  features_.apply(grid_raw_.data(), m, eval_in_.data());
  forward_eval(eval_in_.data(), m);
  return m;
}

const std::vector<Scalar>& Trainer::predict_grid(double x0, double x1, double y0, double y1, int nx, int ny) {
  const int m = grid_forward(x0, x1, y0, y1, nx, ny);
  const Scalar* A = eval_ws_.A.back().data();
  grid_out_.assign(A, A + size_t(m) * net_.outputs());
  return grid_out_;
}

std::vector<Matrix> Trainer::neuron_grid(double x0, double x1, double y0, double y1, int nx, int ny) {
  const int m = grid_forward(x0, x1, y0, y1, nx, ny);
  std::vector<Matrix> out;
  for (const Matrix& A : eval_ws_.A) out.push_back(A.topRows(m));
  return out;
}

std::string Trainer::export_model(bool with_training_state) const {
  Model model{data_.task, data_.class_names, data_.raw_names, features_, net_};
  if (with_training_state) {
    TrainingState st;
    st.optimizer = optimizer_name(config_.optimizer.kind);
    const Optimizer::Counters k = opt_.counters();
    st.t = k.t, st.b1_power = k.b1_power, st.b2_power = k.b2_power;
    st.epoch = epoch_;
    st.rng = shuffle_rng_.state();
    st.order = order_;
    st.position = pos_;
    st.loss_sum = loss_sum_, st.reference_sum = reference_sum_, st.correct = correct_, st.batches = batches_;
    st.rms_sum = rms_sum_;
    model.training = st;
  }
  return model_to_json(model);
}

std::string Trainer::import_model(const std::string& model_json) {
  Model model = model_from_json(model_json);
  // Everything is checked before anything changes.
  if (model.features.raw_dims != data_.raw_dims)
    throw Error("model: inputs.raw: " + std::to_string(model.features.raw_dims) + " inputs is not allowed (the " +
                data_.name + " dataset has " + std::to_string(data_.raw_dims) + ")");
  if (model.task != data_.task)
    throw Error("model: task: \"" + model.task + "\" is not allowed (the " + data_.name + " dataset is " + data_.task + ")");
  const int outputs = model.net.outputs();
  if (data_.task == "classification" && outputs != data_.classes && !(outputs == 1 && data_.classes == 2))
    throw Error("model: layers[" + std::to_string(model.net.layers().size() - 1) + "].units: " +
                std::to_string(outputs) + " is not allowed (the dataset has " + std::to_string(data_.classes) + " classes)");
  if (data_.task == "regression" && outputs != 1)
    throw Error("model: layers[" + std::to_string(model.net.layers().size() - 1) + "].units: " +
                std::to_string(outputs) + " is not allowed (1 regression target)");
  // The training state continues this run only if it is for the same optimizer and split size.
  std::string note;
  const TrainingState* st = model.training ? &*model.training : nullptr;
  if (st && st->optimizer != optimizer_name(config_.optimizer.kind)) {
    note = "model: training state not used (it is for optimizer " + st->optimizer + ", this run uses " +
           optimizer_name(config_.optimizer.kind) + "): the optimizer starts afresh";
    st = nullptr;
  } else if (st && st->order.size() != size_t(data_.raw_train.rows())) {
    note = "model: training state not used (it is for " + std::to_string(st->order.size()) +
           " training samples, this run has " + std::to_string(data_.raw_train.rows()) + "): the optimizer starts afresh";
    st = nullptr;
  }
  features_ = model.features;
  net_ = model.net;
  config_.features = features_.features;
  config_.layers.clear();
  for (const DenseLayer& L : net_.layers()) config_.layers.push_back({L.units(), L.activation});
  config_.loss = net_.loss();
  prepare_buffers();
  pos_ = 0;
  rms_sum_.assign(net_.layers().size(), 0.0);
  if (!st) {
    opt_.reset(net_.layers());
    return note;
  }
  opt_.set_counters({st->t, st->b1_power, st->b2_power});
  epoch_ = st->epoch;
  shuffle_rng_.set_state(st->rng);
  order_ = st->order;
  pos_ = st->position;
  loss_sum_ = st->loss_sum, reference_sum_ = st->reference_sum, seconds_ = 0;
  correct_ = st->correct, batches_ = st->batches;
  rms_sum_ = st->rms_sum;
  return note;
}

namespace {
// "/network/layers/0/units" (a JSON pointer) -> "network.layers[0].units".
std::string field_name(const std::string& pointer) {
  std::string out;
  size_t i = 1;
  while (i <= pointer.size()) {
    const size_t j = std::min(pointer.find('/', i), pointer.size());
    const std::string part = pointer.substr(i, j - i);
    const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    out += index ? "[" + part + "]" : (out.empty() ? "" : ".") + part;
    i = j + 1;
  }
  return out;
}
}  // namespace

void Trainer::update_settings(const Config& next) {
  // Put the current values of the live fields into a copy of next: what then still differs from
  // the running config is a field that needs a fresh run.
  Config probe = next;
  probe.optimizer.learning_rate = config_.optimizer.learning_rate;
  probe.optimizer.momentum = config_.optimizer.momentum;
  probe.optimizer.nesterov = config_.optimizer.nesterov;
  probe.optimizer.beta1 = config_.optimizer.beta1;
  probe.optimizer.beta2 = config_.optimizer.beta2;
  probe.optimizer.epsilon = config_.optimizer.epsilon;
  probe.l2 = config_.l2, probe.l1 = config_.l1;
  probe.batch_size = config_.batch_size, probe.shuffle = config_.shuffle, probe.epochs = config_.epochs;
  const nlohmann::json now = nlohmann::json::parse(config_to_json(config_)).flatten();
  const nlohmann::json asked = nlohmann::json::parse(config_to_json(probe)).flatten();
  for (const nlohmann::json* side : {&now, &asked})
    for (auto it = side->begin(); it != side->end(); ++it) {
      const nlohmann::json* other = side == &now ? &asked : &now;
      if (!other->contains(it.key()) || (*other)[it.key()] != it.value())
        throw Error("config: " + field_name(it.key()) + ": changing it needs a fresh run (a running trainer takes "
                    "new learning_rate, momentum, nesterov, beta1, beta2, epsilon, l2, l1, batch_size, shuffle, epochs)");
    }
  const bool new_batch = next.batch_size != config_.batch_size;
  config_ = next;
  opt_.set_config(next.optimizer);
  if (new_batch) {
    const int m_train = static_cast<int>(X_train_.rows());
    batch_ = next.batch_size == 0 || next.batch_size > m_train ? m_train : next.batch_size;
    Xb_.resize(batch_, features_.inputs());
    Yb_.resize(batch_, net_.outputs());
    net_.reserve(train_ws_, batch_);
  }
}

DenseLayer& Trainer::layer_at(int layer, const std::string& what) {
  const int L = static_cast<int>(net_.layers().size());
  if (layer < 1 || layer > L)
    throw Error(what + ": layer " + std::to_string(layer) + " is not allowed (1 to " + std::to_string(L) + ")");
  return net_.layers()[layer - 1];
}

void Trainer::set_param(int layer, const std::string& tensor, int row, int col, double value) {
  DenseLayer& L = layer_at(layer, "set_param");
  const std::string name = tensor + std::to_string(layer);
  if (tensor != "W" && tensor != "b")
    throw Error("set_param: tensor \"" + tensor + "\" is not allowed (W or b)");
  const int rows = tensor == "W" ? L.inputs() : 1;
  if (row < 0 || row >= rows || col < 0 || col >= L.units())
    throw Error("set_param: " + name + "[" + std::to_string(row) + "][" + std::to_string(col) +
                "] is not allowed (" + name + " is " + std::to_string(rows) + " x " + std::to_string(L.units()) + ")");
  if (!std::isfinite(value) || std::abs(value) > 1e30)
    throw Error("set_param: " + name + ": " + nlohmann::json(value).dump() + " is not allowed (a finite number)");
  if (tensor == "W") L.W(row, col) = static_cast<Scalar>(value);
  else L.b(col) = static_cast<Scalar>(value);
}

// Objective J = mean loss over the checked samples + lambda/2 sum_l ||W_l||^2 + l1 sum_l |W_l|.
// Backprop gives dJ/dP; central differences give (J(P + h) - J(P - h)) / 2h per entry. The relative
// error of an entry is |a - n| / max(|a| + |n|, 1e-4): entries with tiny gradients are compared in
// absolute terms. The checked samples are the first `samples` rows of the training split (0: all).
int Trainer::check_rows(int samples) const {
  const int m = static_cast<int>(X_train_.rows());
  if (samples < 0) throw Error("gradient_check: samples: " + std::to_string(samples) + " is not allowed (0 for all, or >= 1)");
  return samples == 0 || samples > m ? m : samples;
}

double Trainer::objective(int m, Workspace& ws) {
  const Scalar* A = net_.forward(X_train_.data(), m, ws);
  double J = loss_sums(net_.loss(), A, Y_train_.data(), m, net_.outputs()).loss / m;
  for (const DenseLayer& L : net_.layers()) {
    J += 0.5 * config_.l2 * L.W.cast<double>().squaredNorm();
    J += config_.l1 * L.W.cast<double>().cwiseAbs().sum();
  }
  return J;
}

namespace {
double relative_error(double analytic, double numeric) {
  return std::abs(analytic - numeric) / std::max(std::abs(analytic) + std::abs(numeric), 1e-4);
}
}  // namespace

std::vector<Trainer::GradCheck> Trainer::gradient_check(double h, int samples) {
  const int m = check_rows(samples);
  Workspace ws;
  net_.forward(X_train_.data(), m, ws);
  net_.backward(X_train_.data(), Y_train_.data(), m, ws, config_.l2, config_.l1);
  std::vector<GradCheck> out;
  for (size_t l = 0; l < net_.layers().size(); ++l) {
    DenseLayer& L = net_.layers()[l];
    const Matrix dW = L.dW;
    const RowVector db = L.db;
    auto check = [&](Scalar* P, const Scalar* G, Eigen::Index n, const std::string& name) {
      double worst = 0;
      for (Eigen::Index i = 0; i < n; ++i) {
        const Scalar saved = P[i];
        P[i] = static_cast<Scalar>(saved + h);
        const double plus = objective(m, ws);
        P[i] = static_cast<Scalar>(saved - h);
        const double minus = objective(m, ws);
        P[i] = saved;
        worst = std::max(worst, relative_error(G[i], (plus - minus) / (2 * h)));
      }
      out.push_back({name + std::to_string(l + 1), worst});
    };
    check(L.W.data(), dW.data(), L.W.size(), "W");
    check(L.b.data(), db.data(), L.b.size(), "b");
  }
  return out;
}

WeightCheck Trainer::gradient_check_weight(int layer, const std::string& tensor, int row, int col, double h,
                                           int samples) {
  DenseLayer& L = layer_at(layer, "gradient_check");
  const std::string name = tensor + std::to_string(layer);
  if (tensor != "W" && tensor != "b") throw Error("gradient_check: tensor \"" + tensor + "\" is not allowed (W or b)");
  const int rows = tensor == "W" ? L.inputs() : 1;
  if (row < 0 || row >= rows || col < 0 || col >= L.units())
    throw Error("gradient_check: " + name + "[" + std::to_string(row) + "][" + std::to_string(col) +
                "] is not allowed (" + name + " is " + std::to_string(rows) + " x " + std::to_string(L.units()) + ")");
  if (!(h > 0 && h < 1)) throw Error("gradient_check: h: " + nlohmann::json(h).dump() + " is not allowed (a number > 0 and < 1)");
  const int m = check_rows(samples);
  Workspace ws;
  net_.forward(X_train_.data(), m, ws);
  net_.backward(X_train_.data(), Y_train_.data(), m, ws, config_.l2, config_.l1);
  Scalar& P = tensor == "W" ? L.W(row, col) : L.b(col);
  WeightCheck c;
  c.analytic = tensor == "W" ? L.dW(row, col) : L.db(col);
  c.h = h;
  const Scalar saved = P;
  P = static_cast<Scalar>(saved + h);
  const double plus = objective(m, ws);
  P = static_cast<Scalar>(saved - h);
  const double minus = objective(m, ws);
  P = saved;
  c.numeric = (plus - minus) / (2 * h);
  c.rel_error = relative_error(c.analytic, c.numeric);
  return c;
}

}  // namespace nnplay
