// bindings.cpp: the Embind surface of the nnplay core, and the only file that includes Emscripten.
// It registers functions and converts types; it holds no math and no state. What it is not: the
// engine API. web/js/engine.mjs wraps this module (config objects, thrown errors, freed-handle
// checks) and is what the page's worker, Node and `npx nnplay` use.
//
// Rules kept here:
// - Every call into the core is guarded: a C++ exception would reach JS as a bare number (a
//   pointer). It is caught here and handed back as a JS Error object with the core's exact message;
//   engine.mjs throws it. (Thrown from here it would leak wasm heap and stack: see guarded().)
// - Bulk data leaves as typed arrays copied out of wasm memory: a memory growth detaches every view.
// - No constructors are bound (two Embind constructors of one arity stop the module loading):
//   createTrainer is a factory returning an owned handle that JS must delete().
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/stack.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/config.h"
#include "core/data.h"
#include "core/errors.h"
#include "core/image_asset.h"
#include "core/export_script.h"
#include "core/json_limits.h"
#include "core/kernel.h"
#include "core/memory_budget.h"
#include "core/model_io.h"
#include "core/trace.h"
#include "core/trainer.h"

using emscripten::val;
using nnplay::Scalar;
using nnplay::Trainer;

namespace {

// ---- errors ---------------------------------------------------------------------------------

// Runs f and returns its result as a JS value; an exception from the core comes back as a JS Error
// object carrying the core's exact message (with .internal = true for exceptions other than
// nnplay::Error, which the CLI reports as internal errors). It is returned, not thrown: a JS throw
// out of wasm skips the Embind invoker's cleanup, which leaked the argument copies (48 bytes of
// heap) and 16 bytes of wasm stack per error when measured. engine.mjs throws it.
// Divergence comes back marked: error.diverged = true, error.epoch (the finished epochs, whose
// weights the trainer kept) and, from trainEpochs(n), error.metrics (the epochs finished before).
// Out of memory is an input error here (a config too large for the module), not internal.
val metrics_object(const nnplay::EpochMetrics& m);
template <typename F>
val guarded(F&& f) {
  std::string message;
  bool internal = false;
  val diverged = val::undefined();
  try {
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      return val::undefined();
    } else {
      return val(f());
    }
  } catch (const nnplay::Divergence& e) {
    message = e.what();
    diverged = val::object();
    diverged.set("epoch", e.epoch);
    val done = val::array();
    if (const auto* run = dynamic_cast<const nnplay::DivergedRun*>(&e))
      for (const auto& m : run->completed) done.call<void>("push", metrics_object(m));
    diverged.set("metrics", done);
  } catch (const nnplay::Error& e) {
    message = e.what();
  } catch (const std::bad_alloc&) {
    message = "out of memory (the WebAssembly module's limit is " +
              nnplay::format_bytes(double(nnplay::memory_limit())) +
              "): use fewer samples, smaller layers or a smaller batch";
  } catch (const std::exception& e) {
    message = e.what();
    internal = true;
  } catch (...) {
    message = "unknown exception";
    internal = true;
  }
  val error = val::global("Error").new_(message);
  if (internal) error.set("internal", true);
  if (!diverged.isUndefined()) {
    error.set("diverged", true);
    error.set("epoch", diverged["epoch"]);
    error.set("metrics", diverged["metrics"]);
  }
  return error;
}

// ---- conversions ----------------------------------------------------------------------------

// A copy (not a view) of n Scalars: a Float32Array (Float64Array in the NNPLAY_DOUBLE build).
val copy_out(const Scalar* data, size_t n) {
  return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}

// A JS typed array or array of numbers, copied into wasm memory.
std::vector<Scalar> copy_in(const val& numbers) {
  return emscripten::convertJSArrayToNumberVector<Scalar>(numbers);
}

val string_array(const std::vector<std::string>& strings) {
  val out = val::array();
  for (const std::string& s : strings) out.call<void>("push", s);
  return out;
}

val optional_number(const std::optional<double>& x) { return x ? val(*x) : val::null(); }

