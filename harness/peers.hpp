// Peers as rows of the table: what a user would pick instead of writing code. billion lists
// the pages (the tools do not know the API), then aria2c or curl downloads the same files
// from the same server into the same sharded tree, and the tree is verified like ours.
#pragma once

#include <string>

#include "strategies/strategy.hpp"

namespace billion::harness {

// aria2c or curl, presented as a strategy (its run writes under options.sink.dir, which
// must be a files sink); nullptr for another name.
const strategies::Strategy* find_peer(const std::string& name);

}  // namespace billion::harness
