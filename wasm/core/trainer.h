// trainer.h: one training run: a validated config, its dataset, a network, an optimizer, the
// shuffling RNG and per-epoch metrics. This is the whole surface the CLI and the bindings use.
// It never prints and never exits: bad input throws nnplay::Error with a message that names the
// field, the value and what is allowed, and leaves the trainer as it was. A run that would need more
// memory than memory_limit() is refused before allocating (memory_budget.h). Training that diverges
// (a NaN or an infinity, or a loss ten times that of knowing nothing: divergence.h) throws
// nnplay::Divergence and keeps the last finite weights (see train_epoch).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config.h"
#include "data.h"
#include "divergence.h"
#include "gradient_check.h"
#include "model_io.h"
#include "network.h"
#include "optimizer.h"
#include "rng.h"

namespace nnplay {

// What one epoch reports. Optional values are absent (JSON null) where they do not apply:
// accuracy for regression, test metrics when the test split is empty.
struct EpochMetrics {
  int epoch = 0;                      // 1-based count of finished epochs
  double loss = 0;                    // batch losses met during the epoch, mean weighted by batch size
  std::optional<double> accuracy;     // fraction of training samples predicted right during the epoch
  std::optional<double> test_loss;    // on the held-out split, after the epoch
  std::optional<double> test_accuracy;
  double seconds = 0;                 // wall time of the epoch
  // teachcore, gradient flow: per layer, the RMS of dW (sqrt of the mean of its squared entries, as
  // the optimizer receives it, L2/L1 terms included), averaged over the epoch's mini-batches. Not in
  // the CLI's JSON lines; the bindings' metrics objects carry it as grad_rms.
  std::vector<double> grad_rms;
};

// teachcore: what one mini-batch step reports (Trainer::train_batch).
struct BatchResult {
  int epoch = 0;     // the epoch this batch belongs to (1-based)
  int position = 0;  // training samples of that epoch done after this batch
  int samples = 0;   // samples in this batch
  double loss = 0;   // the batch's mean loss (before the update)
  std::optional<EpochMetrics> finished;  // set when this batch completed the epoch
};

// teachcore: one weight's gradient check (Trainer::gradient_check_weight).
struct WeightCheck {
  double analytic = 0;   // backprop's dJ/dP (float32)
  double numeric = 0;    // (J(P + h) - J(P - h)) / 2h, J in float64 (gradient_check.h)
  double h = 0;
  double rel_error = 0;  // |a - n| / max(|a| + |n|, 1e-4), as in gradient_check
};

struct Trace;         // trace.h
struct TraceRequest;  // trace.h

// One JSON object on one line, the CLI's and `npx nnplay`'s output format:
// {"epoch":1,"loss":0.69,"accuracy":0.5,"test_loss":0.68,"test_accuracy":0.55,"seconds":0.001}
std::string metrics_to_json(const EpochMetrics& m);

// Divergence thrown by Trainer::train(n), with the metrics of the epochs finished before it.
struct DivergedRun : Divergence {
  DivergedRun(const Divergence& d, std::vector<EpochMetrics> done) : Divergence(d), completed(std::move(done)) {}
  std::vector<EpochMetrics> completed;
};

class Trainer {
 public:
  // Parses and validates the config JSON text, makes the dataset, initialises the weights.
  explicit Trainer(const std::string& config_json);
  // The same with a config already parsed.
  explicit Trainer(const Config& config);
  // A config whose dataset is given (images loaded by a front end, see data.h).
  Trainer(const Config& config, Dataset data);
  // A config on data held elsewhere (another trainer's, shared: never copied).
  Trainer(const Config& config, std::shared_ptr<const Dataset> data);

  // The data for config c, reusing other's (shared, no copy) when c's dataset section makes the same
  // data (same_data), and other's images when c uses them with another subset; else made anew.
  static std::shared_ptr<const Dataset> data_for(const Config& c, const Trainer& other);

  // Starts the run again on the same data: new weights drawn from the config's seed, the optimizer's
  // state, the epoch count and the shuffling RNG reset. The result is bit for bit a fresh trainer of
  // the same config (after import_model: of the config the model wrote in).
  void reset();

  const Config& config() const { return config_; }
  const Dataset& dataset() const { return *data_; }
  const std::shared_ptr<const Dataset>& shared_dataset() const { return data_; }
  const Network& network() const { return net_; }
  int epoch() const { return epoch_; }

