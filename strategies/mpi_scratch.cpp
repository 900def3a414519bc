// A directory for Open MPI's files of one job (see mpi_scratch.hpp).
#include "strategies/mpi_scratch.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <string>
#include <string_view>
#include <system_error>

#include "client/errors.hpp"
#include "client/processes/ipc.hpp"
#include "client/tmpfs.hpp"

namespace billion::strategies {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "billion-mpi-";  // billion-mpi-PID-N

// The PID in a directory's name, or 0 when the name is not one of ours.
pid_t owner_of(const std::string& name) {
    if (!name.starts_with(kPrefix)) return 0;
    const char* first = name.data() + kPrefix.size();
    pid_t pid = 0;
    const auto [end, ec] = std::from_chars(first, name.data() + name.size(), pid);
    return ec == std::errc{} && end != first && *end == '-' ? pid : 0;
}

}  // namespace

fs::path MpiScratch::root() {
    return client::tmpfs_or_temp_dir();
}

void MpiScratch::remove_stale() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root(), ec)) {
        const pid_t pid = owner_of(entry.path().filename().string());
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
    }
}

MpiScratch::MpiScratch() {
    static std::atomic<unsigned> jobs{0};
    remove_stale();
    path_ = root() / (std::string(kPrefix) + std::to_string(::getpid()) + "-" + std::to_string(jobs++));
    std::error_code ec;
    fs::create_directory(path_, ec);
    if (ec)
        throw client::StageError(client::Stage::setup, "cannot make a directory for Open MPI's files, " +
                                                           path_.string() + ": " + ec.message());
    client::remove_on_quit(path_.string());  // a second Ctrl-C leaves nothing behind either
}

MpiScratch::~MpiScratch() {
    client::remove_on_quit("");
    std::error_code ec;
    fs::remove_all(path_, ec);
}

}  // namespace billion::strategies
