// main.cpp: the `nnplay` command line. One program, two builds: native (build/native/nnplay) and
// Emscripten for Node (build/wasm/nnplay-cli[-scalar].cjs, which `npx nnplay` runs through
// scripts/nnplay.mjs), so both take the same arguments and give the same output and exit codes.
//   nnplay train --config run.json [--init model.json] [--out model.json] [--save-init model.json]
//                [--print json|reference]
//   nnplay gradcheck --config run.json
//   nnplay predict --model model.json --data x.csv
//   nnplay dataset --config run.json [--split train|test]
//   nnplay export --config run.json --script numpy|pytorch --out DIR
//   nnplay trace --config run.json [--init model.json] --samples 0,5
// trace prints one JSON object: every intermediate of a forward + backward pass and one optimizer
// update on those training samples (wasm/core/trace.h; README "Trace").
// train prints one JSON object per epoch; --print reference prints the reference network's lines
// instead ("Epoch 0, Loss: 1.0986" every 10th epoch). Bad input: exit 2 and one line on stderr.
// Training that diverges (a NaN or infinity): the epochs before it printed, the message on stderr,
// the last finite model written to --out if given, exit 3. Input files are refused by their size
// before they are read (config 101 MiB, model 256 MiB, CSV 50 MiB); runs needing more memory than
// NNPLAY_MAX_MEMORY (default 1 GiB, the page's limit; e.g. NNPLAY_MAX_MEMORY=8G) are refused.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../core/errors.h"
#include "../core/export_script.h"
#include "../core/json_limits.h"
#include "../core/memory_budget.h"
#include "../core/model_io.h"
#include "../core/trace.h"
#include "../core/trainer.h"