  // Trains one epoch (all mini-batches of the training split) and returns its metrics.
  // Divergence (divergence.h): when the epoch's loss or the weights after it hold a NaN or an
  // infinity, or the epoch's loss is over 10 times the rule's reference, the
  // weights, optimizer state, shuffling RNG and epoch count go back to where the epoch started and
  // nnplay::Divergence is thrown, its message naming the likely cause; training can continue
  // (after update_settings with a lower rate, say).
  EpochMetrics train_epoch();
  // Trains n epochs (n >= 1), returning each epoch's metrics. On divergence it throws
  // DivergedRun, which carries the metrics of the epochs finished before.
  std::vector<EpochMetrics> train(int n);
  // teachcore: one mini-batch step (slow motion). Stepping batch by batch through an epoch gives
  // exactly the weights and epoch metrics of train_epoch (which is this, until the epoch ends); a
  // train_epoch after some steps finishes the epoch begun.
  BatchResult train_batch();
  // Training samples already done in the current epoch (0 between epochs).
  int epoch_position() const { return pos_; }

  // teachcore, live changes: applies a new config to this running trainer in place, keeping weights,
  // optimizer state, epoch and shuffle stream. Allowed to differ: learning_rate, momentum, nesterov,
  // beta1, beta2, epsilon, l2, l1, batch_size, shuffle, epochs; and optimizer.name when
  // new_optimizer (the bindings' setOptimizer: a run that diverged goes on with another optimizer;
  // a page's form change of the optimizer kind starts a fresh run, issue 12). The same optimizer
  // keeps its state (velocities, Adam's moments and step count); another one starts afresh. Any other
  // difference throws "config: <field>: changing it needs a fresh run (...)" and changes nothing.
  void update_settings(const Config& next, bool new_optimizer = false);
  void update_settings(const std::string& config_json) { update_settings(parse_config(config_json)); }

  // teachcore, weight editing: sets W_l[row][col] (tensor "W") or b_l[col] (tensor "b", row 0) of
  // layer l (1-based, as in W1); training continues from it. Optimizer state is kept.
  void set_param(int layer, const std::string& tensor, int row, int col, double value);

  // teachcore, the trace (trace.h): every intermediate of a forward + backward pass on the given
  // training samples and the optimizer's update, on copies: the trainer does not change.
  Trace trace(const TraceRequest& request) const;

  // teachcore, neuron outputs: every layer's activations A_l over the same grid as predict_grid:
  // one (ny * nx, units_l) matrix per layer, rows from y0.
  std::vector<Matrix> neuron_grid(double x0, double x1, double y0, double y1, int nx, int ny);

  // Forward pass on raw inputs (m rows of dataset().raw_dims numbers, as in the data files):
  // applies the feature map and standardisation, returns (m, outputs) row-major.
  std::vector<Scalar> predict_raw(const Scalar* raw, int m) const;
  // Outputs over an nx by ny grid of 2-D (or 1-D, ny = 1) raw inputs spanning [x0, x1] x [y0, y1],
  // row by row from y0: (ny * nx, outputs). Reuses one buffer.
  const std::vector<Scalar>& predict_grid(double x0, double x1, double y0, double y1, int nx, int ny);

  // Loss and accuracy of the current weights on a split ("train" or "test"), without training.
  EpochMetrics evaluate(bool test) const;
  // The outputs (m_test, outputs) of the current weights on the test split: kept from the end-of-epoch
  // evaluation while the weights have not changed since, else computed.
  const std::vector<Scalar>& test_outputs();

  // The model file (see model_io.h). import_model checks format, version, shapes against this
  // trainer's inputs and outputs, and finite numbers; on error the current model stays.
  // The exported file carries the training state (model_io.h, "training") unless
  // with_training_state is false (teachcore). import_model restores that state when the file has
  // one whose optimizer kind and training-split size match this run; otherwise it loads the weights
  // only and starts the optimizer afresh, as before. It returns "" or notes, one per line: why the
  // state was not used; that the model was trained on other data (its "data" differs from this run's).
  std::string export_model(bool with_training_state = true) const;
  std::string import_model(const std::string& model_json);

