// Downloads directories of the files sink (see downloads.hpp).
#include "harness/host/downloads.hpp"

#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <tbb/parallel_for.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "client/tmpfs.hpp"
#include "harness/host/storage.hpp"
#include "harness/run/checkpoint.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

namespace {
// The kernel's file systems (/proc, /sys, ...): root may open their entries, but a file
// written there is never kept. Their name, or nothing for a file system that keeps files.
std::optional<std::string> kernel_fs(const fs::path& p) {
    struct statfs s {};
    if (::statfs(p.c_str(), &s) != 0) return std::nullopt;
    switch (static_cast<unsigned long>(s.f_type)) {
        case PROC_SUPER_MAGIC: return "proc";
        case SYSFS_MAGIC: return "sysfs";
        case DEVPTS_SUPER_MAGIC: return "devpts";
        case CGROUP_SUPER_MAGIC:
        case CGROUP2_SUPER_MAGIC: return "cgroup";
        case DEBUGFS_MAGIC: return "debugfs";
        case TRACEFS_MAGIC: return "tracefs";
        case SECURITYFS_MAGIC: return "securityfs";
        case BPF_FS_MAGIC: return "bpf";
        case EFIVARFS_MAGIC: return "efivarfs";
        default: return std::nullopt;
    }
}

std::string not_for_files(const fs::path& place, const std::string& fs_name) {
    return place.string() + " is the kernel's " + fs_name + " file system, not a place for files";
}

// A checkpoint in dir: a run that did not end verified (a verified one leaves .verified.json).
bool holds_interrupted_run(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename().string().ends_with(".checkpoint.json")) return true;
    return false;
}
}  // namespace

Expected<void> check_out_dir(const fs::path& dir, bool resume) {
    std::error_code ec;
    if (const auto kernel = kernel_fs(existing_ancestor(dir)))
        return "--out " + dir.string() + " cannot be used: " + not_for_files(existing_ancestor(dir), *kernel);
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec)) return "--out " + dir.string() + " is not a directory";
        if (!resume && !fs::is_empty(dir, ec))
            return "--out " + dir.string() + " is not empty: choose another directory" +
                   (holds_interrupted_run(dir) ? ", or add --resume to continue the interrupted run there" : "");
        if (::access(dir.c_str(), W_OK | X_OK) != 0) return "--out " + dir.string() + " cannot be written";
        return outcome::success();
    }
    const fs::path base = existing_ancestor(dir);
    if (!fs::is_directory(base, ec) || ::access(base.c_str(), W_OK | X_OK) != 0)
        return "--out " + dir.string() + " cannot be created: " + base.string() + " is not a writable directory";
    return outcome::success();
}

Expected<void> check_json_path(const fs::path& file) {
    std::error_code ec;
    const fs::path parent = fs::absolute(file, ec).parent_path();
    if (!fs::is_directory(parent, ec)) return "--json " + file.string() + ": no directory " + parent.string();
    if (const auto kernel = kernel_fs(parent)) return "--json " + file.string() + ": " + not_for_files(parent, *kernel);
    if (fs::exists(file, ec)) {
        if (!fs::is_regular_file(file, ec)) return "--json " + file.string() + " is not a regular file";
        if (::access(file.c_str(), W_OK) != 0) return "--json " + file.string() + " cannot be written";
    } else if (::access(parent.c_str(), W_OK | X_OK) != 0) {
        return "--json " + file.string() + " cannot be written: " + parent.string() + " is not writable";
    }
    return outcome::success();
}

Expected<std::unique_ptr<Downloads>> Downloads::open(client::SinkConfig::Kind kind, const std::string& dir, bool keep) {
    auto out = std::unique_ptr<Downloads>(new Downloads());
    out->kind_ = kind;
    if (kind == client::SinkConfig::Kind::null) return out;
    if (!dir.empty()) {
        out->base_ = dir;
        return out;
    }
    // tmpfs when there is one: on the build machines' ext4 the speed of file creation depends
    // on what was deleted just before (docs/decisions.md); --out measures a disk.
    const auto made = client::new_short_lived_dir("billion");
    if (!made) return "cannot create a temporary directory in " + client::tmpfs_or_temp_dir().string();
    out->base_ = *made;
    out->temporary_ = !keep;
    return out;
}

Downloads::~Downloads() {
    std::error_code ec;
    if (temporary_) fs::remove_all(base_, ec);
}

Expected<client::SinkConfig> Downloads::sink_for(const std::string& run_name, bool resume) {
    if (kind_ == client::SinkConfig::Kind::null) return client::SinkConfig{};
    fs::path dir = base_ / run_name;
    std::error_code ec;
    if (const auto done = resume ? std::nullopt : finished_run(dir))
        return "output directory " + *done + ": choose another --out";
    if (!resume && fs::exists(checkpoint_path(dir), ec))
        return "output directory " + dir.string() +
               " holds an interrupted run: add --resume to continue it, or choose another --out";
    if (!resume && fs::exists(dir, ec) && !fs::is_empty(dir, ec))
        return "output directory " + dir.string() + " is not empty; choose another --out";
    fs::create_directories(dir, ec);
    if (ec) return "cannot create " + dir.string() + ": " + ec.message();
    return client::SinkConfig{kind_, dir};
}

namespace {
// Empties a run directory on every core, a shard directory a task: removing 100,000 files
// one by one costs about what writing them did.
void remove_tree(const fs::path& dir) {
    std::vector<fs::path> shards;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        shards.push_back(e.path());
    tbb::parallel_for(std::size_t{0}, shards.size(), [&](std::size_t i) {
        std::error_code e;
        fs::remove_all(shards[i], e);
    });
    fs::remove_all(dir, ec);
}
}  // namespace

void Downloads::done_with(const client::SinkConfig& sink) {
    if (temporary_ && !sink.dir.empty()) remove_tree(sink.dir);
}

std::string Downloads::describe() const {
    if (base_.empty()) return "";
    return base_.string() + (temporary_ ? " (temporary)" : "");
}

}  // namespace billion::harness