namespace {

using nnplay::Error;

struct Args {
  std::string command;
  std::map<std::string, std::string> opts;
};

const std::map<std::string, std::vector<std::string>> kCommands = {
    {"train", {"--config", "--init", "--out", "--save-init", "--print"}},
    {"gradcheck", {"--config"}},
    {"predict", {"--model", "--data"}},
    {"dataset", {"--config", "--split"}},
    {"export", {"--config", "--script", "--out"}},
    {"trace", {"--config", "--init", "--samples"}},
};

const char* kUsage =
    "usage: nnplay train --config run.json [--init model.json] [--out model.json] [--save-init model.json] "
    "[--print json|reference]\n"
    "       nnplay gradcheck --config run.json\n"
    "       nnplay predict --model model.json --data x.csv\n"
    "       nnplay dataset --config run.json [--split train|test]\n"
    "       nnplay export --config run.json --script numpy|pytorch --out DIR\n"
    "       nnplay trace --config run.json [--init model.json] --samples 0,5\n";

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

// "a", "b", "c": user names quoted one by one (errors.h).
std::string quoted_list(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + nnplay::quote(v[i]);
  return s;
}

Args parse_args(int argc, char** argv) {
  if (argc < 2) throw Error("nnplay: a command is needed (train, gradcheck, predict, dataset, export, trace)");
  Args a;
  a.command = argv[1];
  auto it = kCommands.find(a.command);
  if (it == kCommands.end())
    throw Error("nnplay: " + a.command + ": unknown command (allowed: train, gradcheck, predict, dataset, export, trace)");
  for (int i = 2; i < argc; ++i) {
    const std::string key = argv[i];
    if (std::find(it->second.begin(), it->second.end(), key) == it->second.end())
      throw Error("nnplay: " + a.command + ": " + key + ": unknown option (allowed: " + join(it->second) + ")");
    if (i + 1 >= argc) throw Error("nnplay: " + a.command + ": " + key + ": a value is needed");
    a.opts[key] = argv[++i];
  }
  return a;
}

std::string need(const Args& a, const std::string& key, const std::string& what) {
  auto it = a.opts.find(key);
  if (it == a.opts.end()) throw Error("nnplay: " + a.command + ": " + key + ": missing (" + what + ")");
  return it->second;
}

// The most bytes each input file may hold (the core's limits).
size_t max_bytes_of(const std::string& option) {
  if (option == "--data") return nnplay::kMaxCsvBytes;
  if (option == "--config") return nnplay::kMaxConfigBytes;
  return nnplay::kMaxModelBytes;  // --init, --model
}

// The file's bytes. A file over the option's limit is refused before it is read: its size from
// stat(), and anything that is not a regular file (a pipe) is read only up to the limit.
std::string read_file(const std::string& option, const std::string& path) {
  const size_t limit = max_bytes_of(option);
  const auto too_big = [&](const std::string& size) {
    return Error("nnplay: " + option + ": " + nnplay::quote(path) + " is " + size + "; the limit is " +
                 std::to_string(limit) + " bytes");
  };
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && uint64_t(st.st_size) > limit)
    throw too_big(std::to_string(st.st_size) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("nnplay: " + option + ": cannot read " + nnplay::quote(path));
  std::string text;
  std::vector<char> buf(1 << 16);
  while (in.read(buf.data(), std::streamsize(buf.size())) || in.gcount() > 0) {
    text.append(buf.data(), size_t(in.gcount()));
    if (text.size() > limit) throw too_big("more than " + std::to_string(limit) + " bytes");
  }
  return text;
}

void write_file(const std::string& option, const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out || !(out << text << "\n")) throw Error("nnplay: " + option + ": cannot write " + nnplay::quote(path));
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

int train(const Args& a) {
  const std::string print = a.opts.count("--print") ? a.opts.at("--print") : "json";
  if (print != "json" && print != "reference")
    throw Error("nnplay: train: --print: \"" + print + "\" is not allowed (json or reference)");
  nnplay::Trainer t(read_file("--config", need(a, "--config", "the run's config JSON file")));
  // A model file with a training state continues its run (epoch count, optimizer state, shuffling).
  if (a.opts.count("--init")) {
    const std::string note = t.import_model(read_file("--init", a.opts.at("--init")));
    if (!note.empty()) std::cerr << "nnplay: train: --init: " << note << "\n";
  }
  // The initial weights only, without a training state (for the NumPy oracle).
  if (a.opts.count("--save-init")) write_file("--save-init", a.opts.at("--save-init"), t.export_model(false));
  if (print == "reference" && t.config().loss != nnplay::Loss::cce)
    throw Error("nnplay: train: --print: \"reference\" needs loss cce (the reference network's loss)");
  for (int e = 0; e < t.config().epochs; ++e) {
    nnplay::EpochMetrics m;
    try {
      m = t.train_epoch();
    } catch (const nnplay::Divergence&) {
      // The trainer kept the last finite weights: they are the model to write.
      if (a.opts.count("--out")) write_file("--out", a.opts.at("--out"), t.export_model());
      throw;
    }
    if (print == "json") {
      std::cout << nnplay::metrics_to_json(m) << "\n" << std::flush;
    } else if (e % 10 == 0) {
      char line[64];
      std::snprintf(line, sizeof line, "Epoch %d, Loss: %.4f", e, t.reference_loss());
      std::cout << line << "\n" << std::flush;
    }
  }
  if (a.opts.count("--out")) write_file("--out", a.opts.at("--out"), t.export_model());
  return 0;
}

int gradcheck(const Args& a) {
  nnplay::Trainer t(read_file("--config", need(a, "--config", "the run's config JSON file")));
  // The central difference is evaluated in float64 (gradient_check.h), so float64's step serves.
  for (const auto& g : t.gradient_check(nnplay::kGradCheckStep))
    std::cout << "{\"tensor\":\"" << g.name << "\",\"max_rel_error\":" << fmt(g.max_rel_error) << "}\n";
  return 0;
}

int predict(const Args& a) {
  const nnplay::Model model = nnplay::model_from_json(read_file("--model", need(a, "--model", "a model JSON file")));
  const nnplay::CsvTable csv = nnplay::parse_csv(read_file("--data", need(a, "--data", "a CSV file of inputs")));
  // Columns are found by name; others (a target, say) are ignored.
  std::vector<int> cols;
  for (const std::string& name : model.raw_names) {
    auto it = std::find(csv.header.begin(), csv.header.end(), name);
    if (it == csv.header.end())
      throw Error("nnplay: predict: --data: column " + nnplay::quote(name) + " is missing (the model needs " +
                  quoted_list(model.raw_names) + ")");
    cols.push_back(static_cast<int>(it - csv.header.begin()));
  }
  const int m = static_cast<int>(csv.rows.size()), d = static_cast<int>(cols.size());
  nnplay::Matrix raw(m, d);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < d; ++j) {
      const std::string& cell = csv.rows[i][cols[j]];
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (cell.empty() || *end != '\0' || !std::isfinite(v))
        throw Error("csv: data row " + std::to_string(i + 1) + " (line " + std::to_string(csv.lines[i]) + "), column " +
                    std::to_string(cols[j] + 1) + " (" + nnplay::quote(csv.header[cols[j]]) + "): " + nnplay::quote(cell) +
                    " is not a number");
      raw(i, j) = static_cast<nnplay::Scalar>(v);
    }
  nnplay::Matrix X(m, model.features.inputs());
  model.features.apply(raw.data(), m, X.data());
  nnplay::Workspace ws;
  const nnplay::Scalar* A = m ? model.net.forward(X.data(), m, ws) : nullptr;
  const int n = model.net.outputs();
  const bool classify = model.task == "classification";
  for (int j = 0; j < n; ++j) std::cout << (j ? "," : "") << "y" << j;
  std::cout << (classify ? ",class\n" : "\n");
  for (int i = 0; i < m; ++i) {
    const nnplay::Scalar* a = A + size_t(i) * n;
    int k = 0;
    for (int j = 0; j < n; ++j) {
      std::cout << (j ? "," : "") << fmt(a[j]);
      if (a[j] > a[k]) k = j;
    }
    if (classify) {
      const int cls = n == 1 ? (a[0] >= 0.5f ? 1 : 0) : k;
      std::cout << "," << (size_t(cls) < model.classes.size() ? model.classes[cls] : std::to_string(cls));
    }
    std::cout << "\n";
  }
  return 0;
}

