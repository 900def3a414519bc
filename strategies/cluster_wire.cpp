// What crosses between billion and its MPI ranks (see cluster_wire.hpp).
#include "strategies/cluster_wire.hpp"

#include "client/processes/ipc.hpp"

#include <boost/algorithm/hex.hpp>
#include <nlohmann/json.hpp>

#include <iterator>
#include <stdexcept>

namespace billion::strategies {

using nlohmann::json;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

std::string job_to_json(const Job& job) {
    const auto& c = job.client;
    json j = {
        {"server", {{"host", job.server.host}, {"port", job.server.port}}},
        {"client",
         {{"connect_timeout_ms", c.connect_timeout.count()},
          {"read_timeout_ms", c.read_timeout.count()},
          {"max_attempts", c.max_attempts},
          {"backoff_base_ms", c.backoff_base.count()},
          {"backoff_cap_ms", c.backoff_cap.count()},
          {"idle_look_ms", c.idle_look.count()},
          {"retry_after_cap_ms", c.retry_after_cap.count()},
          {"max_file_bytes", c.max_file_bytes},
          {"file_size", c.file_size},
          {"any_names", c.names == client::NameRule::any},
          {"cpu_per_request_us", c.cpu_per_request.count()},
          {"urls_file", c.urls_file},
          {"get_prefix", c.get_prefix}}},
        {"sink",
         {{"kind", client::to_string(job.sink.kind)},
          {"dir", job.sink.dir.string()},
          {"file_size", job.sink.file_size},
          {"repair_partial", job.sink.repair_partial},
          {"shard_width", job.sink.shard_width},
          {"ledger", job.sink.ledger.string()}}},
        {"concurrency", job.knobs.concurrency},
        {"pipeline", job.knobs.pipeline},
    };
    if (job.resume_from) j["resume_from"] = *job.resume_from;
    if (c.s3) {
        // The secret key stays out of the job's text: each rank reads it from its environment,
        // which mpirun passes on (credentials_from_env).
        j["s3"] = {{"bucket", c.s3->bucket}, {"prefix", c.s3->prefix}, {"signed", c.s3->credentials.has_value()}};
    }
    if (job.list_until) {
        const auto left = duration_cast<microseconds>(*job.list_until - std::chrono::steady_clock::now());
        j["list_for_us"] = std::max<std::int64_t>(0, left.count());
    }
    return j.dump();
}

Job job_from_json(std::string_view text) {
    try {
        const json j = json::parse(text);
        Job job;
        job.server.host = j.at("server").at("host").get<std::string>();
        job.server.port = j.at("server").at("port").get<std::uint16_t>();
        const auto& c = j.at("client");
        job.client.connect_timeout = milliseconds(c.at("connect_timeout_ms").get<std::int64_t>());
        job.client.read_timeout = milliseconds(c.at("read_timeout_ms").get<std::int64_t>());
        job.client.max_attempts = c.at("max_attempts").get<int>();
        job.client.backoff_base = milliseconds(c.at("backoff_base_ms").get<std::int64_t>());
        job.client.backoff_cap = milliseconds(c.at("backoff_cap_ms").get<std::int64_t>());
        job.client.idle_look = milliseconds(c.at("idle_look_ms").get<std::int64_t>());
        job.client.retry_after_cap = milliseconds(c.at("retry_after_cap_ms").get<std::int64_t>());
        job.client.max_file_bytes = c.at("max_file_bytes").get<std::uint32_t>();
        job.client.file_size = c.at("file_size").get<std::uint32_t>();
        job.client.names = c.at("any_names").get<bool>() ? client::NameRule::any : client::NameRule::contract;
        job.client.cpu_per_request = microseconds(c.at("cpu_per_request_us").get<std::int64_t>());
        job.client.urls_file = c.at("urls_file").get<std::string>();
        job.client.get_prefix = c.at("get_prefix").get<std::string>();
        const auto& s = j.at("sink");
        const auto kind = s.at("kind").get<std::string>();
        if (auto k = client::sink_kind(kind))
            job.sink.kind = *k;
        else
            throw std::runtime_error("unknown sink '" + kind + "'");
        job.sink.dir = s.at("dir").get<std::string>();
        job.sink.file_size = s.at("file_size").get<std::uint32_t>();
        job.sink.names = job.client.names;
        job.sink.repair_partial = s.at("repair_partial").get<bool>();
        job.sink.shard_width = s.at("shard_width").get<std::uint32_t>();
        job.sink.ledger = s.at("ledger").get<std::string>();
        job.knobs.concurrency = j.at("concurrency").get<unsigned>();
        job.knobs.pipeline = j.at("pipeline").get<unsigned>();
        if (j.contains("resume_from")) job.resume_from = j.at("resume_from").get<std::string>();
        if (j.contains("s3")) {
            const auto& b = j.at("s3");
            job.client.s3 = client::ClientConfig::S3{b.at("bucket").get<std::string>(),
                                                     b.at("prefix").get<std::string>(), std::nullopt};
            if (b.at("signed").get<bool>()) {
                job.client.s3->credentials = client::s3::credentials_from_env();
                if (!job.client.s3->credentials)
                    throw std::runtime_error("the job is signed, but this rank has no AWS_ACCESS_KEY_ID and "
                                             "AWS_SECRET_ACCESS_KEY");
            }
        }
        if (j.contains("list_for_us"))
            job.list_until = std::chrono::steady_clock::now() + microseconds(j.at("list_for_us").get<std::int64_t>());
        return job;
    } catch (const json::exception& e) {
        throw std::runtime_error(std::string("not a billion job: ") + e.what());
    }
}

std::string stats_line(const client::WorkerStats& stats) {
    std::string line(kStatsPrefix);
    boost::algorithm::hex_lower(client::as_bytes(stats), std::back_inserter(line));
    return line;
}

bool parse_stats_line(std::string_view line, client::WorkerStats& stats) {
    if (!line.starts_with(kStatsPrefix)) return false;
    std::string bytes;
    try {
        boost::algorithm::unhex(line.substr(kStatsPrefix.size()), std::back_inserter(bytes));
    } catch (const boost::algorithm::hex_decode_error&) {
        return false;  // cut short, or not hex
    }
    return client::from_bytes(bytes, stats);
}

}  // namespace billion::strategies
