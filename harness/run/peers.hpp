// Peers as rows of the table. What a user would pick instead of writing code: billion lists
// the pages (the tools do not know the API), then aria2c or curl downloads the same files
// from the same server into the same sharded tree, and the tree is verified like ours. And
// the talk's own five programs in Python (python/), which walk the API themselves.
#pragma once

#include <string>
#include <vector>

#include "strategies/strategy.hpp"

namespace billion::harness {

// The Python peers, in the talk's order; `--peers python` names them all.
inline const std::vector<std::string> kPythonPeers = {"python-sync", "python-threads", "python-processes",
                                                      "python-asyncio", "python-combo"};
// The S3 tools, which download a bucket (--s3, --api s3); `--peers s3` names them all.
inline const std::vector<std::string> kS3Peers = {"aws", "rclone", "s3cmd", "boto3"};

// A peer presented as a strategy (its run writes under job.sink.dir, which must be a files
// sink); nullptr for another name.
const strategies::Strategy* find_peer(const std::string& name);
// The peers a --peers list names, "python" and "s3" spelled out.
std::vector<std::string> expand_peers(const std::vector<std::string>& names);

}  // namespace billion::harness
