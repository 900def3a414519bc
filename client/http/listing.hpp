// Walking the listing: turning answers into pages and following NextMarker tokens safely.
// Shared by every strategy, whichever process or thread does the listing.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

#include "client/client_config.hpp"
#include "client/http/page.hpp"
#include "client/http/retry.hpp"
#include "client/sinks/sink.hpp"
#include "client/sinks/stored.hpp"
#include "client/stats.hpp"

namespace billion::client {

// The request target of the page token points at: the API's /list, or a bucket's listing (--s3).
std::string page_target(const ClientConfig& options, std::string_view token);

// A 200 answer to /list turned into a page: valid names counted into stats.listed, refused
// names counted as protocol failures; or why the body is not a page. seen: told the page's
// NextMarker before its names are checked (see parse_page).
Expected<Page> read_page(const Exchange& e, WorkerStats& stats, NameRule rule = NameRule::contract,
                         const MarkerSeen& seen = {});
// The same for a bucket's page (ListObjectsV2's XML, --s3): keys under the prefix are names.
Expected<Page> read_bucket_page(const Exchange& e, const ClientConfig::S3& bucket, WorkerStats& stats,
                                NameRule rule = NameRule::contract, const MarkerSeen& seen = {});

// The page of the --urls file (options.urls_file) that token points at, counted as read_page
// counts a page of /list; nothing when the file cannot be read (counted, fatal).
std::optional<Page> list_urls(const ClientConfig& options, const std::string& token, WorkerStats& stats);

// Judges one try of a listing: ok with the page when it came whole; a broken page (malformed
// JSON, no FileNames) is retried like a 5xx, then fatal. Shared by both clients' list().
Verdict judge_list_answer(RetryPolicy& policy, Exchange& e, int attempt, WorkerStats& stats, std::optional<Page>& page,
                          const MarkerSeen& seen = {});

// The names of the last page listed: a name listed again on the next page is refused before it
// is downloaded a second time. (A repeat from further back is left to the files sink, which
// never overwrites, and to verification.) Memory: one hash per name of one page.
class RecentNames {
public:
    // Drops from page the names the previous page had, each counted as a protocol failure
    // and taken back out of stats.listed; then remembers this page.
    void drop_repeats(Page& page, WorkerStats& stats);

private:
    std::unordered_set<std::uint64_t> last_;
};

// The token chain: which page to list next, refusing a NextMarker seen before (a loop).
// Remembers one 64-bit hash per page, so memory grows with pages, not files (16 MB at 10^9 files).
class PageWalk {
public:
    // Empty pages with a NextMarker are allowed, but not without end: after this many in a
    // row the listing is refused as a server fault.
    static constexpr std::uint64_t kMaxEmptyRun = 10000;

    // The token to list next ("" for the first page), or nothing when the listing is done
    // (or capped: see list_until).
    std::optional<std::string> pending() const { return capped() ? std::nullopt : pending_; }
    bool done() const { return !pending(); }
    // --max-time: no page is listed after this instant; the pages already listed are still
    // downloaded, so what a capped run did is a whole prefix of the listing, and verifiable.
    void list_until(std::chrono::steady_clock::time_point t) { deadline_ = t; }
    // Pages were left when the deadline passed.
    bool capped() const { return pending_ && deadline_ && std::chrono::steady_clock::now() >= *deadline_; }
    // Records the page listed from the pending token; refused on a loop.
    Expected<void> advance(const std::optional<std::string>& next);
    // Counts a listed page's size; false once kMaxEmptyRun empty pages came in a row.
    bool note_size(std::size_t names) { return (empty_run_ = names ? 0 : empty_run_ + 1) < kMaxEmptyRun; }
    // Starts at a page token instead of the first page ("" is the first page).
    void start_at(std::string token) { pending_ = std::move(token); }
    // Resume: drops from each page the names this sink already holds (see follow).
    void skip_stored_in(const SinkConfig& sink) { stored_in_ = sink; }
    // What the sink held when this walk first asked (opened then, in the process that lists:
    // a sqlite sink's databases are opened once, not per page); null when not resuming.
    StoredIndex* stored();
    RecentNames& recent() { return recent_; }
    // Ends the walk early (the listing failed).
    void stop() { pending_.reset(); }

private:
    std::optional<std::string> pending_ = std::string();
    // Loop detection in bounded memory (a set of every token grew ~46 bytes a page: 4.6 MiB
    // over 10^5 pages). The last kRecentTokens tokens are remembered exactly, so a short loop
    // is caught on its first repeat; a longer one by Brent's cycle detection: a checkpoint
    // token, moved forward every 2^k pages, that a loop of any length comes back to within
    // about twice its length.
    static constexpr std::size_t kRecentTokens = 1024;
    std::unordered_set<std::uint64_t> recent_tokens_;
    std::deque<std::uint64_t> recent_order_;
    std::optional<std::uint64_t> checkpoint_;
    std::uint64_t since_checkpoint_ = 0, checkpoint_span_ = 1;
    std::optional<SinkConfig> stored_in_;
    std::shared_ptr<StoredIndex> stored_;  // shared by copies of the walk
    RecentNames recent_;
    std::uint64_t empty_run_ = 0;  // consecutive empty pages
    std::optional<std::chrono::steady_clock::time_point> deadline_;
};

// Moves the walk past a listed page; a NextMarker seen before is a fatal protocol failure.
// Drops names the previous page listed already; when resuming, the names already stored
// (counted in stats.stored).
void follow(PageWalk& walk, Page& page, WorkerStats& stats);
// Drops the names a sink already holds from a page, counting them in stats.stored.
void drop_stored(Page& page, StoredIndex& stored, WorkerStats& stats);

}  // namespace billion::client
