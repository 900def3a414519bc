// Page parsing with simdjson: shape checks and the name rule.
// Why simdjson and not nlohmann::json (used everywhere else): the token chain waits for every
// page to be parsed before it hands on the next token, and simdjson parsed a page several
// times faster (docs/decisions.md).
#include "client/http/page.hpp"

#include <simdjson.h>

#include "client/http/names.hpp"

namespace billion::client {

std::string escape(std::string_view raw, std::size_t max) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw.substr(0, max)) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out.push_back(static_cast<char>(c));
        } else {
            out += "\\x";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    if (raw.size() > max) out += "...";
    return out;
}

namespace {

// FileNames: each string that obeys the rule is kept, anything else refused one by one.
void take_names(simdjson::dom::array names, NameRule rule, Page& page) {
    page.names.reserve(names.size());
    for (auto n : names) {
        std::string_view name;
        if (!n.get_string().get(name) && valid_name(name, rule)) {
            page.names.emplace_back(name);
        } else if (page.rejected++ == 0) {
            page.first_rejected = escape(n.is_string() ? name : simdjson::minify(n));
        }
    }
}

}  // namespace

Expected<Page> parse_page(std::string_view body, NameRule rule, const MarkerSeen& seen) {
    // One parser a thread: its buffers grow to the largest page and are reused.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc)) return std::string("malformed JSON in page");
    simdjson::dom::object fields;
    if (doc.get_object().get(fields)) return std::string("page is not a JSON object");
    // The shape first (the keys, FileNames an array, the marker), then the names.
    Page page;
    bool has_names = false, has_next = false;
    simdjson::dom::array names;
    for (auto [key, value] : fields) {
        if (key == "FileNames") {
            if (has_names) return std::string("page has FileNames twice");
            has_names = true;
            if (value.get_array().get(names)) return std::string("FileNames is not an array");
        } else if (key == "NextMarker") {
            if (has_next) return std::string("page has NextMarker twice");
            has_next = true;
            if (value.is_null()) continue;  // the last page
            std::string_view next;
            if (value.get_string().get(next) || next.empty()) return std::string("NextMarker is not a non-empty string");
            page.next = std::string(next);
        }
    }
    if (!has_names) return std::string("page has no FileNames");
    if (seen) seen(page.next);
    take_names(names, rule, page);
    return page;
}

}  // namespace billion::client
