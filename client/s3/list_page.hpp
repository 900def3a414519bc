// A page of a bucket's listing: ListObjectsV2's XML read into the same Page as the API's
// JSON, so every strategy walks a bucket as it walks the API (docs/s3.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "client/expected.hpp"
#include "client/http/names.hpp"
#include "client/http/page.hpp"

namespace billion::client::s3 {

// The page: each Key with the prefix taken off is a name (refused when it is not one under
// the rule, or does not start with the prefix); NextContinuationToken the page's next. Or why
// the body is not a page (malformed XML, not a ListBucketResult, truncated without a token).
Expected<Page> parse_list_page(std::string_view body, std::string_view prefix, NameRule rule = NameRule::contract,
                               const MarkerSeen& seen = {});

// S3's error code in an error answer's XML (<Error><Code>...), or nothing.
std::optional<std::string> error_code(std::string_view body);

}  // namespace billion::client::s3
