// Counts and durations with suffixes (see units.hpp).
#include "harness/common/units.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>

namespace billion::harness {

Expected<std::uint64_t> parse_count(std::string_view text) {
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
        std::count(number.begin(), number.end(), '.') > 1)
        return "'" + shown + "' is not a count: a whole number, optionally with k, M or G (10k, 1.5M, 1G)";
    const double n = value * static_cast<double>(u->second);
    if (n > 1e18 || n != std::floor(n))
        return "'" + shown + (n > 1e18 ? "' is too large a count" : "' is not a whole count");
    return static_cast<std::uint64_t>(n);
}

Expected<std::int64_t> parse_duration_us(std::string_view text) {
    const std::string shown(text);
    if (text.starts_with('-'))
        return "a duration cannot be negative ('" + shown + "')";
    if (text == "0") return std::int64_t{0};  // zero needs no unit
    std::size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
        ++digits;
    const std::string number(text.substr(0, digits));
    const std::string_view unit = text.substr(digits);
    static const std::map<std::string_view, double> units = {{"us", 1}, {"ms", 1e3}, {"s", 1e6}, {"min", 60e6}};
    auto u = units.find(unit);
    char* end = nullptr;
    const double value = number.empty() ? 0 : std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || u == units.end())
        return "'" + shown + "' is not a duration: a number and a unit (us, ms, s, min), e.g. 500us, 1.5ms, 2s";
    const double us = value * u->second;
    if (us > 1e15)
        return "'" + shown + "' is too long a duration";
    return static_cast<std::int64_t>(std::llround(us));
}

}  // namespace billion::harness
