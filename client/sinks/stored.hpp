// Resume: what a sink already holds, asked name by name (a files sink: one stat per name; a
// sqlite sink: one primary-key lookup per database, the databases found when it is built).
// A resumed walk builds one (what it skips was stored before it started); the checkpoint
// keeper, which asks about the running writers' files, builds one per tick, as a writer may
// have created a database since the last.
#pragma once

#include <memory>
#include <string_view>

#include "client/sinks/sink.hpp"

namespace billion::client {

class SqliteReader;

class StoredIndex {
public:
    explicit StoredIndex(const SinkConfig& sink);
    ~StoredIndex();
    StoredIndex(const StoredIndex&) = delete;
    StoredIndex& operator=(const StoredIndex&) = delete;
    bool has(std::string_view name);

private:
    SinkConfig sink_;
    std::unique_ptr<SqliteReader> sqlite_;
};

}  // namespace billion::client
