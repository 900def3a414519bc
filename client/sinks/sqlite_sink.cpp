// The sqlite sink (see sqlite_sink.hpp). Settings for bulk loading, each chosen for a reason:
//   journal_mode=WAL     a commit appends to the log, and the checkpoint keeper (another
//                        connection) can read committed rows while the writer goes on;
//   synchronous=NORMAL   no fsync per commit: a killed process loses nothing committed, a
//                        power loss may lose the last commits (never corrupts): --resume and
//                        verification then see them missing and they are downloaded again;
//   WITHOUT ROWID        the name is the key: one B-tree, not a rowid table plus an index;
//   10,000 rows a commit prepared once, bound per file: no SQL parsed on the hot path.
#include "client/sinks/sqlite_sink.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <string>

#include "client/errors.hpp"

namespace billion::client {

namespace fs = std::filesystem;

namespace {

std::string message(sqlite3* db) {
    return db ? sqlite3_errmsg(db) : "out of memory";
}

bool exec(sqlite3* db, const char* sql) {
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

// This host's name, kept to characters safe in a file name.
std::string host_tag() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "host";
    std::string tag(name);
    for (auto& c : tag)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
    return tag;
}

class SqliteSink final : public Sink {
public:
    explicit SqliteSink(const fs::path& dir) {
        // One database per writer: the host (cluster ranks on several hosts may share --out,
        // and their PIDs may collide), the PID, and a process-wide sequence number (not a
        // hot-path counter: taken once per sink).
        static std::atomic<unsigned> sequence{0};
        path_ = dir / ("files-" + host_tag() + "-" + std::to_string(::getpid()) + "-" + std::to_string(sequence++) +
                       ".sqlite");
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE | SQLITE_OPEN_NOMUTEX;
        if (sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr) != SQLITE_OK ||
            !exec(db_,
                  "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192;"
                  "CREATE TABLE IF NOT EXISTS files (name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;") ||
            sqlite3_prepare_v3(db_, "INSERT INTO files (name, data) VALUES (?1, ?2)", -1, SQLITE_PREPARE_PERSISTENT,
                               &insert_, nullptr) != SQLITE_OK ||
            !exec(db_, "BEGIN")) {
            std::string why = "cannot create the database " + path_.string() + ": " + message(db_);
            close_db();
            throw StageError(Stage::write, why);
        }
    }
    ~SqliteSink() override {
        exec(db_, "COMMIT");  // what the run wrote last
        close_db();
    }

    void write(std::string_view name, std::string_view bytes, WorkerStats& stats) override {
        sqlite3_bind_text(insert_, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
        sqlite3_bind_blob(insert_, 2, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
        const int rc = sqlite3_step(insert_);
        sqlite3_reset(insert_);
        if (rc == SQLITE_CONSTRAINT) {
            stats.fail(Stage::write, std::string(name) + ": already written (listed twice?); kept, not overwritten");
            return;
        }
        if (rc != SQLITE_DONE) {
            stats.fail(Stage::write, path_.filename().string() + ": " + message(db_));
            return;
        }
        stats.received.add_file(name, bytes);
        ++stats.files;
        stats.bytes += bytes.size();
        if (++uncommitted_ == kSqliteCommitEvery) {
            uncommitted_ = 0;
            if (!exec(db_, "COMMIT") || !exec(db_, "BEGIN"))
                stats.fail(Stage::write, path_.filename().string() + ": cannot commit: " + message(db_));
        }
    }

private:
    void close_db() {
        sqlite3_finalize(insert_);
        sqlite3_close(db_);
        insert_ = nullptr;
        db_ = nullptr;
    }

    fs::path path_;
    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
    int uncommitted_ = 0;
};

}  // namespace

std::unique_ptr<Sink> open_sqlite_sink(const fs::path& dir) {
    return std::make_unique<SqliteSink>(dir);
}

std::vector<fs::path> sqlite_databases(const fs::path& dir) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto name = e.path().filename().string();
        if (name.starts_with("files-") && e.path().extension() == ".sqlite") found.push_back(e.path());
    }
    std::sort(found.begin(), found.end());
    return found;
}

struct SqliteReader::Db {
    sqlite3* db = nullptr;
    sqlite3_stmt* lookup = nullptr;  // null until the table exists (a writer just created it)
    ~Db() {
        sqlite3_finalize(lookup);
        sqlite3_close(db);
    }
};

SqliteReader::SqliteReader(const fs::path& dir) {
    for (const auto& path : sqlite_databases(dir)) {
        auto d = std::make_unique<Db>();
        // Read-write without create: a WAL reader needs the shared-memory index; it never writes rows.
        if (sqlite3_open_v2(path.c_str(), &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
            continue;
        sqlite3_busy_timeout(d->db, 2000);
        sqlite3_prepare_v2(d->db, "SELECT 1 FROM files WHERE name = ?1", -1, &d->lookup, nullptr);
        dbs_.push_back(std::move(d));
    }
}

SqliteReader::~SqliteReader() = default;

bool SqliteReader::has(std::string_view name) {
    for (auto& d : dbs_) {
        if (!d->lookup) continue;
        sqlite3_bind_text(d->lookup, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
        const bool found = sqlite3_step(d->lookup) == SQLITE_ROW;
        sqlite3_reset(d->lookup);
        if (found) return true;
    }
    return false;
}

Expected<void> SqliteReader::for_each(const Row& row) {
    for (std::size_t db = 0; db < dbs_.size(); ++db)
        if (auto read = for_each_in(db, row); !read) return read;
    return outcome::success();
}

Expected<void> SqliteReader::for_each_in(std::size_t db, const Row& row) {
    sqlite3* d = dbs_[db]->db;
    sqlite3_stmt* scan = nullptr;
    if (sqlite3_prepare_v2(d, "SELECT name, data FROM files", -1, &scan, nullptr) != SQLITE_OK)
        return sqlite3_db_filename(d, "main") + std::string(": ") + message(d);
    int rc;
    while ((rc = sqlite3_step(scan)) == SQLITE_ROW) {
        const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(scan, 0));
        const auto name_len = static_cast<std::size_t>(sqlite3_column_bytes(scan, 0));
        const auto* data = static_cast<const char*>(sqlite3_column_blob(scan, 1));
        const auto data_len = static_cast<std::size_t>(sqlite3_column_bytes(scan, 1));
        row({name ? name : "", name_len}, {data ? data : "", data_len});
    }
    sqlite3_finalize(scan);
    if (rc != SQLITE_DONE) return sqlite3_db_filename(d, "main") + std::string(": ") + message(d);
    return outcome::success();
}

}  // namespace billion::client
