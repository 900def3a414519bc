// File-name rule of docs/API.md: what a client accepts from a server before writing anything.
#pragma once

#include <string_view>

namespace billion::client {

// Which names a client accepts. contract: docs/API.md's rule, [A-Za-z0-9._-]{1,255} and
// neither "." nor "..". any (--names any, for servers whose names are wider, as object
// stores' keys are): any one safe path component, stored under its exact name: 1 to 255
// bytes, not "." or "..", no '/', no NUL nor any other control byte (they would break the
// one-line reports and the processes strategy's name framing). Traversal is refused by both.
enum class NameRule { contract, any };

bool valid_name(std::string_view name, NameRule rule = NameRule::contract);

}  // namespace billion::client
