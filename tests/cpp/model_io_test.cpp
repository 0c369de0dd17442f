// model_io_test.cpp: the model file (model_io.h, README "Model file"). Export -> import gives identical
// predictions (bit for bit) and identical bytes, through Trainer and through model_to_json /
// model_from_json; import refuses a wrong format, version 2, wrong shapes, non-finite or non-numeric
// weights, bad activations and loss pairs, and models that do not fit the trainer's data, each with a
// message naming the field ("model: <field>: ..."), and leaves the trainer unchanged when it refuses.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "errors.h"
#include "model_io.h"
#include "trainer.h"

namespace {

using json = nlohmann::json;

// 3 classes, standardised inputs, extra features: every part of the model file is present.
const std::string kConfig =
    R"json({"dataset":{"name":"spiral","arms":3,"samples":150},"network":{"features":["x1","x2","sin(x1)","x1*x2"],)json"
    R"json("layers":[{"units":8,"activation":"tanh"},{"units":5,"activation":"leaky_relu"},{"units":3,"activation":"softmax"}]},)json"
    R"json("loss":"cce","optimizer":{"name":"adam","learning_rate":0.01},"seed":SEED})json";

std::string config(int seed) {
  std::string c = kConfig;
  return c.replace(c.find("SEED"), 4, std::to_string(seed));
}

std::string trained_model() {
  nnplay::Trainer t(config(1));
  t.train(5);
  return t.export_model();
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nnplay::Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("(not an nnplay::Error) ") + e.what();
  }
  return "(no error)";
}

TEST(ModelIo, RoundTripThroughTrainerIsExact) {
  nnplay::Trainer a(config(1));
  a.train(5);
  const std::string model = a.export_model();
  nnplay::Trainer b(config(2));  // other initial weights
  const nnplay::Matrix& raw = a.dataset().raw_test;
  ASSERT_GT(raw.rows(), 0);
  EXPECT_NE(b.predict_raw(raw.data(), int(raw.rows())), a.predict_raw(raw.data(), int(raw.rows())));
  b.import_model(model);
  const std::vector<nnplay::Scalar> pa = a.predict_raw(raw.data(), int(raw.rows()));
  const std::vector<nnplay::Scalar> pb = b.predict_raw(raw.data(), int(raw.rows()));
  ASSERT_EQ(pa.size(), pb.size());
  EXPECT_EQ(std::memcmp(pa.data(), pb.data(), pa.size() * sizeof(nnplay::Scalar)), 0) << "predictions differ";
  EXPECT_EQ(b.export_model(), model) << "bytes differ";
  EXPECT_EQ(b.evaluate(true).loss, a.evaluate(true).loss);
  for (size_t l = 0; l < a.network().layers().size(); ++l) {
    EXPECT_EQ(b.network().layers()[l].W, a.network().layers()[l].W) << l;
    EXPECT_EQ(b.network().layers()[l].b, a.network().layers()[l].b) << l;
    EXPECT_EQ(b.network().layers()[l].activation, a.network().layers()[l].activation) << l;
  }
  // The imported trainer keeps training.
  EXPECT_NO_THROW(b.train(1));
}

