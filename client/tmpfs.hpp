// Where short-lived files go: /dev/shm (tmpfs: memory) when this process may write there, else
// the temp directory. Shared by the runs' output directory, Open MPI's files of a job and the
// sink benchmarks.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

namespace billion::client {

inline std::filesystem::path tmpfs_or_temp_dir() {
    std::error_code ec;
    if (std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK | X_OK) == 0) return "/dev/shm";
    auto tmp = std::filesystem::temp_directory_path(ec);
    return ec ? std::filesystem::path("/tmp") : tmp;
}

// A new directory PREFIX-XXXXXX there (mkdtemp), or nothing when it cannot be made.
inline std::optional<std::filesystem::path> new_short_lived_dir(const std::string& prefix) {
    std::string tmpl = (tmpfs_or_temp_dir() / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) return std::nullopt;
    return std::filesystem::path(tmpl);
}

}  // namespace billion::client
