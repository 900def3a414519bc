// Reading a server's /stats (the mock server's extension; other servers may not have it).
#pragma once

#include <optional>

#include "client/http/endpoint.hpp"
#include "harness/verify.hpp"

namespace httplib {
class Client;
}

namespace billion::harness {

// The server's counters now, or nothing if it has no usable /stats.
std::optional<ServerCounts> fetch_server_counts(const client::Endpoint& server);
// The same over a client the caller keeps (a kept-alive connection for repeated reads).
std::optional<ServerCounts> fetch_server_counts(httplib::Client& http);
ServerCounts operator-(const ServerCounts& after, const ServerCounts& before);

}  // namespace billion::harness
