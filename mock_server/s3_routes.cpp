// The catalog as a bucket (see s3_routes.hpp).
#include "mock_server/s3_routes.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <utility>

#include "client/s3/etag.hpp"

namespace billion::mock {

namespace {

namespace s3 = client::s3;

constexpr const char* kXml = "application/xml";
constexpr unsigned kMaxKeys = 1000;  // the most keys S3 lists a page
constexpr std::string_view kXmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr std::string_view kNamespace = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
// Every object of the catalog was last modified at one instant: the rule has no history.
constexpr std::string_view kModifiedIso = "2026-01-01T00:00:00.000Z";
constexpr std::string_view kModifiedHttp = "Thu, 01 Jan 2026 00:00:00 GMT";

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

void element(std::string& out, std::string_view name, std::string_view value) {
    out.append("<").append(name).append(">").append(xml_escape(value)).append("</").append(name).append(">");
}

Answer error(Route route, unsigned status, std::string_view code, std::string_view message,
             std::string_view resource) {
    std::string body(kXmlHead);
    body += "<Error>";
    element(body, "Code", code);
    element(body, "Message", message);
    element(body, "Resource", resource);
    body += "</Error>";
    return {route, status, std::move(body), kXml};
}

bool bucket_like(std::string_view s) {
    if (s.size() < 3 || s.size() > 63) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
    return true;
}

// The first index in [lo, hi) where keep(i) is false (keep: true, then false, over the range).
template <class Keep>
std::uint64_t partition_point(std::uint64_t lo, std::uint64_t hi, Keep keep) {
    while (lo < hi) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        if (keep(mid))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// The indices whose names start with prefix: one run, since names sort as their indices.
std::pair<std::uint64_t, std::uint64_t> prefix_range(const Catalog& c, std::string_view prefix) {
    const std::uint64_t first = partition_point(0, c.files, [&](std::uint64_t i) { return c.name(i) < prefix; });
    const std::uint64_t end =
        partition_point(first, c.files, [&](std::uint64_t i) { return c.name(i).starts_with(prefix); });
    return {first, end};
}

// The first index whose name sorts after key (StartAfter, Marker).
std::uint64_t after(const Catalog& c, std::string_view key) {
    return partition_point(0, c.files, [&](std::uint64_t i) { return c.name(i) <= key; });
}

// An ETag as S3 sends it: the MD5 in double quotes.
std::string quoted_etag(std::string_view md5) {
    std::string q = "\"";
    return q.append(md5).append("\"");
}

void contents(std::string& out, std::string_view key, std::string_view md5, std::uint64_t size, bool url) {
    out += "<Contents>";
    element(out, "Key", url ? s3::uri_encode(key, true) : std::string(key));
    element(out, "LastModified", kModifiedIso);
    element(out, "ETag", quoted_etag(md5));
    element(out, "Size", std::to_string(size));
    element(out, "StorageClass", "STANDARD");
    out += "</Contents>";
}

std::string etag_of(const Catalog& c, std::uint64_t i) {
    return s3::md5_hex(c.content(i));
}

// ListObjectsV2 (list-type=2) or ListObjects (v1), with what a hostile mode does to a page.
Answer list(const ServerConfig& o, std::string_view query, std::string_view resource) {
    const Catalog& c = o.catalog;
    const bool v2 = query_value(query, "list-type") == "2";
    const std::string prefix = query_value(query, "prefix").value_or("");
    const auto delimiter = query_value(query, "delimiter");
    const bool url = query_value(query, "encoding-type") == "url";
    auto invalid = [&](std::string_view why) { return error(Route::list, 400, "InvalidArgument", why, resource); };
    unsigned max_keys = kMaxKeys;
    if (auto m = query_value(query, "max-keys")) {
        auto [p, ec] = std::from_chars(m->data(), m->data() + m->size(), max_keys);
        if (ec != std::errc{} || p != m->data() + m->size()) return invalid("max-keys is not a count");
        max_keys = std::min(max_keys, kMaxKeys);
    }
    // No key has a '/', so a '/' delimiter groups nothing; another one is not served.
    if (delimiter && !delimiter->empty() && *delimiter != "/")
        return error(Route::list, 501, "NotImplemented", "only the delimiter / is served", resource);

    const auto [first, end] = prefix_range(c, prefix);
    std::uint64_t start = first;
    const auto token = query_value(query, "continuation-token");
    if (v2 && token) {
        const auto at = c.decode_key_token(*token);
        if (!at || *at < first || *at > end) return invalid("The continuation token provided is incorrect");
        start = *at;
    }
    const auto start_after = query_value(query, v2 ? "start-after" : "marker");
    if (start_after && !(v2 && token)) start = std::max(start, std::min(end, after(c, *start_after)));
    const std::uint64_t stop = std::min<std::uint64_t>(end, start + max_keys);
    const bool second = max_keys > 0 && start == first + max_keys;  // hostile modes strike the second page
    bool truncated = stop < end;
    std::optional<std::string> next = truncated ? std::optional(c.key_token(stop)) : std::nullopt;
    if (o.hostile == Hostile::malformed_json && second)
        return {Route::list, 200, std::string(kXmlHead) + "<ListBucketResult><Contents><Key>file-00", kXml};
    if (o.hostile == Hostile::no_filenames && second)
        return {Route::list, 200, std::string(kXmlHead) + "<Nothing/>", kXml};
    if (o.hostile == Hostile::repeat_marker && second) next = c.key_token(start);
    if (o.hostile == Hostile::no_token && second) truncated = true, next.reset();

    std::string body(kXmlHead);
    body.append("<ListBucketResult").append(kNamespace).append(">");
    element(body, "Name", o.bucket);
    element(body, "Prefix", prefix);
    if (v2 && token) element(body, "ContinuationToken", *token);
    if (start_after) element(body, v2 ? "StartAfter" : "Marker", *start_after);
    if (!v2 && !start_after) element(body, "Marker", "");
    if (v2) element(body, "KeyCount", std::to_string(stop - start));
    element(body, "MaxKeys", std::to_string(max_keys));
    if (delimiter) element(body, "Delimiter", *delimiter);
    if (url) element(body, "EncodingType", "url");
    element(body, "IsTruncated", truncated ? "true" : "false");
    for (std::uint64_t i = start; i < stop; ++i)
        contents(body, c.name(i), etag_of(c, i), c.file_size, url);
    if (o.hostile == Hostile::bad_names && start == first && !token)
        for (const char* bad : {"../escape.bin", "/etc/passwd", "a/b", "", ".", "..", "sp ace", "semi;colon"})
            contents(body, bad, s3::md5_hex(""), 0, url);
    if (o.hostile == Hostile::duplicate_names && second && first < end)
        contents(body, c.name(first), etag_of(c, first), c.file_size, url);
    if (next) element(body, v2 ? "NextContinuationToken" : "NextMarker", v2 ? *next : c.name(stop - 1));
    body += "</ListBucketResult>";
    return {Route::list, 200, std::move(body), kXml};
}

// GetObject or HeadObject: the file with its ETag (the MD5 of the catalog's bytes).
Answer object(const ServerConfig& o, bool head, std::string_view key, std::string_view resource) {
    const Route route = head ? Route::head : Route::get;
    const auto index = o.catalog.index_of(key);
    if (!index) return error(route, 404, "NoSuchKey", "The specified key does not exist.", resource);
    Answer a = file(o, *index);
    a.route = route;
    a.head = head;
    if (head) a.overlong = false, a.content_length = nullptr;  // a hostile body has no head of its own
    a.headers = {{"ETag", quoted_etag(etag_of(o.catalog, *index))},
                 {"Last-Modified", std::string(kModifiedHttp)},
                 {"Accept-Ranges", "bytes"}};
    return a;
}

}  // namespace

std::optional<Answer> s3_answer(const ServerConfig& o, std::string_view method, std::string_view target,
                                const s3::HeaderOf& header) {
    const std::string_view path = target.substr(0, target.find('?'));
    const std::string_view query = path.size() < target.size() ? target.substr(path.size() + 1) : std::string_view{};
    if (!path.starts_with('/')) return std::nullopt;
    const std::string_view rest = path.substr(1);
    const auto slash = rest.find('/');
    const std::string_view bucket = rest.substr(0, slash);
    if (bucket != o.bucket) {
        if (bucket == "list" || bucket == "get" || bucket == "stats" || !bucket_like(bucket)) return std::nullopt;
        return error(Route::other, 404, "NoSuchBucket", "The specified bucket does not exist", path);
    }
    const bool head = method == "HEAD";
    const Route route = slash == std::string_view::npos || slash + 1 == rest.size() ? Route::list
                        : head                                                     ? Route::head
                                                                                   : Route::get;
    if (method != "GET" && !head)
        return error(route, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                     path);
    if (header)
        if (auto refused = s3::check_signature(method, target, header, o.s3_keys))
            return error(route, refused->status, refused->code, refused->message, path);
    if (route != Route::list) {
        auto key = s3::percent_decode(rest.substr(slash + 1));
        if (!key) return error(route, 400, "InvalidURI", "Couldn't parse the specified URI.", path);
        return object(o, head, *key, path);
    }
    // The bucket itself: HEAD (does it exist?), its location, or its listing.
    if (head) return Answer{Route::other, 200, "", kXml};
    if (query == "location" || query.starts_with("location&") || query == "location=")
        return Answer{Route::other, 200,
                      std::string(kXmlHead) + "<LocationConstraint" + std::string(kNamespace) + "/>", kXml};
    return list(o, query, path);
}

}  // namespace billion::mock
