// The catalog as an S3 bucket, beside the API on the same port: path-style ListObjects (v2
// and v1), GetObject and HeadObject with the MD5 ETag S3 gives a single-part object, S3's XML
// errors, and SigV4 signatures checked against the server's keys (docs/s3.md).
#pragma once

#include <optional>
#include <string_view>

#include "client/s3/sigv4.hpp"
#include "mock_server/config.hpp"
#include "mock_server/routes.hpp"

namespace billion::mock {

// The answer to METHOD TARGET when its path is under /BUCKET (the server's bucket, or a name
// no bucket has: NoSuchBucket); nothing for the API's paths. header: the request's headers
// (empty: an unsigned request).
std::optional<Answer> s3_answer(const ServerConfig& o, std::string_view method, std::string_view target,
                                const client::s3::HeaderOf& header);

}  // namespace billion::mock
