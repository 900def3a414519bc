// Page parsing with nlohmann::json: shape checks and the name rule.
#include "client/http/page.hpp"

#include <nlohmann/json.hpp>

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

PageParse parse_page(std::string_view body, NameRule rule) {
    PageParse r;
    auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        r.error = "malformed JSON in page";
        return r;
    }
    if (!doc.is_object()) {
        r.error = "page is not a JSON object";
        return r;
    }
    auto names = doc.find("FileNames");
    if (names == doc.end()) {
        r.error = "page has no FileNames";
        return r;
    }
    if (!names->is_array()) {
        r.error = "FileNames is not an array";
        return r;
    }
    Page page;
    page.names.reserve(names->size());
    for (auto& n : *names) {
        if (n.is_string() && valid_name(n.get_ref<const std::string&>(), rule)) {
            page.names.push_back(n.get<std::string>());
        } else {
            if (page.rejected++ == 0) page.first_rejected = escape(n.is_string() ? n.get<std::string>() : n.dump());
        }
    }
    auto next = doc.find("NextMarker");
    if (next != doc.end() && !next->is_null()) {
        if (!next->is_string() || next->get_ref<const std::string&>().empty()) {
            r.error = "NextMarker is not a non-empty string";
            return r;
        }
        page.next = next->get<std::string>();
    }
    r.page = std::move(page);
    return r;
}

}  // namespace billion::client
