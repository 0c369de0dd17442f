// config_errors_test.cpp: every field of README's "Config format" table refuses its invalid values
// with the documented message, `config: <field>: <value> is not allowed (<allowed>)`, asserted in
// full. The expected texts are written from README: <value> is the JSON value as given, <allowed> is
// the table's "allowed" cell as a phrase ("integer 10 to 100000" -> "an integer 10 to 100000",
// a list of names -> "one of a, b, c", "boolean" -> "true or false"). Messages README does not spell
// out (unknown fields, missing fields, refused output/loss pairs) are asserted in full as well, with
// the reason README requires. One test also reads README's table and fails if a field has no row here.
// Each config goes through Trainer (parse_config, then the checks that need the data).
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "errors.h"
#include "registered_test.h"
#include "trainer.h"

namespace {

struct Row {
  const char* field;    // README's field this row covers
  std::string config;   // the JSON text
  std::string message;  // the full expected message
};

const std::string kDatasets = "one of circle, xor, gaussians, spiral, moons, sine, plane, csv, random, fashion_mnist";
const std::string kActivations = "one of relu, leaky_relu, sigmoid, tanh, softmax, linear";
const std::string kFeatures = "x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)";
const std::string kCsv = "a,b,label\\n1,2,0\\n3,4,1\\n5,6,0\\n7,8,1\\n";  // escaped for JSON

std::string msg(const std::string& field, const std::string& value, const std::string& allowed) {
  return "config: " + field + ": " + value + " is not allowed (" + allowed + ")";
}

// Nine hidden layers + the output: one layer over the limit of 9.
std::string ten_layers() {
  std::string s = "[";
  for (int i = 0; i < 9; ++i) s += "{\"activation\":\"tanh\",\"units\":2},";
  return s + "{\"activation\":\"sigmoid\",\"units\":1}]";
}

std::vector<Row> rows() {
  const std::string i10 = "an integer 10 to 100000", n05 = "a number 0 to 5", r09 = "a number 0 to 0.9",
                    seed = "an integer 0 to 4294967295", units = "an integer 1 to 1024",
                    lr = "a number > 0 and <= 10", below1 = "a number >= 0 and < 1",
      eps = "a number > 0 and <= 1", bs = "an integer 0 to 100000", ep = "an integer 1 to 1000000",
                    l2 = "a number 0 to 1", tf = "true or false";
  return {
      // ---------------------------------------------------------------- top level
      {"(top level)", "[1, 2]", msg("(top level)", "[1,2]", "a JSON object")},
      {"(top level)", "{\"epoch\": 5}",
       "config: epoch: unknown field (allowed: dataset, network, loss, init, optimizer, batch_size, epochs, l2, seed, "
       "shuffle, l1)"},
      // ---------------------------------------------------------------- dataset
      {"dataset", "{\"dataset\": \"xor\"}", msg("dataset", "\"xor\"", "an object")},
      {"dataset", "{\"dataset\": {\"nam\": \"xor\"}}",
       "config: dataset.nam: unknown field (allowed: name, samples, noise, test_ratio, seed, arms, inputs, classes, "
       "csv, target, task, standardize)"},
      {"dataset.name", "{\"dataset\": {\"name\": \"spirals\"}}", msg("dataset.name", "\"spirals\"", kDatasets)},
      {"dataset.name", "{\"dataset\": {\"name\": 3}}", msg("dataset.name", "3", kDatasets)},
      {"dataset.name", "{\"dataset\": {\"name\": \"fashion_mnist\"}}",
       "config: dataset.name: \"fashion_mnist\" needs its images, which the page loads (not available here)"},
      {"dataset.samples", "{\"dataset\": {\"samples\": 9}}", msg("dataset.samples", "9", i10)},
      {"dataset.samples", "{\"dataset\": {\"samples\": 100001}}", msg("dataset.samples", "100001", i10)},
      {"dataset.samples", "{\"dataset\": {\"samples\": 10.5}}", msg("dataset.samples", "10.5", i10)},
      {"dataset.samples", "{\"dataset\": {\"samples\": \"400\"}}", msg("dataset.samples", "\"400\"", i10)},
      {"dataset.noise", "{\"dataset\": {\"noise\": -0.1}}", msg("dataset.noise", "-0.1", n05)},
      {"dataset.noise", "{\"dataset\": {\"noise\": 5.5}}", msg("dataset.noise", "5.5", n05)},
      {"dataset.noise", "{\"dataset\": {\"noise\": true}}", msg("dataset.noise", "true", n05)},
      {"dataset.test_ratio", "{\"dataset\": {\"test_ratio\": -0.25}}", msg("dataset.test_ratio", "-0.25", r09)},
      {"dataset.test_ratio", "{\"dataset\": {\"test_ratio\": 0.95}}", msg("dataset.test_ratio", "0.95", r09)},
      {"dataset.test_ratio", "{\"dataset\": {\"test_ratio\": null}}", msg("dataset.test_ratio", "null", r09)},
      // 2 CSV rows, 0.9 held out: no training sample left. <value> as given (0.9).
      {"dataset.test_ratio", "{\"dataset\": {\"name\": \"csv\", \"csv\": \"a,y\\n1,0\\n2,1\\n\", \"test_ratio\": 0.9}}",
       "config: dataset.test_ratio: 0.9 is not allowed here (it leaves no training samples)"},
      {"dataset.seed", "{\"dataset\": {\"seed\": -1}}", msg("dataset.seed", "-1", seed)},
      {"dataset.seed", "{\"dataset\": {\"seed\": 4294967296}}", msg("dataset.seed", "4294967296", seed)},
      {"dataset.seed", "{\"dataset\": {\"seed\": 1.5}}", msg("dataset.seed", "1.5", seed)},
      {"dataset.arms", "{\"dataset\": {\"name\": \"spiral\", \"arms\": 1}}", msg("dataset.arms", "1", "an integer 2 to 8")},
      {"dataset.arms", "{\"dataset\": {\"name\": \"spiral\", \"arms\": 9}}", msg("dataset.arms", "9", "an integer 2 to 8")},
      {"dataset.inputs", "{\"dataset\": {\"name\": \"random\", \"inputs\": 0}}", msg("dataset.inputs", "0", "an integer 1 to 4096")},
      {"dataset.inputs", "{\"dataset\": {\"name\": \"random\", \"inputs\": 4097}}",
       msg("dataset.inputs", "4097", "an integer 1 to 4096")},
      {"dataset.classes", "{\"dataset\": {\"name\": \"random\", \"classes\": 1}}",
       msg("dataset.classes", "1", "an integer 2 to 100")},
      {"dataset.classes", "{\"dataset\": {\"name\": \"random\", \"classes\": 101}}",
       msg("dataset.classes", "101", "an integer 2 to 100")},
      {"dataset.csv", "{\"dataset\": {\"name\": \"csv\"}}",
       "config: dataset.csv: missing (the csv dataset needs the CSV text)"},
      {"dataset.csv", "{\"dataset\": {\"name\": \"csv\", \"csv\": 5}}",
       msg("dataset.csv", "5", "the CSV text as a string")},
      {"dataset.csv", "{\"dataset\": {\"name\": \"xor\", \"csv\": \"a,b\\n1,2\\n\"}}",
       "config: dataset.csv: only allowed with dataset.name \"csv\""},
      {"dataset.target", "{\"dataset\": {\"name\": \"xor\", \"target\": \"y\"}}",
       "config: dataset.target: only allowed with dataset.name \"csv\""},
      {"dataset.inputs", "{\"dataset\": {\"name\": \"xor\", \"inputs\": 3}}",
       "config: dataset.inputs: only allowed with dataset.name \"random\""},
      {"dataset.classes", "{\"dataset\": {\"name\": \"spiral\", \"classes\": 3}}",
       "config: dataset.classes: only allowed with dataset.name \"random\""},
      {"dataset.target", "{\"dataset\": {\"name\": \"csv\", \"csv\": \"" + kCsv + "\", \"target\": 2}}",
       msg("dataset.target", "2", "a column name")},
      {"dataset.target", "{\"dataset\": {\"name\": \"csv\", \"csv\": \"" + kCsv + "\", \"target\": \"z\"}}",
       "config: dataset.target: \"z\" is not a column of the CSV"},
      {"dataset.task", "{\"dataset\": {\"task\": \"clustering\"}}",
       msg("dataset.task", "\"clustering\"", "one of auto, classification, regression")},
      {"dataset.task",
       "{\"dataset\": {\"name\": \"csv\", \"csv\": \"a,kind\\n1,cat\\n2,dog\\n3,cat\\n\", \"task\": \"regression\"}, "
       "\"network\": {\"layers\": [{\"units\": 1, \"activation\": \"linear\"}]}, \"loss\": \"mse\"}",
       "config: dataset.task: \"regression\" is not allowed: the target column \"kind\" holds non-numeric labels"},
      {"dataset.standardize", "{\"dataset\": {\"standardize\": \"yes\"}}", msg("dataset.standardize", "\"yes\"", tf)},
      {"dataset.standardize", "{\"dataset\": {\"standardize\": 1}}", msg("dataset.standardize", "1", tf)},
      // ---------------------------------------------------------------- network
      {"network.features", "{\"network\": 3}", msg("network", "3", "an object")},
      {"network.features", "{\"network\": {\"feature\": [\"x1\"]}}",
       "config: network.feature: unknown field (allowed: features, layers)"},
      {"network.features", "{\"network\": {\"features\": []}}",
       msg("network.features", "[]", "a non-empty list of " + kFeatures)},
      {"network.features", "{\"network\": {\"features\": \"x1\"}}",
       msg("network.features", "\"x1\"", "a non-empty list of " + kFeatures)},
      {"network.features", "{\"network\": {\"features\": [\"x1\", \"x3\"]}}",
       msg("network.features[1]", "\"x3\"", "one of " + kFeatures)},
      {"network.features", "{\"network\": {\"features\": [\"x1\", \"x1\"]}}",
       msg("network.features[1]", "\"x1\"", "each feature once")},
      {"network.features",
       "{\"dataset\": {\"name\": \"sine\"}, \"network\": {\"features\": [\"x1\", \"x2\"], \"layers\": "
       "[{\"units\": 1, \"activation\": \"linear\"}]}, \"loss\": \"mse\"}",
       "config: network.features[1]: \"x2\" is not allowed with the sine dataset (it has one input, x1: use x1, x1^2, "
       "sin(x1))"},
      {"network.features", "{\"dataset\": {\"name\": \"csv\", \"csv\": \"" + kCsv + "\"}, \"network\": {\"features\": [\"x1\"]}}",
       "config: network.features: not allowed with the csv dataset (its columns are the features)"},
      {"network.layers", "{\"network\": {\"layers\": []}}",
       msg("network.layers", "[]", "a list of 1 to 9 layers, the last one the output")},
      {"network.layers", "{\"network\": {\"layers\": " + ten_layers() + "}}",
       msg("network.layers", ten_layers(), "a list of 1 to 9 layers, the last one the output")},
      {"network.layers", "{\"network\": {\"layers\": [5]}}",
       msg("network.layers[0]", "5", "an object with units and activation")},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": 1, \"activation\": \"sigmoid\", \"bias\": true}]}}",
       "config: network.layers[0].bias: unknown field (allowed: units, activation)"},
      {"network.layers", "{\"network\": {\"layers\": [{\"activation\": \"sigmoid\"}]}}",
       "config: network.layers[0].units: missing (an integer 1 to 1024)"},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": 0, \"activation\": \"tanh\"}, {\"units\": 1, \"activation\": \"sigmoid\"}]}}",
       msg("network.layers[0].units", "0", units)},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": 1025, \"activation\": \"tanh\"}, {\"units\": 1, \"activation\": \"sigmoid\"}]}}",
       msg("network.layers[0].units", "1025", units)},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": 2.5, \"activation\": \"tanh\"}, {\"units\": 1, \"activation\": \"sigmoid\"}]}}",
       msg("network.layers[0].units", "2.5", units)},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": \"8\", \"activation\": \"tanh\"}, {\"units\": 1, \"activation\": \"sigmoid\"}]}}",
       msg("network.layers[0].units", "\"8\"", units)},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": 1}]}}",
       "config: network.layers[0].activation: missing (" + kActivations + ")"},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": 4, \"activation\": \"gelu\"}, {\"units\": 1, \"activation\": \"sigmoid\"}]}}",
       msg("network.layers[0].activation", "\"gelu\"", kActivations)},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": 1, \"activation\": 1}]}}",
       msg("network.layers[0].activation", "1", kActivations)},
      // softmax in a hidden layer
      {"network.layers",
       "{\"network\": {\"layers\": [{\"units\": 4, \"activation\": \"softmax\"}, {\"units\": 1, \"activation\": "
       "\"sigmoid\"}]}}",
       "config: network.layers[0].activation: \"softmax\" is not allowed in a hidden layer (only as the output layer, "
       "fused with cce)"},
      // ---------------------------------------------------------------- loss, init
      {"loss", "{\"loss\": \"hinge\"}", msg("loss", "\"hinge\"", "one of mse, bce, cce")},
      {"loss", "{\"loss\": 2}", msg("loss", "2", "one of mse, bce, cce")},
      {"init", "{\"init\": \"glorot\"}",
       msg("init", "\"glorot\"", "one of xavier_uniform, xavier_normal, he_normal, he_uniform")},
      // ---------------------------------------------------------------- optimizer
      {"optimizer.name", "{\"optimizer\": \"adam\"}", msg("optimizer", "\"adam\"", "an object")},
      {"optimizer.name", "{\"optimizer\": {\"nam\": \"adam\"}}",
       "config: optimizer.nam: unknown field (allowed: name, learning_rate, momentum, nesterov, beta1, beta2, "
       "epsilon)"},
      {"optimizer.name", "{\"optimizer\": {\"name\": \"rmsprop\"}}",
       msg("optimizer.name", "\"rmsprop\"", "one of sgd, momentum, adam")},
      {"optimizer.learning_rate", "{\"optimizer\": {\"learning_rate\": -1}}", msg("optimizer.learning_rate", "-1", lr)},
      {"optimizer.learning_rate", "{\"optimizer\": {\"learning_rate\": 0}}", msg("optimizer.learning_rate", "0", lr)},
      {"optimizer.learning_rate", "{\"optimizer\": {\"learning_rate\": 10.5}}",
       msg("optimizer.learning_rate", "10.5", lr)},
      {"optimizer.learning_rate", "{\"optimizer\": {\"learning_rate\": \"0.1\"}}",
       msg("optimizer.learning_rate", "\"0.1\"", lr)},
      {"optimizer.momentum", "{\"optimizer\": {\"name\": \"momentum\", \"momentum\": 1}}",
       msg("optimizer.momentum", "1", below1)},
      {"optimizer.momentum", "{\"optimizer\": {\"name\": \"momentum\", \"momentum\": -0.5}}",
       msg("optimizer.momentum", "-0.5", below1)},
      {"optimizer.nesterov", "{\"optimizer\": {\"name\": \"momentum\", \"nesterov\": 1}}",
       msg("optimizer.nesterov", "1", tf)},
      {"optimizer.beta1", "{\"optimizer\": {\"name\": \"adam\", \"beta1\": 1}}", msg("optimizer.beta1", "1", below1)},
      {"optimizer.beta1", "{\"optimizer\": {\"name\": \"adam\", \"beta1\": -0.5}}", msg("optimizer.beta1", "-0.5", below1)},
      {"optimizer.beta2", "{\"optimizer\": {\"name\": \"adam\", \"beta2\": 1.5}}", msg("optimizer.beta2", "1.5", below1)},
      {"optimizer.beta2", "{\"optimizer\": {\"name\": \"adam\", \"beta2\": \"0.999\"}}",
       msg("optimizer.beta2", "\"0.999\"", below1)},
      {"optimizer.epsilon", "{\"optimizer\": {\"name\": \"adam\", \"epsilon\": 0}}", msg("optimizer.epsilon", "0", eps)},
      {"optimizer.epsilon", "{\"optimizer\": {\"name\": \"adam\", \"epsilon\": 2}}", msg("optimizer.epsilon", "2", eps)},
      // ---------------------------------------------------------------- schedule
      {"batch_size", "{\"batch_size\": -1}", msg("batch_size", "-1", bs)},
      {"batch_size", "{\"batch_size\": 100001}", msg("batch_size", "100001", bs)},
      {"batch_size", "{\"batch_size\": 1.5}", msg("batch_size", "1.5", bs)},
      {"epochs", "{\"epochs\": 0}", msg("epochs", "0", ep)},
      {"epochs", "{\"epochs\": 1000001}", msg("epochs", "1000001", ep)},
      {"l2", "{\"l2\": -0.01}", msg("l2", "-0.01", l2)},
      {"l2", "{\"l2\": 1.5}", msg("l2", "1.5", l2)},
      {"seed", "{\"seed\": -1}", msg("seed", "-1", seed)},
      {"seed", "{\"seed\": 4294967296}", msg("seed", "4294967296", seed)},
      {"seed", "{\"seed\": 1e300}", msg("seed", "1e+300", seed)},
      {"shuffle", "{\"shuffle\": \"true\"}", msg("shuffle", "\"true\"", tf)},
      // ---------------------------------------------------------------- output layer and loss pairs
      // softmax with bce (softmax pairs with cce, fused, or mse through its Jacobian)
      {"loss", "{\"network\": {\"layers\": [{\"units\": 2, \"activation\": \"softmax\"}]}, \"loss\": \"bce\"}",
       "config: loss: \"bce\" is not allowed with a softmax output (softmax pairs with cce or mse; use one of those, "
       "or another output activation)"},
      // l1 (teachcore), the same range as l2
      {"l1", "{\"l1\": -0.01}", msg("l1", "-0.01", l2)},
      {"l1", "{\"l1\": 1.5}", msg("l1", "1.5", l2)},
      {"l1", "{\"l1\": \"0.1\"}", msg("l1", "\"0.1\"", l2)},
      // cce without softmax
      {"loss",
       "{\"network\": {\"layers\": [{\"units\": 4, \"activation\": \"tanh\"}, {\"units\": 2, \"activation\": "
       "\"sigmoid\"}]}, \"loss\": \"cce\"}",
       "config: network.layers[1].activation: \"sigmoid\" is not allowed with cce (cce needs a softmax output)"},
      // bce without sigmoid
      {"loss", "{\"network\": {\"layers\": [{\"units\": 1, \"activation\": \"linear\"}]}, \"loss\": \"bce\"}",
       "config: network.layers[0].activation: \"linear\" is not allowed with bce (bce needs a sigmoid output)"},
      // bce with more than one output
      {"loss", "{\"network\": {\"layers\": [{\"units\": 3, \"activation\": \"sigmoid\"}]}, \"loss\": \"bce\"}",
       "config: network.layers[0].units: 3 is not allowed with bce (bce needs 1 output unit; for k classes use "
       "softmax with cce)"},
      // bce on a 3-class spiral
      {"loss",
       "{\"dataset\": {\"name\": \"spiral\", \"arms\": 3}, \"network\": {\"layers\": [{\"units\": 1, \"activation\": "
       "\"sigmoid\"}]}, \"loss\": \"bce\"}",
       "config: loss: \"bce\" is not allowed with 3 classes (bce is binary: use softmax with cce and 3 units)"},
      // classification losses on regression data
      {"loss", "{\"dataset\": {\"name\": \"sine\"}, \"network\": {\"layers\": [{\"units\": 1, \"activation\": \"sigmoid\"}]}}",
       "config: loss: \"bce\" is not allowed with the sine dataset (it is regression: use mse)"},
      {"loss",
       "{\"dataset\": {\"name\": \"plane\"}, \"network\": {\"layers\": [{\"units\": 1, \"activation\": \"softmax\"}]}, "
       "\"loss\": \"cce\"}",
       "config: loss: \"cce\" is not allowed with the plane dataset (it is regression: use mse)"},
      // output units against the data
      {"network.layers",
       "{\"dataset\": {\"name\": \"spiral\", \"arms\": 3}, \"network\": {\"layers\": [{\"units\": 4, \"activation\": "
       "\"softmax\"}]}, \"loss\": \"cce\"}",
       "config: network.layers[0].units: 4 is not allowed (the spiral dataset has 3 classes: use 3)"},
      {"network.layers", "{\"network\": {\"layers\": [{\"units\": 3, \"activation\": \"softmax\"}]}, \"loss\": \"cce\"}",
       "config: network.layers[0].units: 3 is not allowed (the xor dataset has 2 classes: use 2, or 1 with a sigmoid)"},
      {"network.layers",
       "{\"dataset\": {\"name\": \"sine\"}, \"network\": {\"layers\": [{\"units\": 2, \"activation\": \"linear\"}]}, "
       "\"loss\": \"mse\"}",
       "config: network.layers[0].units: 2 is not allowed (the sine dataset has 1 target: use 1)"},
  };
}

