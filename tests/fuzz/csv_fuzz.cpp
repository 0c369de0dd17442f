// csv_fuzz.cpp: libFuzzer target for the CSV loader (parse_csv, then csv_dataset: numbers, labels,
// classes, the split). Any input must load or throw nnplay::Error with a one-line message; crashes,
// sanitizer reports and multi-line messages are findings. The first input byte picks the task and
// test ratio, so both the classification and the regression paths are reached.
// Built by CMake (-DNNPLAY_FUZZ=ON) and run by scripts/fuzz.sh on tests/fuzz/corpus/csv/.
#include <cstdint>
#include <string>

#include "data.h"
#include "errors.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* tasks[] = {"auto", "classification", "regression"};
  nnplay::DatasetConfig c;
  c.name = "csv";
  c.task = tasks[data[0] % 3];
  c.test_ratio = (data[0] >> 2) % 2 ? 0.2 : 0;
  c.csv.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const nnplay::Dataset d = nnplay::csv_dataset(c);
    if (d.raw_train.rows() + d.raw_test.rows() < 2) fuzz_fail("csv: fewer than 2 rows loaded", c.csv);
  } catch (const nnplay::Error& e) {
    check_one_line(e.what());
  }
  return 0;
}
