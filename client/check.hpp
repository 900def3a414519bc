// BILLION_CHECK(condition): an invariant the code assumes. When it fails it is a bug, not bad
// input, so the process aborts at once with the condition, file and line (Google Benchmark's
// BM_CHECK does the same) rather than go on with a wrong count.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace billion::client {

[[noreturn]] inline void check_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: BILLION_CHECK(%s) failed: a bug in billion, please report it\n", file, line,
                 condition);
    std::abort();
}

}  // namespace billion::client

#define BILLION_CHECK(condition) \
    ((condition) ? static_cast<void>(0) : ::billion::client::check_failed(#condition, __FILE__, __LINE__))
