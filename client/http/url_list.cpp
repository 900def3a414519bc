// A list of URLs as the listing (see url_list.hpp).
#include "client/http/url_list.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <utility>
#include <vector>

#include "client/hash.hpp"
#include "client/s3/sigv4.hpp"

namespace billion::client {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// 'text', escaped for a one-line error (built by appending: GCC 12 warns, wrongly, of an
// overlapping copy in "'" + std::string).
std::string escaped_in_quotes(std::string_view raw) {
    std::string q(1, '\'');
    q += escape(raw);
    q += '\'';
    return q;
}

// A UTF-8 byte-order mark some editors put before the first line: invisible, so not an error.
std::string_view without_bom(std::string_view line, bool first) {
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (first && line.starts_with(bom)) line.remove_prefix(bom.size());
    return line;
}

bool skipped(std::string_view line) {
    return line.empty() || line.front() == '#';
}

// One URL split: its server, its directory and its stored name; or why not.
struct Parsed {
    Endpoint server;
    std::string prefix;
    std::string name;
};
Expected<Parsed> parse_line(std::string_view url, NameRule rule) {
    constexpr std::string_view scheme = "http://";
    if (!has_http_scheme(url)) {
        const auto colon = url.find("://");
        return colon == std::string_view::npos
                   ? std::string("not a URL (http://HOST[:PORT]/DIR/NAME)")
                   : "scheme " + std::string(url.substr(0, colon)) + ":// is not supported (http:// only)";
    }
    if (url.find_first_of("?#") != std::string_view::npos) return std::string("a query or fragment is not supported");
    const auto slash = url.find('/', scheme.size());
    if (slash == std::string_view::npos) return std::string("no file name (http://HOST[:PORT]/DIR/NAME)");
    auto server = parse_url(url.substr(0, slash));
    if (!server) return "not an http://HOST[:PORT] server: " + escaped_in_quotes(url.substr(0, slash));
    const std::string_view path = url.substr(slash);
    const auto last = path.rfind('/');
    Parsed p{*server, std::string(path.substr(0, last + 1)), ""};
    // The directory is sent as written: no dot segments (a server may resolve them elsewhere).
    if (p.prefix.find("/./") != std::string::npos || p.prefix.find("/../") != std::string::npos)
        return std::string("a . or .. in the directory is not supported");
    auto name = s3::percent_decode(path.substr(last + 1));
    if (!name) return std::string("a broken percent-escape in the file name");
    if (name->empty()) return std::string("no file name (the URL ends with /)");
    if (!valid_name(*name, rule)) return escaped_in_quotes(*name) + " is not a file name (docs/API.md, Names)";
    p.name = std::move(*name);
    return p;
}

}  // namespace

Expected<UrlList> open_url_list(const std::string& file, NameRule rule) {
    std::ifstream in(file);
    if (!in) return "--urls: cannot read " + file;
    UrlList list{.file = file};
    std::vector<std::pair<std::uint64_t, std::uint64_t>> names;  // (hash of the name, line)
    std::uint64_t number = 0, digest = 0;
    for (std::string raw; std::getline(in, raw);) {
        ++number;
        digest = mix64(digest ^ hash64(raw, number));
        const std::string_view line = trim(without_bom(raw, number == 1));
        if (skipped(line)) continue;
        const std::string where = file + ":" + std::to_string(number) + ": ";
        auto parsed = parse_line(line, rule);
        if (!parsed) return where + parsed.error();
        auto& p = parsed.value();
        if (list.count == 0) {
            list.server = p.server;
            list.prefix = p.prefix;
        } else if (p.server.host != list.server.host || p.server.port != list.server.port) {
            return where + "another server (" + p.server.url() + ", the list's is " + list.server.url() +
                   "): one host only";
        } else if (p.prefix != list.prefix) {
            return where + "another directory (" + escape(p.prefix) + ", the list's is " + escape(list.prefix) +
                   "): one directory only";
        }
        // 64-bit hashes: two different names of a list of 10^7 collide with odds of about 3e-6.
        names.emplace_back(hash64(p.name, 0x75726c), number);
        ++list.count;
    }
    if (in.bad()) return "--urls: cannot read " + file;
    if (list.count == 0) return "--urls: " + file + " holds no URL";
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest));
    list.digest = hex;
    std::sort(names.begin(), names.end());
    for (std::size_t i = 1; i < names.size(); ++i)
        if (names[i].first == names[i - 1].first)
            return file + ":" + std::to_string(names[i].second) + ": the same file name as line " +
                   std::to_string(names[i - 1].second) + " (each name is stored once)";
    return list;
}

Expected<Page> read_url_page(const std::string& file, const std::string& token, NameRule rule) {
    std::uint64_t offset = 0;
    if (!token.empty()) {
        auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), offset);
        if (ec != std::errc() || end != token.data() + token.size())
            return "--urls: " + escaped_in_quotes(token) + " is not a page of " + file;
    }
    std::ifstream in(file);
    if (!in || !in.seekg(static_cast<std::streamoff>(offset)))
        return "--urls: cannot read " + file + " at byte " + std::to_string(offset);
    Page page;
    std::string raw;
    for (bool first = offset == 0; page.names.size() < kUrlsPerPage && std::getline(in, raw); first = false) {
        const std::string_view line = trim(without_bom(raw, first));
        if (skipped(line)) continue;
        auto parsed = parse_line(line, rule);  // checked when the list was opened; the file may have changed since
        if (parsed) {
            page.names.push_back(std::move(parsed.value().name));
        } else if (page.rejected++ == 0) {
            page.first_rejected = escape(line);
        }
    }
    if (in.bad()) return "--urls: cannot read " + file;
    // The next page starts after the last line read, unless the file ended.
    const auto after = in.tellg();  // before peek: at the end it would set eof, and tellg fail
    if (after >= 0 && in.peek() != std::char_traits<char>::eof())
        page.next = std::to_string(static_cast<std::uint64_t>(after));
    return page;
}

}  // namespace billion::client
