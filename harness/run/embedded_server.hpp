// The embedded server: `billion serve` started as a child process of this executable, in its
// own process group (Ctrl-C reaches the client only), stopped by its PID.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "client/http/endpoint.hpp"
#include "harness/common/expected.hpp"
#include "mock_server/config.hpp"

namespace billion::harness {

// The `billion serve` arguments that reproduce these options.
std::vector<std::string> serve_args(const mock::ServerConfig& o);

class EmbeddedServer {
public:
    // Started and listening, or why not (it did not say "listening on" in time, or could not
    // be started at all).
    static Expected<std::unique_ptr<EmbeddedServer>> start(const mock::ServerConfig& o);
    ~EmbeddedServer();
    EmbeddedServer(const EmbeddedServer&) = delete;
    EmbeddedServer& operator=(const EmbeddedServer&) = delete;

    const client::Endpoint& endpoint() const { return endpoint_; }
    pid_t pid() const { return pid_; }
    // CPU time (user + system) the server has used so far, in seconds.
    double cpu_seconds() const;
    // SIGTERM and wait; idempotent.
    void stop();

private:
    EmbeddedServer() = default;
    pid_t pid_ = -1;
    client::Endpoint endpoint_;
};

}  // namespace billion::harness
