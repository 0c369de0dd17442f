// memory_budget.h: how much memory a training run needs, computed from its shapes before anything
// is allocated, and the limit it must stay under. A run over the limit is refused with an Error
// that names what it would need and the limit, instead of ending in std::bad_alloc (wasm) or in
// many gigabytes of swap (native).
// The limit: in WebAssembly the module's maximum memory (CMakeLists.txt's NNPLAY_MAX_MEMORY, given
// to the core as the compile definition NNPLAY_MAX_MEMORY_BYTES, the same value as the link flag
// -sMAXIMUM_MEMORY). Natively the same value by default, so a config accepted by the CLI is
// accepted by the page; the CLI raises or lowers it from the environment variable
// NNPLAY_MAX_MEMORY (README "Limits").
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace nnplay {

struct Config;

#ifndef NNPLAY_MAX_MEMORY_BYTES
#error "NNPLAY_MAX_MEMORY_BYTES is defined by CMakeLists.txt (the wasm module's maximum memory)"
#endif
constexpr size_t kDefaultMemoryLimit = size_t(NNPLAY_MAX_MEMORY_BYTES);

// The limit checked by check_memory (default kDefaultMemoryLimit); set_memory_limit(0) restores it.
size_t memory_limit();
void set_memory_limit(size_t bytes);
// "1 GiB", "512M", "2000000000": bytes with an optional K, M, G (powers of 1024, "iB"/"B" allowed);
// returns false when text is not such a number.
bool parse_byte_size(const std::string& text, size_t& out);

// The shapes of one run: samples of each split, raw columns, network inputs, layer units, batch.
struct RunShape {
  double m_train = 0, m_test = 0;
  double raw_dims = 0, inputs = 0;
  std::vector<int> units;
  double batch = 0;
  int optimizer_states = 0;  // tensors of optimizer state per parameter (sgd 0, momentum 1, adam 2)
};

// Bytes the trainer holds for this shape, by part (see memory_budget.cpp for each term).
struct MemoryNeed {
  double data = 0, network = 0, training = 0, evaluation = 0;
  double total() const { return data + network + training + evaluation; }
};
MemoryNeed memory_need(const RunShape& s);

// The shape a config asks for, before its dataset exists: samples and columns from the config
// (random: dataset.inputs; the 2-D sets: 2 raw columns and the chosen features). A CSV's columns
// are known only once it is read: raw_dims and inputs are then 0 and the caller checks again.
RunShape config_shape(const Config& c, double raw_dims, double inputs);

// Throws Error("config: this run needs about 9.3 GiB of memory (...); the limit is 1 GiB ...")
// when memory_need(s) is over memory_limit().
void check_memory(const RunShape& s);

}  // namespace nnplay
