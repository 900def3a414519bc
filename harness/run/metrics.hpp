// What a run costs this process: CPU time (its own and that of its reaped worker processes).
// Peak memory is client/processes/ipc.hpp's (own_peak_rss_kb), the server's CPU embedded_server.hpp's.
#pragma once

namespace billion::harness {

// User + system seconds of this process and of every child it has reaped.
double cpu_seconds();

}  // namespace billion::harness
