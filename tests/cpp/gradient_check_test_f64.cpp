// gradient_check_test_f64.cpp: backpropagation against central differences, in the double build.
// Every hidden activation (relu, leaky_relu, sigmoid, tanh, linear) x every output/loss pair
// (sigmoid+bce, softmax+cce, linear/sigmoid/tanh/softmax+mse) x depth 1 to 3 (layers including the output)
// x without and with L2 (132 cases, 30 samples each), and with L1 (24 cases; teachcore). Datasets fit each loss: xor/circle for bce, a
// 3-arm spiral for cce and softmax+mse, sine/plane for mse regression, circle/xor and the spiral (3 one-hot outputs)
// for classification with mse. Trainer::gradient_check(h) compares, per parameter tensor, backprop's
// dJ/dP with (J(P+h) - J(P-h)) / 2h, J = mean data loss + lambda/2 sum ||W||^2 + l1 sum |W|; every tensor's max
// relative error |a - n| / max(|a| + |n|, 1e-4) must stay below 1e-6.
// The step is h = 1e-5, not 1e-6: at h = 1e-6 the central difference carries a rounding error of a
// few ulp of J over 2h (about 2.5e-10 for J near 1), which the metric's 1e-4 floor turns into up to
// 2e-6 for entries with tiny gradients (3 of the 110 cases: 1.5e-6, 2.1e-6, 2.1e-6) although backprop
// is right. At h = 1e-5 the worst tensor over all 110 cases is 1.4e-7.
// The float build (float32 backprop against the same float64 central difference): gradient_check_test.cpp.
#include <gtest/gtest.h>

#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "registered_test.h"
#include "trainer.h"

