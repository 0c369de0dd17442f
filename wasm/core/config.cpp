// config.cpp: the config table (config_fields), JSON -> Config with validation by it, and back.
// Uses nlohmann-json (Debian's package).
#include "config.h"

#include <nlohmann/json.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <type_traits>

#include "data.h"
#include "errors.h"
#include "json_limits.h"

namespace nnplay {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& field, const json& value, const std::string& allowed) {
  // The value as JSON (one line, control characters escaped), cut to a readable length.
  throw Error("config: " + field + ": " + shorten(value.dump()) + " is not allowed (" + allowed + ")");
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

bool contains(const std::vector<std::string>& names, const std::string& s) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

// Refuses fields that are not in `known`, so a typo never silently falls back to a default.
void check_fields(const json& obj, const std::string& where, const std::vector<std::string>& known) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (!contains(known, it.key()))
      throw Error("config: " + where + (where.empty() ? "" : ".") + one_line(it.key()) + ": unknown field (allowed: " +
                  join(known) + ")");
}

const json* field(const json& obj, const std::string& key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

// "0.9", "10", "4294967295": a limit as the messages and the page print it.
std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", x);
  return buf;
}

// ---- the table ------------------------------------------------------------------------------

// A field's section ("" for top-level fields) and its key inside it.
std::string section_of(const std::string& path) {
  const size_t dot = path.find('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}
std::string leaf_of(const std::string& path) { return path.substr(path.find('.') + 1); }

template <typename Ref>
ConfigField plain(const char* path, const char* key, const char* label, FieldKind kind, Ref ref) {
  ConfigField f;
  f.path = path;
  f.key = key;
  f.label = label;
  f.kind = kind;
  f.get = [ref](const Config& c) { return json(ref(const_cast<Config&>(c))); };
  f.set = [ref](Config& c, const json& v) {
    auto& out = ref(c);
    using T = std::decay_t<decltype(out)>;
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) out = static_cast<T>(v.get<double>());
    else out = v.get<T>();
  };
  return f;
}

template <typename Ref>
ConfigField integer(const char* path, const char* key, const char* label, long long lo, long long hi, Ref ref) {
  ConfigField f = plain(path, key, label, FieldKind::integer, ref);
  f.lo = double(lo);
  f.hi = double(hi);
  f.allowed = "an integer " + std::to_string(lo) + " to " + std::to_string(hi);
  return f;
}

// Closed at both ends: "a number 0 to 5"; else "a number > 0 and <= 10".
template <typename Ref>
ConfigField number(const char* path, const char* key, const char* label, double lo, double hi, bool lo_open,
                   bool hi_open, Ref ref) {
  ConfigField f = plain(path, key, label, FieldKind::number, ref);
  f.lo = lo;
  f.hi = hi;
  f.lo_open = lo_open;
  f.hi_open = hi_open;
  f.allowed = !lo_open && !hi_open ? "a number " + number_text(lo) + " to " + number_text(hi)
                                   : std::string("a number ") + (lo_open ? "> " : ">= ") + number_text(lo) +
                                         (hi_open ? " and < " : " and <= ") + number_text(hi);
  return f;
}

template <typename Ref>
ConfigField boolean(const char* path, const char* key, const char* label, Ref ref) {
  ConfigField f = plain(path, key, label, FieldKind::boolean, ref);
  f.allowed = "true or false";
  return f;
}

// An enum of the core: names in enum order (names.h), read and written by name.
template <typename Enum>
ConfigField choice(const char* path, const char* key, const char* label, const std::vector<std::string>& names,
                   Enum& (*ref)(Config&)) {
  ConfigField f;
  f.path = path;
  f.key = key;
  f.label = label;
  f.kind = FieldKind::choice;
  f.values = names;
  f.allowed = "one of " + join(names);
  f.get = [ref, names](const Config& c) { return json(names[static_cast<int>(ref(const_cast<Config&>(c)))]); };
  f.set = [ref, names](Config& c, const json& v) { parse_enum(names, v.get<std::string>(), ref(c)); };
  return f;
}

template <typename Ref>
ConfigField name_choice(const char* path, const char* key, const char* label, const std::vector<std::string>& names,
                        Ref ref) {
  ConfigField f = plain(path, key, label, FieldKind::choice, ref);
  f.values = names;
  f.allowed = "one of " + join(names);
  return f;
}

// A field with its page steps: by `by`, or along a ladder of marks per decade (see Stepping).
ConfigField stepped(ConfigField f, double by) {
  f.stepping.by = by;
  return f;
}
ConfigField stepped(ConfigField f, StepScale scale, std::vector<double> marks, double first = 0) {
  f.stepping = {scale, 0, std::move(marks), first};
  return f;
}

#define REF(expr) [](Config& c) -> auto& { return c.expr; }

std::vector<ConfigField> make_fields() {
  std::vector<ConfigField> t;
  {
    ConfigField f = name_choice("dataset.name", "data", "Dataset", dataset_names(), REF(dataset.name));
    for (const DatasetInfo& d : dataset_infos()) f.labels.push_back(d.label);
    t.push_back(f);
  }
  t.push_back(stepped(integer("dataset.samples", "samples", "Samples", 10, kMaxSamples, REF(dataset.samples)), StepScale::log, {1, 2, 5}));
  t.push_back(stepped(number("dataset.noise", "noise", "Noise", 0, 5, false, false, REF(dataset.noise)), 0.05));
  t.push_back(stepped(number("dataset.test_ratio", "test", "Test ratio", 0, 0.9, false, false, REF(dataset.test_ratio)), 0.05));
  t.push_back(integer("dataset.seed", "dseed", "Data seed", 0, kMaxSeed, REF(dataset.seed)));
  t.push_back(integer("dataset.arms", "arms", "Spiral arms", 2, 8, REF(dataset.arms)));
  for (ConfigField f : {integer("dataset.inputs", "", "", 1, 4096, REF(dataset.inputs)),
                        integer("dataset.classes", "", "", 2, 100, REF(dataset.classes))}) {
    f.only = f.used_by = {"random"};
    auto get = f.get;
    f.get = [get](const Config& c) { return c.dataset.name == "random" ? get(c) : json(); };
    t.push_back(f);
  }
  {
    ConfigField f = plain("dataset.csv", "", "", FieldKind::text, REF(dataset.csv));
    f.allowed = "the CSV text as a string";
    f.only = f.used_by = {"csv"};
    f.get = [](const Config& c) { return c.dataset.name == "csv" ? json(c.dataset.csv) : json(); };
    t.push_back(f);
  }
  {
    ConfigField f = plain("dataset.target", "target", "Target column", FieldKind::text, REF(dataset.target));
    f.allowed = "a column name";
    f.only = f.used_by = {"csv"};
    f.get = [](const Config& c) {
      return c.dataset.name == "csv" && !c.dataset.target.empty() ? json(c.dataset.target) : json();
    };
    t.push_back(f);
  }
  {
    ConfigField f = name_choice("dataset.task", "task", "Task", {"auto", "classification", "regression"},
                                REF(dataset.task));
    f.labels = {"auto (from the target)", "classification", "regression"};
    f.used_by = {"csv"};
    t.push_back(f);
  }
  t.push_back(boolean("dataset.standardize", "std", "Standardize", REF(dataset.standardize)));
  {
    ConfigField f;
    f.path = "network.features";
    f.key = "feat";
    f.label = "Input features";
    f.kind = FieldKind::features;
    f.values = feature_names();
    f.allowed = "a non-empty list of " + join(feature_names());
    f.get = [](const Config& c) { return c.features.empty() ? json() : json(c.features); };
    f.set = [](Config& c, const json& v) { c.features = v.get<std::vector<std::string>>(); };
    t.push_back(f);
  }
  {
    ConfigField f;
    f.path = "network.layers";
    f.key = "hidden";
    f.label = "Hidden layers";
    f.kind = FieldKind::layers;
    f.lo = 1;  // units
    f.hi = kMaxUnits;
    f.values = activation_names();
    f.allowed = "a list of 1 to " + std::to_string(kMaxLayers) + " layers, the last one the output";
    f.get = [](const Config& c) {
      json layers = json::array();
      for (const LayerConfig& l : c.layers)
        layers.push_back({{"units", l.units}, {"activation", activation_name(l.activation)}});
      return layers;
    };
    f.set = [](Config& c, const json& v) {
      c.layers.clear();
      for (const json& l : v) {
        LayerConfig lc;
        lc.units = l["units"].get<int>();
        parse_activation(l["activation"].get<std::string>(), lc.activation);
        c.layers.push_back(lc);
      }
    };
    t.push_back(f);
  }
  t.push_back(choice("loss", "loss", "Loss", loss_names(), +[](Config& c) -> Loss& { return c.loss; }));
  {
    ConfigField f = choice("init", "init", "Initialisation", init_names(), +[](Config& c) -> Init& { return c.init; });
    f.labels = {"Xavier uniform", "Xavier normal", "He normal", "He uniform"};
    t.push_back(f);
  }
  {
    ConfigField f = choice("optimizer.name", "opt", "Optimizer", optimizer_names(),
                           +[](Config& c) -> OptimizerKind& { return c.optimizer.kind; });
    f.labels = {"SGD", "SGD + momentum", "Adam"};
    t.push_back(f);
  }
  t.push_back(stepped(number("optimizer.learning_rate", "lr", "Learning rate", 0, 10, true, false, REF(optimizer.learning_rate)),
                      StepScale::log, {1, 3}));
  t.push_back(stepped(number("optimizer.momentum", "mom", "Momentum", 0, 1, false, true, REF(optimizer.momentum)),
                      StepScale::log_gap, {1, 3}));
  t.push_back(boolean("optimizer.nesterov", "nest", "Nesterov", REF(optimizer.nesterov)));
  t.push_back(stepped(number("optimizer.beta1", "b1", "Beta 1", 0, 1, false, true, REF(optimizer.beta1)), StepScale::log_gap, {1, 3}));
  t.push_back(stepped(number("optimizer.beta2", "b2", "Beta 2", 0, 1, false, true, REF(optimizer.beta2)), StepScale::log_gap, {1, 3}));
  t.push_back(stepped(number("optimizer.epsilon", "eps", "Epsilon", 0, 1, true, false, REF(optimizer.epsilon)), StepScale::log, {1}));
  t.push_back(stepped(integer("batch_size", "batch", "Batch size (0 = full)", 0, kMaxSamples, REF(batch_size)), StepScale::log,
                      {1, 2, 5}, 1));
  t.push_back(stepped(integer("epochs", "epochs", "Epochs (Play stops here)", 1, kMaxEpochs, REF(epochs)), StepScale::log, {1, 2, 5}));
  t.push_back(stepped(number("l2", "l2", "L2 (weight decay)", 0, 1, false, false, REF(l2)), StepScale::log, {1, 3}, 1e-4));
  t.push_back(integer("seed", "seed", "Seed", 0, kMaxSeed, REF(seed)));
  t.push_back(boolean("shuffle", "shuffle", "Shuffle each epoch", REF(shuffle)));
  // The L1 penalty l1 sum |W|, last: after the fields that predate it.
  t.push_back(stepped(number("l1", "l1", "L1", 0, 1, false, false, REF(l1)), StepScale::log, {1, 3}, 1e-4));
  return t;
}

#undef REF

// The keys of a section ("" for the top level) in table order: the allowed-field list.
std::vector<std::string> section_keys(const std::string& section) {
  std::vector<std::string> keys;
  for (const ConfigField& f : config_fields()) {
    const std::string key = section.empty() ? (section_of(f.path).empty() ? f.path : section_of(f.path))
                                            : (section_of(f.path) == section ? leaf_of(f.path) : "");
    if (!key.empty() && !contains(keys, key)) keys.push_back(key);
  }
  return keys;
}

// ---- checking one value ---------------------------------------------------------------------

// A number or integer inside the field's range (range first: casting a double beyond long long's
// range would be undefined behaviour); returns the value to set.
json check_number(const ConfigField& f, const std::string& name, const json& v) {
  if (!v.is_number()) fail(name, v, f.allowed);
  const double x = v.get<double>();
  const bool ok = (f.lo_open ? x > f.lo : x >= f.lo) && (f.hi_open ? x < f.hi : x <= f.hi);
  if (!ok || (f.kind == FieldKind::integer && x != std::floor(x))) fail(name, v, f.allowed);
  return f.kind == FieldKind::integer ? json(static_cast<long long>(x)) : json(x);
}

void check_features(const ConfigField& f, const json& v) {
  if (!v.is_array() || v.empty()) fail(f.path, v, f.allowed);
  std::set<std::string> seen;
  for (size_t i = 0; i < v.size(); ++i) {
    const json& x = v[i];
    const std::string where = f.path + "[" + std::to_string(i) + "]";
    if (!x.is_string() || !contains(f.values, x.get<std::string>())) fail(where, x, "one of " + join(f.values));
    if (!seen.insert(x.get<std::string>()).second) fail(where, x, "each feature once");
  }
}

json check_layers(const ConfigField& f, const json& v) {
  if (!v.is_array() || v.empty() || v.size() > size_t(kMaxLayers)) fail(f.path, v, f.allowed);
  const std::string units = "an integer 1 to " + std::to_string(kMaxUnits);
  const std::string activations = "one of " + join(f.values);
  json out = json::array();
  for (size_t i = 0; i < v.size(); ++i) {
    const json& lj = v[i];
    const std::string where = f.path + "[" + std::to_string(i) + "]";
    if (!lj.is_object()) fail(where, lj, "an object with units and activation");
    check_fields(lj, where, {"units", "activation"});
    const json* u = field(lj, "units");
    if (!u) throw Error("config: " + where + ".units: missing (" + units + ")");
    if (!u->is_number() || !(u->get<double>() >= f.lo && u->get<double>() <= f.hi) ||
        u->get<double>() != std::floor(u->get<double>()))
      fail(where + ".units", *u, units);
    const json* a = field(lj, "activation");
    if (!a) throw Error("config: " + where + ".activation: missing (" + activations + ")");
    if (!a->is_string() || !contains(f.values, a->get<std::string>())) fail(where + ".activation", *a, activations);
    if (a->get<std::string>() == "softmax" && i + 1 != v.size())
      throw Error("config: " + where + ".activation: \"softmax\" is not allowed in a hidden layer (only as the "
                  "output layer, fused with cce)");
    out.push_back({{"units", static_cast<int>(u->get<double>())}, {"activation", *a}});
  }
  return out;
}

// The value to set for field f, or throws naming the field.
json check_value(const ConfigField& f, const json& v) {
  switch (f.kind) {
    case FieldKind::integer:
    case FieldKind::number: return check_number(f, f.path, v);
    case FieldKind::boolean:
      if (!v.is_boolean()) fail(f.path, v, f.allowed);
      return v;
    case FieldKind::choice:
      if (!v.is_string() || !contains(f.values, v.get<std::string>())) fail(f.path, v, f.allowed);
      return v;
    case FieldKind::text:
      if (!v.is_string()) fail(f.path, v, f.allowed);
      return v;
    case FieldKind::features: check_features(f, v); return v;
    case FieldKind::layers: return check_layers(f, v);
  }
  return v;
}

}  // namespace

