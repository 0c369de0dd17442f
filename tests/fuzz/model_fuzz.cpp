// model_fuzz.cpp: libFuzzer target for the model-file reader (model_from_json), then what a loaded
// model is used for: written back (model_to_json must read back to the same text) and one forward
// pass on a row of zeros. Any input must load or throw nnplay::Error with a one-line message.
// Built by CMake (-DNNPLAY_FUZZ=ON) and run by scripts/fuzz.sh on tests/fuzz/corpus/model/.
#include <cstdint>
#include <string>
#include <vector>

#include "errors.h"
#include "fuzz_common.h"
#include "model_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nnplay::Model m = nnplay::model_from_json(text);
    const std::string once = nnplay::model_to_json(m);
    try {  // a model that loaded writes a file that loads back to the same text
      if (nnplay::model_to_json(nnplay::model_from_json(once)) != once) fuzz_fail("model round trip changed", once);
    } catch (const nnplay::Error& e) {
      fuzz_fail("a written model does not load back", std::string(e.what()) + "\n" + once);
    }
    std::vector<nnplay::Scalar> raw(size_t(m.features.raw_dims), 0);
    nnplay::Matrix X(1, m.features.inputs());
    m.features.apply(raw.data(), 1, X.data());
    nnplay::Workspace ws;
    m.net.forward(X.data(), 1, ws);
  } catch (const nnplay::Error& e) {
    check_one_line(e.what());
  }
  return 0;
}
