// The server a run downloads from: the embedded one (started here, a child process) or any
// server of the API given by --url.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "client/http/endpoint.hpp"
#include "harness/common/expected.hpp"
#include "harness/run/embedded_server.hpp"
#include "harness/verify/verify.hpp"
#include "mock_server/config.hpp"

namespace billion::harness {

class Server {
public:
    // The embedded server started with config, or why it could not start.
    static Expected<std::unique_ptr<Server>> embedded(const mock::ServerConfig& config);
    static std::unique_ptr<Server> remote(const client::Endpoint& e);
    // A mock server someone else started with config (a test's, in its own process), kept
    // alive by `owner` as long as this: runs are verified against its catalog, as embedded.
    static std::unique_ptr<Server> attached(const client::Endpoint& e, const mock::ServerConfig& config,
                                            std::shared_ptr<void> owner);

    const client::Endpoint& endpoint() const { return endpoint_; }
    const mock::Catalog* catalog() const { return known_ ? &config_.catalog : nullptr; }
    const mock::ServerConfig* config() const { return known_ ? &config_ : nullptr; }
    EmbeddedServer* embedded_server() const { return server_.get(); }
    // The catalog's digests, kept for the runs against it; none for --url.
    CatalogDigests* digests() { return known_ ? &digests_ : nullptr; }
    // What the files come from, for a checkpoint: the URL, or the embedded catalog's settings
    // (a resume must not mix two catalogs).
    std::string identity() const;
    // One line for stderr: where it runs and what it serves.
    std::string describe() const;

private:
    client::Endpoint endpoint_;
    mock::ServerConfig config_;
    bool known_ = false;  // its catalog is config_'s (embedded or attached)
    std::unique_ptr<EmbeddedServer> server_;
    std::shared_ptr<void> owner_;  // attached: what keeps it running
    CatalogDigests digests_;
};

// --url checked: the endpoint, or the one-line error.
Expected<client::Endpoint> parse_server_url(const std::string& url);

}  // namespace billion::harness
