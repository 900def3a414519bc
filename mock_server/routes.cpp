// Routing and the API's answers (see routes.hpp).
#include "mock_server/routes.hpp"

#include <nlohmann/json.hpp>

#include "client/s3/sigv4.hpp"
#include "mock_server/s3_routes.hpp"

namespace billion::mock {

std::optional<std::string> query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const auto eq = item.find('=');
        if (item.substr(0, eq) != name) continue;
        return client::s3::percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
    }
    return std::nullopt;
}

namespace {

Answer text(Route route, unsigned status, const char* body) {
    return {route, status, body, "text/plain"};
}

// A page of the catalog, with what a hostile mode does to it.
Answer page(const ServerConfig& o, std::uint64_t offset) {
    const Catalog& c = o.catalog;
    const std::uint64_t end = std::min<std::uint64_t>(c.files, offset + c.page_size);
    const bool second = offset == c.page_size;  // hostile modes strike the second page
    nlohmann::json doc;
    auto& names = doc["FileNames"] = nlohmann::json::array();
    for (std::uint64_t i = offset; i < end; ++i)
        names.push_back(c.name(i));
    if (end < c.files) doc["NextMarker"] = c.token(end);
    switch (o.hostile) {
        case Hostile::bad_names:
            if (offset == 0)
                for (const char* bad : {"../escape.bin", "/etc/passwd", "a/b", "", ".", "..", "sp ace", "semi;colon"})
                    names.push_back(bad);
            if (offset == 0) names.push_back(std::string("nul\0byte", 8));
            break;
        case Hostile::malformed_json:
            if (second) return {Route::list, 200, "{\"FileNames\": [\"file-00", "application/json"};
            break;
        case Hostile::no_filenames:
            if (second) doc.erase("FileNames");
            break;
        case Hostile::repeat_marker:
            if (second) doc["NextMarker"] = c.token(offset);  // points at this very page again
            break;
        case Hostile::duplicate_names:
            if (second) names.push_back(c.name(0));  // already listed on the first page
            break;
        case Hostile::stall:
        case Hostile::long_body:
        case Hostile::wrong_size:
        case Hostile::bad_length:
        case Hostile::negative_length:
        case Hostile::no_token:
        case Hostile::none: break;
    }
    return {Route::list, 200, doc.dump(), "application/json"};
}

}  // namespace

const char* to_string(Hostile h) {
    static const char* names[] = {"none",          "bad-names",       "malformed-json", "no-filenames",
                                  "repeat-marker", "duplicate-names", "stall",          "long-body",
                                  "wrong-size",    "bad-length",      "negative-length", "no-token"};
    return names[static_cast<int>(h)];
}

std::optional<Hostile> parse_hostile(std::string_view s) {
    for (int i = 0; i <= static_cast<int>(Hostile::no_token); ++i)
        if (s == to_string(static_cast<Hostile>(i))) return static_cast<Hostile>(i);
    return std::nullopt;
}

Answer file(const ServerConfig& o, std::uint64_t index) {
    const Catalog& c = o.catalog;
    Answer a{Route::get, 200, std::string(c.file_size, '\0'), "application/octet-stream"};
    c.fill(index, a.body);
    // Hostile: files 7, 27, 47, ... lose their last byte or gain one; the headers agree.
    if (o.hostile == Hostile::wrong_size && index % 20 == 7)
        a.body.resize((index / 20) % 2 ? c.file_size + 1 : c.file_size - 1, 'W');
    a.stall = o.hostile == Hostile::stall;
    a.overlong = o.hostile == Hostile::long_body;
    if (o.hostile == Hostile::bad_length) a.content_length = "abc";
    if (o.hostile == Hostile::negative_length) a.content_length = "-1";
    return a;
}

Answer answer(const ServerConfig& o, std::string_view method, std::string_view target,
              const client::s3::HeaderOf& header) {
    std::string_view path = target.substr(0, target.find('?'));
    if (auto s3 = s3_answer(o, method, target, header)) return std::move(*s3);
    std::string_view query = target.size() > path.size() ? target.substr(path.size() + 1) : std::string_view{};
    Route route = Route::other;
    if (path == "/list")
        route = Route::list;
    else if (path.starts_with("/get/"))
        route = Route::get;
    else if (path == "/stats")
        route = Route::stats;

    if (method != "GET") return text(route, 405, "method not allowed\n");
    if (route == Route::other) return text(route, 404, "not found\n");
    if (route == Route::stats) return {route, 200, "", "application/json"};

    const Catalog& c = o.catalog;
    if (route == Route::list) {
        std::uint64_t offset = 0;
        if (!query.empty()) {
            constexpr std::string_view key = "next-marker=";
            if (!query.starts_with(key)) return text(route, 400, "unknown query\n");
            auto token = client::s3::percent_decode(query.substr(key.size()));
            auto off = token ? c.decode(*token) : std::nullopt;
            if (!off) return text(route, 400, "unknown token\n");
            offset = *off;
        }
        return page(o, offset);
    }
    auto index = c.index_of(path.substr(5));
    if (!index) return text(route, 404, "no such file\n");
    return file(o, *index);
}

}  // namespace billion::mock
