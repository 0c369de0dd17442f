// optimizer_step_test.cpp: the optimizer known-answer cases of optimizer_step_cases.h in the float32
// build (the product), at 1e-6 relative tolerance.
#include "optimizer_step_cases.h"
