// data.cpp: generators, CSV loading and the feature map (see data.h).
#include "data.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "detmath.h"
#include "errors.h"
#include "rng.h"

namespace nnplay {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Sample {
  double x1, x2, y;
};

// Each generator returns samples in class order; the caller shuffles and splits them.
std::vector<Sample> generate(const DatasetConfig& c, Rng& rng) {
  std::vector<Sample> s;
  const int m = c.samples;
  const double noise = c.noise;
  auto jitter = [&]() { return noise * rng.normal(); };
  if (c.name == "circle") {
    // Class 1 inside radius 2.5, class 0 on the ring 3.5 to 5.
    for (int i = 0; i < m; ++i) {
      const int label = i < m / 2 ? 1 : 0;
      const double r = label ? rng.uniform(0.0, 2.5) : rng.uniform(3.5, 5.0);
      const double t = rng.uniform(0.0, 2 * kPi);
      s.push_back({r * detmath::cos(t) + jitter(), r * detmath::sin(t) + jitter(), double(label)});
    }
  } else if (c.name == "xor") {
    // Uniform in [-5, 5]^2 kept 0.3 away from the axes; class 1 where x1 x2 > 0.
    for (int i = 0; i < m; ++i) {
      double x1 = rng.uniform(-5.0, 5.0), x2 = rng.uniform(-5.0, 5.0);
      x1 += x1 > 0 ? 0.3 : -0.3;
      x2 += x2 > 0 ? 0.3 : -0.3;
      s.push_back({x1 + jitter(), x2 + jitter(), x1 * x2 > 0 ? 1.0 : 0.0});
    }
  } else if (c.name == "gaussians") {
    // Class 1 around (2, 2), class 0 around (-2, -2), standard deviation 1 (+ noise).
    for (int i = 0; i < m; ++i) {
      const int label = i < m / 2 ? 1 : 0;
      const double mu = label ? 2.0 : -2.0;
      s.push_back({mu + rng.normal() + jitter(), mu + rng.normal() + jitter(), double(label)});
    }
  } else if (c.name == "spiral") {
    // Arm k of K: radius 5t, angle 1.75 * 2 pi t + 2 pi k / K, t uniform in [0, 1).
    const int K = c.arms;
    for (int i = 0; i < m; ++i) {
      const int k = static_cast<int>((long long)i * K / m);
      const double t = rng.uniform();
      const double r = 5.0 * t, a = 1.75 * 2 * kPi * t + 2 * kPi * k / K;
      s.push_back({r * detmath::cos(a) + jitter(), r * detmath::sin(a) + jitter(), double(k)});
    }
  } else if (c.name == "moons") {
    // Two interleaved half circles of radius 2.5, centred so the set sits around the origin.
    for (int i = 0; i < m; ++i) {
      const int label = i < m / 2 ? 0 : 1;
      const double t = rng.uniform(0.0, kPi);
      const double x1 = label ? 2.5 * (1 - detmath::cos(t)) - 1.25 : 2.5 * detmath::cos(t) - 1.25;
      const double x2 = label ? 2.5 * (0.5 - detmath::sin(t)) + 0.625 - 1.25 : 2.5 * detmath::sin(t) - 0.625;
      s.push_back({x1 + jitter(), x2 + jitter(), double(label)});
    }
  } else if (c.name == "sine") {
    // y = sin(x) + noise, x uniform in [-5, 5].
    for (int i = 0; i < m; ++i) {
      const double x = rng.uniform(-5.0, 5.0);
      s.push_back({x, 0.0, detmath::sin(x) + jitter()});
    }
  } else if (c.name == "plane") {
    // y = 0.5 x1 - 0.3 x2 + noise, (x1, x2) uniform in [-5, 5]^2.
    for (int i = 0; i < m; ++i) {
      const double x1 = rng.uniform(-5.0, 5.0), x2 = rng.uniform(-5.0, 5.0);
      s.push_back({x1, x2, 0.5 * x1 - 0.3 * x2 + jitter()});
    }
  }
  return s;
}

}  // namespace

