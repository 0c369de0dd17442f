// image_asset.h: the labelled images a front end loads (Fashion-MNIST: dist/data/fashion-mnist.bin,
// written by scripts/fashion-asset.mjs), read and checked in one place, and the ImageSet they become:
// pixels held once, as bytes, shared by every trainer on them (std::shared_ptr<const ImageSet>).
// A network sees pixel p as the float32 p / 255 (pixel_scale), computed as a mini-batch is formed.
// What it is not: a downloader or a decompressor (the page fetches and gunzips the asset).
//
// Asset format, version 1 (all integers unsigned 32-bit little-endian):
//   offset  0  magic "NNIM" (bytes 4E 4E 49 4D)
//           4  version (1)
//           8  rows, 12 cols (pixels per image = rows * cols, 1 to 65536)
//          16  classes K (2 to 255)
//          20  train count (>= 1), 24 test count
//          28  byte length N of the class names block
//          32  class names: UTF-8, K names separated by "\n" (N bytes)
//   then    train pixels (train * rows * cols bytes, row-major, 0 = background, 255 = ink),
//           train labels (train bytes, 0 to K - 1), test pixels, test labels. Nothing after them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scalar.h"

namespace nnplay {

struct ImageSet {
  int rows = 0, cols = 0;
  std::vector<std::string> class_names;
  int m_train = 0, m_test = 0;
  std::vector<uint8_t> bytes;  // the storage; the four parts below are offsets into it
  size_t train_pixels_at = 0, train_labels_at = 0, test_pixels_at = 0, test_labels_at = 0;

  int pixels() const { return rows * cols; }
  // (m, pixels) bytes, one image per row, and (m) labels of a split.
  const uint8_t* pixel_rows(bool test) const { return bytes.data() + (test ? test_pixels_at : train_pixels_at); }
  const uint8_t* labels(bool test) const { return bytes.data() + (test ? test_labels_at : train_labels_at); }
};

// The network input of pixel byte p: float32(p) / float32(255), the same bits on every build.
// A table of the 256 values, so scaling a batch is one load per pixel.
const Scalar* pixel_scale();

// n zero bytes to be filled with an asset by a front end (the bindings: one TypedArray.set). Made
// here, in code built for speed, where zeroing is one memset: in the bindings, built for size, it
// was a call per byte, 470 ms for the 55 MB Fashion-MNIST asset.
std::vector<uint8_t> asset_buffer(size_t n);

// An asset that arrives in pieces (the page's download, gunzipped as it comes), written in place:
// its first bytes (at least the 32 of its header, which are checked as read_image_asset checks them)
// give its size, the whole buffer is allocated once, next(n) hands out where the next n bytes go,
// and finish() checks the whole (read_image_asset). No second copy of the asset is ever held.
class ImageAssetBuilder {
 public:
  // Throws Error "<name>: <what is wrong>" for a bad header, or a size over the memory limit.
  ImageAssetBuilder(const uint8_t* head, size_t n, std::string name);
  size_t size() const { return bytes_.size(); }
  size_t written() const { return written_; }
  // Where the next n bytes go; throws "<name>: too long: ..." past the size the header gives.
  uint8_t* next(size_t n);
  // The set (the builder is then empty); throws "<name>: truncated: ..." when bytes are missing.
  std::shared_ptr<const ImageSet> finish();

 private:
  std::string name_, what_;
  std::vector<uint8_t> bytes_;
  size_t written_ = 0;
};

// Reads and checks an asset (taking its bytes, which become the set's storage: no copy). Throws
// Error "<name>: <what is wrong>" for a bad magic, version, size, class count, truncation, trailing
// bytes, class names or a label out of range.
std::shared_ptr<const ImageSet> read_image_asset(std::vector<uint8_t> bytes, const std::string& name = "image asset");

// The same set from separate arrays (one copy into one buffer; labels are checked against the classes).
std::shared_ptr<const ImageSet> make_image_set(int rows, int cols, const std::vector<std::string>& class_names,
                                               const uint8_t* train_pixels, const uint8_t* train_labels, int m_train,
                                               const uint8_t* test_pixels, const uint8_t* test_labels, int m_test);

}  // namespace nnplay
