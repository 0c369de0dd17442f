// data_test.cpp: the generated datasets and the feature map (data.h). With noise 0 each generator's
// points satisfy the geometry data.cpp documents (circle radii, xor quadrants kept 0.3 from the axes,
// spiral arms r = 5t at angle 3.5 pi t + 2 pi k / K, moons on two circles of radius 2.5, sine and plane
// targets); noise adds Gaussian jitter of the given standard deviation; the test split is the last
// round(m * test_ratio) samples; classes are balanced. The feature map computes x1^2, x1*x2, sin(x1)...
// and standardises with the training split's mean and (population) standard deviation; a constant
// column is only centred.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "data.h"
#include "trainer.h"

namespace {

using nnplay::Dataset;
using nnplay::DatasetConfig;

Dataset make(const std::string& name, int samples, double noise, double test_ratio = 0, int arms = 2) {
  DatasetConfig c;
  c.name = name;
  c.samples = samples;
  c.noise = noise;
  c.test_ratio = test_ratio;
  c.arms = arms;
  return nnplay::make_dataset(c);
}

// Calls f(x1, x2, y) for every sample of both splits.
template <typename F> void each(const Dataset& d, F f) {
  for (const nnplay::Matrix* raw : {&d.raw_train, &d.raw_test}) {
    const nnplay::Matrix& y = raw == &d.raw_train ? d.target_train : d.target_test;
    for (Eigen::Index i = 0; i < raw->rows(); ++i)
      f(double((*raw)(i, 0)), d.raw_dims > 1 ? double((*raw)(i, 1)) : 0.0, double(y(i, 0)));
  }
}

const double kTol = 1e-5;  // coordinates are stored as float

TEST(Generators, SplitSizesAndShapes) {
  for (const char* name : {"circle", "xor", "gaussians", "spiral", "moons", "sine", "plane"}) {
    const Dataset d = make(name, 101, 0.1, 0.25);
    SCOPED_TRACE(name);
    EXPECT_EQ(d.raw_test.rows(), 25);  // round(101 * 0.25) = round(25.25)
    EXPECT_EQ(d.raw_train.rows(), 76);
    EXPECT_EQ(d.raw_dims, std::string(name) == "sine" ? 1 : 2);
    EXPECT_EQ(d.task, std::string(name) == "sine" || std::string(name) == "plane" ? "regression" : "classification");
    each(d, [&](double x1, double x2, double) {
      EXPECT_LE(std::abs(x1), 6.0);
      EXPECT_LE(std::abs(x2), 6.0);
    });
  }
  EXPECT_EQ(make("xor", 10, 0.1, 0.9).raw_train.rows(), 1);  // round(9) held out
  EXPECT_EQ(make("xor", 10, 0.1, 0.04).raw_test.rows(), 0);   // round(0.4) = 0
  EXPECT_EQ(make("xor", 10, 0.1, 0.05).raw_test.rows(), 1);   // round(0.5) = 1
}

TEST(Generators, CircleRadii) {
  int inner = 0;
  each(make("circle", 400, 0), [&](double x1, double x2, double y) {
    const double r = std::hypot(x1, x2);
    if (y == 1) {
      ++inner;
      EXPECT_LE(r, 2.5 + kTol);
    } else {
      EXPECT_GE(r, 3.5 - kTol);
      EXPECT_LE(r, 5 + kTol);
    }
  });
  EXPECT_EQ(inner, 200);
}

TEST(Generators, XorQuadrants) {
  each(make("xor", 400, 0), [&](double x1, double x2, double y) {
    EXPECT_GE(std::abs(x1), 0.3 - kTol);
    EXPECT_GE(std::abs(x2), 0.3 - kTol);
    EXPECT_LE(std::abs(x1), 5.3 + kTol);
    EXPECT_EQ(y, x1 * x2 > 0 ? 1 : 0);
  });
}

TEST(Generators, SpiralArms) {
  for (int K : {2, 3, 5}) {
    std::vector<int> count(K, 0);
    each(make("spiral", 300, 0, 0, K), [&](double x1, double x2, double y) {
      const int k = int(y);
      ASSERT_GE(k, 0);
      ASSERT_LT(k, K);
      ++count[k];
      const double r = std::hypot(x1, x2), t = r / 5, a = 1.75 * 2 * M_PI * t + 2 * M_PI * k / K;
      EXPECT_NEAR(x1, r * std::cos(a), 1e-4) << "arm " << k;
      EXPECT_NEAR(x2, r * std::sin(a), 1e-4) << "arm " << k;
    });
    for (int k = 0; k < K; ++k) EXPECT_NEAR(count[k], 300.0 / K, 1.0) << K << " arms";
  }
}

TEST(Generators, MoonsOnTwoCircles) {
  each(make("moons", 200, 0), [&](double x1, double x2, double y) {
    const double cx = y == 1 ? 1.25 : -1.25, cy = y == 1 ? 0.625 : -0.625;
    EXPECT_NEAR(std::hypot(x1 - cx, x2 - cy), 2.5, kTol);
    if (y == 0) EXPECT_GE(x2, -0.625 - kTol);  // upper half circle
    else EXPECT_LE(x2, 0.625 + kTol);          // lower half circle
  });
}

TEST(Generators, GaussiansAroundPlusMinusTwo) {
  double s[2][2] = {{0, 0}, {0, 0}};
  int n[2] = {0, 0};
  each(make("gaussians", 2000, 0), [&](double x1, double x2, double y) {
    const int k = int(y);
    s[k][0] += x1, s[k][1] += x2, ++n[k];
  });
  EXPECT_EQ(n[0], 1000);
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 2; ++j) EXPECT_NEAR(s[k][j] / n[k], k ? 2.0 : -2.0, 5 / std::sqrt(1000.0));
}

