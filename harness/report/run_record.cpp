// Rates of a run (see run_record.hpp).
#include "harness/report/run_record.hpp"

namespace billion::harness {

double RunRecord::per_file_overall_s() const {
    auto files = result.stats.files;
    return files ? wall_s / static_cast<double>(files) : 0;
}

double RunRecord::per_file_s() const {
    return steady ? steady->per_file_s : per_file_overall_s();
}

double RunRecord::startup_s() const {
    return steady ? steady->startup_s : 0;
}

double RunRecord::projected_1e9_s() const {
    return result.stats.files ? startup_s() + kBillion * per_file_s() : 0;
}

double RunRecord::files_per_s() const {
    return wall_s > 0 ? static_cast<double>(result.stats.files) / wall_s : 0;
}

}  // namespace billion::harness
