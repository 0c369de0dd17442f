// json_limits.h: bounds on a JSON document before it is parsed: its size in bytes and how deep its
// arrays and objects nest. nlohmann-json parses deep nesting fine but copies, compares, dumps and
// destroys values recursively, so a config of 60,000 nested "[" overflowed the stack (SIGSEGV) and
// each refused deep document leaked in wasm. check_json_limits scans the text once, without
// recursion and without allocating per level, and throws an Error naming the field where the limit
// is passed (e.g. `config: dataset.a.a.a…: nests deeper than 32 levels (the limit)`).
// Front ends that read files check the size first (the CLI stats the file), so an oversized file is
// refused before it is read whole; the size check here guards the other ways in (wasm, tests).
#pragma once
#include <cstddef>
#include <string>

namespace nnplay {

// A nnplay document nests 5 levels at most (model: root, layers, layer, W, row).
constexpr int kMaxJsonDepth = 32;
// Config: the largest CSV (data.h's kMaxCsvBytes, 50 MiB) written as a JSON string, where a quote
// or a newline takes two bytes, plus room for the other fields.
constexpr size_t kMaxConfigBytes = 101u << 20;
// Model: 9 layers of 1,024 units on 4,096 inputs hold 12.6 million numbers of up to 17 characters.
constexpr size_t kMaxModelBytes = 256u << 20;

// Throws Error("<what>: ...") when text is longer than max_bytes or nests deeper than kMaxJsonDepth.
// Anything else (syntax) is left to the parser: this scan only counts brackets outside strings.
void check_json_limits(const std::string& text, const char* what, size_t max_bytes);

// "101 MiB", "1.5 GiB", "800 bytes": a byte count for a message.
std::string format_bytes(double bytes);

}  // namespace nnplay
