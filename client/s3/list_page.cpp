// ListObjectsV2 pages read with expat (see list_page.hpp).
#include "client/s3/list_page.hpp"

#include <expat.h>

#include <memory>
#include <vector>

namespace billion::client::s3 {

namespace {

// What a ListBucketResult holds that the walk needs; element text gathered as expat hands it over.
struct Reading {
    int depth = 0;
    std::string root;
    std::string element;  // the element whose text is being gathered
    std::string text;
    std::vector<std::string> keys;
    std::optional<std::string> truncated, next, code;
};

void on_start(void* data, const XML_Char* name, const XML_Char**) {
    auto& r = *static_cast<Reading*>(data);
    const std::string_view n(name);
    if (++r.depth == 1) r.root = n;
    r.element = n;
    r.text.clear();
}

void on_end(void* data, const XML_Char* name) {
    auto& r = *static_cast<Reading*>(data);
    const std::string_view n(name);
    if (r.depth == 3 && n == "Key") r.keys.push_back(r.text);
    if (r.depth == 2 && n == "IsTruncated") r.truncated = r.text;
    if (r.depth == 2 && n == "NextContinuationToken") r.next = r.text;
    if (r.depth == 2 && n == "Code") r.code = r.text;
    r.text.clear();
    --r.depth;
}

void on_text(void* data, const XML_Char* s, int len) {
    static_cast<Reading*>(data)->text.append(s, static_cast<std::size_t>(len));
}

Expected<Reading> read(std::string_view body) {
    // One parser a thread, reset for each page: its buffers are kept.
    struct Free {
        void operator()(XML_Parser p) const { XML_ParserFree(p); }
    };
    thread_local std::unique_ptr<std::remove_pointer_t<XML_Parser>, Free> parser(XML_ParserCreate("UTF-8"));
    XML_ParserReset(parser.get(), "UTF-8");
    Reading r;
    XML_SetUserData(parser.get(), &r);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetCharacterDataHandler(parser.get(), on_text);
    if (XML_Parse(parser.get(), body.data(), static_cast<int>(body.size()), XML_TRUE) != XML_STATUS_OK)
        return std::string("malformed XML in page: ") + XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
               std::to_string(XML_GetCurrentLineNumber(parser.get()));
    return r;
}

}  // namespace

Expected<Page> parse_list_page(std::string_view body, std::string_view prefix, NameRule rule, const MarkerSeen& seen) {
    auto read_page = read(body);
    if (!read_page) return read_page.error();
    Reading& r = read_page.value();
    if (r.root != "ListBucketResult") return std::string("page is not a ListBucketResult: <").append(escape(r.root)).append(">");
    if (r.truncated != "true" && r.truncated != "false") return std::string("page has no IsTruncated true or false");
    Page page;
    if (*r.truncated == "true") {
        if (!r.next || r.next->empty()) return std::string("page IsTruncated but has no NextContinuationToken");
        page.next = std::move(r.next);
    }
    if (seen) seen(page.next);
    page.names.reserve(r.keys.size());
    for (auto& key : r.keys) {
        const std::string_view k(key);
        if (k.starts_with(prefix) && valid_name(k.substr(prefix.size()), rule)) {
            page.names.emplace_back(k.substr(prefix.size()));
        } else if (page.rejected++ == 0) {
            page.first_rejected = escape(k);
        }
    }
    return page;
}

std::optional<std::string> error_code(std::string_view body) {
    auto r = read(body);
    if (!r || r.value().root != "Error") return std::nullopt;
    return r.value().code;
}

}  // namespace billion::client::s3