TEST(Generators, RegressionTargetsAndNoise) {
  each(make("sine", 200, 0), [&](double x, double, double y) {
    EXPECT_LE(std::abs(x), 5 + kTol);
    EXPECT_NEAR(y, std::sin(x), 1e-6);
  });
  each(make("plane", 200, 0), [&](double x1, double x2, double y) { EXPECT_NEAR(y, 0.5 * x1 - 0.3 * x2, kTol); });
  // noise: the residuals' standard deviation is the configured one.
  double ss = 0;
  int m = 0;
  each(make("sine", 4000, 0.3), [&](double x, double, double y) { ss += (y - std::sin(x)) * (y - std::sin(x)), ++m; });
  EXPECT_NEAR(std::sqrt(ss / m), 0.3, 5 * 0.3 / std::sqrt(2.0 * m));
}

TEST(Generators, RandomDataset) {
  DatasetConfig c;
  c.name = "random";
  c.samples = 500;
  c.inputs = 7;
  c.classes = 4;
  const Dataset d = nnplay::make_dataset(c);
  EXPECT_EQ(d.raw_dims, 7);
  EXPECT_EQ(d.classes, 4);
  EXPECT_EQ(d.raw_train.rows() + d.raw_test.rows(), 500);
  for (Eigen::Index i = 0; i < d.target_train.rows(); ++i) {
    EXPECT_GE(d.target_train(i, 0), 0);
    EXPECT_LT(d.target_train(i, 0), 4);
  }
}

TEST(FeatureMap, FeaturesAndStandardisation) {
  nnplay::Config c = nnplay::parse_config(
      R"json({"dataset":{"name":"xor","samples":200,"standardize":false},"network":{"features":["x1","x2","x1^2","x2^2","x1*x2","sin(x1)","sin(x2)"]}})json");
  const Dataset d = nnplay::make_dataset(c.dataset);
  nnplay::FeatureMap f = nnplay::make_feature_map(c, d);
  const int m = int(d.raw_train.rows());
  nnplay::Matrix X(m, f.inputs());
  f.apply(d.raw_train.data(), m, X.data());
  for (int i = 0; i < m; ++i) {
    const double x1 = d.raw_train(i, 0), x2 = d.raw_train(i, 1);
    const double want[7] = {x1, x2, x1 * x1, x2 * x2, x1 * x2, std::sin(x1), std::sin(x2)};
    for (int j = 0; j < 7; ++j) EXPECT_NEAR(X(i, j), want[j], 1e-6 * std::max(1.0, std::abs(want[j])));
  }
  // Standardised: every column of the training inputs has mean 0 and (population) standard deviation 1.
  c.dataset.standardize = true;
  f = nnplay::make_feature_map(c, d);
  f.apply(d.raw_train.data(), m, X.data());
  for (int j = 0; j < 7; ++j) {
    double s = 0, ss = 0;
    for (int i = 0; i < m; ++i) s += X(i, j);
    for (int i = 0; i < m; ++i) ss += (X(i, j) - s / m) * (X(i, j) - s / m);
    EXPECT_NEAR(s / m, 0.0, 1e-6) << "column " << j;
    EXPECT_NEAR(std::sqrt(ss / m), 1.0, 1e-5) << "column " << j;
  }
}

TEST(FeatureMap, ConstantColumnIsOnlyCentred) {
  nnplay::Trainer t(R"({"dataset":{"name":"csv","csv":"a,c,y\n1,5,0\n2,5,1\n3,5,0\n4,5,1\n","test_ratio":0},)"
                    R"("network":{"layers":[{"units":1,"activation":"sigmoid"}]}})");
  const nnplay::Scalar raw[2] = {2.5, 7};
  const std::vector<nnplay::Scalar> out = t.predict_raw(raw, 1);  // finite although std(c) = 0
  EXPECT_TRUE(std::isfinite(out[0]));
  const nnplay::FeatureMap f = nnplay::make_feature_map(t.config(), t.dataset());
  nnplay::Scalar X[2];
  f.apply(raw, 1, X);
  EXPECT_NEAR(X[0], 0.0, 1e-6);  // a: mean 2.5
  EXPECT_NEAR(X[1], 2.0, 1e-6);  // c: 7 - 5, not scaled
}

}  // namespace
