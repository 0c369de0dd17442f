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

// Fisher-Yates with nnplay's Rng.
template <typename T> void shuffle(std::vector<T>& v, Rng& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(static_cast<uint32_t>(i))]);
}

int test_count(int m, double ratio) { return static_cast<int>(std::floor(m * ratio + 0.5)); }

bool parse_number(const std::string& cell, double& out) {
  const char* b = cell.c_str();
  while (*b == ' ' || *b == '\t') ++b;
  if (!*b) return false;
  char* end = nullptr;
  out = std::strtod(b, &end);
  while (*end == ' ' || *end == '\t' || *end == '\r') ++end;
  return *end == '\0' && std::isfinite(out);
}

Dataset from_csv(const DatasetConfig& c) {
  const CsvTable t = parse_csv(c.csv);
  const int cols = static_cast<int>(t.header.size());
  if (cols < 2) throw Error("csv: the header has " + std::to_string(cols) + " column; at least 2 are needed (features and a target)");
  int target = cols - 1;
  if (!c.target.empty()) {
    auto it = std::find(t.header.begin(), t.header.end(), c.target);
    if (it == t.header.end()) throw Error("config: dataset.target: \"" + c.target + "\" is not a column of the CSV");
    target = static_cast<int>(it - t.header.begin());
  }
  const int m = static_cast<int>(t.rows.size());
  if (m < 2) throw Error("csv: " + std::to_string(m) + " data row" + (m == 1 ? "" : "s") + "; at least 2 are needed");
  Dataset d;
  d.name = "csv";
  for (int j = 0; j < cols; ++j)
    if (j != target) d.raw_names.push_back(t.header[j]);
  d.raw_dims = cols - 1;
  Matrix raw(m, d.raw_dims);
  std::vector<double> y_num(m);
  bool target_numeric = true, target_integer = true;
  for (int i = 0; i < m; ++i) {
    int k = 0;
    for (int j = 0; j < cols; ++j) {
      double v;
      const bool ok = parse_number(t.rows[i][j], v);
      if (j == target) {
        target_numeric = target_numeric && ok;
        if (ok) {
          y_num[i] = v;
          target_integer = target_integer && v == std::floor(v);
        }
        continue;
      }
      if (!ok)
        throw Error("csv: data row " + std::to_string(i + 1) + " (line " + std::to_string(t.lines[i]) + "), column " +
                    std::to_string(j + 1) + " (\"" + t.header[j] + "\"): \"" + t.rows[i][j] + "\" is not a number");
      raw(i, k++) = static_cast<Scalar>(v);
    }
  }
  std::set<std::string> labels;
  if (!target_numeric || target_integer)
    for (int i = 0; i < m; ++i) labels.insert(t.rows[i][target]);
  bool classify = c.task == "classification" ||
                  (c.task == "auto" && (!target_numeric || (target_integer && labels.size() <= 20)));
  if (c.task == "regression" && !target_numeric)
    throw Error("config: dataset.task: \"regression\" is not allowed: the target column \"" + t.header[target] +
                "\" holds non-numeric labels");
  Matrix target_col(m, 1);
  if (classify) {
    if (labels.empty())
      for (int i = 0; i < m; ++i) labels.insert(t.rows[i][target]);
    if (labels.size() > 100)
      throw Error("csv: the target column \"" + t.header[target] + "\" has " + std::to_string(labels.size()) +
                  " distinct values; classification allows at most 100 (use dataset.task \"regression\")");
    // Class order: numeric labels by value, text labels alphabetically.
    std::vector<std::string> names(labels.begin(), labels.end());
    if (target_numeric)
      std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) { return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr); });
    std::map<std::string, int> index;
    for (size_t k = 0; k < names.size(); ++k) index[names[k]] = static_cast<int>(k);
    for (int i = 0; i < m; ++i) target_col(i, 0) = Scalar(index[t.rows[i][target]]);
    d.task = "classification";
    d.classes = static_cast<int>(names.size());
    d.class_names = names;
  } else {
    for (int i = 0; i < m; ++i) target_col(i, 0) = static_cast<Scalar>(y_num[i]);
    d.task = "regression";
  }
  // Seeded shuffle, then the last test_ratio of the rows is the test split.
  std::vector<int> order(m);
  for (int i = 0; i < m; ++i) order[i] = i;
  Rng rng(c.seed);
  shuffle(order, rng);
  const int m_test = test_count(m, c.test_ratio), m_train = m - m_test;
  d.raw_train.resize(m_train, d.raw_dims);
  d.raw_test.resize(m_test, d.raw_dims);
  d.target_train.resize(m_train, 1);
  d.target_test.resize(m_test, 1);
  for (int i = 0; i < m; ++i) {
    const int r = order[i];
    if (i < m_train) {
      d.raw_train.row(i) = raw.row(r);
      d.target_train(i, 0) = target_col(r, 0);
    } else {
      d.raw_test.row(i - m_train) = raw.row(r);
      d.target_test(i - m_train, 0) = target_col(r, 0);
    }
  }
  return d;
}

}  // namespace

