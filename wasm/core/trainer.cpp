// trainer.cpp: the training loop (mini-batches, shuffling, metrics), evaluation, prediction,
// model import/export and the gradient check (see trainer.h).
#include "trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <new>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "json_limits.h"
#include "memory_budget.h"

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

// Rows per forward pass when a whole split is evaluated: keeps the evaluation workspace and the
// scaled inputs of a chunk small (about 3 MiB for 784 inputs). Rows are independent (kernel.h sums
// each output row alone), so chunking changes no bit of the outputs.
constexpr int kEvalRows = 1024;

std::string layer_field(size_t l, const char* what) { return "network.layers[" + std::to_string(l) + "]." + what; }

// Runs f; std::bad_alloc (an estimate that was short, or memory the caller already holds) becomes
// an Error naming the limit, so no bare "std::bad_alloc" reaches a user.
template <typename F>
void out_of_memory_as_error(const char* what, F&& f) {
  try {
    f();
  } catch (const std::bad_alloc&) {
    throw Error(std::string(what) + ": out of memory (the limit is " + format_bytes(double(memory_limit())) +
                "): use fewer samples, smaller layers or a smaller batch");
  }
}

// The shape of a run before its dataset exists (memory_budget.h): raw columns and network inputs
// from the config where it tells them (random, the 2-D and 1-D sets), 0 for a CSV (checked again
// once read) and for the images a front end gives.
RunShape shape_before_data(const Config& c) {
  const DatasetConfig& d = c.dataset;
  double raw = 0, inputs = 0;
  if (d.name == "random") raw = inputs = d.inputs;
  if (is_planar_dataset(d.name)) {
    raw = d.name == "sine" ? 1 : 2;
    inputs = c.features.empty() ? raw : double(c.features.size());
  }
  return config_shape(c, raw, inputs);
}

bool all_finite(const std::vector<DenseLayer>& layers) {
  for (const DenseLayer& L : layers)
    if (!L.W.allFinite() || !L.b.allFinite()) return false;
  return true;
}

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
  check_memory(shape_before_data(config_));
  out_of_memory_as_error("config", [&] { setup(std::make_shared<const Dataset>(make_dataset(config_.dataset))); });
}
Trainer::Trainer(const Config& config) : config_(config) {
  check_memory(shape_before_data(config_));
  out_of_memory_as_error("config", [&] { setup(std::make_shared<const Dataset>(make_dataset(config_.dataset))); });
}
Trainer::Trainer(const Config& config, Dataset data) : config_(config) {
  out_of_memory_as_error("config", [&] { setup(std::make_shared<const Dataset>(std::move(data))); });
}
Trainer::Trainer(const Config& config, std::shared_ptr<const Dataset> data) : config_(config) {
  if (!data) throw Error("trainer: no data");
  out_of_memory_as_error("config", [&] { setup(std::move(data)); });
}

std::shared_ptr<const Dataset> Trainer::data_for(const Config& c, const Trainer& other) {
  const std::shared_ptr<const Dataset>& have = other.data_;
  if (have->images && c.dataset.name == have->name) {
    if (std::min(c.dataset.samples, have->images->m_train) == have->image_train) return have;
    return std::make_shared<const Dataset>(images_dataset(c.dataset, have->images));  // another subset
  }
  if (!have->images && same_data(c.dataset, other.config_.dataset)) return have;
  return std::make_shared<const Dataset>(make_dataset(c.dataset));
}

void Trainer::reset() { setup(data_); }

