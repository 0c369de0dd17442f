// fuzz_common.h: what the fuzz targets share: a finding that is not a crash (a message spanning
// several lines, a round trip that changes) is reported on stderr and aborts, so libFuzzer saves
// the input as a crash file like any other.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>

[[noreturn]] inline void fuzz_fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "nnplay fuzz finding: %s\n%s\n", what, detail.substr(0, 2000).c_str());
  std::abort();
}

// Every error message is one line: no control characters at all.
inline void check_one_line(const std::string& message) {
  for (unsigned char c : message)
    if (c < 0x20 || c == 0x7f) fuzz_fail("error message is not one line", message);
  if (message.size() > 4096) fuzz_fail("error message longer than 4096 bytes", message);
}
