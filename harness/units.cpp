// Suffix parsing through CLI11's AsNumberWithUnit, and human-readable durations.
#include "harness/units.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace billion::harness {

std::optional<std::uint64_t> parse_count(std::string_view text, std::string& error) {
    const std::string shown(text);
    // Digits, an optional fraction, an optional suffix: nothing else (no sign, no spaces, no
    // hex, no exponent), so "-5" cannot wrap into 18 quintillion files.
    static const std::map<std::string_view, std::uint64_t> units = {
        {"", 1}, {"k", 1000}, {"M", 1000000}, {"G", 1000000000}};
    std::size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
        ++digits;
    const std::string number(text.substr(0, digits));
    auto u = units.find(text.substr(digits));
    char* end = nullptr;
    const double value = number.empty() || number == "." ? -1 : std::strtod(number.c_str(), &end);
    if (value < 0 || end != number.c_str() + number.size() || u == units.end() ||
        std::count(number.begin(), number.end(), '.') > 1) {
        error = "'" + shown + "' is not a count: a whole number, optionally with k, M or G (10k, 1.5M, 1G)";
        return std::nullopt;
    }
    const double n = value * static_cast<double>(u->second);
    if (n > 1e18 || n != std::floor(n)) {
        error = "'" + shown + (n > 1e18 ? "' is too large a count" : "' is not a whole count");
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(n);
}

namespace {
// A CLI11 transform from a parser: the option receives the parsed number as text.
template <class Parse>
CLI::Validator transform_with(Parse parse, const char* name) {
    return CLI::Validator(
        [parse](std::string& in) -> std::string {
            std::string error;
            auto value = parse(in, error);
            if (!value) return error;
            in = std::to_string(*value);
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

std::optional<std::int64_t> parse_duration_us(std::string_view text, std::string& error) {
    const std::string shown(text);
    if (text.starts_with('-')) {
        error = "a duration cannot be negative ('" + shown + "')";
        return std::nullopt;
    }
    if (text == "0") return 0;  // zero needs no unit
    std::size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
        ++digits;
    const std::string number(text.substr(0, digits));
    const std::string_view unit = text.substr(digits);
    static const std::map<std::string_view, double> units = {{"us", 1}, {"ms", 1e3}, {"s", 1e6}, {"min", 60e6}};
    auto u = units.find(unit);
    char* end = nullptr;
    const double value = number.empty() ? 0 : std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || u == units.end()) {
        error = "'" + shown + "' is not a duration: a number and a unit (us, ms, s, min), e.g. 500us, 1.5ms, 2s";
        return std::nullopt;
    }
    const double us = value * u->second;
    if (us > 1e15) {
        error = "'" + shown + "' is too long a duration";
        return std::nullopt;
    }
    return std::llround(us);
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

std::string format_duration(double s) {
    if (s < 0) return "-" + format_duration(-s);  // a fitted fixed cost can come out negative
    char buf[64];
    if (s < 1e-3)
        std::snprintf(buf, sizeof buf, "%.1f us", s * 1e6);
    else if (s < 1)
        std::snprintf(buf, sizeof buf, "%.3f ms", s * 1e3);
    else if (s < 120)
        std::snprintf(buf, sizeof buf, "%.2f s", s);
    else if (s < 2 * 3600)
        std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
    else if (s < 2 * 86400)
        std::snprintf(buf, sizeof buf, "%.1f hours", s / 3600);
    else
        std::snprintf(buf, sizeof buf, "%.1f days", s / 86400);
    return buf;
}

std::string compact_duration(std::int64_t us) {
    if (us == 0) return "0";
    auto shown = [](double v, const char* unit) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g%s", v, unit);
        return std::string(buf);
    };
    if (us >= 1000000) return shown(static_cast<double>(us) / 1e6, "s");
    if (us >= 1000) return shown(static_cast<double>(us) / 1e3, "ms");
    return shown(static_cast<double>(us), "us");
}

std::string grouped(std::uint64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

}  // namespace billion::harness