val metrics_object(const nnplay::EpochMetrics& m) {
  val o = val::object();
  o.set("epoch", m.epoch);
  o.set("loss", m.loss);
  o.set("accuracy", optional_number(m.accuracy));
  o.set("test_loss", optional_number(m.test_loss));
  o.set("test_accuracy", optional_number(m.test_accuracy));
  o.set("seconds", m.seconds);
  val rms = val::array();  // teachcore: gradient flow, RMS of dW per layer (trainer.h)
  for (double r : m.grad_rms) rms.call<void>("push", r);
  o.set("grad_rms", rms);
  return o;
}

val split_object(const nnplay::Matrix& x, const nnplay::Matrix& y) {
  val o = val::object();
  o.set("x", copy_out(x.data(), size_t(x.size())));
  o.set("y", copy_out(y.data(), size_t(y.size())));
  o.set("m", int(x.rows()));
  return o;
}

val layer_object(const nnplay::DenseLayer& layer) {
  val l = val::object();
  l.set("inputs", layer.inputs());
  l.set("units", layer.units());
  l.set("activation", nnplay::activation_name(layer.activation));
  return l;
}

// ---- module functions -----------------------------------------------------------------------

val normalize_config(const std::string& text) {
  return guarded([&] { return nnplay::config_to_json(nnplay::parse_config(text)); });
}

// The trainer comes back as an owned handle: JS must delete() it (engine.mjs's free()).
val create_trainer(const std::string& config_json) {
  return guarded([&] { return std::make_unique<Trainer>(config_json); });
}

// ---- image sets ---------------------------------------------------------------------------

// Labelled images in wasm memory (core/image_asset.h), held once: the trainers made on them share
// them, so JS may delete() this handle while they live.
struct Images {
  std::shared_ptr<const nnplay::ImageSet> set;
};

// A Uint8Array's bytes, copied into wasm memory by one TypedArray.set (not element by element:
// convertJSArrayToNumberVector took 2 s for the 30,000 Fashion-MNIST images). The view is taken
// after the allocation, which may grow (and detach) wasm memory; the core allocates (asset_buffer).
std::vector<uint8_t> bytes_in(const val& array) {
  const size_t n = array["length"].as<size_t>();
  std::vector<uint8_t> out = nnplay::asset_buffer(n);
  if (n) val(emscripten::typed_memory_view(n, out.data())).call<void>("set", array);
  return out;
}

// The image asset's bytes (a Uint8Array; format in core/image_asset.h) -> an owned Images handle.
val load_images(const val& asset, const std::string& name) {
  return guarded([&] { return std::make_unique<Images>(Images{nnplay::read_image_asset(bytes_in(asset), name)}); });
}

// An asset arriving in pieces (core/image_asset.h ImageAssetBuilder): begun with its first bytes
// (a Uint8Array holding at least its 32-byte header), each piece written straight into its place in
// wasm memory by one TypedArray.set, then finished into an Images handle.
struct AssetBuilder {
  std::unique_ptr<nnplay::ImageAssetBuilder> b;
};
val begin_asset(const val& head, const std::string& name) {
  return guarded([&] {
    const std::vector<uint8_t> h = bytes_in(head);
    return std::make_unique<AssetBuilder>(AssetBuilder{std::make_unique<nnplay::ImageAssetBuilder>(h.data(), h.size(), name)});
  });
}
val asset_write(AssetBuilder& a, const val& piece) {
  return guarded([&] {
    const size_t n = piece["length"].as<size_t>();
    uint8_t* at = a.b->next(n);  // before the view: next() never allocates, so the view stays valid
    if (n) val(emscripten::typed_memory_view(n, at)).call<void>("set", piece);
    return double(a.b->written());
  });
}
val asset_finish(AssetBuilder& a) {
  return guarded([&] { return std::make_unique<Images>(Images{a.b->finish()}); });
}
double asset_size(const AssetBuilder& a) { return double(a.b->size()); }