// Gaussian inputs N(0, 1) with uniformly random labels: the benchmarks' workload.
Dataset random_dataset(const DatasetConfig& c) {
  Rng rng(c.seed);
  Dataset d;
  d.name = "random";
  d.task = "classification";
  d.classes = c.classes;
  for (int k = 0; k < d.classes; ++k) d.class_names.push_back(std::to_string(k));
  d.raw_dims = c.inputs;
  for (int j = 0; j < c.inputs; ++j) d.raw_names.push_back("x" + std::to_string(j + 1));
  const int m = c.samples, m_test = test_count(m, c.test_ratio), m_train = m - m_test;
  d.resize_split(m_train, m_test);
  for (int i = 0; i < m; ++i) {
    Matrix& raw = i < m_train ? d.raw_train : d.raw_test;
    const int r = i < m_train ? i : i - m_train;
    for (int j = 0; j < d.raw_dims; ++j) raw(r, j) = static_cast<Scalar>(rng.normal());
    (i < m_train ? d.target_train : d.target_test)(r, 0) = Scalar(rng.below(static_cast<uint32_t>(c.classes)));
  }
  return d;
}

Dataset images_dataset(const DatasetConfig& c, std::shared_ptr<const ImageSet> set) {
  if (!set) throw Error("data: the " + c.name + " dataset needs its images");
  const ImageSet& im = *set;
  const int K = static_cast<int>(im.class_names.size());
  Dataset d;
  d.name = c.name;
  d.task = "classification";
  d.classes = K;
  d.class_names = im.class_names;
  d.raw_dims = im.pixels();
  for (int j = 0; j < d.raw_dims; ++j) d.raw_names.push_back("p" + std::to_string(j));
  d.image_train = std::min(c.samples, im.m_train);
  d.images = set;
  for (const bool test : {false, true}) {
    const int m = d.rows(test);
    const uint8_t* labels = im.labels(test);
    Matrix& target = test ? d.target_test : d.target_train;
    target.resize(m, 1);
    for (int i = 0; i < m; ++i) target(i, 0) = Scalar(labels[i]);  // read_image_asset checked them
  }
  return d;
}

void Dataset::raw_rows(bool test, const int* rows, int first, int n, Scalar* out) const {
  const size_t d = size_t(raw_dims);
  if (images) {
    // x = p / 255 per pixel byte p, through the table of the 256 values.
    const Scalar* scale = pixel_scale();
    const uint8_t* px = images->pixel_rows(test);
    for (int i = 0; i < n; ++i) {
      const uint8_t* p = px + size_t(rows ? rows[i] : first + i) * d;
      Scalar* o = out + size_t(i) * d;
      for (size_t j = 0; j < d; ++j) o[j] = scale[p[j]];
    }
    return;
  }
  const Scalar* raw = raw_data(test);
  for (int i = 0; i < n; ++i) std::copy_n(raw + size_t(rows ? rows[i] : first + i) * d, d, out + size_t(i) * d);
}

Matrix Dataset::raw_copy(bool test) const {
  Matrix X(rows(test), raw_dims);
  raw_rows(test, nullptr, 0, int(X.rows()), X.data());
  return X;
}

Dataset make_dataset(const DatasetConfig& c) {
  if (c.name == "csv") return csv_dataset(c);
  if (c.name == "random") return random_dataset(c);
  if (c.name == "fashion_mnist")
    throw Error("config: dataset.name: \"fashion_mnist\" needs its images, which the page loads (not available here)");
  Rng rng(c.seed);
  std::vector<Sample> s = generate(c, rng);
  rng.shuffle(s);
  Dataset d;
  d.name = c.name;
  const bool regression = c.name == "sine" || c.name == "plane";
  d.task = regression ? "regression" : "classification";
  d.classes = regression ? 0 : (c.name == "spiral" ? c.arms : 2);
  for (int k = 0; k < d.classes; ++k) d.class_names.push_back(std::to_string(k));
  d.raw_dims = c.name == "sine" ? 1 : 2;
  d.raw_names = c.name == "sine" ? std::vector<std::string>{"x1"} : std::vector<std::string>{"x1", "x2"};
  const int m = static_cast<int>(s.size()), m_test = test_count(m, c.test_ratio), m_train = m - m_test;
  d.resize_split(m_train, m_test);
  for (int i = 0; i < m; ++i) {
    Matrix& raw = i < m_train ? d.raw_train : d.raw_test;
    Matrix& y = i < m_train ? d.target_train : d.target_test;
    const int r = i < m_train ? i : i - m_train;
    raw(r, 0) = static_cast<Scalar>(s[i].x1);
    if (d.raw_dims > 1) raw(r, 1) = static_cast<Scalar>(s[i].x2);
    y(r, 0) = static_cast<Scalar>(s[i].y);
  }
  return d;
}

