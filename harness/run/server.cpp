// The embedded or remote server (see server.hpp).
#include "harness/run/server.hpp"

#include "harness/common/format.hpp"

namespace billion::harness {

Expected<std::unique_ptr<Server>> Server::embedded(const mock::ServerConfig& config) {
    auto t = std::make_unique<Server>();
    t->config_ = config;
    auto started = EmbeddedServer::start(config);
    if (!started) return started.error();
    t->server_ = std::move(started).value();
    t->known_ = true;
    t->endpoint_ = t->server_->endpoint();
    return t;
}

std::unique_ptr<Server> Server::remote(const client::Endpoint& e) {
    auto t = std::make_unique<Server>();
    t->endpoint_ = e;
    return t;
}

std::unique_ptr<Server> Server::attached(const client::Endpoint& e, const mock::ServerConfig& config,
                                         std::shared_ptr<void> owner) {
    auto t = std::make_unique<Server>();
    t->endpoint_ = e;
    t->config_ = config;
    t->known_ = true;
    t->owner_ = std::move(owner);
    return t;
}

std::string Server::identity() const {
    if (!known_) return endpoint_.url();
    const auto& c = config_.catalog;
    return "embedded:files=" + std::to_string(c.files) + ",page_size=" + std::to_string(c.page_size) +
           ",file_size=" + std::to_string(c.file_size) + ",seed=" + std::to_string(c.seed);
}

std::string Server::describe() const {
    if (!known_) return "server " + endpoint_.url();
    std::string s = (server_ ? "embedded server (pid " + std::to_string(server_->pid()) + ")" : std::string("server")) +
                    " on " + endpoint_.url() + ": " +
                    std::to_string(config_.catalog.files) + " files of " + std::to_string(config_.catalog.file_size) +
                    " bytes";
    if (config_.latency.count())
        s += ", latency " + format_duration(static_cast<double>(config_.latency.count()) / 1e6);
    return s;
}

Expected<client::Endpoint> parse_server_url(const std::string& url) {
    // The clients connect over IPv4 (and the embedded server listens there): an IPv6 literal
    // is refused here, not found unreachable after the run has started.
    if (url.starts_with("http://["))
        return "'" + url + "': IPv6 addresses are not supported; give an IPv4 address or a host name";
    if (auto e = client::parse_url(url)) return *e;
    return "'" + url + "' is not a server URL: http://HOST:PORT, e.g. http://127.0.0.1:8080";
}

}  // namespace billion::harness
