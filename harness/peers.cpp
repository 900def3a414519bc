// aria2c and curl as peers (see peers.hpp).
#include "harness/peers.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "client/http/api.hpp"
#include "client/processes/ipc.hpp"
#include "harness/verify.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

namespace {

// Runs a command, waits; its exit status, or -1 when it could not start. The tool dies with
// billion (client::spawn), so a killed comparison leaves no download running.
int run_tool(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = client::spawn([&] {
        ::execvp(argv[0], argv.data());
        return errno == ENOENT ? 126 : 127;
    });
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 126) return -1;  // not found
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Lists every page with one blocking client; calls each(name) for every valid name.
template <class F>
void list_all(const strategies::Job& job, client::WorkerStats& stats, F each) {
    client::ApiClient api(job.server, job.client, stats);
    client::PageWalk walk;
    while (!job.stopping()) {
        auto page = api.next_page(walk);
        if (!page) break;
        for (const auto& name : page->names)
            each(name);
    }
}

// The peer's result: what the listing counted, and what the tool left on disk.
strategies::Result finish(const strategies::Job& job, client::WorkerStats listed, int status, const std::string& tool) {
    strategies::Result r;
    r.stats = listed;
    DiskScan scan = scan_files(job.sink.dir);
    r.stats.received = scan.digest;
    r.stats.files = scan.digest.count;
    r.stats.bytes = scan.digest.bytes;
    if (status == -1)
        r.stats.fail(client::Stage::connect,
                     tool + " not found (scripts/setup " + (tool == "aria2c" ? "aria2" : tool) + ")", true);
    else if (status != 0)
        r.stats.fail(client::Stage::get, tool + " exited with status " + std::to_string(status));
    r.interrupted = job.stopping();
    return r;
}

strategies::Result run_aria2c(const strategies::Job& job) {
    client::WorkerStats stats;
    fs::path list = job.sink.dir / ".aria2c-input";
    {
        std::ofstream f(list);
        list_all(job, stats, [&](const std::string& name) {
            f << job.server.url() << "/get/" << name
              << "\n  dir=" << (job.sink.dir / client::shard_of(name, job.sink.shard_width)).string()
              << "\n  out=" << name << "\n";
        });
    }
    int status = run_tool({"aria2c", "--input-file=" + list.string(), "-j", std::to_string(job.knobs.concurrency),
                           "--max-connection-per-server=1", "--enable-http-keep-alive=true", "--allow-overwrite=false",
                           "--auto-file-renaming=false", "--file-allocation=none", "--console-log-level=error",
                           "--summary-interval=0", "--download-result=hide", "--quiet=true"});
    fs::remove(list);
    return finish(job, stats, status, "aria2c");
}

strategies::Result run_curl(const strategies::Job& job) {
    client::WorkerStats stats;
    fs::path config = job.sink.dir / ".curl-config";
    {
        std::ofstream f(config);
        list_all(job, stats, [&](const std::string& name) {
            f << "url = \"" << job.server.url() << "/get/" << name << "\"\noutput = \""
              << (job.sink.dir / client::shard_of(name, job.sink.shard_width) / name).string() << "\"\n";
        });
    }
    int status =
        run_tool({"curl", "--parallel", "--parallel-max", std::to_string(std::min(job.knobs.concurrency, 300u)),
                  "--create-dirs", "--silent", "--show-error", "--fail", "--config", config.string()});
    fs::remove(config);
    return finish(job, stats, status, "curl");
}

}  // namespace

const strategies::Strategy* find_peer(const std::string& name) {
    static const std::vector<strategies::Strategy> peers = {
        {"aria2c", "peer: billion lists, aria2c -i URLs -j C downloads", run_aria2c},
        {"curl", "peer: billion lists, curl --parallel --parallel-max C downloads", run_curl},
    };
    for (const auto& p : peers)
        if (p.name == name) return &p;
    return nullptr;
}

}  // namespace billion::harness
