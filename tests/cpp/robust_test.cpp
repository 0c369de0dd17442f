// robust_test.cpp: input that used to crash or mislead (issue 15) gets one clear line instead.
// Deep JSON (60,000 nested "[" as a config, a dataset object nested 48,000 deep, a model file whose
// format is [[[[...) is refused by the nesting pre-scan, naming the field and the limit; oversized
// documents by their size; user text in messages (CSV cells, column and feature names) is escaped
// and cut, so every message is one line; a model whose input columns have other names is refused;
// runs beyond the memory limit are refused before allocating, with the memory they need; training
// that meets an infinity stops with a divergence that keeps the last finite weights and can go on.
// The reproducers are also corpus files of the fuzz targets (tests/fuzz/corpus/).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "errors.h"
#include "json_limits.h"
#include "memory_budget.h"
#include "model_io.h"
#include "trainer.h"

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nnplay::Error& e) {
    return e.what();
  }
  return "(no error)";
}

bool one_line(const std::string& m) {
  for (unsigned char c : m)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Robust, ConfigOf60000NestedBracketsIsRefused) {
  const std::string m = error_of([] { nnplay::parse_config(repeat("[", 60000)); });
  // The path is cut after 80 bytes: "(top level)" and 23 of the 32 "[0]".
  std::string path = "(top level)";
  for (int i = 0; i < 23; ++i) path += "[0]";
  EXPECT_EQ(m, "config: " + path + "\xE2\x80\xA6: nests deeper than 32 levels (the limit)") << m;
}

TEST(Robust, DatasetObjectNested48000DeepIsRefused) {
  const std::string text = "{\"dataset\": " + repeat("{\"a\":", 48000) + "1" + repeat("}", 48000) + "}";
  const std::string m = error_of([&] { nnplay::Trainer t(text); });
  EXPECT_EQ(m.rfind("config: dataset.a.a.a", 0), 0u) << m;
  EXPECT_NE(m.find(": nests deeper than 32 levels (the limit)"), std::string::npos) << m;
  EXPECT_LT(m.size(), 200u);
}

TEST(Robust, ModelFormatNestedDeepIsRefused) {
  const std::string m = error_of([] { nnplay::model_from_json("{\"format\":" + repeat("[", 50000)); });
  EXPECT_EQ(m.rfind("model: format[0][0]", 0), 0u) << m;
  EXPECT_NE(m.find("nests deeper than 32 levels (the limit)"), std::string::npos) << m;
}

TEST(Robust, NestingAtTheLimitStillParses) {
  // 32 levels: refused by the config's own check (a list is not allowed), not by the depth limit.
  const std::string text = "{\"seed\":" + repeat("[", 31) + repeat("]", 31) + "}";
  const std::string m = error_of([&] { nnplay::parse_config(text); });
  EXPECT_EQ(m.rfind("config: seed: ", 0), 0u) << m;
  // Brackets inside strings are not nesting.
  const std::string in_string = "{\"dataset\":{\"name\":\"csv\",\"csv\":\"" + repeat("[{", 1000) + ",y\\n1,2\\n\"}}";
  const std::string m2 = error_of([&] { nnplay::parse_config(in_string); });
  EXPECT_EQ(m2, "(no error)");
}

TEST(Robust, OversizedDocumentIsRefusedByItsSize) {
  const std::string big(nnplay::kMaxConfigBytes + 1, ' ');
  EXPECT_EQ(error_of([&] { nnplay::parse_config(big); }),
            "config: the document is 105906177 bytes (101.0 MiB); the limit is 101 MiB");
}

TEST(Robust, CsvCellWithNewlineGivesOneLine) {
  nnplay::DatasetConfig d;
  d.name = "csv";
  d.csv = "a,b,y\n1,\"x\ny\",0\n2,3,1\n";
  const std::string m = error_of([&] { nnplay::csv_dataset(d); });
  EXPECT_EQ(m, "csv: data row 1 (line 2), column 2 (\"b\"): \"x\\ny\" is not a number");
  EXPECT_TRUE(one_line(m)) << m;
}

TEST(Robust, LongAndControlTextIsEscapedAndCut) {
  nnplay::DatasetConfig d;
  d.name = "csv";
  d.csv = "a\x01\x1b[31m,b,y\n" + std::string(5000, 'z') + ",1,0\n2,3,1\n";
  const std::string m = error_of([&] { nnplay::csv_dataset(d); });
  EXPECT_TRUE(one_line(m)) << m;
  EXPECT_NE(m.find("(\"a\\x01\\x1b[31m\")"), std::string::npos) << m;
  EXPECT_NE(m.find(std::string(80, 'z') + "\xE2\x80\xA6\""), std::string::npos) << m;
  EXPECT_LT(m.size(), 200u);
  EXPECT_EQ(nnplay::quote("a\"b\\c\xff\xe2\x80\xa8"), "\"a\\\"b\\\\c\\xff\\u2028\"");
}

