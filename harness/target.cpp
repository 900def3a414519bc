// The embedded or remote server (see target.hpp).
#include "harness/target.hpp"

#include "harness/units.hpp"

namespace billion::harness {

Expected<std::unique_ptr<Target>> Target::embedded(const mock::ServerConfig& config) {
    auto t = std::make_unique<Target>();
    t->config_ = config;
    try {
        t->server_ = std::make_unique<EmbeddedServer>(config);
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
    t->endpoint_ = t->server_->endpoint();
    return t;
}

std::unique_ptr<Target> Target::remote(const client::Endpoint& e) {
    auto t = std::make_unique<Target>();
    t->endpoint_ = e;
    return t;
}

std::string Target::identity() const {
    if (!server_) return endpoint_.url();
    const auto& c = config_.catalog;
    return "embedded:files=" + std::to_string(c.files) + ",page_size=" + std::to_string(c.page_size) +
           ",file_size=" + std::to_string(c.file_size) + ",seed=" + std::to_string(c.seed);
}

std::string Target::describe() const {
    if (!server_) return "server " + endpoint_.url();
    std::string s = "embedded server (pid " + std::to_string(server_->pid()) + ") on " + endpoint_.url() + ": " +
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
