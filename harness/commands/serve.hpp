// `billion serve`: the mock server in the foreground until SIGINT or SIGTERM.
#pragma once

#include "mock_server/config.hpp"

namespace billion::harness {

int run_serve(const mock::ServerConfig& options);

}  // namespace billion::harness
