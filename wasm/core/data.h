// data.h: the datasets every front end shares: 2-D classification generators (circle, xor, two
// gaussians, spiral with k arms, moons), regression generators (1-D sine, 2-D plane), a CSV loader,
// and the feature map from raw inputs to the network's inputs (x1, x2, x1^2, ..., then optional
// standardisation with the training split's mean and standard deviation).
// Generated points lie in about [-6, 6]; everything is seeded by nnplay's Rng, so a seed gives the
// same data natively and in the browser.
#pragma once
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "image_asset.h"
#include "errors.h"
#include "scalar.h"

namespace nnplay {

struct Dataset {
  std::string name;
  std::string task;                      // "classification" or "regression"
  int classes = 0;                       // 0 for regression
  std::vector<std::string> class_names;  // "0", "1", ... or the CSV's labels
  int raw_dims = 0;
  std::vector<std::string> raw_names;    // "x1", "x2" or the CSV's feature columns
  Matrix raw_train, raw_test;            // (m, raw_dims); empty for images, which stay bytes:
  Matrix target_train, target_test;      // (m, 1): class index, or the regression target
  // Image data (fashion_mnist): the pixels, shared by every trainer on them, never copied; the first
  // image_train training images and every test image are used. Null for the other data.
  std::shared_ptr<const ImageSet> images;
  int image_train = 0;

  int rows(bool test) const {
    return images ? (test ? images->m_test : image_train) : int((test ? raw_test : raw_train).rows());
  }
  // Raw inputs of n rows of a split, as Scalars: out (n, raw_dims). Rows `rows[0..n)` when rows is
  // given, else rows first..first+n-1. Images: pixel bytes scaled by pixel_scale().
  void raw_rows(bool test, const int* rows, int first, int n, Scalar* out) const;
  // The float raw inputs of a split, or null for images (then use raw_rows or raw_copy).
  const Scalar* raw_data(bool test) const { return images ? nullptr : (test ? raw_test : raw_train).data(); }
  // A copy of a split's raw inputs (m, raw_dims), images scaled: for plots, tests, small data.
  Matrix raw_copy(bool test) const;

  // Sizes the four split matrices for m_train and m_test samples of raw_dims inputs.
  void resize_split(int m_train, int m_test) {
    raw_train.resize(m_train, raw_dims);
    raw_test.resize(m_test, raw_dims);
    target_train.resize(m_train, 1);
    target_test.resize(m_test, 1);
  }
};

// Samples held out for testing: the last round(m * ratio) of the shuffled samples.
inline int test_count(int m, double ratio) { return static_cast<int>(std::floor(m * ratio + 0.5)); }

// Raw inputs -> network inputs: the chosen features, then (x - mean) / std per column.
struct FeatureMap {
  std::vector<std::string> features;  // empty: the raw columns as they are (csv)
  std::vector<double> mean, std;      // empty: no standardisation
  int raw_dims = 0;

  int inputs() const { return features.empty() ? raw_dims : static_cast<int>(features.size()); }
  // out (m, inputs) from raw (m, raw_dims).
  void apply(const Scalar* raw, int m, Scalar* out) const;
};

// Makes the dataset a config describes (generator, random or CSV, csv.cpp); throws Error on a bad CSV.
// fashion_mnist has no generator: its images come from images_dataset.
Dataset make_dataset(const DatasetConfig& c);

// Labelled images given by a front end (the page loads Fashion-MNIST, image_asset.h): the pixels are
// shared, not copied; the first `samples` training images are used (all when samples exceeds them).
Dataset images_dataset(const DatasetConfig& c, std::shared_ptr<const ImageSet> images);
Dataset csv_dataset(const DatasetConfig& c);  // csv.cpp

// Whether two dataset sections make the same data (every field but standardize, which the
// trainer's feature map applies): a trainer for the second may share the first's data.
bool same_data(const DatasetConfig& a, const DatasetConfig& b);

// The feature map for a config and its dataset; standardisation statistics from the training split.
FeatureMap make_feature_map(const Config& c, const Dataset& d);

// Network targets from class indices or values: (m, outputs). One output and two classes: the
// label itself (0 or 1); k outputs: one-hot; regression: the value.
Matrix encode_targets(const Matrix& target, int outputs, bool classification);

// CSV text -> header names and numeric rows (the target column may hold any labels).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // cells as text
  std::vector<int> lines;                      // the file line each row starts on (1-based)
};
CsvTable parse_csv(const std::string& text);
constexpr size_t kMaxCsvBytes = 50u << 20;  // 50 MiB
constexpr int kMaxCsvRows = 100000, kMaxCsvColumns = 1000, kMaxClasses = 100;
// Throws the size error parse_csv gives a text of this many bytes (a front end checks a file first).
void check_csv_size(size_t bytes);

// An error in a CSV with its place: data row and column (1-based; 0: not about one), file line.
struct CsvError : Error {
  int row = 0, line = 0, column = 0;
  CsvError(const std::string& message, int row_, int line_, int column_)
      : Error(message), row(row_), line(line_), column(column_) {}
};

// What csv_dataset makes of a CSV with this target ("" = last column) and task, without building it:
// the header, the task it infers, the classes, the feature columns; or the first error with its place.
struct CsvDescription {
  std::vector<std::string> header;  // empty when the text is not a readable table
  std::string target;               // the target column used
  std::string task;                 // "classification" or "regression"
  std::vector<std::string> class_names, raw_names;
  int rows = 0;
  std::string error;                // "" when the data is usable
  int error_row = 0, error_line = 0, error_column = 0;
};
CsvDescription describe_csv(const std::string& text, const std::string& target, const std::string& task);

}  // namespace nnplay