void Trainer::setup(std::shared_ptr<const Dataset> shared) {
  const Config& c = config_;
  data_ = std::move(shared);
  const Dataset& data = *data_;
  const bool classify = data.task == "classification";
  const size_t last = c.layers.size() - 1;
  const int outputs = c.layers.back().units;
  // The output layer and loss must fit the data.
  if (!classify && c.loss != Loss::mse)
    throw Error("config: loss: \"" + loss_name(c.loss) + "\" is not allowed with the " + data_->name +
                " dataset (it is regression: use mse)");
  if (!classify && outputs != 1)
    throw Error("config: " + layer_field(last, "units") + ": " + std::to_string(outputs) +
                " is not allowed (the " + data_->name + " dataset has 1 target: use 1)");
  if (classify && c.loss == Loss::bce && data_->classes != 2)
    throw Error("config: loss: \"bce\" is not allowed with " + std::to_string(data_->classes) +
                " classes (bce is binary: use softmax with cce and " + std::to_string(data_->classes) + " units)");
  if (classify && outputs != data_->classes && !(outputs == 1 && data_->classes == 2))
    throw Error("config: " + layer_field(last, "units") + ": " + std::to_string(outputs) + " is not allowed (the " +
                data_->name + " dataset has " + std::to_string(data_->classes) + " classes: use " +
                std::to_string(data_->classes) + (data_->classes == 2 ? ", or 1 with a sigmoid" : "") + ")");
  if (data.rows(false) < 1)
    throw Error("config: dataset.test_ratio: " + nlohmann::json(c.dataset.test_ratio).dump() +
                " is not allowed here (it leaves no training samples)");

  features_ = make_feature_map(c, data);
  // The real shape, now that the data exists, before the network and buffers are allocated.
  check_memory(config_shape(c, data.raw_dims, features_.inputs()));
  std::vector<int> units;
  std::vector<Activation> acts;
  for (const LayerConfig& l : c.layers) units.push_back(l.units), acts.push_back(l.activation);
  net_ = Network(features_.inputs(), units, acts, c.loss);
  Rng init_rng(c.seed);
  for (DenseLayer& L : net_.layers()) init_weights(c.init, L.W, init_rng);
  opt_ = Optimizer(c.optimizer);
  opt_.reset(net_.layers());
  shuffle_rng_ = Rng(uint64_t(c.seed) + 0x100000000ull);  // its own stream, apart from the init's

  const int m_train = data.rows(false);
  order_.resize(m_train);
  for (int i = 0; i < m_train; ++i) order_[i] = i;
  batch_ = c.batch_size == 0 || c.batch_size > m_train ? m_train : c.batch_size;
  prepare_buffers();
  epoch_ = 0;
  last_reference_ = 0;
}

// Network inputs and targets of both splits from the feature map and the output layer, and the
// mini-batch buffers: everything that follows from features_ and net_ (new run or imported model).
void Trainer::prepare_buffers() {
  const bool classify = data_->task == "classification";
  const int outputs = net_.outputs();
  const int m_train = data_->rows(false), m_test = data_->rows(true);
  // The raw rows are the network inputs when the map picks the raw columns in order, unscaled.
  const bool identity = features_.mean.empty() && (features_.features.empty() || features_.features == data_->raw_names);
  mapped_ = !identity;
  if (mapped_) {
    X_train_.resize(m_train, features_.inputs());
    X_test_.resize(m_test, features_.inputs());
    for (const bool test : {false, true}) {
      Matrix& X = test ? X_test_ : X_train_;
      const Matrix copy = data_->images ? data_->raw_copy(test) : Matrix();
      if (X.rows()) features_.apply(data_->images ? copy.data() : data_->raw_data(test), int(X.rows()), X.data());
    }
  } else {
    X_train_.resize(0, 0);
    X_test_.resize(0, 0);
  }
  test_out_fresh_ = false;
  Y_train_ = encode_targets(data_->target_train, outputs, classify);
  Y_test_ = encode_targets(data_->target_test, outputs, classify);
  Xb_.resize(batch_, features_.inputs());
  Yb_.resize(batch_, outputs);
  net_.reserve(train_ws_, batch_);
}