const std::vector<DatasetInfo>& dataset_infos() {
  static const std::vector<DatasetInfo> infos = [] {
    const auto gen = [](const char* name, const char* label, const char* task, int dims, int classes) {
      DatasetInfo d;
      d.name = name;
      d.label = label;
      d.task = task;
      d.dims = dims;
      d.classes = classes;
      d.planar = true;
      return d;
    };
    std::vector<DatasetInfo> v = {gen("circle", "circle", "classification", 2, 2),
                                  gen("xor", "xor", "classification", 2, 2),
                                  gen("gaussians", "gaussians", "classification", 2, 2),
                                  gen("spiral", "spiral", "classification", 2, 0),
                                  gen("moons", "moons", "classification", 2, 2),
                                  gen("sine", "sine (regression)", "regression", 1, 0),
                                  gen("plane", "plane (regression)", "regression", 2, 0)};
    v[3].classes_field = "dataset.arms";
    DatasetInfo csv;
    csv.name = "csv";
    csv.label = "your CSV file";
    DatasetInfo random;
    random.name = "random";
    random.label = "random (benchmarks)";
    random.task = "classification";
    random.classes_field = "dataset.classes";
    random.offered = false;
    DatasetInfo fashion;
    fashion.name = "fashion_mnist";
    fashion.label = "Fashion-MNIST (28x28 images)";
    fashion.task = "classification";
    fashion.dims = 784;
    fashion.classes = 10;
    // The 784-128-10 network, Adam and every training image of the asset.
    fashion.defaults = json{{"dataset", {{"samples", kFashionTrain}}},
                            {"network", {{"layers", {{{"units", 128}, {"activation", "relu"}},
                                                     {{"units", 10}, {"activation", "softmax"}}}}}},
                            {"loss", "cce"}, {"init", "he_normal"},
                            {"optimizer", {{"name", "adam"}, {"learning_rate", 0.001}}},
                            {"batch_size", 32}, {"epochs", 5}}.dump();
    v.push_back(csv);
    v.push_back(random);
    v.push_back(fashion);
    return v;
  }();
  return infos;
}

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const DatasetInfo& d : dataset_infos()) n.push_back(d.name);
    return n;
  }();
  return names;
}
bool is_planar_dataset(const std::string& name) {
  for (const DatasetInfo& d : dataset_infos())
    if (d.name == name) return d.planar;
  return false;
}
const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> names = {"x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"};
  return names;
}
const std::vector<std::string>& feature_names_1d() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const std::string& f : feature_names())
      if (f.find("x2") == std::string::npos) n.push_back(f);
    return n;
  }();
  return names;
}