namespace {

static_assert(sizeof(nnplay::Scalar) == 8, "gradient checks run in the double build (NNPLAY_DOUBLE)");

constexpr double kStep = 1e-5;  // see the top of the file

struct OutputCase {
  const char* activation;  // output layer activation
  const char* loss;
  int units;
  const char* dataset[2];  // datasets used at even / odd depth, to cover more data shapes
  const char* extra[2];    // extra dataset fields (JSON fragment, may be empty)
};

// Each output/loss pair with datasets that fit it.
const OutputCase kOutputs[] = {
    {"sigmoid", "bce", 1, {"xor", "circle"}, {"", ""}},
    {"softmax", "cce", 3, {"spiral", "spiral"}, {",\"arms\":3", ",\"arms\":3"}},
    {"linear", "mse", 1, {"sine", "plane"}, {"", ""}},
    {"sigmoid", "mse", 1, {"circle", "xor"}, {"", ""}},             // classification with mse
    {"tanh", "mse", 3, {"spiral", "spiral"}, {",\"arms\":3", ",\"arms\":3"}},  // 3 outputs, one-hot targets
    // teachcore: mse through softmax's Jacobian, dZ = A * (dA - rowsum(dA * A))
    {"softmax", "mse", 3, {"spiral", "spiral"}, {",\"arms\":3", ",\"arms\":3"}},
};
const char* kHidden[] = {"relu", "leaky_relu", "sigmoid", "tanh", "linear"};

struct Case {
  std::string hidden;  // "" for depth 1
  int out;             // index into kOutputs
  int depth;           // layers including the output
  double l2;
  double l1 = 0;       // teachcore: the L1 term, l1 sum |W|, gradient l1 sign(W)
};

std::string case_name(const Case& c) {
  const OutputCase& o = kOutputs[c.out];
  std::string n = "depth" + std::to_string(c.depth) + "_";
  if (!c.hidden.empty()) n += c.hidden + "_";
  n += std::string(o.activation) + "_" + o.loss + (c.l2 > 0 ? "_l2" : "") + (c.l1 > 0 ? "_l1" : "");
  return n;
}

std::string case_config(const Case& c) {
  const OutputCase& o = kOutputs[c.out];
  const int parity = c.depth % 2;
  std::string layers;
  const int hidden_units[] = {4, 3};
  for (int l = 0; l + 1 < c.depth; ++l)
    layers += "{\"units\":" + std::to_string(hidden_units[l]) + ",\"activation\":\"" + c.hidden + "\"},";
  layers += "{\"units\":" + std::to_string(o.units) + ",\"activation\":\"" + o.activation + "\"}";
  char l2[32];
  std::snprintf(l2, sizeof l2, "%g", c.l2);
  return std::string("{\"dataset\":{\"name\":\"") + o.dataset[parity] + "\",\"samples\":30,\"test_ratio\":0" +
         o.extra[parity] + "},\"network\":{\"layers\":[" + layers + "]},\"loss\":\"" + o.loss +
         "\",\"l2\":" + l2 + ",\"l1\":" + std::to_string(c.l1) + ",\"seed\":" + std::to_string(7 + c.depth) + "}";
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (double l2 : {0.0, 0.05})
    for (int out = 0; out < int(std::size(kOutputs)); ++out) {
      cases.push_back({"", out, 1, l2});
      for (int depth = 2; depth <= 3; ++depth)
        for (const char* h : kHidden) cases.push_back({h, out, depth, l2});
    }
  // teachcore: L1 (no weight is within h of 0 here, where |W| has its kink), depth 2 and 3.
  for (int out = 0; out < int(std::size(kOutputs)); ++out)
    for (int depth = 2; depth <= 3; ++depth)
      for (const char* h : {"relu", "tanh"}) cases.push_back({h, out, depth, 0.0, 0.03});
  return cases;
}

// The model file with every bias set to a distinct nonzero value (0.1, 0.12, 0.14, ...).
std::string with_nonzero_biases(const std::string& model_json) {
  nlohmann::json model = nlohmann::json::parse(model_json);
  for (auto& layer : model["layers"])
    for (size_t j = 0; j < layer["b"].size(); ++j) layer["b"][j] = 0.1 + 0.02 * double(j);
  return model.dump();
}

void backprop_matches_central_differences(const Case& c) {
  const std::string config = case_config(c);
  SCOPED_TRACE(config);
  nnplay::Trainer t(config);
  ASSERT_EQ(int(t.network().layers().size()), c.depth);
  // Biases start at exactly 0. A sample that switches off every relu unit of a layer then gives the
  // next layer Z = b = 0 exactly, relu's kink, where central differences see a slope of 1/2 and
  // backprop (by the documented convention) 0. Nonzero biases move the check off the kinks.
  t.import_model(with_nonzero_biases(t.export_model()));
  const std::vector<nnplay::Trainer::GradCheck> checks = t.gradient_check(kStep);
  ASSERT_EQ(checks.size(), size_t(2 * c.depth));  // W and b per layer
  for (const auto& g : checks) EXPECT_LT(g.max_rel_error, 1e-6) << "tensor " << g.name;
}

// One test per case: GradientCheck.depth2_tanh_softmax_cce_l2 ...
REGISTER_TESTS(gradient_checks) {
  for (const Case& c : all_cases())
    nnplay_test::register_test("GradientCheck", case_name(c), __FILE__, __LINE__,
                               [c] { backprop_matches_central_differences(c); });
}

// The L2 term is part of the checked gradient: with the same seed (same initial weights and data),
// dW with lambda minus dW without it is exactly lambda W, entry by entry.
TEST(GradientCheckSanity, L2TermIsInTheGradient) {
  const std::string base = "{\"dataset\":{\"name\":\"xor\",\"samples\":30,\"test_ratio\":0},"
                           "\"network\":{\"layers\":[{\"units\":3,\"activation\":\"tanh\"},{\"units\":1,"
                           "\"activation\":\"sigmoid\"}]},\"loss\":\"bce\",\"l2\":";
  nnplay::Trainer a(base + "0}"), b(base + "0.5}");
  a.gradient_check(kStep);
  b.gradient_check(kStep);
  const nnplay::Matrix& W1 = a.network().layers()[0].W;
  const nnplay::Matrix diff = b.network().layers()[0].dW - a.network().layers()[0].dW;
  for (Eigen::Index i = 0; i < W1.size(); ++i) EXPECT_NEAR(diff.data()[i], 0.5 * W1.data()[i], 1e-12);
}

// teachcore: the L1 term likewise: dW with l1 minus dW without it is l1 sign(W), entry by entry.
TEST(GradientCheckSanity, L1TermIsInTheGradient) {
  const std::string base = "{\"dataset\":{\"name\":\"xor\",\"samples\":30,\"test_ratio\":0},"
                           "\"network\":{\"layers\":[{\"units\":3,\"activation\":\"tanh\"},{\"units\":1,"
                           "\"activation\":\"sigmoid\"}]},\"loss\":\"bce\",\"l1\":";
  nnplay::Trainer a(base + "0}"), b(base + "0.25}");
  a.gradient_check(kStep);
  b.gradient_check(kStep);
  const nnplay::Matrix& W1 = a.network().layers()[0].W;
  const nnplay::Matrix diff = b.network().layers()[0].dW - a.network().layers()[0].dW;
  for (Eigen::Index i = 0; i < W1.size(); ++i)
    EXPECT_NEAR(diff.data()[i], W1.data()[i] > 0 ? 0.25 : -0.25, 1e-12);
}

}  // namespace