TEST(Robust, ModelFeatureNameWithNewlineGivesOneLine) {
  nnplay::Trainer t("{\"epochs\":1}");
  std::string model = t.export_model();
  model.replace(model.find("\"features\":[\"x1\""), 16, "\"features\":[\"x\\n1\"");
  const std::string m = error_of([&] { t.import_model(model); });
  EXPECT_EQ(m, "model: inputs.features[0]: \"x\\n1\" is not a known feature");
}

TEST(Robust, UnknownFieldNameIsEscaped) {
  // Found by config_fuzz (tests/fuzz/corpus/config/crash-tab-in-unknown-field.json).
  EXPECT_EQ(error_of([] { nnplay::parse_config("{\"net\\twork\": 1}"); }),
            "config: net\\twork: unknown field (allowed: dataset, network, loss, init, optimizer, batch_size, epochs, "
            "l2, seed, shuffle, l1)");
}

TEST(Robust, DelAndLineSeparatorInJsonValuesAreEscaped) {
  // Found by model_fuzz (tests/fuzz/corpus/model/crash-del-in-activation.json): JSON leaves DEL raw.
  nnplay::Trainer t("{\"epochs\":1}");
  std::string model = t.export_model();
  model.replace(model.find("\"tanh\""), 6, "\"ta\x7fnh\xe2\x80\xa8\"");
  EXPECT_EQ(error_of([&] { t.import_model(model); }),
            "model: layers[0].activation: \"ta\\u007fnh\\u2028\" is not allowed (one of relu, leaky_relu, sigmoid, tanh, "
            "softmax, linear)");
}

TEST(Robust, ModelWeightBeyondFloatIsRefused) {
  // 1e300 is a finite double but an infinite float: the loaded model would write nulls.
  nnplay::Trainer t("{\"epochs\":1}");
  std::string model = t.export_model();
  const size_t w = model.find("\"W\":[[") + 6;
  model.replace(w, model.find(',', w) - w, "1e300");
  const std::string m = error_of([&] { t.import_model(model); });
  EXPECT_EQ(m, "model: layers[0].W[0][0]: 1e+300 is not allowed (a finite number)");
}

TEST(Robust, ModelWithOtherInputNamesIsRefused) {
  const std::string csv = "{\"dataset\":{\"name\":\"csv\",\"csv\":\"CSV\"},\"network\":{\"layers\":[{\"units\":1,"
                          "\"activation\":\"sigmoid\"}]}}";
  auto config = [&](const std::string& header) {
    std::string c = csv;
    return c.replace(c.find("CSV"), 3, header + "\\n1,2,0\\n3,4,1\\n5,6,0\\n7,8,1\\n");
  };
  nnplay::Trainer a(config("height,weight,label")), b(config("age,income,label"));
  const std::string m = error_of([&] { b.import_model(a.export_model()); });
  EXPECT_EQ(m, "model: inputs.raw: \"height\", \"weight\" is not allowed (the csv dataset's input columns are "
               "\"age\", \"income\")");
  b.import_model(b.export_model());  // its own columns: accepted
}

TEST(Robust, LargestNetworkOnLargestDataIsRefusedBeforeAllocating) {
  std::string layers;
  for (int i = 0; i < 8; ++i) layers += "{\"units\":1024,\"activation\":\"relu\"},";
  const std::string text = "{\"dataset\":{\"name\":\"spiral\",\"samples\":100000},\"network\":{\"layers\":[" + layers +
                           "{\"units\":2,\"activation\":\"softmax\"}]},\"loss\":\"cce\",\"batch_size\":0}";
  const std::string m = error_of([&] { nnplay::Trainer t(text); });
  EXPECT_EQ(m.rfind("config: this run needs about ", 0), 0u) << m;
  EXPECT_NE(m.find("GiB of memory (data "), std::string::npos) << m;
  EXPECT_NE(m.find("; the limit is 1 GiB (NNPLAY_MAX_MEMORY)"), std::string::npos) << m;
}

TEST(Robust, RandomDatasetOf4096InputsAnd100000SamplesIsRefused) {
  const std::string m = error_of([] {
    nnplay::Trainer t("{\"dataset\":{\"name\":\"random\",\"inputs\":4096,\"samples\":100000}}");
  });
  EXPECT_EQ(m.rfind("config: this run needs about ", 0), 0u) << m;
  EXPECT_NE(m.find("the limit is 1 GiB"), std::string::npos) << m;
}

