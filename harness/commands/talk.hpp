// `billion talk`: the talk's five approaches run with the settings that model it (the
// interpreter's CPU per request, the GIL, its knobs), and its published table printed beside
// what this machine measured, with why a row can differ here.
#pragma once

#include <chrono>
#include <cstdint>

#include "harness/run/session.hpp"

namespace billion::harness {

struct TalkSettings {
    std::uint64_t files = 2000;
    RunSettings run;
    unsigned server_threads = 1;
    bool python = false;  // also the talk's programs in Python (python/), beside the model
};

// The model's constants: the talk's own synchronous and single-loop rows, at "low latency",
// are almost all interpreter work per request (its slides: "not necessarily I/O bound").
constexpr std::chrono::microseconds kTalkBlockingCpu{3000};  // sync, threads, processes (requests)
constexpr std::chrono::microseconds kTalkAsyncCpu{500};      // async, combo (aiohttp)
constexpr unsigned kTalkCores = 16;
constexpr unsigned kTalkThreads = 10;
// Pages small enough that 16 combo workers all get pages from a class-sized catalog (combo
// hands out whole pages: 2,000 files in pages of 1,000 would keep 14 of its 16 loops idle).
constexpr std::uint32_t kTalkPageSize = 50;

int run_talk(const TalkSettings& settings);

}  // namespace billion::harness