const std::vector<ConfigField>& config_fields() {
  static const std::vector<ConfigField> fields = make_fields();
  return fields;
}

Config parse_config(const std::string& json_text) {
  check_json_limits(json_text, "config", kMaxConfigBytes);  // before parsing: size and nesting
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& e) {  // a syntax error, or a number beyond double's range
    throw Error("config: not valid JSON (" + one_line(e.what(), 160) + ")");
  }
  if (!root.is_object()) fail("(top level)", root, "a JSON object");
  check_fields(root, "", section_keys(""));
  Config c;
  // Every field in table order; a section's object is checked when its first field comes.
  std::map<std::string, json> sections = {{"", root}};
  for (const ConfigField& f : config_fields()) {
    const std::string s = section_of(f.path);
    if (!sections.count(s)) {
      const json* v = field(root, s);
      if (v && !v->is_object()) fail(s, *v, "an object");
      sections[s] = v ? *v : json::object();
      check_fields(sections[s], s, section_keys(s));
    }
    if (const json* v = field(sections[s], s.empty() ? f.path : leaf_of(f.path))) f.set(c, check_value(f, *v));
  }
  const json& d = sections["dataset"];
  DatasetConfig& dc = c.dataset;
  // Fashion-MNIST pixels are scaled to [0, 1], never standardised (whatever the page sends).
  if (dc.name == "fashion_mnist") dc.standardize = false;
  for (const ConfigField& f : config_fields())
    if (!f.only.empty() && !contains(f.only, dc.name) && section_of(f.path) == "dataset" && field(d, leaf_of(f.path)))
      throw Error("config: " + f.path + ": only allowed with dataset.name \"" + join(f.only) + "\"");
  if (dc.name == "csv" && dc.csv.empty())
    throw Error("config: dataset.csv: missing (the csv dataset needs the CSV text)");
  if (field(sections["network"], "features") && !is_planar_dataset(dc.name))
    throw Error("config: network.features: not allowed with the " + dc.name + " dataset (its columns are the features)");

  // Output activation and loss must form a pair nnplay differentiates exactly.
  const Activation out = c.layers.back().activation;
  const std::string out_field = "network.layers[" + std::to_string(c.layers.size() - 1) + "].activation";
  if (out == Activation::softmax && c.loss == Loss::bce)  // teachcore: softmax with mse is allowed
    throw Error("config: loss: \"bce\" is not allowed with a softmax output (softmax pairs with cce or mse; use "
                "one of those, or another output activation)");
  if (c.loss == Loss::cce && out != Activation::softmax)
    throw Error("config: " + out_field + ": \"" + activation_name(out) + "\" is not allowed with cce (cce needs a "
                "softmax output)");
  if (c.loss == Loss::bce && out != Activation::sigmoid)
    throw Error("config: " + out_field + ": \"" + activation_name(out) + "\" is not allowed with bce (bce needs a "
                "sigmoid output)");
  if (c.loss == Loss::bce && c.layers.back().units != 1)
    throw Error("config: network.layers[" + std::to_string(c.layers.size() - 1) + "].units: " +
                std::to_string(c.layers.back().units) + " is not allowed with bce (bce needs 1 output unit; for k "
                "classes use softmax with cce)");
  return c;
}

