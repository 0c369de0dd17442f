// image_asset_fuzz.cpp: libFuzzer target for the image asset reader (wasm/core/image_asset.h), the
// one place that reads the Fashion-MNIST file a page or a user hands in. Any bytes must give either
// an image set whose parts lie inside its storage and whose labels are below its class count, or an
// nnplay::Error; never a crash, an out-of-bounds read or another exception. Seeds:
// tests/fuzz/corpus/image_asset/ (a valid 2-class asset, a truncated one, a bad label).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "errors.h"
#include "image_asset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto set = nnplay::read_image_asset(std::vector<uint8_t>(data, data + size), "fuzz");
    const size_t px = size_t(set->pixels());
    if (set->test_labels_at + size_t(set->m_test) != set->bytes.size()) std::abort();
    if (set->train_pixels_at + size_t(set->m_train) * px != set->train_labels_at) std::abort();
    if (set->class_names.size() < 2 || set->class_names.size() > 255) std::abort();
    for (const bool test : {false, true})
      for (int i = 0; i < (test ? set->m_test : set->m_train); ++i)
        if (set->labels(test)[i] >= set->class_names.size()) std::abort();
  } catch (const nnplay::Error&) {
  }
  return 0;
}
