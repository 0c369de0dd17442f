// forward_exact_test.cpp: the hand-computed forward/backward/loss cases of forward_exact_cases.h in the
// float32 build (the product), at 1e-6 relative tolerance.
#include "forward_exact_cases.h"