// The same from separate arrays: images holds pixels (bytes per image; rows and cols optional),
// trainPixels and testPixels (Uint8Arrays, one image per row), trainLabels and testLabels (Uint8Arrays
// of class indices) and classNames; engine.mjs has checked their types.
val make_images(const val& images) {
  return guarded([&] {
    const size_t pixels = images["pixels"].as<size_t>();
    const int rows = images["rows"].isUndefined() ? 1 : images["rows"].as<int>();
    const int cols = images["cols"].isUndefined() ? int(pixels) : images["cols"].as<int>();
    const std::vector<uint8_t> train_labels = bytes_in(images["trainLabels"]), test_labels = bytes_in(images["testLabels"]);
    const std::vector<uint8_t> train_pixels = bytes_in(images["trainPixels"]), test_pixels = bytes_in(images["testPixels"]);
    if (size_t(rows) * size_t(cols) != pixels || train_pixels.size() != train_labels.size() * pixels ||
        test_pixels.size() != test_labels.size() * pixels)
      throw nnplay::Error("images: the pixel arrays do not hold " + std::to_string(pixels) + " bytes for each label");
    return std::make_unique<Images>(Images{nnplay::make_image_set(
        rows, cols, emscripten::vecFromJSArray<std::string>(images["classNames"]), train_pixels.data(),
        train_labels.data(), int(train_labels.size()), test_pixels.data(), test_labels.data(), int(test_labels.size()))});
  });
}

// { rows, cols, pixels, classNames, train, test }: sizes and image counts.
val images_info(const Images& im) {
  const nnplay::ImageSet& s = *im.set;
  val o = val::object();
  o.set("rows", s.rows);
  o.set("cols", s.cols);
  o.set("pixels", s.pixels());
  o.set("classNames", string_array(s.class_names));
  o.set("train", s.m_train);
  o.set("test", s.m_test);
  return o;
}

// A split's { pixels, labels, m }: Uint8Array copies, for display.
val images_split(const Images& im, bool test) {
  const nnplay::ImageSet& s = *im.set;
  const size_t m = size_t(test ? s.m_test : s.m_train);
  val o = val::object();
  o.set("pixels", val(emscripten::typed_memory_view(m * s.pixels(), s.pixel_rows(test))).call<val>("slice"));
  o.set("labels", val(emscripten::typed_memory_view(m, s.labels(test))).call<val>("slice"));
  o.set("m", int(m));
  return o;
}

// A trainer on an image set (fashion_mnist): its pixels are shared, not copied.
val create_trainer_on_images(const std::string& config_json, const Images& im) {
  return guarded([&] {
    const nnplay::Config config = nnplay::parse_config(config_json);
    if (config.dataset.name != "fashion_mnist")
      throw nnplay::Error("config: dataset.name: \"" + config.dataset.name + "\" does not train on images (fashion_mnist does)");
    return std::make_unique<Trainer>(config, nnplay::images_dataset(config.dataset, im.set));
  });
}

// A trainer sharing another's data when the config keeps it (Trainer::data_for), else on new data.
val create_trainer_like(const std::string& config_json, const Trainer& other) {
  return guarded([&] {
    const nnplay::Config config = nnplay::parse_config(config_json);
    return std::make_unique<Trainer>(config, Trainer::data_for(config, other));
  });
}

// The core's input limits, for front ends that check a file before reading it (npx nnplay).
val limits() {
  val o = val::object();
  o.set("configBytes", double(nnplay::kMaxConfigBytes));
  o.set("modelBytes", double(nnplay::kMaxModelBytes));
  o.set("csvBytes", double(nnplay::kMaxCsvBytes));
  o.set("jsonDepth", nnplay::kMaxJsonDepth);
  o.set("memoryBytes", double(nnplay::memory_limit()));
  return o;
}

// User text as the core quotes it in a message (errors.h): one line, escaped, cut with "…".
std::string quote_text(const std::string& text) { return nnplay::quote(text); }

std::string kernel_variant() { return nnplay::kernel::current_variant(); }

// The config table, the datasets and the limits as JSON text (config.h: config_schema_json).
std::string config_schema() { return nnplay::config_schema_json(); }

// What the core makes of a CSV with this target ("" = last column) and task: { header, target, task,
// classes, classNames, rawNames, rawDims, rows, error }; error is null or { message, row, line,
// column } (row and column 1-based, 0 where the error is not about one).
val describe_csv(const std::string& text, const std::string& target, const std::string& task) {
  return guarded([&] {
    const nnplay::CsvDescription d = nnplay::describe_csv(text, target, task);
    val o = val::object();
    o.set("header", string_array(d.header));
    o.set("target", d.target);
    o.set("task", d.task);
    o.set("classes", int(d.class_names.size()));
    o.set("classNames", string_array(d.class_names));
    o.set("rawNames", string_array(d.raw_names));
    o.set("rawDims", int(d.raw_names.size()));
    o.set("rows", d.rows);
    if (d.error.empty()) {
      o.set("error", val::null());
    } else {
      val e = val::object();
      e.set("message", d.error);
      e.set("row", d.error_row);
      e.set("line", d.error_line);
      e.set("column", d.error_column);
      o.set("error", e);
    }
    return o;
  });
}

