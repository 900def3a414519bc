// File-name rule of docs/API.md: what a client accepts from a server before writing anything.
#pragma once

#include <string_view>

namespace billion::client {

// [A-Za-z0-9._-]{1,255}, and neither "." nor "..".
bool valid_name(std::string_view name);

}  // namespace billion::client
