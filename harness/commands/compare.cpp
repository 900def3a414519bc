// `billion compare` (see compare.hpp): sizes x strategies as cells of one session.
#include "harness/commands/compare.hpp"

#include <algorithm>
#include <iostream>

#include "harness/common/exit_codes.hpp"
#include "harness/common/format.hpp"
#include "harness/run/peers.hpp"

namespace billion::harness {

namespace {
// "--pipeline (a knob of async, combo, cluster)", for each flag given that nothing chosen uses.
std::string ignored_flags(const CompareSettings& s, const std::vector<const strategies::Strategy*>& chosen) {
    std::string out;
    for (const auto& flag : s.given) {
        std::string why;
        if (flag == "keep") {
            if (s.run.sink != client::SinkConfig::Kind::null) continue;
            why = "the null sink writes nothing to keep";
        } else {
            if (std::any_of(chosen.begin(), chosen.end(), [&](const auto* st) { return strategies::has_knob(*st, flag); }))
                continue;
            why = "a knob of " + strategies::knob_owners(flag);
        }
        out += (out.empty() ? "--" : "; --") + flag + " (" + why + ")";
    }
    return out;
}
}  // namespace

int run_compare(const CompareSettings& s) {
    // "none": the peers alone (the talk's programs in Python, say).
    const bool none = s.strategies == std::vector<std::string>{"none"};
    if (none && s.peers.empty()) {
        return usage("--strategies none runs the --peers alone: name some");
    }
    auto chosen = find_strategies(none ? std::vector<std::string>{} : s.strategies);
    if (!chosen) return usage(chosen.error());
    const std::vector<std::string> names = names_of(chosen.value());
    for (const auto& p : expand_peers(s.peers)) {
        auto peer = find_strategies({p}, true);
        if (!peer || strategies::find(p)) {
            return usage("unknown peer '" + p +
                         "' (known: aria2c, curl, python-sync, python-threads, python-processes, python-asyncio, "
                         "python-combo, python; on a bucket aws, rclone, s3cmd, boto3, s3)");
        }
        if (!s.run.urls.empty() && p.starts_with("python-")) {
            return usage("--urls: the Python programs walk the API's listing (no --peers " + p + ")");
        }
        const bool s3_tool = std::find(kS3Peers.begin(), kS3Peers.end(), p) != kS3Peers.end();
        const auto& bucket = s.client.s3;
        if (s3_tool && !bucket) return usage("--peers " + p + " downloads a bucket: give --s3 URL or --api s3");
        if (bucket && p == "s3cmd" && !bucket->credentials)
            return usage("--peers s3cmd signs every request: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        if (bucket && s3_tool && !bucket->prefix.empty() && !bucket->prefix.ends_with('/'))
            return usage("--peers " + p + ": the tools copy a bucket's folder: a --s3 prefix that ends with /");
        if (bucket && !s3_tool && (p.starts_with("python-") || bucket->credentials))
            return usage("--peers " + p + " does not speak S3" +
                         (p.starts_with("python-") ? "" : " with signatures (unset AWS_ACCESS_KEY_ID to run it anonymously)"));
        chosen.value().push_back(peer.value().front());
    }
    if (s.resume && (s.run.sink == client::SinkConfig::Kind::null || s.run.out.empty() || s.run.repeats.repeat > 1 ||
                     s.sizes.size() > 1 || !s.peers.empty())) {
        return usage("--resume continues one files or sqlite run: it needs --sink files|sqlite --out DIR, "
                     "and no --repeat, --sizes or --peers");
    }

    if (s.resume && !s.run.checkpoint) {
        return usage("--resume goes on from a checkpoint and keeps it: no --checkpoint off");
    }
    if (s.run.max_time.count() > 0 && !s.peers.empty()) {
        return usage("--max-time caps billion's own strategies; the peers list every file first (no --peers)");
    }
    if (s.url && (s.latencies.size() > 1 || s.latencies.front().count() != 0)) {
        return usage("--latency needs the embedded server (no --url)");
    }
    if (const auto ignored = ignored_flags(s, chosen.value()); !ignored.empty())
        std::cerr << "billion: ignored, as no strategy chosen uses it: " << ignored << "\n";

    // One embedded server per latency and size (its catalog and latency are fixed), every
    // strategy on each. Several latencies: each row says its own.
    Session session{.url = s.url, .client = s.client, .run = s.run, .resume = s.resume, .fit_sizes = true};
    const std::vector<std::uint64_t> sizes = s.url ? std::vector<std::uint64_t>{0} : s.sizes;
    const bool grid = s.latencies.size() > 1;
    for (auto latency : s.latencies) {
        const std::string lat = compact_duration(latency.count());
        for (auto size : sizes) {
            mock::ServerConfig server = s.server;
            server.catalog.files = size;
            server.latency = latency;
            for (const auto* st : chosen.value())
                session.cells.push_back({.strategy = st,
                                         .knobs = s.knobs,
                                         .server = server,
                                         .label = grid ? "latency=" + lat : "",
                                         .dir_name = st->name + (sizes.size() > 1 ? "-n" + std::to_string(size) : "") +
                                                     (grid ? "-lat" + lat : "")});
        }
    }
    nlohmann::json lats = nlohmann::json::array();
    for (auto l : s.latencies)
        lats.push_back(l.count());
    session.settings = {{"command", "compare"}, {"strategies", names}, {"sizes", sizes}, {"latencies_us", lats}};
    return run_session(session);
}

}  // namespace billion::harness