TEST(ModelIo, RoundTripThroughModelJson) {
  const std::string text = trained_model();
  const nnplay::Model m = nnplay::model_from_json(text);
  EXPECT_EQ(nnplay::model_to_json(m), text);
  EXPECT_EQ(m.task, "classification");
  EXPECT_EQ(m.classes, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(m.features.features, (std::vector<std::string>{"x1", "x2", "sin(x1)", "x1*x2"}));
  EXPECT_EQ(m.net.layers().size(), 3u);
  EXPECT_EQ(m.net.inputs(), 4);
  EXPECT_EQ(m.net.outputs(), 3);
}

// The file's layout as model_io.h documents it: W as (inputs, outputs) rows, b per unit, format/version.
TEST(ModelIo, LayoutIsDocumented) {
  const json m = json::parse(trained_model());
  EXPECT_EQ(m["format"], "nnplay-model");
  EXPECT_EQ(m["version"], 1);
  EXPECT_EQ(m["loss"], "cce");
  EXPECT_EQ(m["inputs"]["raw"], json({"x1", "x2"}));
  EXPECT_EQ(m["inputs"]["mean"].size(), 4u);
  const json& L0 = m["layers"][0];
  EXPECT_EQ(L0["units"], 8);
  EXPECT_EQ(L0["activation"], "tanh");
  EXPECT_EQ(L0["W"].size(), 4u);     // inputs rows
  EXPECT_EQ(L0["W"][0].size(), 8u);  // of units numbers
  EXPECT_EQ(L0["b"].size(), 8u);
  nnplay::Trainer t(config(1));
  t.train(5);
  EXPECT_EQ(L0["W"][3][5].get<double>(), double(t.network().layers()[0].W(3, 5)));
}

// A valid model edited by `edit`, then imported into a trainer of the same config.
std::string import_error(const std::function<void(json&)>& edit) {
  json m = json::parse(trained_model());
  edit(m);
  nnplay::Trainer t(config(1));
  return error_of([&] { t.import_model(m.dump()); });
}

TEST(ModelIo, RefusesWrongFormatAndVersion) {
  EXPECT_EQ(import_error([](json& m) { m["format"] = "nnplay-modle"; }),
            "model: format: \"nnplay-modle\" is not allowed (\"nnplay-model\")");
  EXPECT_EQ(import_error([](json& m) { m.erase("format"); }), "model: format: missing");
  EXPECT_EQ(import_error([](json& m) { m["version"] = 2; }),
            "model: version: 2 is not allowed (1; this nnplay reads version 1)");
  EXPECT_EQ(import_error([](json& m) { m["task"] = "clustering"; }),
            "model: task: \"clustering\" is not allowed (\"classification\" or \"regression\")");
  nnplay::Trainer t(config(1));
  EXPECT_EQ(error_of([&] { t.import_model("[1, 2]"); }), "model: (top level): not a JSON object");
  const std::string not_json = error_of([&] { t.import_model("{\"format\": "); });
  EXPECT_EQ(not_json.rfind("model: not valid JSON (", 0), 0u) << not_json;
}

TEST(ModelIo, RefusesWrongShapes) {
  // model_io.h's own example: "model: layers[1].W: 7 rows is not allowed (8, the units of layers[0])".
  EXPECT_EQ(import_error([](json& m) { m["layers"][1]["W"].erase(7); }),
            "model: layers[1].W: 7 rows is not allowed (8, the units of layers[0])");
  EXPECT_EQ(import_error([](json& m) { m["layers"][0]["W"].erase(0); }),
            "model: layers[0].W: 3 rows is not allowed (4, the network's inputs)");
  EXPECT_EQ(import_error([](json& m) { m["layers"][0]["W"][2].erase(0); }),
            "model: layers[0].W[2]: 7 numbers is not allowed (a list of 8 numbers)");
  EXPECT_EQ(import_error([](json& m) { m["layers"][2]["b"].push_back(0.5); }),
            "model: layers[2].b: 4 numbers is not allowed (a list of 3 numbers)");
  EXPECT_EQ(import_error([](json& m) { m["layers"][0]["units"] = 0; }),
            "model: layers[0].units: 0 is not allowed (an integer 1 to 1024)");
  EXPECT_EQ(import_error([](json& m) { m["inputs"]["mean"].erase(0); }),
            "model: inputs.mean: 3 numbers is not allowed (a list of 4 numbers)");
  EXPECT_EQ(import_error([](json& m) { m["inputs"]["std"][1] = 0; }), "model: inputs.std[1]: must be > 0");
  EXPECT_EQ(import_error([](json& m) { m["layers"] = json::array(); }),
            "model: layers: is not allowed (a list of 1 to 9 layers)");
}

TEST(ModelIo, RefusesNonFiniteAndNonNumbers) {
  EXPECT_EQ(import_error([](json& m) { m["layers"][0]["W"][0][1] = "NaN"; }),
            "model: layers[0].W[0][1]: \"NaN\" is not allowed (a finite number)");
  EXPECT_EQ(import_error([](json& m) { m["layers"][1]["b"][2] = "Infinity"; }),
            "model: layers[1].b[2]: \"Infinity\" is not allowed (a finite number)");
  EXPECT_EQ(import_error([](json& m) { m["layers"][1]["b"][2] = nullptr; }),
            "model: layers[1].b[2]: null is not allowed (a finite number)");
}

// A number too large for a double (1e999) in the file: JSON allows it, the reader must refuse it with
// an nnplay::Error (the documented contract of import_model), not let the JSON library's exception out.
TEST(ModelIo, RefusesOverflowingNumberWithAnNnplayError) {
  json model = json::parse(trained_model());
  model["layers"][0]["b"][0] = 12345.5;
  std::string text = model.dump();
  text.replace(text.find("12345.5"), 7, "1e999");
  nnplay::Trainer t(config(1));
  const std::string before = t.export_model();
  const std::string m = error_of([&] { t.import_model(text); });
  EXPECT_EQ(m.rfind("model: ", 0), 0u) << m;
  EXPECT_EQ(t.export_model(), before);
}

TEST(ModelIo, RefusesBadActivationsAndPairs) {
  EXPECT_EQ(import_error([](json& m) { m["layers"][0]["activation"] = "gelu"; }),
            "model: layers[0].activation: \"gelu\" is not allowed (one of relu, leaky_relu, sigmoid, tanh, softmax, "
            "linear)");
  EXPECT_EQ(import_error([](json& m) { m["layers"][0]["activation"] = "softmax"; }),
            "model: layers[0].activation: softmax only as the output layer");
  EXPECT_EQ(import_error([](json& m) { m["layers"][2]["activation"] = "sigmoid"; }),
            "model: loss: \"cce\" is not allowed with a 3-unit sigmoid output (softmax pairs with cce, bce with one "
            "sigmoid unit)");
  EXPECT_EQ(import_error([](json& m) { m["loss"] = "hinge"; }),
            "model: loss: \"hinge\" is not allowed (one of mse, bce, cce)");
  EXPECT_EQ(import_error([](json& m) { m["inputs"]["features"][2] = "cos(x1)"; }),
            "model: inputs.features[2]: \"cos(x1)\" is not a known feature");
}

// Models that are valid files but do not fit the trainer's data; the trainer is unchanged after.
TEST(ModelIo, RefusesModelsThatDoNotFitTheData) {
  nnplay::Trainer sine(R"({"dataset":{"name":"sine","samples":40},"network":{"layers":[{"units":1,"activation":"linear"}]},"loss":"mse"})");
  nnplay::Trainer t(config(1));
  const std::string before = t.export_model();
  EXPECT_EQ(error_of([&] { t.import_model(sine.export_model()); }),
            "model: inputs.raw: 1 inputs is not allowed (the spiral dataset has 2)");
  nnplay::Trainer plane(R"({"dataset":{"name":"plane","samples":40},"network":{"layers":[{"units":1,"activation":"linear"}]},"loss":"mse"})");
  EXPECT_EQ(error_of([&] { t.import_model(plane.export_model()); }),
            "model: task: \"regression\" is not allowed (the spiral dataset is classification)");
  nnplay::Trainer xor_(R"({"dataset":{"name":"xor","samples":40},"network":{"layers":[{"units":2,"activation":"softmax"}]},"loss":"cce"})");
  EXPECT_EQ(error_of([&] { t.import_model(xor_.export_model()); }),
            "model: layers[0].units: 2 is not allowed (the dataset has 3 classes)");
  EXPECT_EQ(t.export_model(), before);
  const nnplay::Matrix& raw = t.dataset().raw_test;
  nnplay::Trainer fresh(config(1));
  EXPECT_EQ(t.predict_raw(raw.data(), int(raw.rows())), fresh.predict_raw(raw.data(), int(raw.rows())));
}

}  // namespace

