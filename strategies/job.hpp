// What a strategy is asked to do: which server, how its clients behave, where the files go,
// how much concurrency (the knobs), and where to resume. Every strategy takes the same Job
// and reads only the knobs of its own model.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "client/client_config.hpp"
#include "client/expected.hpp"
#include "client/http/endpoint.hpp"
#include "client/http/listing.hpp"
#include "client/sinks/sink.hpp"

namespace billion::strategies {

// The concurrency knobs, one per model.
struct Knobs {
    unsigned workers = 10;       // threads: worker threads, each with its own connection
    unsigned processes = 0;      // processes, combo: worker processes (0: the core count)
    unsigned concurrency = 100;  // async, combo: connections (requests in flight) per event loop
    unsigned pipeline = 1;       // async, combo, cluster: requests written on a connection before its answers are read
    unsigned batch = 1;          // processes: file names per task sent to a worker
    unsigned ranks = 0;          // cluster: downloading MPI ranks, each an Asio loop (0: see rank_count)
    std::string hosts;           // cluster: mpirun's --host list (HOST:SLOTS,...); empty: this machine
    // threads: its workers hold one global lock whenever they are not waiting on the network,
    // as CPython's threads hold the GIL. The other models have one thread per interpreter
    // (sync, async) or one interpreter per process (processes, combo): a GIL changes nothing there.
    bool gil = false;
};

// The knobs by name, once: the command line's --param choices, sweep's settings.
struct KnobName {
    const char* name;
    unsigned Knobs::*field;
};
inline constexpr KnobName kKnobNames[] = {
    {"workers", &Knobs::workers},   {"processes", &Knobs::processes}, {"concurrency", &Knobs::concurrency},
    {"pipeline", &Knobs::pipeline}, {"batch", &Knobs::batch},         {"ranks", &Knobs::ranks}};
// The knob called name in k, or nothing.
inline unsigned* knob(Knobs& k, std::string_view name) {
    for (const auto& n : kKnobNames)
        if (name == n.name) return &(k.*n.field);
    return nullptr;
}

struct Job {
    client::Endpoint server;
    client::ClientConfig client;  // timeouts, retries, file size, the stop flag
    client::SinkConfig sink;
    Knobs knobs;
    std::optional<std::string> resume_from;  // resume: the page token to start at, files on disk kept
    // --max-time: list no page after this; the pages listed are finished (PageWalk::list_until).
    std::optional<std::chrono::steady_clock::time_point> list_until;

    // Ctrl-C (client.stop set): start no new work.
    bool stopping() const { return client.stopping(); }
    unsigned process_count() const;
    // cluster: knobs.ranks, else every slot of --hosts but rank 0's, else this machine's cores.
    unsigned rank_count() const;
    // The listing's walk: from the first page, or (resume) from resume_from, skipping stored
    // files; capped at list_until.
    client::PageWalk walk() const;
};

// The slots of a --hosts list (HOST:SLOTS,...; a HOST alone is one slot), added up; or, when
// it is not such a list, the first item that is neither.
client::Expected<unsigned> host_slots(std::string_view hosts);

}  // namespace billion::strategies
