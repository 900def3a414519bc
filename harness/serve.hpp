// `billion serve`: the mock server in the foreground until SIGINT or SIGTERM.
#pragma once

#include "mock_server/options.hpp"

namespace billion::harness {

int run_serve(const mock::Options& options);

}  // namespace billion::harness
