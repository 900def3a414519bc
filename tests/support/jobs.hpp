// What strategy tests share: the strategies' names from the registry, and a small Job (a few
// workers, small timeouts and backoff) every test starts from and adjusts.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "client/http/endpoint.hpp"
#include "strategies/strategy.hpp"

namespace billion::testkit {

inline std::vector<std::string> strategy_names() {
    std::vector<std::string> v;
    for (const auto& s : strategies::all())
        v.push_back(s.name);
    return v;
}

// A job against server with few workers (the connection bounds of the tests rest on these
// numbers) and quick retries.
inline strategies::Job small_job(const client::Endpoint& server) {
    strategies::Job job;
    job.server = server;
    job.knobs = {.workers = 8, .processes = 3, .concurrency = 16, .batch = 4, .ranks = 3};
    job.client.max_attempts = 12;
    job.client.backoff_base = std::chrono::milliseconds(1);
    job.client.backoff_cap = std::chrono::milliseconds(20);
    return job;
}

}  // namespace billion::testkit
