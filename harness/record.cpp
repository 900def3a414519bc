// Rates of a run (see record.hpp).
#include "harness/record.hpp"

namespace billion::harness {

double RunRecord::per_request_s() const {
    auto files = result.stats.files;
    return files ? wall_s / static_cast<double>(files) : 0;
}

double RunRecord::files_per_s() const {
    return wall_s > 0 ? static_cast<double>(result.stats.files) / wall_s : 0;
}

}  // namespace billion::harness