EpochMetrics Trainer::train_epoch() {
  const auto start = std::chrono::steady_clock::now();
  saved_layers_ = net_.layers();  // same shapes as last epoch: copies without allocating
  saved_opt_ = opt_;
  saved_rng_ = shuffle_rng_;
  saved_order_ = order_;
  const int m = data_->rows(false), n_out = net_.outputs();
  const bool classify = data_->task == "classification";
  if (config_.shuffle) shuffle_rng_.shuffle(order_);
  // The epoch's loss is the sample-weighted mean of its batch losses (what Keras reports): each
  // batch's mean loss weighted by its size mb, i.e. sum over batches of (mb * batch mean) / m, which
  // is the sum of every per-sample loss met during the epoch divided by m. A short last batch counts
  // for its size, not as much as a full one.
  double loss_sum = 0, reference_sum = 0;  // sums of per-sample losses over the epoch
  int correct = 0;
  for (int start_row = 0; start_row < m; start_row += batch_) {
    const int mb = start_row + batch_ <= m ? batch_ : m - start_row;
    // Gather the batch's rows (in this epoch's order) into Xb, Yb.
    gather_inputs(false, order_.data() + start_row, 0, mb, Xb_.data());
    for (int i = 0; i < mb; ++i) {
      const int r = order_[start_row + i];
      std::copy_n(Y_train_.data() + size_t(r) * n_out, n_out, Yb_.data() + size_t(i) * n_out);
    }
    const Scalar* A = net_.forward(Xb_.data(), mb, train_ws_);
    const LossSums s = loss_sums(net_.loss(), A, Yb_.data(), mb, n_out);
    loss_sum += s.loss;
    reference_sum += s.reference;
    if (classify) correct += count_correct(A, Yb_.data(), mb, n_out);
    net_.backward(Xb_.data(), Yb_.data(), mb, train_ws_, config_.l2);
    opt_.step(net_.layers());
  }
  const double loss = loss_sum / m;
  if (!std::isfinite(loss) || !all_finite(net_.layers())) {
    const std::string message = divergence_message(std::isfinite(loss), loss);
    net_.layers() = saved_layers_;
    opt_ = saved_opt_;
    shuffle_rng_ = saved_rng_;
    order_ = saved_order_;
    throw Divergence(message, epoch_);
  }
  ++epoch_;
  EpochMetrics out;
  out.epoch = epoch_;
  out.loss = loss;
  last_reference_ = reference_sum / m / n_out;
  if (classify) out.accuracy = double(correct) / m;
  test_out_fresh_ = false;
  if (data_->rows(true) > 0) {
    const EpochMetrics t = evaluate_split(true, test_out_);
    test_out_fresh_ = true;
    out.test_loss = t.loss;
    out.test_accuracy = t.accuracy;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::vector<EpochMetrics> Trainer::train(int n) {
  if (n < 1) throw Error("train: epochs: " + std::to_string(n) + " is not allowed (an integer >= 1)");
  std::vector<EpochMetrics> out;
  out.reserve(n);
  try {
    for (int i = 0; i < n; ++i) out.push_back(train_epoch());
  } catch (const Divergence& d) {
    throw DivergedRun(d, std::move(out));
  }
  return out;
}

// "training diverged at epoch 7: the loss became infinite; the learning rate 10 is probably too high
// for sgd: lower it and continue; the weights of epoch 6 are kept". Causes, most specific first:
// regression targets so large that their squared error overflows the float arithmetic (no rate
// helps: the data needs rescaling), else the step size.
std::string Trainer::divergence_message(bool loss_finite, double loss) const {
  std::string what = !loss_finite ? (std::isnan(loss) ? "the loss became NaN" : "the loss became infinite")
                                  : "the weights became infinite or NaN";
  double y_max = 0;
  if (data_->task == "regression")
    for (Eigen::Index i = 0; i < Y_train_.size(); ++i) y_max = std::max(y_max, std::abs(double(Y_train_.data()[i])));
  char buf[160];
  std::string cause;
  // Squared errors overflow float32 near (3.4e38)^(1/2) = 1.8e19; 1e15 leaves room for the sums.
  if (y_max > (sizeof(Scalar) == 4 ? 1e15 : 1e150)) {
    std::snprintf(buf, sizeof buf, "the regression targets reach %.3g, too large for %s arithmetic: rescale the target",
                  y_max, sizeof(Scalar) == 4 ? "float32" : "float64");
    cause = buf;
  } else {
    std::snprintf(buf, sizeof buf, "the learning rate %g is probably too high for %s: lower it and continue",
                  config_.optimizer.learning_rate, optimizer_name(config_.optimizer.kind).c_str());
    cause = buf;
  }
  const std::string kept = epoch_ == 0 ? "the initial weights are kept" : "the weights of epoch " + std::to_string(epoch_) + " are kept";
  return "training diverged at epoch " + std::to_string(epoch_ + 1) + ": " + what + "; " + cause + "; " + kept;
}

void Trainer::set_optimizer(const OptimizerConfig& optimizer) {
  const bool same_kind = optimizer.kind == config_.optimizer.kind;
  config_.optimizer = optimizer;
  Optimizer next(optimizer);
  if (same_kind) next.keep_state_of(opt_);
  else next.reset(net_.layers());
  opt_ = next;
}

const Scalar* Trainer::forward_eval(const Scalar* X, int m) const { return net_.forward(X, m, eval_ws_); }

void Trainer::gather_inputs(bool test, const int* rows, int first, int n, Scalar* out) const {
  if (!mapped_) return data_->raw_rows(test, rows, first, n, out);
  const Matrix& X = test ? X_test_ : X_train_;
  const size_t d = size_t(X.cols());
  for (int i = 0; i < n; ++i) std::copy_n(X.data() + size_t(rows ? rows[i] : first + i) * d, d, out + size_t(i) * d);
}

void Trainer::split_outputs(bool test, std::vector<Scalar>& A) const {
  const int m = data_->rows(test), n_in = net_.inputs(), n_out = net_.outputs();
  A.resize(size_t(m) * n_out);
  // Float inputs held as they are need no copy; images (scaled) go through eval_in_, a chunk at a time.
  const Scalar* direct = mapped_ ? (test ? X_test_ : X_train_).data() : data_->raw_data(test);
  for (int first = 0; first < m; first += kEvalRows) {
    const int n = std::min(kEvalRows, m - first);
    const Scalar* X = direct ? direct + size_t(first) * n_in : nullptr;
    if (!X) {
      eval_in_.resize(n, n_in);
      gather_inputs(test, nullptr, first, n, eval_in_.data());
      X = eval_in_.data();
    }
    const Scalar* out = forward_eval(X, n);
    std::copy_n(out, size_t(n) * n_out, A.data() + size_t(first) * n_out);
  }
}

EpochMetrics Trainer::evaluate_split(bool test, std::vector<Scalar>& A) const {
  EpochMetrics out;
  out.epoch = epoch_;
  const int m = data_->rows(test), n_out = net_.outputs();
  if (m == 0) return out;
  split_outputs(test, A);
  const Matrix& Y = test ? Y_test_ : Y_train_;
  out.loss = loss_sums(net_.loss(), A.data(), Y.data(), m, n_out).loss / m;
  if (data_->task == "classification") out.accuracy = double(count_correct(A.data(), Y.data(), m, n_out)) / m;
  return out;
}

EpochMetrics Trainer::evaluate(bool test) const { return evaluate_split(test, eval_out_); }

const std::vector<Scalar>& Trainer::test_outputs() {
  if (!test_out_fresh_) {
    split_outputs(true, test_out_);
    test_out_fresh_ = true;
  }
  return test_out_;
}

std::vector<Scalar> Trainer::predict_raw(const Scalar* raw, int m) const {
  if (m < 0) throw Error("predict: rows: " + std::to_string(m) + " is not allowed (an integer >= 0)");
  eval_in_.resize(m, features_.inputs());
  features_.apply(raw, m, eval_in_.data());
  const Scalar* A = m ? forward_eval(eval_in_.data(), m) : nullptr;
  return std::vector<Scalar>(A, A + size_t(m) * net_.outputs());
}

const std::vector<Scalar>& Trainer::predict_grid(double x0, double x1, double y0, double y1, int nx, int ny) {
  if (nx < 1 || ny < 1 || nx > 1000 || ny > 1000)
    throw Error("predict_grid: " + std::to_string(nx) + " x " + std::to_string(ny) +
                " is not allowed (1 to 1000 points a side)");
  const int d = data_->raw_dims;
  if (d > 2) throw Error("predict_grid: the " + data_->name + " dataset has " + std::to_string(d) + " inputs (a grid needs 1 or 2)");
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
  const Scalar* A = forward_eval(eval_in_.data(), m);
  grid_out_.assign(A, A + size_t(m) * net_.outputs());
  return grid_out_;
}

std::string Trainer::export_model() const {
  Model model{data_->task, data_->class_names, data_->raw_names, features_, net_};
  return model_to_json(model);
}

void Trainer::import_model(const std::string& model_json) {
  Model model = model_from_json(model_json);
  // Everything is checked before anything changes.
  if (model.features.raw_dims != data_->raw_dims)
    throw Error("model: inputs.raw: " + std::to_string(model.features.raw_dims) + " inputs is not allowed (the " +
                data_->name + " dataset has " + std::to_string(data_->raw_dims) + ")");
  if (model.task != data_->task)
    throw Error("model: task: \"" + model.task + "\" is not allowed (the " + data_->name + " dataset is " + data_->task + ")");
  const int outputs = model.net.outputs();
  if (data_->task == "classification" && outputs != data_->classes && !(outputs == 1 && data_->classes == 2))
    throw Error("model: layers[" + std::to_string(model.net.layers().size() - 1) + "].units: " +
                std::to_string(outputs) + " is not allowed (the dataset has " + std::to_string(data_->classes) + " classes)");
  if (data_->task == "regression" && outputs != 1)
    throw Error("model: layers[" + std::to_string(model.net.layers().size() - 1) + "].units: " +
                std::to_string(outputs) + " is not allowed (1 regression target)");
  // Columns are matched by name too: the right count of other columns is another dataset.
  if (model.raw_names != data_->raw_names) {
    auto list = [](const std::vector<std::string>& names) {
      std::string s;
      size_t i = 0;
      for (; i < names.size() && s.size() < 200; ++i) s += (i ? ", " : "") + quote(names[i], 40);
      return i < names.size() ? s + ", … (" + std::to_string(names.size()) + " columns)" : s;
    };
    throw Error("model: inputs.raw: " + list(model.raw_names) + " is not allowed (the " + data_->name +
                " dataset's input columns are " + list(data_->raw_names) + ")");
  }
  {
    RunShape shape = config_shape(config_, data_->raw_dims, model.features.inputs());
    shape.units.clear();
    for (const DenseLayer& L : model.net.layers()) shape.units.push_back(L.units());
    check_memory(shape);
  }
  features_ = model.features;
  net_ = model.net;
  config_.features = features_.features;
  config_.layers.clear();
  for (const DenseLayer& L : net_.layers()) config_.layers.push_back({L.units(), L.activation});
  config_.loss = net_.loss();
  prepare_buffers();
  opt_.reset(net_.layers());
}

// Objective J = mean loss over the training split + lambda/2 sum_l ||W_l||^2. Backprop gives dJ/dP;
// central differences give (J(P + h) - J(P - h)) / 2h per entry. The relative error of an entry is
// |a - n| / max(|a| + |n|, 1e-4): entries with tiny gradients are compared in absolute terms.
std::vector<Trainer::GradCheck> Trainer::gradient_check(double h) {
  const int m = data_->rows(false);
  Matrix X(m, net_.inputs());
  gather_inputs(false, nullptr, 0, m, X.data());
  Workspace ws;
  auto objective = [&]() {
    const Scalar* A = net_.forward(X.data(), m, ws);
    double J = loss_sums(net_.loss(), A, Y_train_.data(), m, net_.outputs()).loss / m;
    for (const DenseLayer& L : net_.layers()) J += 0.5 * config_.l2 * L.W.cast<double>().squaredNorm();
    return J;
  };
  net_.forward(X.data(), m, ws);
  net_.backward(X.data(), Y_train_.data(), m, ws, config_.l2);
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
        const double plus = objective();
        P[i] = static_cast<Scalar>(saved - h);
        const double minus = objective();
        P[i] = saved;
        const double numeric = (plus - minus) / (2 * h), analytic = G[i];
        const double denom = std::max(std::abs(analytic) + std::abs(numeric), 1e-4);
        worst = std::max(worst, std::abs(analytic - numeric) / denom);
      }
      out.push_back({name + std::to_string(l + 1), worst});
    };
    check(L.W.data(), dW.data(), L.W.size(), "W");
    check(L.b.data(), db.data(), L.b.size(), "b");
  }
  return out;
}

}  // namespace nnplay
