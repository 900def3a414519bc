// Where a bucket is (--s3 http://HOST:PORT/BUCKET[/PREFIX]) and the request targets of its
// listing and objects, path-style, as an S3-compatible server on loopback is addressed.
#pragma once

#include <string>
#include <string_view>

#include "client/expected.hpp"
#include "client/http/endpoint.hpp"

namespace billion::client::s3 {

struct Bucket {
    Endpoint server;
    std::string name;
    std::string prefix;  // every key listed starts with it; a file's name is the key without it
    std::string url() const;
};

// http://HOST[:PORT]/BUCKET[/PREFIX]; why not, for anything else (S3's bucket-name rule: 3 to
// 63 of a-z 0-9 . -, starting and ending with a letter or digit).
Expected<Bucket> parse_bucket_url(std::string_view url);

// How many keys a listing asks for a page: S3's own maximum.
inline constexpr unsigned kMaxKeys = 1000;

// ListObjectsV2 of the page token points at ("" for the first), its query sorted as SigV4
// signs it: /BUCKET?continuation-token=T&list-type=2&max-keys=1000&prefix=P.
std::string list_target(std::string_view bucket, std::string_view prefix, std::string_view token);
// What a GET puts before an object's name: /BUCKET/PREFIX, encoded.
std::string object_prefix(std::string_view bucket, std::string_view prefix);

}  // namespace billion::client::s3