// The core's size error for a CSV file of this many bytes (undefined when it is within the limit).
val check_csv_size(double bytes) {
  return guarded([&] { nnplay::check_csv_size(size_t(bytes)); });
}

// Heap figures for leak tests: the wasm memory size and the bytes malloc has handed out, plus the
// stack pointer (a frame left without its epilogue would show as a drifting value).
val memory_stats() {
  const struct mallinfo mi = mallinfo();
  val o = val::object();
  o.set("heapSize", double(emscripten_get_heap_size()));
  o.set("inUse", double(mi.uordblks));
  o.set("stackPointer", double(emscripten_stack_get_current()));
  return o;
}

// C's printf for one number ("%.9g", "%.4f"): the CLI's number formats, rounded as natively
// (JS's toPrecision and toFixed round exact ties the other way).
val format_number(const std::string& style, int precision, double value) {
  return guarded([&] {
    if ((style != "g" && style != "f") || precision < 0 || precision > 17)
      throw nnplay::Error("formatNumber: " + style + " " + std::to_string(precision) +
                          " is not allowed (style g or f, precision 0 to 17)");
    char buf[400];
    std::snprintf(buf, sizeof buf, style == "g" ? "%.*g" : "%.*f", precision, value);
    return std::string(buf);
  });
}

// CSV text -> { header: [names], rows: [[cells as text]] }.
val parse_csv(const std::string& text) {
  return guarded([&] {
    const nnplay::CsvTable table = nnplay::parse_csv(text);
    val rows = val::array();
    for (const auto& row : table.rows) rows.call<void>("push", string_array(row));
    val o = val::object();
    o.set("header", string_array(table.header));
    o.set("rows", rows);
    return o;
  });
}

// What a model file needs and gives: { task, classes, rawNames, features, inputs, outputs, layers }.
val model_info(const std::string& model_json) {
  return guarded([&] {
    const nnplay::Model model = nnplay::model_from_json(model_json);
    val o = val::object();
    o.set("task", model.task);
    o.set("classes", string_array(model.classes));
    o.set("rawNames", string_array(model.raw_names));
    o.set("features", string_array(model.features.features));
    o.set("inputs", model.net.inputs());
    o.set("outputs", model.net.outputs());
    val layers = val::array();
    for (const auto& layer : model.net.layers()) layers.call<void>("push", layer_object(layer));
    o.set("layers", layers);
    return o;
  });
}

// A model file's outputs for m rows of raw inputs (its rawNames, in order): (m * outputs).
val model_predict(const std::string& model_json, const val& raw, int m) {
  return guarded([&] {
    const nnplay::Model model = nnplay::model_from_json(model_json);
    const std::vector<Scalar> x = copy_in(raw);
    const int d = model.features.raw_dims;
    if (m < 0 || x.size() != size_t(m) * size_t(d))
      throw nnplay::Error("predict: " + std::to_string(x.size()) + " numbers is not allowed (" +
                          std::to_string(m) + " rows of " + std::to_string(d) + ")");
    if (m == 0) return copy_out(nullptr, 0);
    nnplay::Matrix X(m, model.features.inputs());
    model.features.apply(x.data(), m, X.data());
    nnplay::Workspace ws;
    const Scalar* A = model.net.forward(X.data(), m, ws);
    return copy_out(A, size_t(m) * size_t(model.net.outputs()));
  });
}

// The take-home files of a config (export_script.h): { files: { "train.py": text, "data.json": ..., ... } }.
val export_script(const std::string& config_json, const std::string& script) {
  return guarded([&] {
    val files = val::object();
    for (const nnplay::ExportedFile& f : nnplay::export_script(config_json, script))
      files.set(f.name, f.content);
    val o = val::object();
    o.set("files", files);
    return o;
  });
}

// ---- Trainer methods ------------------------------------------------------------------------

