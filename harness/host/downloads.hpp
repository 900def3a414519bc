// Where the files sink writes: a base directory (--out, or a temporary one on tmpfs), one
// subdirectory per run, refused when it holds anything already.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "client/sinks/sink.hpp"
#include "harness/common/expected.hpp"

namespace billion::harness {

// Checks a --out directory before anything runs: refused when it holds anything (a run never
// mixes with earlier files) unless resuming, or when it cannot be created or written.
Expected<void> check_out_dir(const std::filesystem::path& dir, bool resume);
// Checks a --json path before anything runs: its directory exists and can be written, and the
// file, when it exists, is a regular file that can be.
Expected<void> check_json_path(const std::filesystem::path& file);

class Downloads {
public:
    // kind null: nothing. Empty dir: a temporary directory on tmpfs when there is one.
    static Expected<std::unique_ptr<Downloads>> open(client::SinkConfig::Kind kind, const std::string& dir, bool keep);
    ~Downloads();
    // A fresh, empty directory for one run; refuses a non-empty one unless resuming into it.
    Expected<client::SinkConfig> sink_for(const std::string& run_name, bool resume = false);
    // Called after verification: a temporary run directory is removed.
    void done_with(const client::SinkConfig& sink);
    std::string describe() const;  // for the JSON: where files went
    bool kept() const { return !temporary_ && !base_.empty(); }
    const std::filesystem::path& base() const { return base_; }

private:
    client::SinkConfig::Kind kind_ = client::SinkConfig::Kind::null;
    std::filesystem::path base_;
    bool temporary_ = false;
};

}  // namespace billion::harness