// The network's inputs and targets, as the first layer sees them (for the NumPy oracle).
int dataset(const Args& a) {
  const std::string split = a.opts.count("--split") ? a.opts.at("--split") : "train";
  if (split != "train" && split != "test")
    throw Error("nnplay: dataset: --split: \"" + split + "\" is not allowed (train or test)");
  nnplay::Trainer t(read_file("--config", need(a, "--config", "the run's config JSON file")));
  const nnplay::Matrix& raw = split == "train" ? t.dataset().raw_train : t.dataset().raw_test;
  const nnplay::Matrix& target = split == "train" ? t.dataset().target_train : t.dataset().target_test;
  const int m = static_cast<int>(raw.rows()), n_in = t.network().inputs(), n_out = t.network().outputs();
  nnplay::Matrix X(m, n_in);
  nnplay::make_feature_map(t.config(), t.dataset()).apply(raw.data(), m, X.data());
  const nnplay::Matrix Y = nnplay::encode_targets(target, n_out, t.dataset().task == "classification");
  for (int j = 0; j < n_in; ++j) std::cout << "x" << j << ",";
  for (int j = 0; j < n_out; ++j) std::cout << "y" << j << (j + 1 < n_out ? "," : "\n");
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n_in; ++j) std::cout << fmt(X(i, j)) << ",";
    for (int j = 0; j < n_out; ++j) std::cout << fmt(Y(i, j)) << (j + 1 < n_out ? "," : "\n");
  }
  return 0;
}

// The take-home files (wasm/core/export_script.h): DIR/train.py, data.json, init.json, config.json.
// Prints the path of each file written.
int export_script(const Args& a) {
  const std::string config = read_file("--config", need(a, "--config", "the run's config JSON file"));
  const std::string script = need(a, "--script", "numpy or pytorch");
  const std::string dir = need(a, "--out", "the folder to write train.py and its data into");
  const std::vector<nnplay::ExportedFile> files = nnplay::export_script(config, script);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw Error("nnplay: export: --out: cannot create the folder \"" + dir + "\"");
  for (const nnplay::ExportedFile& f : files) {
    const std::string path = (std::filesystem::path(dir) / f.name).string();
    std::ofstream out(path, std::ios::binary);
    if (!out || !(out << f.content)) throw Error("nnplay: export: --out: cannot write \"" + path + "\"");
    std::cout << path << "\n";
  }
  return 0;
}

// One forward + backward pass and one update on chosen training samples, every intermediate kept.
int trace(const Args& a) {
  nnplay::Trainer t(read_file("--config", need(a, "--config", "the run's config JSON file")));
  if (a.opts.count("--init")) {
    const std::string note = t.import_model(read_file("--init", a.opts.at("--init")));
    if (!note.empty()) std::cerr << "nnplay: trace: --init: " << note << "\n";
  }
  nnplay::TraceRequest request;
  request.samples = nnplay::parse_sample_list(need(a, "--samples", "training sample numbers, e.g. 0,5"),
                                              "nnplay: trace: --samples");
  std::cout << nnplay::trace_to_json(t.trace(request)) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (const char* v = std::getenv("NNPLAY_MAX_MEMORY")) {
      size_t bytes = 0;
      if (!nnplay::parse_byte_size(v, bytes))
        throw Error("nnplay: NNPLAY_MAX_MEMORY: " + nnplay::quote(v) +
                    " is not allowed (a size in bytes, or with K, M, G: 8G)");
      nnplay::set_memory_limit(bytes);
    }
    const Args a = parse_args(argc, argv);
    if (a.command == "train") return train(a);
    if (a.command == "gradcheck") return gradcheck(a);
    if (a.command == "predict") return predict(a);
    if (a.command == "export") return export_script(a);
    if (a.command == "trace") return trace(a);
    return dataset(a);
  } catch (const nnplay::Divergence& e) {
    std::cerr << e.what() << "\n";
    return 3;
  } catch (const Error& e) {
    std::cerr << e.what() << "\n";
    if (argc < 2) std::cerr << kUsage;
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "nnplay: out of memory (NNPLAY_MAX_MEMORY is " << nnplay::format_bytes(double(nnplay::memory_limit()))
              << "): use fewer samples, smaller layers or a smaller batch\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "nnplay: internal error: " << e.what() << "\n";
    return 1;
  }
}