CsvTable parse_csv(const std::string& text) {
  if (text.size() > kMaxCsvBytes)
    throw Error("csv: the file is " + std::to_string(text.size()) + " bytes; the limit is " +
                std::to_string(kMaxCsvBytes) + " bytes (50 MiB)");
  CsvTable t;
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false, any = false;
  int line = 1, row_line = 1, quote_line = 1;  // current line, where the row and the open quote began
  auto end_row = [&]() {
    cells.push_back(cell);
    cell.clear();
    const bool blank = cells.size() == 1 && cells[0].find_first_not_of(" \t\r") == std::string::npos;
    if (!blank) {
      if (t.header.empty()) {
        t.header = cells;
        if (t.header.size() > size_t(kMaxCsvColumns))
          throw Error("csv: the header has " + std::to_string(t.header.size()) + " columns; the limit is " +
                      std::to_string(kMaxCsvColumns));
      } else {
        if (cells.size() != t.header.size())
          throw Error("csv: data row " + std::to_string(t.rows.size() + 1) + " (line " + std::to_string(row_line) +
                      ") has " + std::to_string(cells.size()) + " cells; the header has " +
                      std::to_string(t.header.size()));
        if (t.rows.size() >= size_t(kMaxCsvRows))
          throw Error("csv: more than " + std::to_string(kMaxCsvRows) + " data rows (the limit)");
        t.rows.push_back(cells);
        t.lines.push_back(row_line);
      }
    }
    cells.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    any = true;
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') { cell += '"'; ++i; }
      else if (ch == '"') quoted = false;
      else { if (ch == '\n') ++line; cell += ch; }
    } else if (ch == '"') {
      quoted = true;
      quote_line = line;
    } else if (ch == ',') {
      cells.push_back(cell);
      cell.clear();
    } else if (ch == '\n') {
      end_row();
      ++line;
      row_line = line;
    } else if (ch != '\r') {
      cell += ch;
    }
  }
  if (quoted) throw Error("csv: line " + std::to_string(quote_line) + ": a quoted cell is not closed");
  if (!cell.empty() || !cells.empty()) end_row();
  if (!any || t.header.empty()) throw Error("csv: the file is empty (a header row and data rows are needed)");
  for (std::string& h : t.header) {
    const size_t b = h.find_first_not_of(" \t"), e = h.find_last_not_of(" \t");
    h = b == std::string::npos ? "" : h.substr(b, e - b + 1);
  }
  return t;
}

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
  d.raw_train.resize(m_train, d.raw_dims);
  d.raw_test.resize(m_test, d.raw_dims);
  d.target_train.resize(m_train, 1);
  d.target_test.resize(m_test, 1);
  for (int i = 0; i < m; ++i) {
    Matrix& raw = i < m_train ? d.raw_train : d.raw_test;
    const int r = i < m_train ? i : i - m_train;
    for (int j = 0; j < d.raw_dims; ++j) raw(r, j) = static_cast<Scalar>(rng.normal());
    (i < m_train ? d.target_train : d.target_test)(r, 0) = Scalar(rng.below(static_cast<uint32_t>(c.classes)));
  }
  return d;
}

Dataset images_dataset(const DatasetConfig& c, const ImageData& im) {
  const int K = static_cast<int>(im.class_names.size());
  if (im.pixels < 1 || im.m_train < 1 || K < 2)
    throw Error("data: the images need pixels, training images and at least 2 classes");
  Dataset d;
  d.name = c.name;
  d.task = "classification";
  d.classes = K;
  d.class_names = im.class_names;
  d.raw_dims = im.pixels;
  for (int j = 0; j < im.pixels; ++j) d.raw_names.push_back("p" + std::to_string(j));
  const int m_train = std::min(c.samples, im.m_train), m_test = im.m_test;
  auto fill = [&](const uint8_t* px, const uint8_t* labels, int m, Matrix& raw, Matrix& target, const char* split) {
    raw.resize(m, im.pixels);
    target.resize(m, 1);
    for (int i = 0; i < m; ++i) {
      if (labels[i] >= K)
        throw Error(std::string("data: ") + split + " label " + std::to_string(i) + ": " + std::to_string(labels[i]) +
                    " is not allowed (0 to " + std::to_string(K - 1) + ")");
      target(i, 0) = Scalar(labels[i]);
      for (int j = 0; j < im.pixels; ++j) raw(i, j) = Scalar(px[size_t(i) * im.pixels + j]) / Scalar(255);
    }
  };
  fill(im.train_pixels, im.train_labels, m_train, d.raw_train, d.target_train, "training");
  fill(im.test_pixels, im.test_labels, m_test, d.raw_test, d.target_test, "test");
  return d;
}

Dataset make_dataset(const DatasetConfig& c) {
  if (c.name == "csv") return from_csv(c);
  if (c.name == "random") return random_dataset(c);
  if (c.name == "fashion_mnist")
    throw Error("config: dataset.name: \"fashion_mnist\" needs its images, which the page loads (not available here)");
  Rng rng(c.seed);
  std::vector<Sample> s = generate(c, rng);
  shuffle(s, rng);
  Dataset d;
  d.name = c.name;
  const bool regression = c.name == "sine" || c.name == "plane";
  d.task = regression ? "regression" : "classification";
  d.classes = regression ? 0 : (c.name == "spiral" ? c.arms : 2);
  for (int k = 0; k < d.classes; ++k) d.class_names.push_back(std::to_string(k));
  d.raw_dims = c.name == "sine" ? 1 : 2;
  d.raw_names = c.name == "sine" ? std::vector<std::string>{"x1"} : std::vector<std::string>{"x1", "x2"};
  const int m = static_cast<int>(s.size()), m_test = test_count(m, c.test_ratio), m_train = m - m_test;
  d.raw_train.resize(m_train, d.raw_dims);
  d.raw_test.resize(m_test, d.raw_dims);
  d.target_train.resize(m_train, 1);
  d.target_test.resize(m_test, 1);
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
  if (c.dataset.standardize && d.raw_train.rows() > 0) {
    const int n = f.inputs(), m = static_cast<int>(d.raw_train.rows());
    Matrix X(m, n);
    f.apply(d.raw_train.data(), m, X.data());
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