val config_json(const Trainer& t) {
  return guarded([&] { return nnplay::config_to_json(t.config()); });
}

int epoch(const Trainer& t) { return t.epoch(); }

val info(const Trainer& t) {
  return guarded([&] {
    const nnplay::Dataset& d = t.dataset();
    val layers = val::array();
    for (const auto& layer : t.network().layers()) layers.call<void>("push", layer_object(layer));
    val o = val::object();
    o.set("inputs", t.network().inputs());
    o.set("outputs", t.network().outputs());
    o.set("task", d.task);
    o.set("classes", d.classes);
    o.set("classNames", string_array(d.class_names));
    o.set("rawDims", d.raw_dims);
    o.set("rawNames", string_array(d.raw_names));
    // The network's input columns: the chosen features, or the raw columns (csv).
    const nnplay::FeatureMap map = nnplay::make_feature_map(t.config(), d);
    o.set("features", string_array(map.features.empty() ? d.raw_names : map.features));
    o.set("layers", layers);
    return o;
  });
}

val train_epochs(Trainer& t, int n) {
  return guarded([&] {
    const std::vector<nnplay::EpochMetrics> ms = t.train(n);
    val out = val::array();
    for (const auto& m : ms) out.call<void>("push", metrics_object(m));
    return out;
  });
}

// The same training, returned as the native CLI's lines (nnplay::metrics_to_json).
val metrics_lines(Trainer& t, int n) {
  return guarded([&] {
    const std::vector<nnplay::EpochMetrics> ms = t.train(n);
    val out = val::array();
    for (const auto& m : ms) out.call<void>("push", nnplay::metrics_to_json(m));
    return out;
  });
}

double reference_loss(const Trainer& t) { return t.reference_loss(); }

val evaluate(const Trainer& t, bool test) {
  return guarded([&] {
    const nnplay::EpochMetrics m = t.evaluate(test);
    val o = val::object();
    o.set("loss", m.loss);
    o.set("accuracy", optional_number(m.accuracy));
    return o;
  });
}

val data(const Trainer& t) {
  return guarded([&] {
    const nnplay::Dataset& d = t.dataset();
    val o = val::object();
    // Images are scaled into a temporary copy; other data is copied out as it is held.
    const nnplay::Matrix train = d.images ? d.raw_copy(false) : nnplay::Matrix();
    const nnplay::Matrix test = d.images ? d.raw_copy(true) : nnplay::Matrix();
    o.set("train", split_object(d.images ? train : d.raw_train, d.target_train));
    o.set("test", split_object(d.images ? test : d.raw_test, d.target_test));
    return o;
  });
}

val reset(Trainer& t) {
  return guarded([&] { t.reset(); });
}

// The outputs (m_test * outputs) on the test split, kept from the last epoch's evaluation.
val test_outputs(Trainer& t) {
  return guarded([&] {
    const std::vector<Scalar>& out = t.test_outputs();
    return copy_out(out.data(), out.size());
  });
}

// A split as the first layer sees it: X (m * inputs) after the feature map and standardisation,
// Y (m * outputs) encoded as the loss reads it (0/1, one-hot or values).
val network_data(const Trainer& t, bool test) {
  return guarded([&] {
    const nnplay::Dataset& d = t.dataset();
    const nnplay::Matrix raw = d.raw_copy(test);
    const nnplay::Matrix& target = test ? d.target_test : d.target_train;
    const int m = int(raw.rows()), n_in = t.network().inputs(), n_out = t.network().outputs();
    nnplay::Matrix X(m, n_in);
    nnplay::make_feature_map(t.config(), d).apply(raw.data(), m, X.data());
    const nnplay::Matrix Y = nnplay::encode_targets(target, n_out, d.task == "classification");
    val o = val::object();
    o.set("x", copy_out(X.data(), size_t(X.size())));
    o.set("y", copy_out(Y.data(), size_t(Y.size())));
    o.set("m", m);
    o.set("inputs", n_in);
    o.set("outputs", n_out);
    return o;
  });
}

