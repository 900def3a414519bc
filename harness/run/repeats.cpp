// The repeat rule (see repeats.hpp).
#include "harness/run/repeats.hpp"

#include <algorithm>

#include "client/check.hpp"
#include "harness/report/statistics.hpp"

namespace billion::harness {

namespace {
double budget_s(const RepeatRule& rule) {
    return std::chrono::duration<double>(rule.budget).count();
}
}  // namespace

bool first_is_warmup(const RepeatRule& rule, double wall_s) {
    if (!rule.warmup) return false;
    return rule.repeat > 1 || (rule.repeat == 0 && wall_s < budget_s(rule) / 10);
}

bool wants_another(const RepeatRule& rule, const std::vector<double>& per_file, double elapsed_s) {
    const int runs = static_cast<int>(per_file.size());
    if (rule.repeat > 0) return runs < rule.repeat;
    if (runs == 0) return true;
    if (runs >= kMaxAutoRuns || elapsed_s >= budget_s(rule)) return false;
    if (runs < kMinAutoRuns) return true;
    std::vector<double> sorted = per_file;
    std::sort(sorted.begin(), sorted.end());
    return relative_half_width(median_interval(per_file), sorted[sorted.size() / 2]) > rule.precision;
}

std::chrono::microseconds spread_offset(const RepeatRule& rule, int k) {
    if (rule.spread.count() <= 0 || k <= 0) return std::chrono::microseconds{0};
    BILLION_CHECK(rule.repeat >= 2);  // the session refuses --spread with fewer runs
    return rule.spread * std::min(k, rule.repeat - 1) / (rule.repeat - 1);
}

}  // namespace billion::harness
