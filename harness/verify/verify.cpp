// Run verification (see verify.hpp).
#include "harness/verify/verify.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "client/http/names.hpp"
#include "client/http/page.hpp"
#include "client/sinks/ledger.hpp"
#include "client/sinks/sqlite_sink.hpp"

namespace billion::harness {

void Verification::add(std::string name, bool passed, std::string detail) {
    ok = ok && passed;
    checks.push_back({std::move(name), passed, std::move(detail)});
}

std::string Verification::first_problem() const {
    // Named as a check that failed, so the line cannot read as a success ("listing complete: ...").
    for (const auto& c : checks)
        if (!c.ok) return "failed check '" + c.name + "': " + c.detail;
    return {};
}

client::Digest CatalogDigests::of(const mock::Catalog& c, std::optional<std::uint64_t> first) {
    const std::uint64_t n = first ? std::min(*first, c.files) : c.files;
    const Key key{c.files, c.file_size, c.seed, n};  // the content does not depend on the page size
    if (auto it = known_.find(key); it != known_.end()) return it->second;
    // Every core: the rule is pure, and the digest a sum (merged in any order).
    const auto d = tbb::parallel_reduce(
        tbb::blocked_range<std::uint64_t>(0, n, 4096), client::Digest{},
        [&](const tbb::blocked_range<std::uint64_t>& r, client::Digest d) {
            std::string content(c.file_size, '\0');
            for (std::uint64_t i = r.begin(); i < r.end(); ++i) {
                c.fill(i, content);
                d.add_file(c.name(i), content);
            }
            return d;
        },
        [](client::Digest a, const client::Digest& b) {
            a.merge(b);
            return a;
        });
    if (known_.size() >= kMaxKept) known_.clear();
    known_.emplace(key, d);
    return d;
}

namespace {

client::Digest catalog_digest(const VerifyInput& in, std::optional<std::uint64_t> first) {
    if (in.digests) return in.digests->of(*in.catalog, first);
    return CatalogDigests().of(*in.catalog, first);
}

void note_stray(DiskScan& scan, const std::string& what) {
    if (scan.stray++ == 0) scan.first_stray = what;
}

void merge_scan(DiskScan& into, const DiskScan& part) {
    into.digest.merge(part.digest);
    if (part.stray && !into.stray) into.first_stray = part.first_stray;
    into.stray += part.stray;
}

// One shard directory: every entry must be a regular file of a valid name that belongs in
// this shard; its bytes go into the digest.
void scan_leaf(int root, const std::string& leaf, client::NameRule names, DiskScan& scan) {
    const int dfd = ::openat(root, leaf.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    DIR* d = dfd >= 0 ? ::fdopendir(dfd) : nullptr;
    if (!d) {
        if (dfd >= 0) ::close(dfd);
        return note_stray(scan, "cannot read " + leaf);
    }
    const auto width = static_cast<std::uint32_t>(leaf.size());
    // A file is at most a megabyte (client max_file_bytes); one byte more tells a larger one.
    // One buffer a thread, not one a shard directory (up to 65,536 of them).
    thread_local std::string buf(std::size_t{1} << 20 | 1, '\0');
    while (const dirent* e = ::readdir(d)) {
        const std::string_view name = e->d_name;
        if (name == "." || name == "..") continue;
        bool regular = e->d_type == DT_REG;
        if (e->d_type == DT_UNKNOWN) {
            struct stat st {};
            regular = ::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
        }
        if (!regular || !client::valid_name(name, names) || client::shard_of(name, width) != leaf) {
            note_stray(scan, leaf + "/" + std::string(name));
            continue;
        }
        // One read: a regular file's read comes back short only at its end, so a file smaller
        // than the buffer is whole after one call (no second read to see the end).
        const int fd = ::openat(dfd, e->d_name, O_RDONLY | O_CLOEXEC);
        std::size_t got = 0;
        for (ssize_t n; fd >= 0 && (n = ::read(fd, buf.data() + got, buf.size() - got)) > 0;) {
            got += static_cast<std::size_t>(n);
            if (got == buf.size() || static_cast<std::size_t>(n) < buf.size()) break;
        }
        if (fd >= 0) ::close(fd);
        if (fd < 0) {
            note_stray(scan, "cannot read " + leaf + "/" + std::string(name));
            continue;
        }
        scan.digest.add_file(name, std::string_view(buf.data(), got));
    }
    ::closedir(d);
}

bool is_shard_name(const std::string& s) {
    return !s.empty() && s.size() <= 4 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

DiskScan scan_files(const std::filesystem::path& dir, client::NameRule names) {
    namespace fs = std::filesystem;
    DiskScan scan;
    // The shard directories, in order (65,536 at most), then their files on every core.
    std::vector<std::string> leaves;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string leaf = e.path().filename().string();
        if (!e.is_directory() || !is_shard_name(leaf) || (!leaves.empty() && leaf.size() != leaves.front().size()))
            note_stray(scan, leaf);
        else
            leaves.push_back(leaf);
    }
    if (ec) note_stray(scan, "cannot walk " + dir.string() + ": " + ec.message());
    const int root = ::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (root < 0) {
        note_stray(scan, "cannot open " + dir.string());
        return scan;
    }
    tbb::combinable<DiskScan> parts;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, leaves.size(), 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                          auto& part = parts.local();
                          for (std::size_t i = r.begin(); i < r.end(); ++i)
                              scan_leaf(root, leaves[i], names, part);
                      });
    ::close(root);
    parts.combine_each([&](const DiskScan& part) { merge_scan(scan, part); });
    return scan;
}

DiskScan scan_sqlite(const std::filesystem::path& dir, client::NameRule names) {
    DiskScan scan;
    client::SqliteReader reader(dir);
    // One database per task: a connection is used by one thread at a time.
    tbb::combinable<DiskScan> parts;
    tbb::parallel_for(std::size_t{0}, reader.databases(), [&](std::size_t db) {
        auto& part = parts.local();
        auto read = reader.for_each_in(db, [&](std::string_view name, std::string_view data) {
            if (!client::valid_name(name, names)) return note_stray(part, "a row named '" + client::escape(name) + "'");
            part.digest.add_file(name, data);
        });
        if (!read) note_stray(part, "cannot read " + read.error());
    });
    parts.combine_each([&](const DiskScan& part) { merge_scan(scan, part); });
    return scan;
}

DiskScan scan_sink(const client::SinkConfig& sink) {
    return sink.kind == client::SinkConfig::Kind::sqlite ? scan_sqlite(sink.dir, sink.names)
                                                         : scan_files(sink.dir, sink.names);
}

namespace {
std::string n(std::uint64_t v) {
    return std::to_string(v);
}
}  // namespace

namespace {

// How far the listing went: all of it, a --max-time cap (every page listed was finished: a
// prefix of the catalog, checked like a whole one), or short (a stop, a failed listing).
struct Walk {
    bool capped;
    bool all;
};

void check_listing(const VerifyInput& in, Walk walk, Verification& v) {
    const auto& s = *in.stats;
    if (walk.capped)
        v.add("listing capped by --max-time", true, n(s.pages) + " pages listed, each one finished");
    else
        v.add("listing complete", walk.all,
              in.interrupted ? "interrupted before the end"
                             : (s.fatal ? std::string(s.first_error) : "every page listed"));
    // Each stage's count with its own first cause: a rare stage is not hidden behind a common one.
    std::string failures;
    for (int i = 0; i < static_cast<int>(client::Stage::count_); ++i)
        if (auto f = s.failures[static_cast<std::size_t>(i)])
            failures += std::string(failures.empty() ? "" : "; ") + n(f) + " " +
                        client::to_string(static_cast<client::Stage>(i)) + " (first: " + s.first_by_stage[i] + ")";
    v.add("no failures", s.failed() == 0, failures.empty() ? "none" : failures);
}

// Every listed name was received in this run or (resume) found already stored.
void check_received_once(const VerifyInput& in, Verification& v) {
    const auto& s = *in.stats;
    client::Digest accounted = s.received;
    accounted.names += s.stored.names;
    accounted.count += s.stored.count;
    std::string detail = "listed " + n(s.listed.count) + ", received " + n(s.received.count);
    if (in.resumed) detail += ", already stored " + n(s.stored.count);
    bool once = accounted.count == s.listed.count && accounted.names == s.listed.names;
    if (accounted.count > s.listed.count)
        detail += ": " + n(accounted.count - s.listed.count) + " received more than once";
    else if (accounted.count < s.listed.count)
        detail += ": " + n(s.listed.count - accounted.count) + " missing";
    else if (!once)
        detail += ": the received names differ from the listed ones";
    v.add("each listed file received once", once, detail);
}

// The catalog's rule, for the part of the catalog this run walked: all of it, or (a stop, a
// cap, a listing that failed) the prefix listed, so the check costs what was downloaded,
// never the catalog's size. Pages are listed in order in every strategy, so what was listed
// is always a prefix.
void check_catalog(const VerifyInput& in, Walk walk, Verification& v) {
    const auto& listed = in.stats->listed;
    const auto& got = in.stats->received;
    const auto want = catalog_digest(in, walk.all ? std::nullopt : std::optional(listed.count));
    if (!walk.all && !walk.capped)
        v.add("listed names are the catalog's first files", want.names == listed.names && want.count == listed.count,
              "the catalog's first " + n(want.count) + " names, listed " + n(listed.count));
    // A stopped run may hold a part of what it listed: its bytes cannot be told from the
    // prefix's digest then (the disk check still holds it to what was received).
    if (!walk.all && !walk.capped && !(got.count == listed.count && got.names == listed.names)) return;
    bool same = want == got;
    std::string d = std::string(walk.all ? "catalog " : "the catalog's first ") + n(want.count) + " files, received " +
                    n(got.count);
    if (!same && want.count == got.count && want.names == got.names)
        d += ": file contents differ from the rule";
    else if (!same)
        d += ": the set of files differs";
    v.add("bytes match the catalog rule", same, d);
}

// What the sink holds: what was received (a fresh run), the catalog or its first files (a
// resumed run that ended), or at least what was received and stored (a resumed run cut short).
void check_disk(const VerifyInput& in, Walk walk, Verification& v) {
    const auto& got = in.stats->received;
    DiskScan scan = scan_sink(in.sink);
    std::string d = n(scan.digest.count) +
                    (in.sink.kind == client::SinkConfig::Kind::sqlite ? " rows in the databases" : " files on disk");
    if (scan.stray) d += ", " + n(scan.stray) + " stray entries (first: " + scan.first_stray + ")";
    if (!in.resumed) {
        if (!(scan.digest == got)) d += ": disk differs from what was received";
        v.add("disk holds exactly what was received", scan.digest == got && scan.stray == 0, d);
    } else if (in.catalog && (walk.all || walk.capped)) {
        const auto want = catalog_digest(in, walk.capped ? std::optional(scan.digest.count) : std::nullopt);
        if (!(scan.digest == want)) d += ": disk differs from the catalog's first " + n(want.count) + " files";
        v.add(walk.capped ? "disk holds the catalog's first files, exact" : "disk holds the whole catalog, exact",
              scan.digest == want && scan.stray == 0, d);
    } else {
        v.add("disk holds what was received and stored",
              scan.stray == 0 && scan.digest.count >= got.count + in.stats->stored.count, d);
    }
}

// No catalog to compare with (another's server): every name handed to a sink, by any worker,
// process or rank, was handed over once. The listing's own checks see a repeat only on one
// page or the next; the sums above cannot see one at all.
void check_no_repeat(const VerifyInput& in, Verification& v) {
    const auto c = client::check_ledgers(in.sink.ledger);
    if (!c.error.empty()) return v.add("no name received twice", false, c.error);
    if (c.names == 0) return;  // a peer's run: its tool stores what it fetched itself
    v.add("no name received twice", c.twice == 0,
          c.twice == 0 ? n(c.names) + " names, each once"
                       : n(c.twice) + " of " + n(c.names) + " received more than once (the server listed them again)");
}

}  // namespace

Verification verify(const VerifyInput& in) {
    Verification v;
    const auto& s = *in.stats;
    const bool capped = s.capped && !s.fatal && !in.interrupted;
    const Walk walk{capped, !capped && !s.fatal && !in.interrupted};
    check_listing(in, walk, v);
    check_received_once(in, v);
    if (in.catalog && !in.resumed) check_catalog(in, walk, v);
    if (in.sink.kind != client::SinkConfig::Kind::null) check_disk(in, walk, v);
    if (!in.sink.ledger.empty()) check_no_repeat(in, v);
    if (in.server) {
        bool same = in.server->get_ok == s.received.count;
        std::string d = "server answered " + n(in.server->get_ok) + " whole files, client kept " + n(s.received.count);
        // Every try ended well, yet more were served: a try given up on was answered after all.
        if (!same && s.retries > 0)
            d += "; the client retried " + n(s.retries) + " requests (first: " + s.first_retry +
                 "): a try it gave up on was answered too, late";
        if (!same && std::string_view(s.first_retry).find("timed out") != std::string_view::npos)
            d += " (raise --read-timeout, or ask less at once: --workers, --concurrency, --processes)";
        v.add("server served each file once", same, d);
    }
    return v;
}

}  // namespace billion::harness
