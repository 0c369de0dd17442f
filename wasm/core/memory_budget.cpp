// memory_budget.cpp: the memory a run needs and the limit (see memory_budget.h).
#include "memory_budget.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "config.h"
#include "data.h"
#include "errors.h"
#include "json_limits.h"
#include "scalar.h"

namespace nnplay {
namespace {

size_t g_limit = 0;  // 0: the default

}  // namespace

size_t memory_limit() { return g_limit ? g_limit : kDefaultMemoryLimit; }
void set_memory_limit(size_t bytes) { g_limit = bytes; }

bool parse_byte_size(const std::string& text, size_t& out) {
  const char* s = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(s, &end);
  if (end == s || !(v > 0) || !std::isfinite(v)) return false;
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  for (char& ch : unit) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  double scale = 1;
  if (!unit.empty() && unit.front() == 'K') scale = 1024.0;
  else if (!unit.empty() && unit.front() == 'M') scale = 1024.0 * 1024;
  else if (!unit.empty() && unit.front() == 'G') scale = 1024.0 * 1024 * 1024;
  else if (!unit.empty() && unit.front() == 'T') scale = 1024.0 * 1024 * 1024 * 1024;
  if (scale > 1) unit.erase(0, 1);
  if (unit != "" && unit != "B" && unit != "IB") return false;
  const double bytes = v * scale;
  if (bytes > 1e18) return false;
  out = static_cast<size_t>(bytes);
  return out > 0;
}

// Every buffer a Trainer holds, in Scalars (S bytes each), for layers of units n_1..n_L on n_0 inputs:
//   data:       raw inputs and targets of both splits (m (raw_dims + 1)), the network inputs and
//               targets (m (inputs + outputs)); predictions size their buffers by the caller's rows
//   network:    per layer P_l = n_{l-1} n_l + n_l parameters, held as the weights, the gradients
//               and the optimizer's states, all twice (the copy kept at each epoch's start for
//               divergence), and W^T in each of the two workspaces: P (6 + 2 states)
//   training:   the batch (b (inputs + outputs)) and its workspace Z, A, dZ: 3 b sum n_l
//   evaluation: the workspace for a whole split (the larger: the page evaluates the training
//               split): 3 m_max sum n_l
MemoryNeed memory_need(const RunShape& s) {
  const double S = sizeof(Scalar);
  const double m = s.m_train + s.m_test, m_max = std::max(s.m_train, s.m_test);
  const double outputs = s.units.empty() ? 1 : s.units.back();
  double params = 0, units = 0, n_prev = s.inputs;
  for (int n : s.units) {
    params += n_prev * n + n;
    units += n;
    n_prev = n;
  }
  MemoryNeed need;
  need.data = S * (m * (s.raw_dims + 1) + m * (s.inputs + outputs));
  need.network = S * params * (6 + 2 * s.optimizer_states);
  need.training = S * (s.batch * (s.inputs + outputs) + 3 * s.batch * units);
  need.evaluation = S * 3 * m_max * units;
  return need;
}

RunShape config_shape(const Config& c, double raw_dims, double inputs) {
  RunShape s;
  const DatasetConfig& d = c.dataset;
  const double m = d.samples, m_test = test_count(d.samples, d.test_ratio);
  s.m_train = m - m_test;
  s.m_test = m_test;
  s.raw_dims = raw_dims;
  s.inputs = inputs;
  for (const LayerConfig& l : c.layers) s.units.push_back(l.units);
  s.batch = c.batch_size == 0 || c.batch_size > s.m_train ? s.m_train : c.batch_size;
  s.optimizer_states = c.optimizer.kind == OptimizerKind::sgd ? 0 : c.optimizer.kind == OptimizerKind::adam ? 2 : 1;
  return s;
}

void check_memory(const RunShape& s) {
  const MemoryNeed need = memory_need(s);
  const double limit = double(memory_limit());
  if (need.total() <= limit) return;
  throw Error("config: this run needs about " + format_bytes(need.total()) + " of memory (data " +
              format_bytes(need.data) + ", network " + format_bytes(need.network) + ", training batches " +
              format_bytes(need.training) + ", evaluation " + format_bytes(need.evaluation) + "); the limit is " +
              format_bytes(limit) +
#ifdef __EMSCRIPTEN__
              " (the WebAssembly module's maximum memory): use fewer samples, smaller layers or a smaller batch");
#else
              " (NNPLAY_MAX_MEMORY): use fewer samples, smaller layers or a smaller batch");
#endif
}

}  // namespace nnplay
