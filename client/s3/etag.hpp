// S3's ETag of a single-part object is the MD5 of its bytes: a downloaded body checked by it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace billion::client::s3 {

std::string md5_hex(std::string_view data);

// The ETag's MD5 (quotes taken off, lower case), or nothing when the ETag is not one: a
// multipart upload's ETag ("...-N") is an MD5 of MD5s, which no single body can be checked by.
std::optional<std::string> etag_md5(std::string_view etag);

}  // namespace billion::client::s3
