// The blocking API client (cpp-httplib): one keep-alive connection, list and get with retries.
// Used by the synchronous, thread-pool and multi-process strategies.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "client/http/endpoint.hpp"
#include "client/http/listing.hpp"
#include "client/http/page.hpp"
#include "client/http/retry.hpp"
#include "client/stats.hpp"

namespace httplib {
class Client;
}

namespace billion::client {

class ApiClient {
public:
    ApiClient(const Endpoint& server, const ClientConfig& options, WorkerStats& stats);
    ~ApiClient();
    // The page a token points at ("" for the first). Nothing when it cannot be had: the
    // failure is counted in stats, as fatal (the listing cannot go on).
    std::optional<Page> list(const std::string& token);
    // The next page of a walk, or nothing when the listing is over (done, or failed: counted).
    std::optional<Page> next_page(PageWalk& walk);
    // The bytes of a file. Nothing when it cannot be had: the failure is counted in stats.
    std::optional<std::string> get(const std::string& name);

private:
    Exchange exchange(const std::string& target);
    std::unique_ptr<httplib::Client> http_;
    Endpoint server_;
    RetryPolicy policy_;
    WorkerStats& stats_;
};

}  // namespace billion::client
