// image_asset.cpp: reading and checking the image asset, and the pixel scale (see image_asset.h).
#include "image_asset.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "errors.h"

namespace nnplay {
namespace {

constexpr size_t kHeader = 32;
constexpr uint32_t kVersion = 1;

uint32_t u32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}

void put_u32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + k] = uint8_t(v >> (8 * k));
}

std::string hex4(const std::vector<uint8_t>& b) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < 4 && i < b.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02x", b[i]);
    s += (i ? " " : "") + std::string(buf);
  }
  return s;
}

}  // namespace

const Scalar* pixel_scale() {
  static const std::array<Scalar, 256> table = [] {
    std::array<Scalar, 256> t{};
    for (int p = 0; p < 256; ++p) t[p] = Scalar(p) / Scalar(255);
    return t;
  }();
  return table.data();
}

std::shared_ptr<const ImageSet> read_image_asset(std::vector<uint8_t> bytes, const std::string& name) {
  auto fail = [&](const std::string& what) { throw Error(name + ": " + what); };
  const size_t n = bytes.size();
  if (n < kHeader)
    fail("truncated: " + std::to_string(n) + " bytes, the header alone needs " + std::to_string(kHeader));
  if (!(bytes[0] == 'N' && bytes[1] == 'N' && bytes[2] == 'I' && bytes[3] == 'M'))
    fail("bad magic " + hex4(bytes) + " (expected 4e 4e 49 4d, \"NNIM\"): not an nnplay image asset");
  const uint32_t version = u32(bytes, 4);
  if (version != kVersion)
    fail("version " + std::to_string(version) + " is not supported (this page reads version " + std::to_string(kVersion) + ")");
  const uint64_t rows = u32(bytes, 8), cols = u32(bytes, 12), classes = u32(bytes, 16);
  const uint64_t m_train = u32(bytes, 20), m_test = u32(bytes, 24), names_length = u32(bytes, 28);
  if (rows < 1 || cols < 1 || rows * cols > 65536)
    fail("image size " + std::to_string(rows) + " x " + std::to_string(cols) + " is not allowed (1 to 65536 pixels)");
  if (classes < 2 || classes > 255) fail(std::to_string(classes) + " classes is not allowed (2 to 255)");
  if (m_train < 1) fail("no training images");
  const uint64_t px = rows * cols;
  const uint64_t expected = kHeader + names_length + (m_train + m_test) * (px + 1);  // < 2^54: no overflow
  if (n != expected)
    fail(std::string(n < expected ? "truncated" : "too long") + ": " + std::to_string(n) + " bytes, the header (" +
         std::to_string(m_train) + " training and " + std::to_string(m_test) + " test images of " +
         std::to_string(rows) + " x " + std::to_string(cols) + ") says " + std::to_string(expected));
  if (m_train + m_test > 0x7fffffffu) fail("more than 2^31 images is not allowed");

  auto set = std::make_shared<ImageSet>();
  set->rows = int(rows);
  set->cols = int(cols);
  set->m_train = int(m_train);
  set->m_test = int(m_test);
  std::string names(bytes.begin() + kHeader, bytes.begin() + long(kHeader + names_length));
  for (size_t start = 0;;) {
    const size_t end = names.find('\n', start);
    set->class_names.push_back(names.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (set->class_names.size() != classes)
    fail(std::to_string(set->class_names.size()) + " class names for " + std::to_string(classes) + " classes");
  set->train_pixels_at = kHeader + names_length;
  set->train_labels_at = set->train_pixels_at + m_train * px;
  set->test_pixels_at = set->train_labels_at + m_train;
  set->test_labels_at = set->test_pixels_at + m_test * px;
  for (const bool test : {false, true}) {
    const uint8_t* labels = bytes.data() + (test ? set->test_labels_at : set->train_labels_at);
    const int m = test ? set->m_test : set->m_train;
    for (int i = 0; i < m; ++i)
      if (labels[i] >= classes)
        fail(std::string(test ? "test" : "training") + " label " + std::to_string(i) + " is " + std::to_string(labels[i]) +
             " (allowed: 0 to " + std::to_string(classes - 1) + ")");
  }
  set->bytes = std::move(bytes);
  return set;
}

std::shared_ptr<const ImageSet> make_image_set(int rows, int cols, const std::vector<std::string>& class_names,
                                               const uint8_t* train_pixels, const uint8_t* train_labels, int m_train,
                                               const uint8_t* test_pixels, const uint8_t* test_labels, int m_test) {
  if (rows < 1 || cols < 1 || m_train < 0 || m_test < 0)
    throw Error("images: " + std::to_string(rows) + " x " + std::to_string(cols) + " pixels, " + std::to_string(m_train) +
                " training and " + std::to_string(m_test) + " test images is not allowed");
  std::string names;
  for (size_t k = 0; k < class_names.size(); ++k) names += (k ? "\n" : "") + class_names[k];
  const size_t px = size_t(rows) * size_t(cols);
  std::vector<uint8_t> b(kHeader + names.size() + (size_t(m_train) + size_t(m_test)) * (px + 1));
  b[0] = 'N', b[1] = 'N', b[2] = 'I', b[3] = 'M';
  const uint32_t header[] = {kVersion, uint32_t(rows), uint32_t(cols), uint32_t(class_names.size()),
                             uint32_t(m_train), uint32_t(m_test), uint32_t(names.size())};
  for (size_t k = 0; k < 7; ++k) put_u32(b, 4 + 4 * k, header[k]);
  uint8_t* o = b.data() + kHeader;
  auto put = [&](const void* src, size_t len) {
    if (len) std::copy_n(static_cast<const uint8_t*>(src), len, o);
    o += len;
  };
  put(names.data(), names.size());
  put(train_pixels, size_t(m_train) * px);
  put(train_labels, size_t(m_train));
  put(test_pixels, size_t(m_test) * px);
  put(test_labels, size_t(m_test));
  return read_image_asset(std::move(b), "images");
}

}  // namespace nnplay
