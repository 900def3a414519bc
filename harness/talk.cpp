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

std::string times(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", x < 10 ? 2 : 1, x);
    return buf;
}

double talk_ms(const std::string& strategy) {
    for (const auto& t : kTalk)
        if (t.strategy == strategy) return t.per_request_ms;
    return 0;
}

// The verified rows of this run, by strategy.
using Rows = std::map<std::string, const Summary*>;

// a / b per file, with the interval the two rows' intervals allow (lo_a / hi_b to hi_a / lo_b).
struct Ratio {
    double value = 0, lo = 0, hi = 0;
    bool judged = false;  // both rows had an interval
};
Ratio ratio(const Summary& a, const Summary& b) {
    const auto &ia = a.per_file_interval, &ib = b.per_file_interval;
    Ratio r{a.per_file / b.per_file, ia.lo / ib.hi, ia.hi / ib.lo, ia.confidence > 0 && ib.confidence > 0};
    if (!r.judged) r.lo = r.hi = r.value;
    return r;
}

// How a measured a compares with b, beside the talk's: which way beyond doubt (its interval
// wholly on one side of 1) and the words "1.04x slower than sync (1.01-1.07; the talk: 1.20x
// slower)"; or "a / b = 1.01x (0.98-1.04; ...)" when the interval holds 1.
struct Comparison {
    int way = 0;           // 1: slower, -1: faster, 0: too close to call
    bool as_talk = false;  // the same way as the talk's
    std::string words;
};
Comparison compare(const std::string& a, const std::string& b, const Rows& rows) {
    const Ratio r = ratio(*rows.at(a), *rows.at(b));
    const double talk = talk_ms(a) / talk_ms(b);
    auto factor = [](double x) { return x >= 1 ? x : 1 / x; };
    const std::string talk_said = "the talk: " + times(factor(talk)) + "x " + (talk > 1 ? "slower" : "faster") + ")";
    Comparison c;
    if (!r.judged || (r.lo <= 1 && r.hi >= 1)) {
        c.words = a + " / " + b + " = " + times(r.value) + "x (" +
                  (r.judged ? times(r.lo) + "-" + times(r.hi) : std::string("one run each, no interval")) + "; " +
                  talk_said;
        return c;
    }
    c.way = r.lo > 1 ? 1 : -1;
    c.as_talk = (c.way > 0) == (talk > 1);
    const std::string range = c.way > 0 ? times(r.lo) + "-" + times(r.hi) : times(1 / r.hi) + "-" + times(1 / r.lo);
    c.words = times(factor(r.value)) + "x " + (c.way > 0 ? "slower" : "faster") + " than " + b + " (" + range + "; " +
              talk_said;
    return c;
}

std::string verdict(const Comparison& c) {
    return c.way == 0 ? "too close to call: " : c.as_talk ? "as in the talk, " : "unlike the talk, ";
}

// "as in the talk, threads were 1.04x slower than sync (1.01-1.07; the talk: 1.20x slower)".
std::string lesson(const std::string& a, const std::string& b, const Rows& rows) {
    const Comparison c = compare(a, b, rows);
    const std::string verb = a.back() == 's' ? " were " : " was ";  // "threads were", "async was"
    return verdict(c) + (c.way == 0 ? "" : a + verb) + c.words;
}

// The talk's last lesson: processes + async loops the fastest of the five.
std::string fastest_lesson(const Rows& rows) {
    const Summary* next = nullptr;  // the fastest row but combo
    for (const auto& [name, row] : rows)
        if (name != "combo" && (!next || row->per_file < next->per_file)) next = row;
    if (!next) return "";
    const Comparison c = compare("combo", next->strategy, rows);
    if (c.way == 0) return "too close to call whether processes + async loops were the fastest: " + c.words;
    return verdict(c) + "processes + async loops were " + (c.way < 0 ? "" : "not ") + "the fastest: combo was " +
           c.words;
}

// Why a measured row can differ from the talk's, from what this run measured.
std::string why(const std::string& strategy, const Rows& rows, unsigned cores) {
    const double ms = rows.at(strategy)->per_file * 1e3;
    auto of = [&](double model_ms) {
        return "the model's " + compact_duration(static_cast<std::int64_t>(model_ms * 1e3)) + " of interpreter work " +
               "per request is " + std::to_string(std::lround(100 * model_ms / ms)) + " % of the " + times(ms) +
               " ms measured";
    };
    if (strategy == "sync") return "one request at a time: " + of(kTalkBlockingCpu.count() / 1e3);
    if (strategy == "async") return "one loop: " + of(kTalkAsyncCpu.count() / 1e3);
    if (strategy == "threads") {
        const std::string here = rows.count("sync") ? times(ms / (rows.at("sync")->per_file * 1e3)) + "x" : "-";
        return "10 threads, one GIL: threads / sync = " + here + " here, " +
               times(talk_ms("threads") / talk_ms("sync")) + "x in the talk (its queues are not modelled)";
    }
    const std::string one = strategy == "processes" ? "sync" : "async";  // the same work in one process
    const std::string here = rows.count(one) ? one + " / " + times(rows.at(one)->per_file * 1e3 / ms) + " here" : "";
    return "16 processes on " + std::to_string(cores) + " cores: " + here + ", " + one + " / " +
           times(talk_ms(one) / talk_ms(strategy)) + " with the talk's 16 cores";
}

void print_beside(std::ostream& out, const std::vector<Summary>& summaries, bool markdown) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    Rows rows;
    for (const auto& s : summaries)
        if (s.verified && s.per_file > 0) rows[s.strategy] = &s;
    std::vector<double> ms, projected;
    for (const auto& t : kTalk) {
        ms.push_back(rows.count(t.strategy) ? rows[t.strategy]->per_file : 0);
        projected.push_back(rows.count(t.strategy) ? rows[t.strategy]->projected_1e9_s() : 0);
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
        char talk[32];
        std::snprintf(talk, sizeof talk, "%.*f ms", t.per_request_ms < 0.1 ? 4 : 2, t.per_request_ms);
        cells.push_back({t.strategy, talk, t.projection, here[i], here_1e9[i],
                         rows.count(t.strategy) ? why(t.strategy, rows, cores) : "not measured"});
    }
    print_cells(out, cells, {false, true, true, true, true, false}, markdown);

    // The talk's lessons, judged on this run's intervals (statistics.hpp).
    out << "\n";
    for (const auto& [a, b] : {std::pair{"threads", "sync"}, {"processes", "sync"}, {"async", "sync"}})
        if (rows.count(a) && rows.count(b)) out << lesson(a, b, rows) << "\n";
    if (rows.count("combo")) out << fastest_lesson(rows) << "\n";
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
