// config_fuzz.cpp: libFuzzer target for the config parser (parse_config, config_to_json).
// Any input must either parse, or throw nnplay::Error with a one-line message; a parsed config must
// survive its normalized JSON unchanged (parse_config(config_to_json(c)) gives the same JSON).
// Crashes, sanitizer reports, a multi-line message and a round trip that changes are findings.
// Built by CMake (-DNNPLAY_FUZZ=ON) and run by scripts/fuzz.sh on tests/fuzz/corpus/config/.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config.h"
#include "errors.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nnplay::Config c = nnplay::parse_config(text);
    const std::string once = nnplay::config_to_json(c);
    try {  // a config that parsed normalizes to JSON that parses back to the same
      const std::string twice = nnplay::config_to_json(nnplay::parse_config(once));
      if (once != twice) fuzz_fail("config round trip changed", once + "\n" + twice);
    } catch (const nnplay::Error& e) {
      fuzz_fail("a normalized config does not parse back", std::string(e.what()) + "\n" + once);
    }
  } catch (const nnplay::Error& e) {
    check_one_line(e.what());
  }
  return 0;
}
