// billion_sink_bench's BM_Loop benchmarks: storage as an event loop sees it (sink_bench_loop.cpp).
#pragma once

#include <cstdint>

// Registers BM_Loop/<how>/work_us:<N>, each storing `files` files.
void register_loop_benchmarks(std::int64_t files);
