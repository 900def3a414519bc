// `billion talk` (see talk.hpp): five cells with the talk's settings (and, --python, its five
// programs in Python), then its table beside ours.
#include "harness/commands/talk.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <thread>

#include "harness/common/format.hpp"
#include "harness/report/table.hpp"
#include "harness/run/peers.hpp"

namespace billion::harness {

namespace {

struct TalkRow {
    const char* strategy;
    const char* approach;  // as the talk names it
    double per_request_ms;
    const char* projection;         // the talk's own words for 10^9 files
    std::chrono::microseconds cpu;  // the model: its client's interpreter work per request
    const char* python;             // the same approach in Python (python/, a peer)
};

// "Downloading a Billion Files in Python", 16 cores: its published table.
constexpr std::array<TalkRow, 5> kTalk = {{
    {"sync", "synchronous", 3.0, "34.7 days", kTalkBlockingCpu, "python-sync"},
    {"threads", "thread pool (10 threads)", 3.6, "41.6 days", kTalkBlockingCpu, "python-threads"},
    {"processes", "multi-process (16)", 0.32, "3.7 days", kTalkBlockingCpu, "python-processes"},
    {"async", "single async loop", 0.56, "6.5 days", kTalkAsyncCpu, "python-asyncio"},
    {"combo", "processes + async loops", 0.0303, "8.4 hours", kTalkAsyncCpu, "python-combo"},
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
    std::string next;  // the fastest row but combo
    for (const auto& [name, row] : rows)
        if (name != "combo" && (next.empty() || row->per_file < rows.at(next)->per_file)) next = name;
    if (next.empty()) return "";
    const Comparison c = compare("combo", next, rows);
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

// The verified rows of this run that are the talk's approaches, by the talk's names: the
// model's (C++), or (python) the talk's programs in Python.
Rows talk_rows(const std::vector<Summary>& summaries, bool python) {
    Rows rows;
    for (const auto& t : kTalk)
        for (const auto& s : summaries)
            if (s.strategy == (python ? t.python : t.strategy) && s.verified && s.per_file > 0) rows[t.strategy] = &s;
    return rows;
}

// Client CPU per file of a row's median run, in ms (every process of it).
double cpu_ms(const Summary& s) {
    const auto files = s.median ? s.median->result.stats.files : 0;
    return files ? s.median->client_cpu_s * 1e3 / static_cast<double>(files) : 0;
}

// "sync: the model 3.05 ms, Python 0.52 ms: +487 %; ...": the model's error against real
// Python here, and past kModelTolerance why, measured: the CPU Python spent a file here
// against the model's interpreter work a request.
constexpr double kModelTolerance = 0.25;
std::string model_error(const TalkRow& t, const Summary& model, const Summary& py) {
    const double error = model.per_file / py.per_file - 1;
    std::string line = std::string(t.strategy) + ": the model " + times(model.per_file * 1e3) + " ms, Python " +
                       times(py.per_file * 1e3) + " ms a file: " + (error >= 0 ? "+" : "") +
                       std::to_string(std::lround(error * 100)) + " %";
    if (std::abs(error) <= kModelTolerance) return line + ", within the goal";
    return line + "; Python here spent " + times(cpu_ms(py)) + " ms of CPU a file (all its processes), the model " +
           compact_duration(t.cpu.count()) + " of interpreter work a request (the talk's own " +
           (t.cpu == kTalkBlockingCpu ? "synchronous" : "async") + " row) and " + times(cpu_ms(model)) +
           " ms of CPU a file in all";
}

void print_beside(std::ostream& out, const std::vector<Summary>& summaries, bool markdown) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const Rows rows = talk_rows(summaries, false), python = talk_rows(summaries, true);
    const bool with_python = std::any_of(summaries.begin(), summaries.end(),
                                         [](const Summary& s) { return s.strategy.starts_with("python-"); });
    // Per request and 10^9 files, as duration columns: the model's rows, then Python's.
    auto columns = [&](const Rows& of) {
        std::vector<double> ms, projected;
        for (const auto& t : kTalk) {
            ms.push_back(of.count(t.strategy) ? of.at(t.strategy)->per_file : 0);
            projected.push_back(of.count(t.strategy) ? of.at(t.strategy)->projected_1e9_s() : 0);
        }
        return std::pair{duration_column(ms), duration_column(projected)};
    };
    const auto [here, here_1e9] = columns(rows);
    const auto [py, py_1e9] = columns(python);

    out << "\nthe talk (16 cores, Python) beside this run (" << cores
        << " cores, C++ with the talk's model: " << compact_duration(kTalkBlockingCpu.count())
        << " of interpreter CPU per request in the blocking client, " << compact_duration(kTalkAsyncCpu.count())
        << " in the async one, a GIL for the threads, 16 processes"
        << (with_python ? "; and the talk's programs in Python, python/" : "") << "):\n";
    std::vector<std::string> head = {"approach", "talk: per request", "talk: 10^9 files", "here: per request",
                                     "here: 10^9 files"};
    if (with_python) head.insert(head.end(), {"Python here: per request", "Python here: 10^9 files"});
    head.emplace_back("why it can differ here");
    std::vector<std::vector<std::string>> cells = {head};
    for (std::size_t i = 0; i < kTalk.size(); ++i) {
        const auto& t = kTalk[i];
        char talk[32];
        std::snprintf(talk, sizeof talk, "%.*f ms", t.per_request_ms < 0.1 ? 4 : 2, t.per_request_ms);
        std::vector<std::string> row = {t.strategy, talk, t.projection, here[i], here_1e9[i]};
        if (with_python) row.insert(row.end(), {py[i], py_1e9[i]});
        row.push_back(rows.count(t.strategy) ? why(t.strategy, rows, cores) : "not measured");
        cells.push_back(std::move(row));
    }
    std::vector<bool> right(head.size(), true);
    right.front() = right.back() = false;
    print_cells(out, cells, right, markdown);

    // The talk's lessons, judged on this run's intervals (statistics.hpp): the model's, then
    // (prefixed) Python's own.
    auto lessons = [&](const Rows& of, const std::string& prefix) {
        for (const auto& [a, b] : {std::pair{"threads", "sync"}, {"processes", "sync"}, {"async", "sync"}})
            if (of.count(a) && of.count(b)) out << prefix << lesson(a, b, of) << "\n";
        if (of.count("combo")) out << prefix << fastest_lesson(of) << "\n";
    };
    out << "\n";
    lessons(rows, "");
    if (!with_python) return;
    lessons(python, "Python here: ");
    out << "\nthe model against Python on this machine (goal: within " << std::lround(kModelTolerance * 100)
        << " %):\n";
    for (const auto& t : kTalk)
        if (rows.count(t.strategy) && python.count(t.strategy))
            out << "  " << model_error(t, *rows.at(t.strategy), *python.at(t.strategy)) << "\n";
        else
            out << "  " << t.strategy << ": not measured (a row failed)\n";
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
    // The same five in Python, with the same knobs (10 threads, 16 processes) and no model.
    if (t.python)
        for (const auto& row : kTalk) {
            const auto* peer = find_peer(row.python);
            strategies::Knobs k;
            k.workers = kTalkThreads;
            k.processes = kTalkCores;
            session.cells.push_back({.strategy = peer, .knobs = k, .server = server, .dir_name = peer->name});
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
                          {"python", t.python},
                          {"published_ms", published}}}};
    const bool markdown = t.run.markdown;
    session.epilogue = [markdown](std::ostream& out, const std::vector<Summary>& rows) {
        print_beside(out, rows, markdown);
    };
    return run_session(session);
}

}  // namespace billion::harness
