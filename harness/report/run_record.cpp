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

std::optional<TokenChain> RunRecord::token_chain() const {
    const auto& s = result.stats;
    if (s.chain_steps == 0) return std::nullopt;
    TokenChain c;
    c.steps = s.chain_steps;
    c.step_s = static_cast<double>(s.chain_step_ns) / static_cast<double>(s.chain_steps) / 1e9;
    c.files_per_page = s.pages ? static_cast<double>(s.listed.count) / static_cast<double>(s.pages) : 0;
    c.ceiling_files_per_s = c.step_s > 0 ? c.files_per_page / c.step_s : 0;
    c.busy = wall_s > 0 ? static_cast<double>(c.steps) * c.step_s / wall_s : 0;
    return c;
}

}  // namespace billion::harness