// The file names the data it was trained on ("data": the config's dataset section); importing it
// into a run on other data works and says so; on the same data it says nothing.
TEST(ModelIo, NamesItsDataAndSaysWhenImportedElsewhere) {
  const json m = json::parse(trained_model());
  EXPECT_EQ(m["data"]["name"], "spiral");
  EXPECT_EQ(m["data"]["samples"], 150);
  EXPECT_FALSE(m["data"].contains("csv"));
  nnplay::Trainer same(config(2));
  EXPECT_EQ(same.import_model(m.dump()), "");
  std::string other = config(1);
  other.replace(other.find("\"samples\":150"), 13, "\"samples\":150,\"noise\":0.3");
  nnplay::Trainer noisier(other);
  EXPECT_EQ(noisier.import_model(m.dump()), "model: trained on spiral data with other settings (noise 0.1 there, 0.3 here)");
  json older = m;
  older.erase("data");
  EXPECT_EQ(noisier.import_model(older.dump()), "") << "a file without data says nothing";
}

TEST(ModelIo, SaysWhenTrainedOnAnotherDataset) {
  const std::string moons = R"json({"dataset":{"name":"moons"},"network":{"layers":[{"units":4,"activation":"tanh"},)json"
                            R"json({"units":1,"activation":"sigmoid"}]},"epochs":3})json";
  nnplay::Trainer a(moons);
  a.train(3);
  std::string circle = moons;
  circle.replace(circle.find("moons"), 5, "circle");
  nnplay::Trainer b(circle);
  EXPECT_EQ(b.import_model(a.export_model()),
            "model: trained on moons data; this run's data is circle: its weights are used as they are, so its accuracy "
            "here says how well it transfers");
}
