// export_script.cpp: writes the take-home files (see export_script.h). The two Python scripts are
// templates (export_script_numpy.inc, export_script_pytorch.inc) whose {{NAME}} marks are filled
// here from the run: its constants, and for PyTorch the nn.Sequential, the loss and the optimizer as
// code. nnplay's generator (rng.h) is ported to Python once, below, and goes into both scripts.
#include "export_script.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>
#include <nlohmann/json.hpp>

#include "errors.h"

namespace nnplay {
namespace {

const char* const kNumpyTemplate =
#include "export_script_numpy.inc"
    ;

const char* const kPytorchTemplate =
#include "export_script_pytorch.inc"
    ;

// rng.h in Python, line for line: Python integers are unbounded, so every product and shift is
// masked back to 32 or 64 bits. tests/export checks it against the C++ generator's output.
const char* const kPythonRng = R"PY(
# ---- nnplay's random generator (wasm/core/rng.h) in Python, so the shuffles are nnplay's ---------
MASK32, MASK64 = 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK32


class Rng:
    """xoshiro128** (Blackman and Vigna, 2018) on four 32-bit words, seeded through SplitMix64."""

    def __init__(self, seed):
        self.s = []
        for _ in range(4):
            seed = (seed + 0x9E3779B97F4A7C15) & MASK64
            z = seed
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
            self.s.append((z ^ (z >> 31)) >> 32)

    def next_u32(self):
        """32 random bits."""
        s = self.s
        result = (rotl((s[1] * 5) & MASK32, 7) * 9) & MASK32
        t = (s[1] << 9) & MASK32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def below(self, n):
        """A uniform integer in [0, n), n >= 1, without modulo bias (Lemire's multiply-and-reject)."""
        m = self.next_u32() * n
        if (m & MASK32) < n:
            threshold = (2**32 - n) % n
            while (m & MASK32) < threshold:
                m = self.next_u32() * n
        return m >> 32

    def shuffle(self, v):
        """Fisher-Yates in place, from the last position down: every order equally likely."""
        for i in range(len(v), 1, -1):
            j = self.below(i)
            v[i - 1], v[j] = v[j], v[i - 1]
)PY";

// ---- Python text ------------------------------------------------------------------------------

std::string py_number(double x) { return nlohmann::json(x).dump(); }  // shortest round trip: 0.03, 1e-08
std::string py_bool(bool b) { return b ? "True" : "False"; }
std::string py_string(const std::string& s) { return nlohmann::json(s).dump(); }

// Replaces every {{KEY}} of the template; a mark left over is a bug here, not bad input.
std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    const std::string mark = "{{" + key + "}}";
    for (size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size()))
      text.replace(at, mark.size(), value);
  }
  for (size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
    const size_t end = text.find("}}", at);
    const std::string key = end == std::string::npos ? "" : text.substr(at + 2, end - at - 2);
    if (!key.empty() && key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == std::string::npos)
      throw std::logic_error("export_script: the template mark {{" + key + "}} was not filled");
  }
  return text;
}

// ---- the run ----------------------------------------------------------------------------------

struct Run {
  const Config& config;
  const Dataset& data;
  Model model;  // the trainer's input map and initial network, exactly (through its model file)
  int m_train, m_test, batch;
};

Run make_run(const Trainer& t) {
  Run r{t.config(), t.dataset(), model_from_json(t.export_model()), 0, 0, 0};
  r.m_train = static_cast<int>(r.data.raw_train.rows());
  r.m_test = static_cast<int>(r.data.raw_test.rows());
  const int b = r.config.batch_size;
  r.batch = b == 0 || b > r.m_train ? r.m_train : b;
  return r;
}

std::string optimizer_label(const OptimizerConfig& o) {
  if (o.kind == OptimizerKind::momentum) return (o.nesterov ? "Nesterov momentum " : "momentum ") + py_number(o.momentum);
  return optimizer_name(o.kind);
}

// Words of text in lines of at most width characters.
std::string wrap(const std::string& text, size_t width) {
  std::string out, line, word;
  std::istringstream words(text);
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) out += line + "\n", line.clear();
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