  // Backprop gradients of the training objective on the full training split (for gradcheck), and
  // the same by central differences in float64 (gradient_check.h): max relative error per parameter
  // tensor, named "W1", "b1", ... (h > 0 and < 1). Leaves backprop's dW, db in the layers.
  struct GradCheck {
    std::string name;
    double max_rel_error;
  };
  // samples > 0 (teachcore) checks on the first `samples` training samples only (a small batch).
  std::vector<GradCheck> gradient_check(double h = kGradCheckStep, int samples = 0);
  // teachcore: the same for one entry: tensor "W" or "b" of layer (1-based), row, col.
  WeightCheck gradient_check_weight(int layer, const std::string& tensor, int row, int col,
                                    double h = kGradCheckStep, int samples = 0);

  // The reference network's printed loss for the last epoch (cce only): -mean(Y log(A + 1e-8)) over all
  // m * n_out entries = the categorical cross-entropy divided by n_out (seed preset only).
  double reference_loss() const { return last_reference_; }

 private:
  void setup(std::shared_ptr<const Dataset> data);
  void prepare_buffers();
  // Network inputs of n rows of a split into out (n, inputs): rows[0..n) if rows, else first.. .
  void gather_inputs(bool test, const int* rows, int first, int n, Scalar* out) const;
  // Restores the state of the epoch's start and throws Divergence with divergence_message
  // (divergence.h); loss is the loss that was seen.
  [[noreturn]] void diverge(DivergenceFacts::Kind kind, double loss);
  // The divergence rule's reference for the current weights (divergence.h).
  LossReference loss_reference() const;
  void clear_epoch_sums();  // the partial sums of the epoch under way (train_batch)
  // teachcore: the objective's samples (first `samples` rows of the training split, 0 = all).
  int check_rows(int samples) const;
  Matrix check_inputs(int m) const;  // the network inputs of the first m training rows
  DenseLayer& layer_at(int layer, const std::string& what);
  // teachcore: the grid of raw inputs through the network (eval workspace); returns its rows.
  int grid_forward(double x0, double x1, double y0, double y1, int nx, int ny);
  // Forward on network inputs X (m, inputs) with the evaluation workspace; returns (m, outputs).
  const Scalar* forward_eval(const Scalar* X, int m) const;
  // Outputs (m, outputs) of a whole split into A, forward in chunks of kEvalRows rows.
  void split_outputs(bool test, std::vector<Scalar>& A) const;
  EpochMetrics evaluate_split(bool test, std::vector<Scalar>& A) const;

  Config config_;
  std::shared_ptr<const Dataset> data_;  // shared with other trainers on the same data; never changed
  FeatureMap features_;
  Network net_;
  Optimizer opt_;
  Rng shuffle_rng_{0};
  // Network inputs are the dataset's raw rows (images: bytes scaled as a batch is formed) unless the
  // feature map changes them (features, standardisation): then mapped_ and X_train_, X_test_ hold them.
  bool mapped_ = false;
  Matrix X_train_, X_test_;                     // (m, inputs), only when mapped_
  Matrix Y_train_, Y_test_;                     // network targets (m, outputs)
  std::vector<int> order_;                      // the training samples' order this epoch
  int batch_ = 0;                               // samples per mini-batch
  Matrix Xb_, Yb_;                              // (batch, inputs), (batch, outputs): the gathered batch
  Workspace train_ws_;
  mutable Workspace eval_ws_;
  mutable Matrix eval_in_;
  mutable std::vector<Scalar> eval_out_;        // (m, outputs) of the last evaluate()
  std::vector<Scalar> test_out_;                // (m_test, outputs) of the weights as they are, when fresh
  bool test_out_fresh_ = false;
  std::vector<Scalar> grid_raw_, grid_out_;
  double last_reference_ = 0;
  int epoch_ = 0;
  // The divergence rule's reference, measured at the first batch after it was reset (divergence.h).
  std::optional<LossReference> loss_ref_;
  // The state at the start of the current epoch, restored when it diverges.
  std::vector<DenseLayer> saved_layers_;
  Optimizer saved_opt_;
  Rng saved_rng_{0};
  std::vector<int> saved_order_;
  // teachcore: the epoch in progress (train_batch): next row, and its metrics' sums so far.
  int pos_ = 0;
  double loss_sum_ = 0, reference_sum_ = 0, seconds_ = 0;
  int correct_ = 0, batches_ = 0;
  std::vector<double> rms_sum_;
};

}  // namespace nnplay
