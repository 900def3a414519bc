// Reading /stats over cpp-httplib (see server_stats.hpp).
#include "harness/run/server_stats.hpp"

#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace billion::harness {

void bound_stats_timeouts(httplib::Client& http, const client::ClientConfig& client) {
    constexpr std::chrono::milliseconds kAtMost{2000};
    http.set_connection_timeout(std::min(client.connect_timeout, kAtMost));
    http.set_read_timeout(std::min(client.read_timeout, kAtMost));
}

std::optional<ServerCounts> fetch_server_counts(const client::Endpoint& server, const client::ClientConfig& client) {
    httplib::Client http(server.host, server.port);
    bound_stats_timeouts(http, client);
    return fetch_server_counts(http);
}

std::optional<ServerCounts> fetch_server_counts(httplib::Client& http) {
    auto res = http.Get("/stats");
    if (!res || res->status != 200) return std::nullopt;
    auto j = nlohmann::json::parse(res->body, nullptr, false);
    try {
        ServerCounts c;
        c.get_ok = j.at("get_ok").get<std::uint64_t>();
        c.list_requests = j.at("requests").at("list").get<std::uint64_t>();
        c.get_requests = j.at("requests").at("get").get<std::uint64_t>();
        c.connections = j.at("connections_accepted").get<std::uint64_t>();
        return c;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // not the mock server's shape: nothing to cross-check
    }
}

ServerCounts operator-(const ServerCounts& a, const ServerCounts& b) {
    // The /stats request itself opened a connection; it is not the strategy's.
    return {a.get_ok - b.get_ok, a.list_requests - b.list_requests, a.get_requests - b.get_requests,
            a.connections - b.connections - 1};
}

}  // namespace billion::harness
