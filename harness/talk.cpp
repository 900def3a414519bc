// `billion talk` (see talk.hpp): five cells with the talk's settings, then its table beside ours.
#include "harness/talk.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <thread>

#include "harness/table.hpp"
#include "harness/units.hpp"

namespace billion::harness {

namespace {

struct TalkRow {
    const char* strategy;
    const char* approach;  // as the talk names it
    double per_request_ms;
    const char* projection;         // the talk's own words for 10^9 files
    std::chrono::microseconds cpu;  // the model: its client's interpreter work per request
};

// "Downloading a Billion Files in Python", 16 cores: its published table.
constexpr std::array<TalkRow, 5> kTalk = {{
    {"sync", "synchronous", 3.0, "34.7 days", kTalkBlockingCpu},
    {"threads", "thread pool (10 threads)", 3.6, "41.6 days", kTalkBlockingCpu},
    {"processes", "multi-process (16)", 0.32, "3.7 days", kTalkBlockingCpu},
    {"async", "single async loop", 0.56, "6.5 days", kTalkAsyncCpu},
    {"combo", "processes + async loops", 0.0303, "8.4 hours", kTalkAsyncCpu},
}};

std::string ratio(double a, double b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*fx", a / b < 10 ? 2 : 1, a / b);
    return b > 0 ? buf : "-";
}

double talk_ms(const char* strategy) {
    for (const auto& t : kTalk)
        if (std::string(t.strategy) == strategy) return t.per_request_ms;
    return 0;
}

// Why a measured row can differ from the talk's on this machine.
std::string why(const std::string& strategy, unsigned cores) {
    if (strategy == "sync") return "calibrated: one request at a time, 3 ms of interpreter work each";
    if (strategy == "threads")
        return "10 threads, one GIL: one runs Python at a time, so no faster than sync; the talk's further loss "
               "(its queues) is not modelled";
    if (strategy == "async") return "calibrated: one loop, its 0.5 ms of interpreter work per request is the limit";
    const char* one = strategy == "processes" ? "sync" : "async";  // the same work in one process
    char speedup[32];
    std::snprintf(speedup, sizeof speedup, "%.1f", talk_ms(one) / talk_ms(strategy.c_str()));
    const std::string talk = "the talk's 16 cores: " + std::string(one) + " / " + speedup;
    if (cores >= kTalkCores) return "16 processes, one interpreter each (" + talk + ")";
    return "16 processes on " + std::to_string(cores) + " cores: " + std::to_string(cores) + " run at once, about " +
           one + " / " + std::to_string(cores) + " here (" + talk + ")";
}

void print_beside(std::ostream& out, const std::vector<Summary>& rows, bool markdown) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::map<std::string, double> measured;  // verified medians, ms per request
    for (const auto& s : rows)
        if (s.verified && s.per_request_median > 0) measured[s.strategy] = s.per_request_median * 1e3;
    std::vector<double> ms, projected;
    for (const auto& t : kTalk) {
        const double v = measured.count(t.strategy) ? measured[t.strategy] / 1e3 : 0;
        ms.push_back(v);
        projected.push_back(v * kBillion);
    }
    const auto here = duration_column(ms), here_1e9 = duration_column(projected);

    out << "\nthe talk (16 cores, Python) beside this run (" << cores
        << " cores, C++ with the talk's model: " << compact_duration(kTalkBlockingCpu.count())
        << " of interpreter CPU per request in the blocking client, " << compact_duration(kTalkAsyncCpu.count())
        << " in the async one, a GIL for the threads, 16 processes):\n";
    std::vector<std::vector<std::string>> cells = {{"approach", "talk: per request", "talk: 10^9 files",
                                                    "here: per request", "here: 10^9 files", "why it can differ here"}};
    for (std::size_t i = 0; i < kTalk.size(); ++i) {
        const auto& t = kTalk[i];
        char talk_ms[32];
        std::snprintf(talk_ms, sizeof talk_ms, "%.*f ms", t.per_request_ms < 0.1 ? 4 : 2, t.per_request_ms);
        cells.push_back({t.strategy, talk_ms, t.projection, here[i], here_1e9[i], why(t.strategy, cores)});
    }
    print_cells(out, cells, {false, true, true, true, true, false}, markdown);

    // The lessons, as this run measured them.
    auto get = [&](const char* n) { return measured.count(n) ? measured[n] : 0.0; };
    const double sync = get("sync"), threads = get("threads"), async = get("async");
    out << "\n";
    if (sync > 0 && threads > 0)
        out << (threads >= sync ? "held" : "NOT held")
            << ": threads did not beat sync (threads / sync: " << ratio(threads, sync)
            << "; the talk: " << ratio(talk_ms("threads"), talk_ms("sync")) << ")\n";
    // A wide margin: at least 3 times (the talk's was 5.4).
    if (sync > 0 && async > 0)
        out << (sync / async >= 3 ? "held" : "NOT held")
            << ": one async loop beat sync by a wide margin (sync / async: " << ratio(sync, async)
            << "; the talk: " << ratio(talk_ms("sync"), talk_ms("async")) << ")\n";
    if (!measured.empty() && measured.count("combo")) {
        auto fastest = std::min_element(measured.begin(), measured.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; });
        out << (fastest->first == "combo" ? "held" : "NOT held") << ": processes + async loops were the fastest ("
            << fastest->first << " was; sync / combo: " << ratio(sync, get("combo"))
            << "; the talk: " << ratio(talk_ms("sync"), talk_ms("combo")) << ", with 16 cores)\n";
    }
}

}  // namespace

int run_talk(const TalkSettings& t) {
    Session session{.client = {}, .run = t.run, .fit_sizes = false};
    mock::ServerConfig server;
    server.catalog.files = t.files;
    server.threads = t.server_threads;
    server.catalog.page_size = kTalkPageSize;
    for (const auto& row : kTalk) {
        const auto* st = strategies::find(row.strategy);
        strategies::Knobs k;
        k.workers = kTalkThreads;
        k.processes = kTalkCores;
        k.gil = true;  // only threads has one to hold: the other models run an interpreter per thread or process
        session.cells.push_back(
            {.strategy = st, .knobs = k, .server = server, .dir_name = st->name, .client_cpu = row.cpu});
    }
    nlohmann::json published;
    for (const auto& row : kTalk)
        published[row.strategy] = row.per_request_ms;
    session.settings = {{"command", "talk"},
                        {"strategies", {"sync", "threads", "processes", "async", "combo"}},
                        {"sizes", {t.files}},
                        {"latencies_us", {0}},
                        {"talk_model",
                         {{"blocking_client_cpu_us", kTalkBlockingCpu.count()},
                          {"async_client_cpu_us", kTalkAsyncCpu.count()},
                          {"gil", true},
                          {"threads", kTalkThreads},
                          {"processes", kTalkCores},
                          {"page_size", kTalkPageSize},
                          {"published_ms", published}}}};
    const bool markdown = t.run.markdown;
    session.epilogue = [markdown](std::ostream& out, const std::vector<Summary>& rows) {
        print_beside(out, rows, markdown);
    };
    return run_session(session);
}

}  // namespace billion::harness
