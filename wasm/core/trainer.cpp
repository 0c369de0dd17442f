// trainer.cpp: the training loop (mini-batches, shuffling, metrics), evaluation, prediction,
// model import/export (see trainer.h). The gradient check is in gradient_check.cpp, the trace in trace.cpp.
#include "trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <new>
#include <nlohmann/json.hpp>

#include "divergence.h"
#include "errors.h"
#include "json_limits.h"
#include "kernel.h"
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

// Every optimizer setting equal (a change restarts the divergence rule's reference, divergence.h).
bool same_optimizer(const OptimizerConfig& a, const OptimizerConfig& b) {
  return a.kind == b.kind && a.learning_rate == b.learning_rate && a.momentum == b.momentum &&
         a.nesterov == b.nesterov && a.beta1 == b.beta1 && a.beta2 == b.beta2 && a.epsilon == b.epsilon;
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
  pos_ = 0;
  rms_sum_.assign(net_.layers().size(), 0.0);
  loss_ref_.reset();
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
  const int m = data_->rows(false), n_out = net_.outputs();
  const bool classify = data_->task == "classification";
  const size_t L = net_.layers().size();
  if (!loss_ref_) loss_ref_ = loss_reference();  // training (re)starts here (divergence.h)
  if (pos_ == 0) {  // a new epoch: remember where it starts, in case it diverges
    saved_layers_ = net_.layers();  // same shapes as last epoch: copies without allocating
    saved_opt_ = opt_;
    saved_rng_ = shuffle_rng_;
    saved_order_ = order_;
    if (config_.shuffle) shuffle_rng_.shuffle(order_);
    clear_epoch_sums();
  }
  const int start_row = pos_;
  const int mb = start_row + batch_ <= m ? batch_ : m - start_row;
  gather_inputs(false, order_.data() + start_row, 0, mb, Xb_.data());
  for (int i = 0; i < mb; ++i) {
    const int r = order_[start_row + i];
    std::copy_n(Y_train_.data() + size_t(r) * n_out, n_out, Yb_.data() + size_t(i) * n_out);
  }
  const Scalar* A = net_.forward(Xb_.data(), mb, train_ws_);
  const LossSums s = loss_sums(net_.loss(), A, Yb_.data(), mb, n_out);
  if (!std::isfinite(s.loss)) diverge(DivergenceFacts::loss_not_finite, s.loss);
  // The epoch's loss is the sample-weighted mean of its batch losses (what Keras reports): each
  // batch's mean loss weighted by its size mb, i.e. the sum of every per-sample loss met during the
  // epoch divided by m. A short last batch counts for its size, not as much as a full one.
  loss_sum_ += s.loss;
  reference_sum_ += s.reference;
  if (classify) correct_ += count_correct(A, Yb_.data(), mb, n_out);
  ++batches_;
  net_.backward(Xb_.data(), Yb_.data(), mb, train_ws_, config_.l2, config_.l1);
  // Gradient flow: RMS of each layer's dW = sqrt(sum dW^2 / size), the sum in double (kernel.h).
  for (size_t l = 0; l < L; ++l) {
    const Matrix& dW = net_.layers()[l].dW;
    rms_sum_[l] += std::sqrt(kernel::sum_squares(size_t(dW.size()), dW.data()) / double(dW.size()));
  }
  opt_.step(net_.layers());
  pos_ += mb;

  BatchResult r;
  r.epoch = epoch_ + 1;
  r.position = pos_;
  r.samples = mb;
  r.loss = s.loss / mb;
  if (pos_ < m) {
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
  }
  if (!all_finite(net_.layers())) diverge(DivergenceFacts::weights_not_finite, loss_sum_ / m);
  if (loss_too_high(net_.loss(), loss_sum_ / m, *loss_ref_)) diverge(DivergenceFacts::loss_rose, loss_sum_ / m);
  pos_ = 0;
  ++epoch_;
  EpochMetrics out;
  out.epoch = epoch_;
  out.loss = loss_sum_ / m;
  last_reference_ = reference_sum_ / m / n_out;
  if (classify) out.accuracy = double(correct_) / m;
  test_out_fresh_ = false;
  if (data_->rows(true) > 0) {
    const EpochMetrics t = evaluate_split(true, test_out_);
    test_out_fresh_ = true;
    out.test_loss = t.loss;
    out.test_accuracy = t.accuracy;
  }
  for (size_t l = 0; l < L; ++l) out.grad_rms.push_back(rms_sum_[l] / batches_);
  out.seconds = seconds_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  clear_epoch_sums();  // no epoch under way: a model file written now has no partial sums
  r.finished = out;
  return r;
}

void Trainer::clear_epoch_sums() {
  loss_sum_ = reference_sum_ = seconds_ = 0;
  correct_ = batches_ = 0;
  rms_sum_.assign(net_.layers().size(), 0.0);
}

// The epoch under way diverged (divergence.h): back to where the epoch started, then Divergence.
void Trainer::diverge(DivergenceFacts::Kind kind, double loss) {
  DivergenceFacts f;
  f.kind = kind;
  f.loss = loss;
  f.reference = *loss_ref_;
  f.epoch = epoch_;
  if (data_->task == "regression")
    for (Eigen::Index i = 0; i < Y_train_.size(); ++i)
      f.target_max = std::max(f.target_max, std::abs(double(Y_train_.data()[i])));
  f.learning_rate = config_.optimizer.learning_rate;
  f.optimizer = optimizer_name(config_.optimizer.kind);
  const std::string message = divergence_message(f);
  net_.layers() = saved_layers_;
  opt_ = saved_opt_;
  shuffle_rng_ = saved_rng_;
  order_ = saved_order_;
  pos_ = 0;
  clear_epoch_sums();
  throw Divergence(message, epoch_);
}

