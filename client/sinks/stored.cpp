// Lookups of what a sink holds (see stored.hpp).
#include "client/sinks/stored.hpp"

#include <sys/stat.h>

#include <string>

#include "client/sinks/sqlite_sink.hpp"

namespace billion::client {

StoredIndex::StoredIndex(const SinkConfig& sink) : sink_(sink) {
    if (sink.kind == SinkConfig::Kind::sqlite) sqlite_ = std::make_unique<SqliteReader>(sink.dir);
}

StoredIndex::~StoredIndex() = default;

bool StoredIndex::has(std::string_view name) {
    switch (sink_.kind) {
        case SinkConfig::Kind::files: {
            struct stat st {};
            const std::string path = (sink_.dir / shard_of(name, sink_.shard_width) / std::string(name)).string();
            // At its full size only: a short file was cut by a killed run (client/sinks/sink.cpp).
            return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
                   (sink_.file_size == 0 || static_cast<std::uint64_t>(st.st_size) == sink_.file_size);
        }
        case SinkConfig::Kind::sqlite: return sqlite_->has(name);
        case SinkConfig::Kind::null: break;
    }
    return false;
}

}  // namespace billion::client
