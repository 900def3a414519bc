// The one interface every download strategy implements, and the registry that names them.
//
// Every strategy is the same program: LIST a page, HAND OFF its names, DOWNLOAD each file,
// WRITE it to the sink. The strategy files differ only in who does each step concurrently.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "client/endpoint.hpp"
#include "client/listing.hpp"
#include "client/retry.hpp"
#include "client/sink.hpp"
#include "client/stats.hpp"

namespace billion::strategies {

struct Options {
    client::Endpoint server;
    client::ClientOptions client;
    client::SinkConfig sink;
    unsigned workers = 10;       // threads: worker threads, each with its own connection
    unsigned processes = 0;      // processes, combo: worker processes (0: the core count)
    unsigned concurrency = 100;  // async, combo: requests in flight per event loop
    unsigned batch = 1;          // processes: file names per task sent to a worker
    std::optional<std::string> resume_from;  // resume: the page token to start at, files on disk kept

    // Ctrl-C (client.stop set): start no new work.
    bool stopping() const { return client.stopping(); }
    unsigned process_count() const;
    // The listing's walk: from the first page, or (resume) from resume_from, skipping stored files.
    client::PageWalk walk() const;
};

struct Result {
    client::WorkerStats stats;  // every worker's, merged
    bool interrupted = false;   // stopped early on request
    bool children_ok = true;    // every worker process exited cleanly (multi-process strategies)
};

struct Strategy {
    std::string name;
    std::string model;  // one line: the concurrency model
    Result (*run)(const Options&);
    // The most file descriptors one of its processes holds at once (connections, sinks,
    // pipes), so a run can be checked against RLIMIT_NOFILE before it starts. Null: unknown.
    std::uint64_t (*descriptors)(const Options&) = nullptr;
};

const std::vector<Strategy>& all();
const Strategy* find(const std::string& name);

Result run_sync(const Options& o);
Result run_threads(const Options& o);
Result run_processes(const Options& o);
Result run_async(const Options& o);
Result run_combo(const Options& o);

}  // namespace billion::strategies
