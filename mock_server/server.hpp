// The mock file server: Boost.Beast over one io_context per thread, implementing docs/API.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "mock_server/config.hpp"

namespace billion::mock {

class Server {
public:
    // Binds at once (so port() is known before run()); throws std::runtime_error on failure.
    explicit Server(const ServerConfig& options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const;
    // Serves on options.threads threads (this one among them) until stop().
    void run();
    // Thread-safe: stops accepting and ends every loop.
    void stop();
    // The /stats document.
    std::string stats_json() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace billion::mock