void FeatureMap::apply(const Scalar* raw, int m, Scalar* out) const {
  const int n = inputs();
  for (int i = 0; i < m; ++i) {
    const Scalar* r = raw + size_t(i) * raw_dims;
    Scalar* o = out + size_t(i) * n;
    for (int j = 0; j < n; ++j) {
      double v;
      if (features.empty()) {
        v = r[j];
      } else {
        const std::string& f = features[j];
        const double x1 = r[0], x2 = raw_dims > 1 ? r[1] : 0.0;
        if (f == "x1") v = x1;
        else if (f == "x2") v = x2;
        else if (f == "x1^2") v = x1 * x1;
        else if (f == "x2^2") v = x2 * x2;
        else if (f == "x1*x2") v = x1 * x2;
        else if (f == "sin(x1)") v = detmath::sin(x1);
        else v = detmath::sin(x2);
      }
      if (!mean.empty()) v = (v - mean[j]) / std[j];
      o[j] = static_cast<Scalar>(v);
    }
  }
}

bool same_data(const DatasetConfig& a, const DatasetConfig& b) {
  return a.name == b.name && a.samples == b.samples && a.noise == b.noise && a.test_ratio == b.test_ratio &&
         a.seed == b.seed && a.arms == b.arms && a.inputs == b.inputs && a.classes == b.classes && a.csv == b.csv &&
         a.target == b.target && a.task == b.task;
}

FeatureMap make_feature_map(const Config& c, const Dataset& d) {
  FeatureMap f;
  f.raw_dims = d.raw_dims;
  if (is_planar_dataset(d.name)) {
    f.features = c.features.empty() ? d.raw_names : c.features;
    for (size_t j = 0; j < f.features.size(); ++j) {
      const std::string& name = f.features[j];
      if (d.raw_dims < 2 && name.find("x2") != std::string::npos)
        throw Error("config: network.features[" + std::to_string(j) + "]: \"" + name + "\" is not allowed with the " +
                    d.name + " dataset (it has one input, x1: use x1, x1^2, sin(x1))");
    }
  }
  if (c.dataset.standardize && d.rows(false) > 0) {
    const int n = f.inputs(), m = d.rows(false);
    Matrix X(m, n);
    const Matrix raw = d.images ? d.raw_copy(false) : Matrix();
    f.apply(d.images ? raw.data() : d.raw_data(false), m, X.data());
    f.mean.assign(n, 0.0);
    f.std.assign(n, 0.0);
    for (int j = 0; j < n; ++j) {
      double s = 0;
      for (int i = 0; i < m; ++i) s += X(i, j);
      const double mu = s / m;
      double ss = 0;
      for (int i = 0; i < m; ++i) ss += (X(i, j) - mu) * (X(i, j) - mu);
      const double sd = std::sqrt(ss / m);
      f.mean[j] = mu;
      f.std[j] = sd > 1e-12 ? sd : 1.0;  // a constant column is centred, not scaled
    }
  }
  return f;
}

Matrix encode_targets(const Matrix& target, int outputs, bool classification) {
  const Eigen::Index m = target.rows();
  Matrix Y = Matrix::Zero(m, outputs);
  for (Eigen::Index i = 0; i < m; ++i) {
    if (!classification || outputs == 1) Y(i, 0) = target(i, 0);
    else Y(i, static_cast<Eigen::Index>(target(i, 0))) = Scalar(1);
  }
  return Y;
}

}  // namespace nnplay
