// image_asset.cpp: reading and checking the image asset, and the pixel scale (see image_asset.h).
#include "image_asset.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "errors.h"
#include "json_limits.h"
#include "memory_budget.h"

namespace nnplay {
namespace {

constexpr size_t kHeader = 32;
constexpr uint32_t kVersion = 1;

uint32_t u32(const uint8_t* b, size_t at) {
  return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}

void put_u32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + k] = uint8_t(v >> (8 * k));
}

std::string hex4(const uint8_t* b, size_t n) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < 4 && i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", b[i]);
    s += (i ? " " : "") + std::string(buf);
  }
  return s;
}

// What the 32-byte header says, checked: magic, version, image size, classes, a training image.
struct Header {
  uint64_t rows, cols, classes, m_train, m_test, names_length;
  uint64_t size;  // the whole asset's length in bytes
  std::string what;  // "(60000 training and 10000 test images of 28 x 28)", for size messages
};

Header read_header(const uint8_t* b, size_t n, const std::string& name) {
  auto fail = [&](const std::string& what) { throw Error(name + ": " + what); };
  if (n < kHeader)
    fail("truncated: " + std::to_string(n) + " bytes, the header alone needs " + std::to_string(kHeader));
  if (!(b[0] == 'N' && b[1] == 'N' && b[2] == 'I' && b[3] == 'M'))
    fail("bad magic " + hex4(b, n) + " (expected 4e 4e 49 4d, \"NNIM\"): not an nnplay image asset");
  const uint32_t version = u32(b, 4);
  if (version != kVersion)
    fail("version " + std::to_string(version) + " is not supported (this page reads version " + std::to_string(kVersion) + ")");
  Header h;
  h.rows = u32(b, 8), h.cols = u32(b, 12), h.classes = u32(b, 16);
  h.m_train = u32(b, 20), h.m_test = u32(b, 24), h.names_length = u32(b, 28);
  if (h.rows < 1 || h.cols < 1 || h.rows * h.cols > 65536)
    fail("image size " + std::to_string(h.rows) + " x " + std::to_string(h.cols) + " is not allowed (1 to 65536 pixels)");
  if (h.classes < 2 || h.classes > 255) fail(std::to_string(h.classes) + " classes is not allowed (2 to 255)");
  if (h.m_train < 1) fail("no training images");
  h.size = kHeader + h.names_length + (h.m_train + h.m_test) * (h.rows * h.cols + 1);  // < 2^54: no overflow
  h.what = "(" + std::to_string(h.m_train) + " training and " + std::to_string(h.m_test) + " test images of " +
           std::to_string(h.rows) + " x " + std::to_string(h.cols) + ")";
  return h;
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

std::vector<uint8_t> asset_buffer(size_t n) { return std::vector<uint8_t>(n); }

ImageAssetBuilder::ImageAssetBuilder(const uint8_t* head, size_t n, std::string name) : name_(std::move(name)) {
  const Header h = read_header(head, n, name_);
  if (h.size > memory_limit())
    throw Error(name_ + ": " + std::to_string(h.size) + " bytes " + h.what + " is more than the memory limit (" +
                format_bytes(double(memory_limit())) + ")");
  what_ = h.what;
  bytes_ = asset_buffer(size_t(h.size));
}

uint8_t* ImageAssetBuilder::next(size_t n) {
  if (n > bytes_.size() - written_)
    throw Error(name_ + ": too long: more than " + std::to_string(bytes_.size()) + " bytes, the header " + what_ +
                " says " + std::to_string(bytes_.size()));
  uint8_t* at = bytes_.data() + written_;
  written_ += n;
  return at;
}

std::shared_ptr<const ImageSet> ImageAssetBuilder::finish() {
  bytes_.resize(written_);  // short: read_image_asset says "truncated"
  return read_image_asset(std::move(bytes_), name_);
}

std::shared_ptr<const ImageSet> read_image_asset(std::vector<uint8_t> bytes, const std::string& name) {
  auto fail = [&](const std::string& what) { throw Error(name + ": " + what); };
  const size_t n = bytes.size();
  const Header h = read_header(bytes.data(), n, name);
  const uint64_t rows = h.rows, cols = h.cols, classes = h.classes, m_train = h.m_train, m_test = h.m_test;
  const uint64_t names_length = h.names_length, px = rows * cols, expected = h.size;
  if (n != expected)
    fail(std::string(n < expected ? "truncated" : "too long") + ": " + std::to_string(n) + " bytes, the header " +
         h.what + " says " + std::to_string(expected));
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
