// What went wrong below HTTP, said as what it is: an errno with the remedy when the cause is
// a limit of this machine, and why a connection could not be made.
#pragma once

#include <chrono>
#include <string>

#include "client/http/endpoint.hpp"

namespace billion::client {

// strerror(err) and its name, plus what to do for the limits a run can hit (EMFILE: the
// open-file limit; ENFILE; ENOSPC; EDQUOT).
std::string os_error(int err);

// Why connecting to server fails, found by trying once more with a plain socket: "connection
// refused", "timed out after 2000 ms", "too many open files (EMFILE) ...". Called only after a
// client library reported a failed connection without its cause.
std::string connect_failure(const Endpoint& server, std::chrono::milliseconds timeout);

}  // namespace billion::client
