// The sqlite sink: every downloaded file a row (name TEXT PRIMARY KEY, data BLOB) of a SQLite
// database, one database per writer (thread, process or event loop) under the run directory,
// named files-HOST-PID-N.sqlite so a reader finds them all with one glob. A billion 100-byte files
// are a billion inodes as files; packed, they are a few files of about 130 GB.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "client/expected.hpp"
#include "client/sinks/sink.hpp"

struct sqlite3;

namespace billion::client {

// Files per transaction: a commit is the unit an interruption keeps (what was committed is on
// disk and skipped by --resume; the rest is downloaded again).
constexpr int kSqliteCommitEvery = 10000;

// A new database for one writer. Throws StageError(write) when it cannot be created.
std::unique_ptr<Sink> open_sqlite_sink(const std::filesystem::path& dir);

// The databases a sqlite sink wrote under dir, sorted by name.
std::vector<std::filesystem::path> sqlite_databases(const std::filesystem::path& dir);

// Reads what the databases under dir hold (opened when constructed, closed when destroyed):
// lookups for --resume and the checkpoint, a full scan for verification. A database still
// being written is read as of its last commit.
class SqliteReader {
public:
    explicit SqliteReader(const std::filesystem::path& dir);
    ~SqliteReader();
    SqliteReader(const SqliteReader&) = delete;
    SqliteReader& operator=(const SqliteReader&) = delete;

    bool has(std::string_view name);
    using Row = std::function<void(std::string_view name, std::string_view data)>;
    // Every row of every database; refused when one cannot be read.
    Expected<void> for_each(const Row& row);
    // Every row of database `db` (0 .. databases()-1): one thread per database at a time.
    Expected<void> for_each_in(std::size_t db, const Row& row);
    std::size_t databases() const { return dbs_.size(); }

private:
    struct Db;
    std::vector<std::unique_ptr<Db>> dbs_;
};

}  // namespace billion::client