// The divergence rule's reference (divergence.h): L_blank on the training targets, L_start of the
// current weights on the first kLossStartRows training samples (a chunk: one forward pass).
LossReference Trainer::loss_reference() const {
  LossReference r;
  r.blank = blank_loss(net_.loss(), net_.layers().back().activation, Y_train_);
  const int n = std::min(kLossStartRows, data_->rows(false));
  const Matrix X = check_inputs(n);
  r.start = loss_sums(net_.loss(), forward_eval(X.data(), n), Y_train_.data(), n, net_.outputs()).loss / n;
  if (!std::isfinite(r.start)) r.start = 0;  // rule 1 meets it at the first batch
  return r;
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

// The grid's raw points, row by row from y0, through the feature map and the network.
int Trainer::grid_forward(double x0, double x1, double y0, double y1, int nx, int ny) {
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

namespace {
// The run's data as a model file records it ("data", model_io.h): the config's dataset section
// without a CSV's text.
std::string data_description(const Config& c) {
  nlohmann::json d = nlohmann::json::parse(config_to_json(c))["dataset"];
  d.erase("csv");
  return d.dump();
}

// '' when a model file's data is this run's (or unknown), else one line naming the difference.
std::string other_data_note(const std::string& model_data, const std::string& run_data) {
  if (model_data.empty() || model_data == run_data) return "";
  const nlohmann::json m = nlohmann::json::parse(model_data), r = nlohmann::json::parse(run_data);
  const auto name = [](const nlohmann::json& d) {
    return d.contains("name") && d["name"].is_string() ? one_line(d["name"].get<std::string>(), 40) : std::string("other");
  };
  if (name(m) != name(r))
    return "model: trained on " + name(m) + " data; this run's data is " + name(r) +
           ": its weights are used as they are, so its accuracy here says how well it transfers";
  std::string diffs;
  for (auto it = r.begin(); it != r.end(); ++it) {
    const nlohmann::json there = m.contains(it.key()) ? m[it.key()] : nlohmann::json();
    if (there == it.value()) continue;
    diffs += (diffs.empty() ? "" : "; ") + it.key() + " " + shorten(there.dump()) + " there, " + shorten(it.value().dump()) + " here";
  }
  return "model: trained on " + name(m) + " data with other settings (" + (diffs.empty() ? "other fields" : diffs) + ")";
}
}  // namespace

std::string Trainer::export_model(bool with_training_state) const {
  Model model{data_->task, data_->class_names, data_->raw_names, features_, net_, std::nullopt,
              data_description(config_)};
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
  // A model from other data is taken, and said so (model_io.h "data").
  const std::string data_note = other_data_note(model.data, data_description(config_));
  // The training state continues this run only if it is for the same optimizer and split size.
  std::string note;
  const auto notes = [&] { return note.empty() || data_note.empty() ? note + data_note : note + "\n" + data_note; };
  const TrainingState* st = model.training ? &*model.training : nullptr;
  if (st && st->optimizer != optimizer_name(config_.optimizer.kind)) {
    note = "model: training state not used (it is for optimizer " + st->optimizer + ", this run uses " +
           optimizer_name(config_.optimizer.kind) + "): the optimizer starts afresh";
    st = nullptr;
  } else if (st && st->order.size() != size_t(data_->rows(false))) {
    note = "model: training state not used (it is for " + std::to_string(st->order.size()) +
           " training samples, this run has " + std::to_string(data_->rows(false)) + "): the optimizer starts afresh";
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
  loss_ref_.reset();
  if (!st) {
    opt_.reset(net_.layers());
    return notes();
  }
  opt_.set_counters({st->t, st->b1_power, st->b2_power});
  epoch_ = st->epoch;
  shuffle_rng_.set_state(st->rng);
  order_ = st->order;
  pos_ = st->position;
  loss_sum_ = st->loss_sum, reference_sum_ = st->reference_sum, seconds_ = 0;
  correct_ = st->correct, batches_ = st->batches;
  rms_sum_ = st->rms_sum;
  return notes();
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

void Trainer::update_settings(const Config& next, bool new_optimizer) {
  // Put the current values of the live fields into a copy of next: what then still differs from
  // the running config is a field that needs a fresh run.
  Config probe = next;
  probe.optimizer.kind = config_.optimizer.kind;
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
                    "a new learning_rate, momentum, nesterov, beta1, beta2, epsilon, l2, l1, batch_size, shuffle, "
                    "epochs)");
    }
  // Another optimizer kind: only when asked (setOptimizer), after every other field was checked.
  if (!new_optimizer && next.optimizer.kind != config_.optimizer.kind)
    throw Error("config: optimizer.name: changing it needs a fresh run (a running trainer takes a new "
                "learning_rate, momentum, nesterov, beta1, beta2, epsilon, l2, l1, batch_size, shuffle, epochs)");
  const bool new_batch = next.batch_size != config_.batch_size;
  const bool new_kind = next.optimizer.kind != config_.optimizer.kind;
  if (new_batch || !same_optimizer(next.optimizer, config_.optimizer) || next.l2 != config_.l2 || next.l1 != config_.l1)
    loss_ref_.reset();  // new step dynamics: the divergence rule measures from here (divergence.h)
  config_ = next;
  if (new_kind) {  // another optimizer: its own state, from zero
    opt_ = Optimizer(next.optimizer);
    opt_.reset(net_.layers());
  } else {
    opt_.set_config(next.optimizer);
  }
  if (new_batch) {
    const int m_train = data_->rows(false);
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
  loss_ref_.reset();  // training restarts from the edited network (divergence.h)
}

}  // namespace nnplay
