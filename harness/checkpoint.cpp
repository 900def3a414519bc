// Checkpoints of interrupted runs (see checkpoint.hpp).
#include "checkpoint.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "api.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

fs::path checkpoint_path(const fs::path& run_dir) {
    return run_dir.parent_path() / (run_dir.filename().string() + ".checkpoint.json");
}

bool save_checkpoint(const fs::path& run_dir, const Checkpoint& c) {
    nlohmann::json j = {{"strategy", c.strategy}, {"server", c.server}, {"token", c.token}, {"files_on_disk", c.files_on_disk}};
    // Written whole, then renamed: a checkpoint is never seen half-written either.
    fs::path path = checkpoint_path(run_dir), tmp = path.string() + ".tmp";
    {
        std::ofstream f(tmp);
        f << j.dump(2) << "\n";
        if (!f) return false;
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    return !ec;
}

std::optional<Checkpoint> load_checkpoint(const fs::path& run_dir, std::string& error) {
    fs::path path = checkpoint_path(run_dir);
    std::ifstream f(path);
    if (!f) {
        error = "no checkpoint " + path.string() + " to resume from";
        return std::nullopt;
    }
    auto j = nlohmann::json::parse(f, nullptr, false);
    try {
        return Checkpoint{j.at("strategy").get<std::string>(), j.at("server").get<std::string>(),
                          j.at("token").get<std::string>(), j.at("files_on_disk").get<std::uint64_t>()};
    } catch (const nlohmann::json::exception&) {
        error = "checkpoint " + path.string() + " is damaged; remove it to start over";
        return std::nullopt;
    }
}

std::optional<std::string> first_incomplete_page(const client::Endpoint& server, const client::ClientOptions& options,
                                                 const client::SinkConfig& sink, const std::string& from) {
    client::WorkerStats scratch;
    client::ApiClient api(server, options, scratch);
    client::PageWalk walk;
    walk.start_at(from);
    while (auto token = walk.pending()) {
        auto page = api.next_page(walk);
        if (!page) return token;  // cannot tell: resume from here
        for (const auto& name : page->names)
            if (!client::is_stored(sink, name)) return token;
    }
    return std::nullopt;
}

}  // namespace billion::harness
