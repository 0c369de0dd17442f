// image_asset_fuzz.cpp: libFuzzer target for the image asset reader (wasm/core/image_asset.h), the
// one place that reads the Fashion-MNIST file a page or a user hands in. Any bytes must give either
// an image set whose parts lie inside its storage and whose labels are below its class count, or an
// nnplay::Error; never a crash, an out-of-bounds read or another exception. The same bytes written in
// pieces (ImageAssetBuilder: the page's download) must give the same outcome, the same set or the
// same message. Seeds: tests/fuzz/corpus/image_asset/ (a valid 2-class asset, a truncated one, a bad
// label).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "errors.h"
#include "image_asset.h"
#include "memory_budget.h"

namespace {

// The bytes through the builder: the first 32 (or all, if fewer: the whole-buffer reader then says
// why), then pieces of 1 + data[k] % 97 bytes. Returns the set, or throws the builder's Error.
std::shared_ptr<const nnplay::ImageSet> in_pieces(const uint8_t* data, size_t size) {
  if (size < 32) return nnplay::read_image_asset(std::vector<uint8_t>(data, data + size), "fuzz");
  nnplay::ImageAssetBuilder b(data, 32, "fuzz");
  for (size_t at = 0; at < size;) {
    const size_t n = std::min(size - at, size_t(1) + data[at] % 97);
    std::memcpy(b.next(n), data + at, n);
    at += n;
  }
  return b.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A header may claim up to the memory limit (1 GiB), which the builder would allocate and zero:
  // 64 KiB here (inputs are at most 4 KiB) keeps each run fast; over it the builder refuses, with
  // its own message (at 16 MiB the target ran 1,077 runs a second instead of about 50,000).
  nnplay::set_memory_limit(64 << 10);
  std::string whole_error, pieces_error;
  std::shared_ptr<const nnplay::ImageSet> pieces;
  try {
    pieces = in_pieces(data, size);
  } catch (const nnplay::Error& e) {
    pieces_error = e.what();
  }
  try {
    const auto set = nnplay::read_image_asset(std::vector<uint8_t>(data, data + size), "fuzz");
    if (!pieces || pieces->bytes != set->bytes || pieces->m_train != set->m_train) std::abort();
    const size_t px = size_t(set->pixels());
    if (set->test_labels_at + size_t(set->m_test) != set->bytes.size()) std::abort();
    if (set->train_pixels_at + size_t(set->m_train) * px != set->train_labels_at) std::abort();
    if (set->class_names.size() < 2 || set->class_names.size() > 255) std::abort();
    for (const bool test : {false, true})
      for (int i = 0; i < (test ? set->m_test : set->m_train); ++i)
        if (set->labels(test)[i] >= set->class_names.size()) std::abort();
  } catch (const nnplay::Error& e) {
    whole_error = e.what();
    // The same message, except where the builder sees it sooner: too long (it stops at the size the
    // header gives) and a size over the memory limit (refused before anything is allocated).
    if (pieces) std::abort();
    if (pieces_error != whole_error && pieces_error.find("too long") == std::string::npos &&
        pieces_error.find("memory limit") == std::string::npos)
      std::abort();
  }
  return 0;
}
