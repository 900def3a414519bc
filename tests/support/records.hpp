// A run record as a verified sync run of 1,000 files in 0.5 s would leave: what the report
// tests format, summarise and save.
#pragma once

#include "harness/report/run_record.hpp"

namespace billion::testkit {

inline harness::RunRecord sample_record() {
    harness::RunRecord r;
    r.strategy = "sync";
    r.model = "one thread";
    r.result.stats.files = 1000;
    r.result.stats.latency.record(50000);
    r.wall_s = 0.5;
    r.server_cpu_s = 0.1;
    r.server = harness::ServerCounts{1000, 1, 1000, 1};
    r.verification.add("each listed file received once", true, "listed 1000, received 1000");
    return r;
}

}  // namespace billion::testkit
