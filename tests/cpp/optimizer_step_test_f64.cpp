// optimizer_step_test_f64.cpp: the optimizer known-answer cases of optimizer_step_cases.h in the
// double build, at 1e-12 relative tolerance.
#include "optimizer_step_cases.h"