// "The run: a 2-8-8-1 network (tanh, tanh, sigmoid) with bce and sgd on xor (320 training, 80 test
// samples)." in lines of 100 characters.
std::string summary(const Run& r) {
  std::string shape = std::to_string(r.model.net.inputs()), acts;
  for (const DenseLayer& L : r.model.net.layers()) {
    shape += "-" + std::to_string(L.units());
    acts += (acts.empty() ? "" : ", ") + activation_name(L.activation);
  }
  return wrap("The run: a " + shape + " network (" + acts + ") with " + loss_name(r.model.net.loss()) + " and " +
                  optimizer_label(r.config.optimizer) + " on " + r.data.name + " (" + std::to_string(r.m_train) +
                  " training, " + std::to_string(r.m_test) + " test samples).",
              100);
}

std::string loss_comment(Loss loss) {
  switch (loss) {
    case Loss::bce: return "sigmoid output + binary cross-entropy, fused";
    case Loss::cce: return "softmax output + categorical cross-entropy, fused";
    case Loss::mse: return "mean squared error over samples and outputs";
  }
  return "";
}

// The L1 penalty l1 sum |W| (config field "l1", 0 where this core has none), read from the
// normalized config so that the scripts follow the field wherever the core defines it.
double l1_of(const Config& c) { return nlohmann::json::parse(config_to_json(c)).value("l1", 0.0); }

// The constants both scripts share, then each script's own.
std::string common_constants(const Run& r) {
  const Config& c = r.config;
  std::string s;
  s += "LOSS = " + py_string(loss_name(r.model.net.loss())) + "  # " + loss_comment(r.model.net.loss()) + "\n";
  s += "BATCH_SIZE = " + std::to_string(r.batch) + "  # samples per mini-batch" +
       (r.batch == r.m_train ? " (the full batch: all " + std::to_string(r.m_train) + " training samples)" : "") + "\n";
  s += "EPOCHS = " + std::to_string(c.epochs) + "\n";
  s += "L2 = " + py_number(c.l2) + "  # lambda: the penalty lambda/2 ||W||^2 per layer, biases excluded\n";
  s += "L1 = " + py_number(l1_of(c)) + "  # the penalty L1 sum |W| per layer, biases excluded\n";
  s += "SHUFFLE = " + py_bool(c.shuffle) + "  # reshuffle the training samples every epoch\n";
  s += "SHUFFLE_SEED = " + std::to_string(uint64_t(c.seed) + 0x100000000ull) +
       "  # nnplay's shuffling stream: the config's seed (" + std::to_string(c.seed) + ") + 2**32\n";
  s += "CLASSIFICATION = " + py_bool(r.data.task == "classification") + "  # accuracy is reported for classification only\n";
  return s;
}

std::string numpy_constants(const Run& r) {
  const OptimizerConfig& o = r.config.optimizer;
  std::string layers;
  for (const DenseLayer& L : r.model.net.layers())
    layers += (layers.empty() ? "" : ", ") + std::string("(") + std::to_string(L.units()) + ", " +
              py_string(activation_name(L.activation)) + ")";
  std::string s = "LAYERS = [" + layers + "]  # (units, activation) per layer, the output layer last\n";
  s += common_constants(r);
  s += "OPTIMIZER = " + py_string(optimizer_name(o.kind)) + "\n";
  s += "LEARNING_RATE = " + py_number(o.learning_rate) + "\n";
  s += "MOMENTUM, NESTEROV = " + py_number(o.momentum) + ", " + py_bool(o.nesterov) + "  # momentum only\n";
  s += "BETA1, BETA2, EPSILON = " + py_number(o.beta1) + ", " + py_number(o.beta2) + ", " + py_number(o.epsilon) +
       "  # adam only\n";
  return s;
}

// ---- PyTorch code -----------------------------------------------------------------------------

std::string torch_activation(Activation a) {
  switch (a) {
    case Activation::relu: return "nn.ReLU()";
    case Activation::leaky_relu: return "nn.LeakyReLU(0.01)";
    case Activation::sigmoid: return "nn.Sigmoid()";
    case Activation::tanh: return "nn.Tanh()";
    case Activation::softmax: return "nn.Softmax(dim=1)";
    case Activation::linear: return "";
  }
  return "";
}