// raw: a typed array (or array) of m * rawDims numbers.
val predict(const Trainer& t, const val& raw, int m) {
  return guarded([&] {
    const std::vector<Scalar> x = copy_in(raw);
    const int d = t.dataset().raw_dims;
    if (m < 0 || x.size() != size_t(m) * size_t(d))
      throw nnplay::Error("predict: " + std::to_string(x.size()) + " numbers is not allowed (" +
                          std::to_string(m) + " rows of " + std::to_string(d) + ")");
    const std::vector<Scalar> y = t.predict_raw(x.data(), m);
    return copy_out(y.data(), y.size());
  });
}

val predict_grid(Trainer& t, double x0, double x1, double y0, double y1, int nx, int ny) {
  return guarded([&] {
    const std::vector<Scalar>& out = t.predict_grid(x0, x1, y0, y1, nx, ny);
    return copy_out(out.data(), out.size());
  });
}

val params(const Trainer& t) {
  return guarded([&] {
    val list = val::array();
    for (const auto& layer : t.network().layers()) {
      val l = layer_object(layer);
      l.set("W", copy_out(layer.W.data(), size_t(layer.W.size())));
      l.set("b", copy_out(layer.b.data(), size_t(layer.b.size())));
      l.set("dW", copy_out(layer.dW.data(), size_t(layer.dW.size())));
      l.set("db", copy_out(layer.db.data(), size_t(layer.db.size())));
      list.call<void>("push", l);
    }
    return list;
  });
}

// with_training_state (teachcore): false writes the weights only (the CLI's --save-init).
val export_model(const Trainer& t, bool with_training_state) {
  return guarded([&] { return t.export_model(with_training_state); });
}

// Returns "" or the core's note saying why the file's training state was not used.
val import_model(Trainer& t, const std::string& text) {
  return guarded([&] { return t.import_model(text); });
}

// A new optimizer part from a config's JSON text (parse_config validates it) for the running config:
// Trainer::update_settings (the same optimizer keeps its state, another starts afresh).
val set_optimizer(Trainer& t, const std::string& config_json) {
  return guarded([&] {
    nnplay::Config next = t.config();
    next.optimizer = nnplay::parse_config(config_json).optimizer;
    t.update_settings(next, /*new_optimizer=*/true);
  });
}

val gradient_check(Trainer& t, double h, int samples) {
  return guarded([&] {
    val out = val::array();
    for (const auto& g : t.gradient_check(h, samples)) {
      val o = val::object();
      o.set("name", g.name);
      o.set("max_rel_error", g.max_rel_error);
      out.call<void>("push", o);
    }
    return out;
  });
}

// ---- teachcore: the teaching views' calls (trainer.h, trace.h) --------------------------------

int epoch_position(const Trainer& t) { return t.epoch_position(); }

// One mini-batch step: { epoch, position, samples, loss, finished: metrics object or null }.
val train_batch(Trainer& t) {
  return guarded([&] {
    const nnplay::BatchResult r = t.train_batch();
    val o = val::object();
    o.set("epoch", r.epoch);
    o.set("position", r.position);
    o.set("samples", r.samples);
    o.set("loss", r.loss);
    o.set("finished", r.finished ? metrics_object(*r.finished) : val::null());
    return o;
  });
}

val update_settings(Trainer& t, const std::string& config_json) {
  return guarded([&] { t.update_settings(config_json); });
}

val set_param(Trainer& t, int layer, const std::string& tensor, int row, int col, double value) {
  return guarded([&] { t.set_param(layer, tensor, row, col, value); });
}

val gradient_check_weight(Trainer& t, int layer, const std::string& tensor, int row, int col, double h, int samples) {
  return guarded([&] {
    const nnplay::WeightCheck c = t.gradient_check_weight(layer, tensor, row, col, h, samples);
    val o = val::object();
    o.set("analytic", c.analytic);
    o.set("numeric", c.numeric);
    o.set("h", c.h);
    o.set("rel_error", c.rel_error);
    o.set("formula", std::string(nnplay::kRelErrorFormula));
    return o;
  });
}

// Every layer's activations over the grid: [Float32Array (ny * nx * units_l)], rows from y0.
val neuron_grid(Trainer& t, double x0, double x1, double y0, double y1, int nx, int ny) {
  return guarded([&] {
    val out = val::array();
    for (const nnplay::Matrix& A : t.neuron_grid(x0, x1, y0, y1, nx, ny))
      out.call<void>("push", copy_out(A.data(), size_t(A.size())));
    return out;
  });
}