std::string config_to_json(const Config& c) {
  json root = json::object();
  for (const ConfigField& f : config_fields()) {
    const json v = f.get(c);
    if (v.is_null()) continue;
    const std::string s = section_of(f.path);
    if (s.empty()) root[f.path] = v;
    else root[s][leaf_of(f.path)] = v;
  }
  return root.dump();
}

std::string config_schema_json() {
  const Config defaults;
  json fields = json::array();
  for (const ConfigField& f : config_fields()) {
    json o = {{"path", f.path}, {"key", f.key}, {"label", f.label}, {"allowed", f.allowed}};
    static const char* kinds[] = {"int", "number", "bool", "enum", "text", "set", "layers"};
    o["type"] = kinds[static_cast<int>(f.kind)];
    o["default"] = f.get(defaults);
    if (f.kind == FieldKind::integer || f.kind == FieldKind::number || f.kind == FieldKind::layers) {
      o["min"] = f.lo;
      o["max"] = f.hi;
    }
    if (f.kind == FieldKind::number) {
      o["minOpen"] = f.lo_open;
      o["maxOpen"] = f.hi_open;
    }
    if (f.kind == FieldKind::integer || f.kind == FieldKind::number) {
      static const char* scales[] = {"linear", "log", "log_gap"};
      const Stepping& st = f.stepping;
      o["step"] = st.scale == StepScale::linear ? json{{"scale", "linear"}, {"by", st.by}}
                                                : json{{"scale", scales[static_cast<int>(st.scale)]}, {"marks", st.marks},
                                                       {"first", st.first}};
    }
    if (!f.values.empty()) o["values"] = f.values;
    if (!f.labels.empty()) o["labels"] = f.labels;
    if (!f.only.empty()) o["only"] = f.only;
    if (!f.used_by.empty()) o["usedBy"] = f.used_by;
    if (f.kind == FieldKind::features) {
      o["default"] = {"x1", "x2"};  // the raw inputs of a 2-D dataset (1-D: x1)
      o["oneInput"] = feature_names_1d();
    }
    if (f.kind == FieldKind::layers) {
      o["maxLayers"] = kMaxLayers;
      std::vector<std::string> hidden;
      for (const std::string& a : f.values)
        if (a != "softmax") hidden.push_back(a);
      o["hiddenValues"] = hidden;
    }
    fields.push_back(o);
  }
  json datasets = json::array();
  for (const DatasetInfo& d : dataset_infos()) {
    json o = {{"name", d.name}, {"label", d.label}, {"task", d.task.empty() ? json() : json(d.task)},
              {"dims", d.dims}, {"classes", d.classes}, {"planar", d.planar}, {"offered", d.offered}};
    if (!d.classes_field.empty()) o["classesField"] = d.classes_field;
    if (!d.defaults.empty()) o["defaults"] = json::parse(d.defaults);
    datasets.push_back(o);
  }
  json limits = {{"maxLayers", kMaxLayers},        {"maxUnits", kMaxUnits},         {"maxSamples", kMaxSamples},
                 {"maxEpochs", kMaxEpochs},        {"maxSeed", kMaxSeed},           {"fashionTrain", kFashionTrain},
                 {"csvBytes", kMaxCsvBytes},       {"csvRows", kMaxCsvRows},        {"csvColumns", kMaxCsvColumns},
                 {"maxClasses", kMaxClasses}};
  return json{{"fields", fields}, {"datasets", datasets}, {"limits", limits}}.dump();
}

}  // namespace nnplay