// One line per layer: "        nn.Linear(2, 8), nn.Tanh(),". With bce and cce the output layer's
// sigmoid or softmax is inside the loss (logits out of the model), as PyTorch prefers.
std::string torch_model(const Run& r) {
  const auto& layers = r.model.net.layers();
  const bool fused = r.model.net.loss() != Loss::mse;
  std::string s;
  for (size_t l = 0; l < layers.size(); ++l) {
    const DenseLayer& L = layers[l];
    const bool last = l + 1 == layers.size();
    s += "        nn.Linear(" + std::to_string(L.inputs()) + ", " + std::to_string(L.units()) + "),";
    const std::string act = torch_activation(L.activation);
    if (last && fused)
      s += "  # its " + activation_name(L.activation) + " is inside the loss";
    else if (!act.empty())
      s += " " + act + ",";
    else
      s += "  # linear";
    if (!last) s += "\n";
  }
  return s;
}

std::string torch_loss(Loss loss) {
  switch (loss) {
    case Loss::bce:
      return "# sigmoid + binary cross-entropy: the model gives logits z and nn.BCEWithLogitsLoss applies the\n"
             "# sigmoid inside the loss; its gradient is nnplay's fused dZ = (A - Y) / m.\n"
             "loss_fn = nn.BCEWithLogitsLoss()\n\n\n"
             "def output_activation(outputs):\n"
             "    \"\"\"The output layer's sigmoid, which the model leaves to the loss.\"\"\"\n"
             "    return torch.sigmoid(outputs)\n\n\n"
             "def targets(Y):\n"
             "    \"\"\"What loss_fn compares the outputs with: the 0/1 labels.\"\"\"\n"
             "    return Y";
    case Loss::cce:
      return "# softmax + cross-entropy: the model gives logits and nn.CrossEntropyLoss applies log-softmax\n"
             "# inside the loss; its gradient is nnplay's fused dZ = (A - Y) / m.\n"
             "loss_fn = nn.CrossEntropyLoss()\n\n\n"
             "def output_activation(outputs):\n"
             "    \"\"\"The output layer's softmax, which the model leaves to the loss.\"\"\"\n"
             "    return torch.softmax(outputs, dim=1)\n\n\n"
             "def targets(Y):\n"
             "    \"\"\"What loss_fn compares the outputs with: class indices (data.json holds one-hot rows).\"\"\"\n"
             "    return Y.argmax(dim=1)";
    case Loss::mse:
      return "# mean squared error: nn.MSELoss's mean runs over samples and outputs, as nnplay's mse.\n"
             "loss_fn = nn.MSELoss()\n\n\n"
             "def output_activation(outputs):\n"
             "    \"\"\"The model's outputs are already activated (its last layer).\"\"\"\n"
             "    return outputs\n\n\n"
             "def targets(Y):\n"
             "    \"\"\"What loss_fn compares the outputs with: the targets as they are.\"\"\"\n"
             "    return Y";
  }
  return "";
}

std::string torch_optimizer(const OptimizerConfig& o) {
  const std::string lr = py_number(o.learning_rate);
  if (o.kind == OptimizerKind::sgd || (o.kind == OptimizerKind::momentum && o.momentum == 0))
    return "    # P -= lr g" + std::string(o.kind == OptimizerKind::sgd ? "" : " (momentum 0 is plain SGD)") +
           "\n    return torch.optim.SGD(groups, lr=" + lr + ")";
  if (o.kind == OptimizerKind::momentum)
    return "    # PyTorch's momentum is nnplay's: v = mu v + g; P -= lr v (nesterov: P -= lr (g + mu v)),\n"
           "    # (PyTorch's buffer starts as the first gradient, nnplay's at 0: both give v = g at step 1.)\n"
           "    return torch.optim.SGD(groups, lr=" + lr + ", momentum=" + py_number(o.momentum) +
           ", nesterov=" + py_bool(o.nesterov) + ")";
  return "    # torch.optim.Adam's update is nnplay's (Kingma and Ba's Algorithm 1, epsilon outside the square\n"
         "    # root and added after the bias correction): P -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t)\n"
         "    # + eps), which is lr * m_hat / (sqrt(v_hat) + eps); only the rounding differs.\n"
         "    return torch.optim.Adam(groups, lr=" + lr + ", betas=(" + py_number(o.beta1) + ", " +
         py_number(o.beta2) + "), eps=" + py_number(o.epsilon) + ")";
}

