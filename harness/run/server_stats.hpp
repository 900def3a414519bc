// Reading a server's /stats (the mock server's extension; other servers may not have it).
#pragma once

#include <optional>

#include "client/client_config.hpp"
#include "client/http/endpoint.hpp"
#include "harness/verify/verify.hpp"

namespace httplib {
class Client;
}

namespace billion::harness {

// How long a /stats read may take: the client's --connect-timeout and --read-timeout, at most
// 2 s each (a small answer on a server that has it; a server that stalls it costs no more).
void bound_stats_timeouts(httplib::Client& http, const client::ClientConfig& client);
// The server's counters now, or nothing if it has no usable /stats.
std::optional<ServerCounts> fetch_server_counts(const client::Endpoint& server, const client::ClientConfig& client);
// The same over a client the caller keeps (a kept-alive connection for repeated reads).
std::optional<ServerCounts> fetch_server_counts(httplib::Client& http);
ServerCounts operator-(const ServerCounts& after, const ServerCounts& before);

}  // namespace billion::harness