std::string error_of(const std::string& config) {
  try {
    nnplay::Trainer t(config);
  } catch (const nnplay::Error& e) {
    return e.what();
  }
  return "(no error)";
}

// One test per row, named after the field and the row's number: ConfigErrors.dataset_samples_7.
REGISTER_TESTS(config_rows) {
  const std::vector<Row> all = rows();
  for (size_t i = 0; i < all.size(); ++i) {
    std::string name;
    for (const char* c = all[i].field; *c; ++c)
      if (std::isalnum(static_cast<unsigned char>(*c))) name += *c;
      else if (!name.empty() && name.back() != '_') name += '_';
    if (name.back() != '_') name += '_';
    const Row r = all[i];
    nnplay_test::register_test("ConfigErrors", name + std::to_string(i), __FILE__, __LINE__, [r] {
      EXPECT_EQ(error_of(r.config), r.message) << "config " << r.config;
    });
  }
}

TEST(ConfigErrors, NotJson) {
  const std::string m = error_of("{\"loss\": ");
  EXPECT_EQ(m.rfind("config: not valid JSON (", 0), 0u) << m;  // the rest is the JSON library's text
}

// A number too large for a double (1e999) is valid JSON; it must be refused like any other bad value,
// with an nnplay::Error whose message starts "config: " (Trainer's documented contract: bad input
// throws nnplay::Error), not with the JSON library's out_of_range exception.
TEST(ConfigErrors, OverflowingNumberIsAnNnplayError) {
  for (const char* c : {"{\"seed\": 1e999}", "{\"optimizer\": {\"learning_rate\": -1e400}}"}) {
    std::string m;
    try {
      nnplay::Trainer t(c);
      m = "(no error)";
    } catch (const nnplay::Error& e) {
      m = e.what();
    } catch (const std::exception& e) {
      m = std::string("(not an nnplay::Error) ") + e.what();
    }
    EXPECT_EQ(m.rfind("config: ", 0), 0u) << c << " -> " << m;
  }
}

