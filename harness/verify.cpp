// Run verification (see verify.hpp).
#include "harness/verify.hpp"

#include <fstream>
#include <iterator>

#include "client/names.hpp"
#include "client/sqlite_sink.hpp"

namespace billion::harness {

void Verification::add(std::string name, bool passed, std::string detail) {
    ok = ok && passed;
    checks.push_back({std::move(name), passed, std::move(detail)});
}

std::string Verification::first_problem() const {
    for (const auto& c : checks)
        if (!c.ok) return c.name + ": " + c.detail;
    return {};
}

client::Digest catalog_digest(const mock::Catalog& c, std::optional<std::uint64_t> first) {
    client::Digest d;
    std::string content(c.file_size, '\0');
    const std::uint64_t n = first ? std::min(*first, c.files) : c.files;
    for (std::uint64_t i = 0; i < n; ++i) {
        c.fill(i, content);
        d.add_file(c.name(i), content);
    }
    return d;
}

DiskScan scan_files(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    DiskScan scan;
    auto stray = [&](const fs::path& p) {
        if (scan.stray++ == 0) scan.first_stray = p.lexically_relative(dir).string();
    };
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const auto& e = *it;
        if (e.is_directory()) {
            if (it.depth() > 1) stray(e.path());
            continue;
        }
        std::string name = e.path().filename().string();
        auto rel = e.path().lexically_relative(dir).parent_path().string();
        if (!e.is_regular_file() || it.depth() != 2 || !client::valid_name(name) || client::shard_of(name) != rel) {
            stray(e.path());
            continue;
        }
        std::ifstream f(e.path(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        scan.digest.add_file(name, bytes);
    }
    if (ec) {
        ++scan.stray;
        scan.first_stray = "cannot walk " + dir.string() + ": " + ec.message();
    }
    return scan;
}

DiskScan scan_sqlite(const std::filesystem::path& dir) {
    DiskScan scan;
    client::SqliteReader reader(dir);
    std::string error;
    bool read = reader.for_each(
        [&](std::string_view name, std::string_view data) {
            if (!client::valid_name(name)) {
                if (scan.stray++ == 0) scan.first_stray = "a row named '" + std::string(name) + "'";
                return;
            }
            scan.digest.add_file(name, data);
        },
        error);
    if (!read && scan.stray++ == 0) scan.first_stray = "cannot read " + error;
    return scan;
}

DiskScan scan_sink(const client::SinkConfig& sink) {
    return sink.kind == client::SinkConfig::Kind::sqlite ? scan_sqlite(sink.dir) : scan_files(sink.dir);
}

namespace {
std::string n(std::uint64_t v) {
    return std::to_string(v);
}
}  // namespace

Verification verify(const VerifyInput& in) {
    Verification v;
    const auto& s = *in.stats;
    const auto& listed = s.listed;
    const auto& got = s.received;

    // --max-time: the listing stopped early, but every page listed was finished: a prefix of
    // the catalog, checked below like a whole one.
    const bool capped = s.capped && !s.fatal && !in.interrupted;
    if (capped)
        v.add("listing capped by --max-time", true, n(s.pages) + " pages listed, each one finished");
    else
        v.add("listing complete", !s.fatal && !in.interrupted,
              in.interrupted ? "interrupted before the end"
                             : (s.fatal ? std::string(s.first_error) : "every page listed"));

    // Each stage's count with its own first cause: a rare stage is not hidden behind a common one.
    std::string failures;
    for (int i = 0; i < static_cast<int>(client::Stage::count_); ++i)
        if (auto f = s.failures[static_cast<std::size_t>(i)])
            failures += std::string(failures.empty() ? "" : "; ") + n(f) + " " +
                        client::to_string(static_cast<client::Stage>(i)) + " (first: " + s.first_by_stage[i] + ")";
    v.add("no failures", s.failed() == 0, failures.empty() ? "none" : failures);

    // Every listed name was received in this run or (resume) found already stored.
    client::Digest accounted = got;
    accounted.names += s.stored.names;
    accounted.count += s.stored.count;
    std::string detail = "listed " + n(listed.count) + ", received " + n(got.count);
    if (in.resumed) detail += ", already stored " + n(s.stored.count);
    bool once = accounted.count == listed.count && accounted.names == listed.names;
    if (accounted.count > listed.count)
        detail += ": " + n(accounted.count - listed.count) + " received more than once";
    else if (accounted.count < listed.count)
        detail += ": " + n(listed.count - accounted.count) + " missing";
    else if (!once)
        detail += ": the received names differ from the listed ones";
    v.add("each listed file received once", once, detail);

    std::optional<client::Digest> want;
    if (in.catalog) want = catalog_digest(*in.catalog, capped ? std::optional(got.count) : std::nullopt);
    if (want && !in.resumed) {
        bool same = *want == got;
        std::string d = std::string(capped ? "the catalog's first " : "catalog ") + n(want->count) +
                        " files, received " + n(got.count);
        if (!same && want->count == got.count && want->names == got.names)
            d += ": file contents differ from the rule";
        else if (!same)
            d += ": the set of files differs";
        v.add("bytes match the catalog rule", same, d);
    }

    if (in.sink.kind != client::SinkConfig::Kind::null) {
        DiskScan scan = scan_sink(in.sink);
        std::string d =
            n(scan.digest.count) +
            (in.sink.kind == client::SinkConfig::Kind::sqlite ? " rows in the databases" : " files on disk");
        if (scan.stray) d += ", " + n(scan.stray) + " stray entries (first: " + scan.first_stray + ")";
        if (!in.resumed) {
            bool same = scan.digest == got && scan.stray == 0;
            if (!(scan.digest == got)) d += ": disk differs from what was received";
            v.add("disk holds exactly what was received", same, d);
        } else if (in.catalog) {
            // A resumed run ends with the whole catalog on disk (capped: its first files), each
            // file once and exact.
            const auto disk_want =
                catalog_digest(*in.catalog, capped ? std::optional(scan.digest.count) : std::nullopt);
            bool same = scan.digest == disk_want && scan.stray == 0;
            if (!(scan.digest == disk_want))
                d += ": disk differs from the catalog's first " + n(disk_want.count) + " files";
            v.add(capped ? "disk holds the catalog's first files, exact" : "disk holds the whole catalog, exact", same,
                  d);
        } else {
            bool ok = scan.stray == 0 && scan.digest.count >= got.count + s.stored.count;
            v.add("disk holds what was received and stored", ok, d);
        }
    }

    if (in.server) {
        bool same = in.server->get_ok == got.count;
        v.add("server served each file once", same,
              "server answered " + n(in.server->get_ok) + " whole files, client kept " + n(got.count));
    }
    return v;
}

}  // namespace billion::harness
