// The command line's values through CLI11 (see flags.hpp).
#include "harness/commands/flags.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "harness/common/units.hpp"

namespace billion::harness {

namespace {
// A CLI11 transform from a parser: the option receives the parsed number as text.
template <class Parse>
CLI::Validator transform_with(Parse parse, const char* name) {
    return CLI::Validator(
        [parse](std::string& in) -> std::string {
            auto value = parse(in);
            if (!value) return value.error();
            in = std::to_string(value.value());
            return {};
        },
        name);
}
}  // namespace

CLI::Validator count_units() {
    return transform_with(parse_count, "COUNT");
}

CLI::Validator positive() {
    return CLI::Validator(
        [](const std::string& in) -> std::string { return in == "0" ? "must be at least 1" : std::string(); }, "");
}

CLI::Validator whole_number() {
    return CLI::Validator(
        [](const std::string& in) -> std::string {
            std::uint64_t v = 0;
            const auto [end, ec] = std::from_chars(in.data(), in.data() + in.size(), v);
            if (in.empty() || ec != std::errc() || end != in.data() + in.size())
                return "'" + in + "' is not a whole number from 0 to 18446744073709551615";
            return {};
        },
        "");
}

CLI::Validator rate() {
    return CLI::Validator(
        [](const std::string& in) -> std::string {
            char* end = nullptr;
            const double v = std::strtod(in.c_str(), &end);
            // NaN compares false with everything, so a range check alone lets it through.
            if (in.empty() || end != in.c_str() + in.size() || !std::isfinite(v) || v < 0 || v > 1)
                return "'" + in + "' is not a rate: a number from 0 to 1";
            return {};
        },
        "RATE");
}

CLI::Validator non_empty(const std::string& what) {
    return CLI::Validator(
        [what](const std::string& in) -> std::string {
            return in.empty() ? "an empty " + what + " (check for empty quotes)" : std::string();
        },
        "");
}

CLI::Validator duration_units() {
    return transform_with(parse_duration_us, "DURATION");
}

CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& help) {
    return app
        .add_option_function<std::int64_t>(
            name, [&target](std::int64_t us) { target = std::chrono::microseconds(us); }, help)
        ->transform(duration_units())
        ->default_str(std::to_string(target.count()) + "us");
}

}  // namespace billion::harness
