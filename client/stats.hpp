// Per-worker measurements: counters, failures by stage, a latency histogram and the digests
// the verifier compares. Plain data (trivially copyable) so worker processes can send it
// through a pipe; each worker owns one, and they are merged at the end (no shared counters).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace billion::client {

// Where a failure happened: setting a worker up (a process, a pipe, mpirun), connecting,
// listing, getting a file, writing it, or the server breaking the protocol.
enum class Stage { setup, connect, list, get, write, protocol, count_ };
const char* to_string(Stage s);

// Log-linear histogram of nanoseconds: 16 sub-buckets per power of two (about 6 % resolution).
struct Histogram {
    static constexpr int kSubBits = 4;
    static constexpr int kBuckets = 64 << kSubBits;
    std::array<std::uint64_t, kBuckets> counts{};
    std::uint64_t total = 0;
    std::uint64_t max = 0;
    std::uint64_t sum = 0;

    void record(std::uint64_t ns);
    void merge(const Histogram& other);
    // The value at quantile q in [0, 1] (upper edge of its bucket, capped at max).
    std::uint64_t quantile(double q) const;
};

// An order-independent fingerprint of a set of files: count, sum of name hashes, sum of
// (name, content) hashes. Equal digests mean the same multiset of files, with overwhelming
// probability; a duplicate, a missing or a corrupted file each change it.
struct Digest {
    std::uint64_t count = 0;
    std::uint64_t names = 0;
    std::uint64_t contents = 0;
    std::uint64_t bytes = 0;

    void add_name(std::string_view name);
    void remove_name(std::string_view name);  // undoes add_name (a listed name refused later)
    void add_file(std::string_view name, std::string_view content);
    void merge(const Digest& o);
    bool operator==(const Digest&) const = default;
};

struct WorkerStats {
    std::uint64_t files = 0;  // files written by the sink
    std::uint64_t bytes = 0;
    std::uint64_t pages = 0;     // pages listed
    std::uint64_t requests = 0;  // HTTP requests sent, retries included
    std::uint64_t retries = 0;
    std::uint64_t retry_wait_us = 0;  // the waits before them (backoff, Retry-After) as the rule set them
    std::uint64_t signed_requests = 0;  // --s3 with keys: requests signed (SigV4)
    std::uint64_t signing_ns = 0;       // and the time spent signing them
    std::uint64_t connections = 0;      // connections opened
    std::uint64_t peak_rss_kb = 0;      // worker processes: the largest one's peak
    std::uint64_t peak_rss_sum_kb = 0;  // worker processes: their peaks added up
    std::array<std::uint64_t, static_cast<int>(Stage::count_)> failures{};
    Digest listed;      // every valid name the listing gave
    Digest received;    // every file the sink accepted
    Digest stored;      // resume: listed files found already stored, not downloaded again
    Histogram latency;  // per file: from the first GET sent to the last byte received
    // combo, cluster: the token chain's steps (a token handed to a worker until its answer
    // came back: the hand-off, the listing, the answer) and their time, added up. Their mean
    // bounds the run: one page per step, whatever the number of workers.
    std::uint64_t chain_steps = 0;
    std::uint64_t chain_step_ns = 0;
    bool fatal = false;   // the listing could not go on: the run is incomplete
    bool capped = false;  // --max-time: the listing stopped early; the pages listed were finished
    // The first failure ("stage: message"), or the first fatal one once there is one; and the
    // first of each stage, so a rarer stage's cause is not hidden behind a commoner one.
    char first_error[240] = {};
    // As long as first_error: a message that names a path and then what to do (EMFILE: "raise
    // the open-file limit (ulimit -n)") must not lose its advice to a long path.
    char first_by_stage[static_cast<int>(Stage::count_)][240] = {};
    // Why the first request was tried again: a run whose tries all ended well can still have
    // the server serve a file twice (a try given up on at --read-timeout, answered late).
    char first_retry[240] = {};

    void fail(Stage stage, std::string_view message, bool is_fatal = false);
    // One request more for a try that failed, after `waited`: counted, and the first cause kept.
    void retried(Stage stage, std::string_view why, std::chrono::microseconds waited = {});
    void merge(const WorkerStats& other);
    std::uint64_t failed() const;
};

}  // namespace billion::client