// The valid edges of every range are accepted (the same fields, the other side of each bound).
TEST(ConfigErrors, RangeEdgesAreAllowed) {
  const char* ok[] = {
      "{\"dataset\": {\"samples\": 10, \"noise\": 0, \"test_ratio\": 0, \"seed\": 0}}",
      "{\"dataset\": {\"samples\": 100000, \"noise\": 5, \"test_ratio\": 0.9, \"seed\": 4294967295}, \"epochs\": 1}",
      "{\"dataset\": {\"name\": \"spiral\", \"arms\": 8}, \"network\": {\"layers\": [{\"units\": 8, \"activation\": "
      "\"softmax\"}]}, \"loss\": \"cce\"}",
      "{\"dataset\": {\"name\": \"random\", \"inputs\": 1, \"classes\": 100, \"samples\": 200}, \"network\": {\"layers\": "
      "[{\"units\": 100, \"activation\": \"softmax\"}]}, \"loss\": \"cce\"}",
      "{\"optimizer\": {\"name\": \"momentum\", \"momentum\": 0, \"learning_rate\": 10, \"nesterov\": true}}",
      "{\"optimizer\": {\"name\": \"adam\", \"beta1\": 0, \"beta2\": 0.9999, \"epsilon\": 1}}",
      "{\"batch_size\": 0, \"epochs\": 1000000, \"l2\": 1, \"seed\": 4294967295, \"shuffle\": false}",
      "{\"batch_size\": 100000, \"l2\": 0, \"dataset\": {\"samples\": 400.0}}",
      "{\"network\": {\"layers\": [{\"units\": 1024, \"activation\": \"relu\"}, {\"units\": 1, \"activation\": "
      "\"sigmoid\"}]}}",
  };
  for (const char* c : ok) EXPECT_EQ(error_of(c), "(no error)") << c;
}

// README's table is the list of fields: each one must have at least one row above.
TEST(ConfigErrors, EveryReadmeFieldIsCovered) {
  std::ifstream in(std::string(NNPLAY_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found under " << NNPLAY_SOURCE_DIR;
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t begin = readme.find("## Config format");
  ASSERT_NE(begin, std::string::npos);
  const size_t end = readme.find("\n## ", begin + 1);
  const std::string section = readme.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  std::set<std::string> covered;
  for (const Row& r : rows()) covered.insert(r.field);
  const std::regex row_re("\\n\\| `([a-z_0-9.]+)` \\|");
  int fields = 0;
  for (std::sregex_iterator it(section.begin(), section.end(), row_re), stop; it != stop; ++it) {
    ++fields;
    EXPECT_TRUE(covered.count((*it)[1].str())) << "README field " << (*it)[1].str() << " has no invalid-value row";
  }
  EXPECT_GE(fields, 25) << "README's config table was not found or lost rows";
}

}  // namespace