// ---- data.json --------------------------------------------------------------------------------

// Enough digits to read back the same Scalar (float32: 9, double: 17).
void append_number(std::string& out, Scalar v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, sizeof(Scalar) == 4 ? "%.9g" : "%.17g", double(v));
  out += buf;
}

// [[row], [row], ...], one row per line.
void append_rows(std::string& out, const Matrix& M) {
  out += "[";
  for (Eigen::Index i = 0; i < M.rows(); ++i) {
    out += i ? ",\n  [" : "\n  [";
    for (Eigen::Index j = 0; j < M.cols(); ++j) {
      if (j) out += ",";
      append_number(out, M(i, j));
    }
    out += "]";
  }
  out += M.rows() ? "\n]" : "]";
}

std::string data_json(const Run& r) {
  const bool classify = r.data.task == "classification";
  const int n_in = r.model.net.inputs(), n_out = r.model.net.outputs();
  nlohmann::ordered_json head;
  head["format"] = "nnplay-export-data";
  head["version"] = 1;
  head["dataset"] = r.data.name;
  head["task"] = r.data.task;
  head["inputs"] = n_in;
  head["outputs"] = n_out;
  head["input_names"] = r.model.features.features.empty() ? r.data.raw_names : r.model.features.features;
  head["classes"] = r.data.class_names;
  std::string out = head.dump();
  out.pop_back();  // the closing brace: the splits follow
  const auto split = [&](const char* name, const Matrix& raw, const Matrix& target, bool x) {
    out += ",\n\"" + std::string(name) + "\":";
    if (x) {
      Matrix X(raw.rows(), n_in);
      if (raw.rows()) r.model.features.apply(raw.data(), static_cast<int>(raw.rows()), X.data());
      append_rows(out, X);
    } else {
      append_rows(out, encode_targets(target, n_out, classify));
    }
  };
  split("X_train", r.data.raw_train, r.data.target_train, true);
  split("Y_train", r.data.raw_train, r.data.target_train, false);
  split("X_test", r.data.raw_test, r.data.target_test, true);
  split("Y_test", r.data.raw_test, r.data.target_test, false);
  out += "\n}\n";
  return out;
}

}  // namespace

const std::vector<std::string>& export_script_names() {
  static const std::vector<std::string> names = {"numpy", "pytorch"};
  return names;
}

std::vector<ExportedFile> export_script(const Trainer& t, const std::string& script) {
  const auto& names = export_script_names();
  if (std::find(names.begin(), names.end(), script) == names.end())
    throw Error("export: script: " + py_string(script) + " is not allowed (numpy or pytorch)");
  if (t.epoch() != 0)
    throw Error("export: the run has trained " + std::to_string(t.epoch()) +
                " epochs (the scripts start from the initial weights: export a fresh run)");
  const Run r = make_run(t);
  std::map<std::string, std::string> values = {
      {"SUMMARY", summary(r)},
      {"RNG", kPythonRng},
  };
  std::string py;
  if (script == "numpy") {
    values["RUN"] = numpy_constants(r);
    py = fill(kNumpyTemplate, values);
  } else {
    values["RUN"] = common_constants(r);
    values["MODEL"] = torch_model(r);
    values["LOSS_FN"] = torch_loss(r.model.net.loss());
    values["OPTIMIZER"] = torch_optimizer(r.config.optimizer);
    py = fill(kPytorchTemplate, values);
  }
  return {{"train.py", py},
          {"data.json", data_json(r)},
          {"init.json", t.export_model() + "\n"},
          {"config.json", config_to_json(t.config()) + "\n"}};
}

std::vector<ExportedFile> export_script(const std::string& config_json, const std::string& script) {
  const Trainer t(config_json);
  return export_script(t, script);
}

}  // namespace nnplay
