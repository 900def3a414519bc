// The deterministic catalog: names, contents and page tokens (rules in catalog.hpp).
#include "mock_server/catalog.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>

namespace billion::mock {

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

namespace {
constexpr std::string_view kPrefix = "file-";
constexpr std::string_view kSuffix = ".bin";
constexpr std::size_t kDigits = 10;

std::uint64_t tag(std::uint64_t offset, const Catalog& c) {
    // A keyed hash of everything that makes a token valid: catalog shape and seed.
    std::uint64_t h = splitmix64(c.seed ^ 0x746f6b656e6b6579ull);
    h = splitmix64(h ^ c.files);
    h = splitmix64(h ^ c.page_size);
    return splitmix64(h ^ offset);
}

template <class T>
std::optional<T> parse_hex(std::string_view s) {
    T v{};
    if (s.empty() || s.size() > 16) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}
}  // namespace

std::string Catalog::name(std::uint64_t index) const {
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "file-%010llu.bin", static_cast<unsigned long long>(index));
    return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::uint64_t> Catalog::index_of(std::string_view name) const {
    if (name.size() != kPrefix.size() + kDigits + kSuffix.size()) return std::nullopt;
    if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return std::nullopt;
    auto digits = name.substr(kPrefix.size(), kDigits);
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, 10);
    if (ec != std::errc{} || p != digits.data() + digits.size() || v >= files) return std::nullopt;
    return v;
}

void Catalog::fill(std::uint64_t index, std::span<char> out) const {
    const std::uint64_t base = seed ^ (index * 0x9E3779B97F4A7C15ull);
    std::size_t pos = 0;
    for (std::uint64_t k = 0; pos < out.size(); ++k) {
        std::uint64_t w = splitmix64(base + k);
        unsigned char bytes[8];
        for (int b = 0; b < 8; ++b)
            bytes[b] = static_cast<unsigned char>(w >> (8 * b));
        std::size_t n = std::min<std::size_t>(8, out.size() - pos);
        std::memcpy(out.data() + pos, bytes, n);
        pos += n;
    }
}

std::string Catalog::content(std::uint64_t index) const {
    std::string s(file_size, '\0');
    fill(index, s);
    return s;
}

std::string Catalog::token(std::uint64_t offset) const {
    char buf[48];
    int n = std::snprintf(buf, sizeof buf, "%llx.%016llx", static_cast<unsigned long long>(offset),
                          static_cast<unsigned long long>(tag(offset, *this)));
    return std::string(buf, static_cast<std::size_t>(n));
}

std::string Catalog::key_token(std::uint64_t index) const {
    Catalog any_page = *this;
    any_page.page_size = 0;
    std::string t = any_page.token(index + files);
    return t.insert(0, 1, 'k');
}

std::optional<std::uint64_t> Catalog::decode_key_token(std::string_view token) const {
    if (!token.starts_with('k')) return std::nullopt;
    token.remove_prefix(1);
    const auto dot = token.find('.');
    const auto shifted = dot == std::string_view::npos ? std::nullopt : parse_hex<std::uint64_t>(token.substr(0, dot));
    if (!shifted || *shifted <= files || *shifted >= 2 * files) return std::nullopt;
    Catalog any_page = *this;
    any_page.page_size = 0;
    if (any_page.token(*shifted) != token) return std::nullopt;
    return *shifted - files;
}

std::optional<std::uint64_t> Catalog::decode(std::string_view token) const {
    auto dot = token.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto off = parse_hex<std::uint64_t>(token.substr(0, dot));
    auto t = parse_hex<std::uint64_t>(token.substr(dot + 1));
    if (!off || !t || token.size() - dot - 1 != 16) return std::nullopt;
    // Only offsets the server itself hands out: page starts strictly inside the catalog.
    if (*off == 0 || *off >= files || *off % page_size != 0) return std::nullopt;
    if (*t != tag(*off, *this)) return std::nullopt;
    return off;
}

}  // namespace billion::mock
