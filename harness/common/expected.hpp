// The harness's error values are the client's (client/expected.hpp): only a command prints
// them and chooses the exit status.
#pragma once

#include "client/expected.hpp"

namespace billion::harness {

namespace outcome = client::outcome;
using client::Expected;
using client::ExpectedOr;
using client::Failure;

}  // namespace billion::harness