// A JS array of numbers (or typed array) as a (rows, cols) matrix; the core checks the shape.
nnplay::Matrix matrix_in(const val& numbers, int rows, int cols, const std::string& name) {
  const std::vector<Scalar> v = copy_in(numbers);
  if (v.size() != size_t(rows) * size_t(cols))
    throw nnplay::Error("trace: " + name + ": " + std::to_string(v.size()) + " numbers is not allowed (" +
                        std::to_string(rows) + " x " + std::to_string(cols) + ")");
  return nnplay::ConstMatrixMap(v.data(), rows, cols);
}

// samples: array of training-sample numbers; x, y: null or m * inputs / m * outputs numbers;
// params: null or [{ W (inputs * units), b (units) }] for every layer. Returns the trace's JSON text.
val trace(const Trainer& t, const val& samples, const val& x, const val& y, const val& params) {
  return guarded([&] {
    nnplay::TraceRequest r;
    r.samples = emscripten::vecFromJSArray<int>(samples);
    const int m = int(r.samples.size());
    if (!x.isNull() && !x.isUndefined()) r.X = matrix_in(x, m, t.network().inputs(), "X");
    if (!y.isNull() && !y.isUndefined()) r.Y = matrix_in(y, m, t.network().outputs(), "Y");
    if (!params.isNull() && !params.isUndefined()) {
      const auto& layers = t.network().layers();
      const size_t n = params["length"].as<size_t>();
      if (n != layers.size())
        throw nnplay::Error("trace: params: " + std::to_string(n) + " layers is not allowed (all " +
                            std::to_string(layers.size()) + ")");
      for (size_t l = 0; l < n; ++l) {
        const std::string k = std::to_string(l + 1);
        r.W.push_back(matrix_in(params[l]["W"], layers[l].inputs(), layers[l].units(), "W" + k));
        r.b.push_back(matrix_in(params[l]["b"], 1, layers[l].units(), "b" + k));
      }
    }
    return nnplay::trace_to_json(t.trace(r));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(nnplay) {
  using emscripten::function;

  function("normalizeConfig", &normalize_config);
  function("createTrainer", &create_trainer);
  function("loadImages", &load_images);
  function("makeImages", &make_images);
  function("beginAsset", &begin_asset);
  function("createTrainerOnImages", &create_trainer_on_images);
  function("createTrainerLike", &create_trainer_like);
  function("kernelVariant", &kernel_variant);
  function("configSchema", &config_schema);
  function("describeCsv", &describe_csv);
  function("checkCsvSize", &check_csv_size);
  function("memoryStats", &memory_stats);
  function("formatNumber", &format_number);
  function("parseCsv", &parse_csv);
  function("modelInfo", &model_info);
  function("modelPredict", &model_predict);
  function("exportScript", &export_script);
  function("limits", &limits);
  function("quote", &quote_text);

  emscripten::class_<AssetBuilder>("AssetBuilder")
      .function("write", &asset_write)
      .function("finish", &asset_finish)
      .function("size", &asset_size);

  emscripten::class_<Images>("Images")
      .function("info", &images_info)
      .function("split", &images_split);

  emscripten::class_<Trainer>("Trainer")
      .function("configJson", &config_json)
      .function("epoch", &epoch)
      .function("info", &info)
      .function("trainEpochs", &train_epochs)
      .function("metricsLines", &metrics_lines)
      .function("referenceLoss", &reference_loss)
      .function("evaluate", &evaluate)
      .function("data", &data)
      .function("networkData", &network_data)
      .function("predict", &predict)
      .function("predictGrid", &predict_grid)
      .function("params", &params)
      .function("exportModel", &export_model)
      .function("importModel", &import_model)
      .function("gradientCheck", &gradient_check)
      .function("reset", &reset)
      .function("testOutputs", &test_outputs)
      .function("setOptimizer", &set_optimizer)
      // teachcore
      .function("epochPosition", &epoch_position)
      .function("trainBatch", &train_batch)
      .function("updateSettings", &update_settings)
      .function("setParam", &set_param)
      .function("gradientCheckWeight", &gradient_check_weight)
      .function("neuronGrid", &neuron_grid)
      .function("trace", &trace);
}
