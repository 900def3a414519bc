// Page reading and token-chain bookkeeping (see listing.hpp).
#include "client/http/listing.hpp"

#include "client/http/url_list.hpp"
#include "client/s3/bucket.hpp"
#include "client/s3/list_page.hpp"

#include "client/hash.hpp"
#include "client/sinks/stored.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace billion::client {

namespace {

// The positions of names seen earlier on the same page. Sorted hashes rather than a hash set:
// no allocation a name, and the token chain waits for this on every page.
std::vector<std::size_t> repeats_on_page(const std::vector<std::string>& names) {
    std::vector<std::pair<std::uint64_t, std::size_t>> keyed;  // (hash, position)
    keyed.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        keyed.emplace_back(hash64(names[i]), i);
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::size_t> repeated;
    for (std::size_t run = 0, end = 0; run < keyed.size(); run = end) {
        for (end = run + 1; end < keyed.size() && keyed[end].first == keyed[run].first; ++end) {
        }
        // Equal hashes: a later name equal to an earlier one in the run is a repeat.
        for (std::size_t j = run + 1; j < end; ++j)
            for (std::size_t k = run; k < j; ++k)
                if (names[keyed[j].second] == names[keyed[k].second]) {
                    repeated.push_back(keyed[j].second);
                    break;
                }
    }
    std::sort(repeated.begin(), repeated.end());
    return repeated;
}

}  // namespace

namespace {

// A page's names counted: a name twice on one page refused (cheap to see: the page is at
// hand; a name repeated on the next page is refused by RecentNames, one further back by the
// files sink, which never overwrites, or by verification), valid names into stats.listed,
// refused names as protocol failures.
void count_page(Page& page, WorkerStats& stats) {
    std::vector<std::size_t> repeated = repeats_on_page(page.names);
    for (auto i = repeated.rbegin(); i != repeated.rend(); ++i) {
        stats.fail(Stage::protocol, "server listed '" + escape(page.names[*i]) + "' twice on one page");
        page.names.erase(page.names.begin() + static_cast<std::ptrdiff_t>(*i));
    }
    ++stats.pages;
    for (const auto& n : page.names)
        stats.listed.add_name(n);
    for (std::size_t i = 0; i < page.rejected; ++i)
        stats.fail(Stage::protocol, "server listed an invalid file name '" + page.first_rejected + "'");
}

}  // namespace

Expected<Page> read_page(const Exchange& e, WorkerStats& stats, NameRule rule, const MarkerSeen& seen) {
    auto parsed = parse_page(e.body, rule, seen);
    if (parsed) count_page(parsed.value(), stats);
    return parsed;
}

Expected<Page> read_bucket_page(const Exchange& e, const ClientConfig::S3& bucket, WorkerStats& stats, NameRule rule,
                                const MarkerSeen& seen) {
    auto parsed = s3::parse_list_page(e.body, bucket.prefix, rule, seen);
    if (parsed) count_page(parsed.value(), stats);
    return parsed;
}

std::string page_target(const ClientConfig& options, std::string_view token) {
    if (options.s3) return s3::list_target(options.s3->bucket, options.s3->prefix, token);
    return list_target(token);
}

std::optional<Page> list_urls(const ClientConfig& options, const std::string& token, WorkerStats& stats) {
    auto page = read_url_page(options.urls_file, token, options.names);
    if (!page) {
        stats.fail(Stage::list, page.error(), true);
        return std::nullopt;
    }
    count_page(page.value(), stats);
    return std::move(page).value();
}

Verdict judge_list_answer(RetryPolicy& policy, Exchange& e, int attempt, WorkerStats& stats, std::optional<Page>& page,
                          const MarkerSeen& seen) {
    Verdict v = policy.judge(e, attempt, Stage::list);
    if (v.kind != Verdict::Kind::ok) return v;
    const auto& o = policy.options();
    auto read = o.s3 ? read_bucket_page(e, *o.s3, stats, o.names, seen) : read_page(e, stats, o.names, seen);
    if (read) {
        page = std::move(read).value();
        return v;
    }
    e.transport = Exchange::Transport::truncated;
    e.detail = read.error();
    v = policy.judge(e, attempt, Stage::list);
    if (v.kind == Verdict::Kind::give_up) v.stage = Stage::protocol, v.message = read.error();
    return v;
}

Expected<void> PageWalk::advance(const std::optional<std::string>& next) {
    if (!next) {
        pending_.reset();
        return outcome::success();
    }
    const std::uint64_t h = hash64(*next);
    const bool repeated = recent_tokens_.contains(h) || checkpoint_ == h;
    if (!repeated) {
        recent_tokens_.insert(h);
        recent_order_.push_back(h);
        if (recent_order_.size() > kRecentTokens) {
            recent_tokens_.erase(recent_order_.front());
            recent_order_.pop_front();
        }
        if (++since_checkpoint_ == checkpoint_span_) {  // Brent: a new checkpoint, twice as far on
            checkpoint_ = h;
            checkpoint_span_ *= 2;
            since_checkpoint_ = 0;
        }
    }
    if (repeated || next->empty()) {
        pending_.reset();
        return "NextMarker '" + escape(*next) + "' repeats an earlier one (the listing loops)";
    }
    pending_ = next;
    return outcome::success();
}

void RecentNames::drop_repeats(Page& page, WorkerStats& stats) {
    std::erase_if(page.names, [&](const std::string& name) {
        if (!last_.contains(hash64(name))) return false;
        stats.fail(Stage::protocol, "name listed twice (on this page and the one before): '" + name + "'");
        stats.listed.remove_name(name);
        return true;
    });
    last_.clear();
    for (const auto& name : page.names)
        last_.insert(hash64(name));
}

StoredIndex* PageWalk::stored() {
    if (!stored_in_) return nullptr;
    if (!stored_) stored_ = std::make_shared<StoredIndex>(*stored_in_);
    return stored_.get();
}

void drop_stored(Page& page, StoredIndex& stored, WorkerStats& stats) {
    std::erase_if(page.names, [&](const std::string& name) {
        if (!stored.has(name)) return false;
        stats.stored.add_name(name);
        return true;
    });
}

void follow(PageWalk& walk, Page& page, WorkerStats& stats) {
    if (auto moved = walk.advance(page.next); !moved) stats.fail(Stage::protocol, moved.error(), true);
    if (!walk.note_size(page.names.size() + page.rejected)) {
        stats.fail(Stage::protocol,
                   std::to_string(PageWalk::kMaxEmptyRun) + " empty pages in a row (the listing does not end)", true);
        walk.stop();
    }
    walk.recent().drop_repeats(page, stats);
    if (auto* stored = walk.stored()) drop_stored(page, *stored, stats);
}

}  // namespace billion::client
