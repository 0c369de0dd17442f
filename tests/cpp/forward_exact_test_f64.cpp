// forward_exact_test_f64.cpp: the hand-computed forward/backward/loss cases of forward_exact_cases.h in
// the double build, at 1e-12 relative tolerance.
#include "forward_exact_cases.h"