TEST(Robust, MemoryLimitCanBeRaised) {
  nnplay::set_memory_limit(size_t(64) << 30);
  const nnplay::Config c = nnplay::parse_config("{\"dataset\":{\"name\":\"random\",\"inputs\":4096,\"samples\":100000}}");
  EXPECT_NO_THROW(nnplay::check_memory(nnplay::config_shape(c, 4096, 4096)));
  nnplay::set_memory_limit(0);
  EXPECT_THROW(nnplay::check_memory(nnplay::config_shape(c, 4096, 4096)), nnplay::Error);
  size_t b = 0;
  EXPECT_TRUE(nnplay::parse_byte_size("8G", b));
  EXPECT_EQ(b, size_t(8) << 30);
  EXPECT_TRUE(nnplay::parse_byte_size("512 MiB", b));
  EXPECT_EQ(b, size_t(512) << 20);
  EXPECT_FALSE(nnplay::parse_byte_size("lots", b));
}

// Sine regression with a relu layer: stable at learning rate 0.01, NaN within one epoch at 10.
const char* kSine =
    "{\"dataset\":{\"name\":\"sine\"},\"network\":{\"layers\":[{\"units\":16,\"activation\":\"relu\"},"
    "{\"units\":1,\"activation\":\"linear\"}]},\"loss\":\"mse\",\"init\":\"he_normal\","
    "\"optimizer\":{\"name\":\"sgd\",\"learning_rate\":0.01}}";

// The optimizer part of the running config replaced (what the bindings' setOptimizer does).
void set_optimizer(nnplay::Trainer& t, const nnplay::OptimizerConfig& o) {
  nnplay::Config c = t.config();
  c.optimizer = o;
  t.update_settings(c, /*new_optimizer=*/true);
}

TEST(Robust, DivergenceKeepsTheLastFiniteWeightsAndCanContinue) {
  nnplay::Trainer t(kSine);
  t.train(3);
  nnplay::OptimizerConfig fast;
  fast.learning_rate = 10;
  set_optimizer(t, fast);
  const std::string before = t.export_model();
  try {
    t.train_epoch();
    FAIL() << "learning rate 10 did not diverge";
  } catch (const nnplay::Divergence& d) {
    EXPECT_EQ(d.epoch, 3);
    const std::string m = d.what();
    EXPECT_EQ(m.rfind("training diverged at epoch 4: the loss became ", 0), 0u) << m;
    const std::string tail = "; the learning rate 10 is probably too high for sgd: lower it and continue; "
                             "the weights of epoch 3 are kept";
    EXPECT_EQ(m.substr(m.size() - std::min(m.size(), tail.size())), tail) << m;
  }
  EXPECT_EQ(t.epoch(), 3);
  EXPECT_EQ(t.export_model(), before);  // bit for bit the weights before the failed epoch
  nnplay::Trainer check(kSine);
  check.import_model(t.export_model());  // the kept model loads back
  nnplay::OptimizerConfig slow;
  slow.learning_rate = 0.01;
  set_optimizer(t, slow);
  const nnplay::EpochMetrics next = t.train_epoch();
  EXPECT_EQ(next.epoch, 4);
  EXPECT_TRUE(std::isfinite(next.loss));
}

TEST(Robust, ContinuingAfterDivergenceMatchesARunThatNeverDiverged) {
  // Epochs 1-3 at 0.01, a diverged epoch at 10, epoch 4 at 0.01 = epochs 1-4 at 0.01: the failed
  // epoch left no trace (weights, optimizer state and the shuffling order all restored).
  nnplay::Trainer a(kSine), b(kSine);
  a.train(3);
  nnplay::OptimizerConfig fast, slow;
  fast.learning_rate = 10;
  slow.learning_rate = 0.01;
  set_optimizer(a, fast);
  EXPECT_THROW(a.train(2), nnplay::DivergedRun);
  set_optimizer(a, slow);
  a.train(1);
  b.train(4);
  EXPECT_EQ(a.export_model(), b.export_model());
}

TEST(Robust, RegressionTargetsNear1e38DivergeWithTheirCause) {
  std::string csv = "x,y\\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(i) + "," + (i % 2 ? "3e38" : "-2e38") + "\\n";
  const std::string text = "{\"dataset\":{\"name\":\"csv\",\"csv\":\"" + csv + "\",\"task\":\"regression\"},"
                           "\"network\":{\"layers\":[{\"units\":4,\"activation\":\"tanh\"},{\"units\":1,\"activation\":"
                           "\"linear\"}]},\"loss\":\"mse\"}";
  nnplay::Trainer t(text);
  const std::string initial = t.export_model();
  try {
    t.train(3);
    FAIL() << "no divergence";
  } catch (const nnplay::DivergedRun& d) {
    EXPECT_EQ(d.epoch, 0);
    EXPECT_TRUE(d.completed.empty());
    const std::string m = d.what();
    EXPECT_EQ(m.rfind("training diverged at epoch 1: the ", 0), 0u) << m;
    EXPECT_NE(m.find("; the regression targets reach 3e+38, too large for float32 arithmetic: rescale the target; "
                     "the initial weights are kept"), std::string::npos) << m;
  }
  EXPECT_EQ(t.export_model(), initial);
  nnplay::Trainer again(text);
  again.import_model(t.export_model());
}

}  // namespace
