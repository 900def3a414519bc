// Per-worker counters, histogram and digests (see stats.hpp).
#include "client/stats.hpp"

#include "client/check.hpp"
#include "client/hash.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace billion::client {

const char* to_string(Stage s) {
    static const char* n[] = {"setup", "connect", "list", "get", "write", "protocol"};
    return n[static_cast<int>(s)];
}

namespace {

int bucket_of(std::uint64_t v) {
    constexpr std::uint64_t sub = 1u << Histogram::kSubBits;
    if (v < sub) return static_cast<int>(v);
    int msb = 63 - std::countl_zero(v);
    int shift = msb - Histogram::kSubBits;
    return static_cast<int>(((shift + 1) << Histogram::kSubBits) + ((v >> shift) & (sub - 1)));
}

std::uint64_t upper_edge(int bucket) {
    constexpr int sub = 1 << Histogram::kSubBits;
    if (bucket < sub) return static_cast<std::uint64_t>(bucket);
    int shift = (bucket >> Histogram::kSubBits) - 1;
    std::uint64_t mant = static_cast<std::uint64_t>(sub) + static_cast<std::uint64_t>(bucket & (sub - 1));
    return ((mant + 1) << shift) - 1;
}
}  // namespace

void Histogram::record(std::uint64_t ns) {
    ++counts[static_cast<std::size_t>(bucket_of(ns))];
    ++total;
    sum += ns;
    max = std::max(max, ns);
}

void Histogram::merge(const Histogram& o) {
    for (std::size_t i = 0; i < counts.size(); ++i)
        counts[i] += o.counts[i];
    total += o.total;
    sum += o.sum;
    max = std::max(max, o.max);
}

std::uint64_t Histogram::quantile(double q) const {
    if (total == 0) return 0;
    auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total - 1)) + 1;
    std::uint64_t seen = 0;
    for (int b = 0; b < kBuckets; ++b) {
        seen += counts[static_cast<std::size_t>(b)];
        if (seen >= rank) return std::min(upper_edge(b), max);
    }
    return max;
}

void Digest::add_name(std::string_view name) {
    ++count;
    names += mix64(hash64(name));
}

void Digest::remove_name(std::string_view name) {
    BILLION_CHECK(count > 0);  // only a name added before is taken back
    --count;
    names -= mix64(hash64(name));
}

void Digest::add_file(std::string_view name, std::string_view content) {
    std::uint64_t hn = hash64(name);
    ++count;
    names += mix64(hn);
    contents += mix64(hash64(content, hn));
    bytes += content.size();
}

void Digest::merge(const Digest& o) {
    count += o.count;
    names += o.names;
    contents += o.contents;
    bytes += o.bytes;
}

namespace {
// "stage: message", cut to fit, always terminated.
template <std::size_t N>
void set_message(char (&out)[N], Stage stage, std::string_view message) {
    std::string_view prefix = to_string(stage);
    std::size_t n = std::min(prefix.size(), N - 1);
    std::copy_n(prefix.begin(), n, out);
    std::size_t m = std::min(message.size(), N - 3 - n);
    if (m > 0) {
        out[n] = ':';
        out[n + 1] = ' ';
        std::copy_n(message.begin(), m, out + n + 2);
        n += 2 + m;
    }
    out[n] = '\0';
}
}  // namespace

void WorkerStats::fail(Stage stage, std::string_view message, bool is_fatal) {
    const auto i = static_cast<std::size_t>(stage);
    ++failures[i];
    if (first_by_stage[i][0] == '\0') set_message(first_by_stage[i], stage, message);
    // The same rule as merge(): keep the first message; a fatal one replaces a non-fatal one.
    if (first_error[0] == '\0' || (is_fatal && !fatal)) set_message(first_error, stage, message);
    fatal = fatal || is_fatal;
}

void WorkerStats::retried(Stage stage, std::string_view why, std::chrono::microseconds waited) {
    ++retries;
    retry_wait_us += static_cast<std::uint64_t>(waited.count());
    if (first_retry[0] == '\0') set_message(first_retry, stage, why);
}

void WorkerStats::merge(const WorkerStats& o) {
    files += o.files;
    bytes += o.bytes;
    pages += o.pages;
    requests += o.requests;
    retries += o.retries;
    retry_wait_us += o.retry_wait_us;
    signed_requests += o.signed_requests;
    signing_ns += o.signing_ns;
    if (first_retry[0] == '\0') std::memcpy(first_retry, o.first_retry, sizeof first_retry);
    connections += o.connections;
    chain_steps += o.chain_steps;
    chain_step_ns += o.chain_step_ns;
    peak_rss_kb = std::max(peak_rss_kb, o.peak_rss_kb);
    peak_rss_sum_kb += o.peak_rss_sum_kb;
    for (std::size_t i = 0; i < failures.size(); ++i) {
        failures[i] += o.failures[i];
        if (first_by_stage[i][0] == '\0') std::memcpy(first_by_stage[i], o.first_by_stage[i], sizeof first_by_stage[i]);
    }
    listed.merge(o.listed);
    received.merge(o.received);
    stored.merge(o.stored);
    latency.merge(o.latency);
    if ((first_error[0] == '\0' || (o.fatal && !fatal)) && o.first_error[0] != '\0')
        std::memcpy(first_error, o.first_error, sizeof first_error);
    fatal = fatal || o.fatal;
    capped = capped || o.capped;
}

std::uint64_t WorkerStats::failed() const {
    std::uint64_t n = 0;
    for (auto f : failures)
        n += f;
    return n;
}

}  // namespace billion::client
