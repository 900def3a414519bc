// Storage preflight of the files sink (see storage.hpp).
#include "harness/host/storage.hpp"

#include <sys/statvfs.h>

#include <cstdio>

#include "client/sinks/sink.hpp"
#include "harness/common/format.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

fs::path existing_ancestor(fs::path dir) {
    std::error_code ec;
    dir = fs::absolute(dir, ec);
    while (!fs::exists(dir, ec) && dir.has_parent_path() && dir.parent_path() != dir)
        dir = dir.parent_path();
    return dir;
}

namespace {

// Bytes a sqlite row takes beyond its data: measured, 100,000 rows of 100 bytes made a
// 14.6 MB database (146 bytes a row: the 19-byte name, the B-tree's cells and pages).
constexpr std::uint64_t kSqliteRowOverhead = 46;

struct Room {
    std::uint64_t inodes = 0, bytes = 0, block = 4096;
    fs::path where;
    bool known = false;
};

Room room_at(fs::path dir) {
    if (!dir.empty()) dir = existing_ancestor(dir);
    Room r;
    struct statvfs v {};
    if (dir.empty() || ::statvfs(dir.c_str(), &v) != 0) return r;
    r.where = dir;
    r.known = true;
    r.block = v.f_frsize ? v.f_frsize : v.f_bsize;
    r.bytes = static_cast<std::uint64_t>(v.f_bavail) * r.block;
    // Some file systems (btrfs, some FUSE ones) report no inode limit: 0 of 0.
    r.inodes = v.f_files ? static_cast<std::uint64_t>(v.f_favail) : UINT64_MAX;
    return r;
}

std::string human_bytes(double b) {
    const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    int u = 0;
    while (b >= 1000 && u < 5) {
        b /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f %s", b < 10 && u ? 2 : (b < 100 && u ? 1 : 0), b, units[u]);
    return buf;
}

std::string inodes_text(std::uint64_t n) {
    return n == UINT64_MAX ? "no inode limit" : grouped(n) + " free inodes";
}

}  // namespace

StorageNeed files_sink_need(std::uint64_t files, std::uint64_t file_size, std::uint64_t block) {
    const std::uint64_t blocks_per_file = block ? (file_size + block - 1) / block : 1;
    const std::uint64_t shards = std::uint64_t{1} << (4 * client::shard_width_for(files));  // client/sinks/sink.cpp
    return {files + shards, (files * blocks_per_file + shards) * block, block};
}

Expected<void> check_files_room(const fs::path& dir, std::uint64_t files, std::uint64_t file_size) {
    const Room r = room_at(dir);
    if (!r.known) return outcome::success();  // cannot tell: the sink's own errors will say
    const StorageNeed need = files_sink_need(files, file_size, r.block);
    if (need.inodes <= r.inodes && need.bytes <= r.bytes) return outcome::success();
    return grouped(files) + " files do not fit in " + r.where.string() + ": they need " + grouped(need.inodes) +
           " inodes and " + human_bytes(static_cast<double>(need.bytes)) + " (" + std::to_string(r.block) +
           "-byte blocks); it has " + inodes_text(r.inodes) + " and " + human_bytes(static_cast<double>(r.bytes)) +
           " free. Use --sink sqlite (a row per file, about " +
           human_bytes(static_cast<double>(files) * static_cast<double>(file_size + kSqliteRowOverhead)) +
           "), fewer files, or another --out";
}

std::uint64_t files_stored_in(const fs::path& run_dir) {
    std::uint64_t n = 0;
    std::error_code ec;
    for (const auto& shard : fs::directory_iterator(run_dir, ec))
        if (shard.is_directory(ec))
            for (auto it = fs::directory_iterator(shard.path(), ec); !ec && it != fs::directory_iterator(); it.increment(ec))
                ++n;
    return n;
}

StorageNeed billion_files_on(const fs::path& dir, std::uint64_t file_size) {
    return files_sink_need(1'000'000'000, file_size, room_at(dir).block);
}

std::string billion_files_need(const fs::path& dir, std::uint64_t file_size) {
    const Room r = room_at(dir);
    const StorageNeed need = files_sink_need(1'000'000'000, file_size, r.block);
    std::string s = "10^9 files through the files sink would need " + grouped(need.inodes) + " inodes and " +
                    human_bytes(static_cast<double>(need.bytes)) + " (" + std::to_string(r.block) + "-byte blocks)";
    if (r.known)
        s += "; " + r.where.string() + " has " + inodes_text(r.inodes) + " and " +
             human_bytes(static_cast<double>(r.bytes)) + " free";
    return s;
}

}  // namespace billion::harness
