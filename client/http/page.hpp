// One page of the listing, parsed and checked against docs/API.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/expected.hpp"
#include "client/http/names.hpp"

namespace billion::client {

struct Page {
    std::vector<std::string> names;   // valid names only
    std::optional<std::string> next;  // the NextMarker, absent on the last page
    std::size_t rejected = 0;         // names refused by the name rule (protocol errors)
    std::string first_rejected;       // one of them, escaped for a one-line report
};

// Called with a page's NextMarker (nothing on the last page) once the page's shape is known
// good, before its names are checked: the token chain hands the marker on while the lister
// checks the names (about half of reading a page is the names' work: docs/decisions.md).
// Called only for a page that parse_page then returns.
using MarkerSeen = std::function<void(const std::optional<std::string>&)>;

// The page, or why the body is not one (malformed JSON, no FileNames, ...).
Expected<Page> parse_page(std::string_view body, NameRule rule = NameRule::contract, const MarkerSeen& seen = {});

// A printable rendering of untrusted bytes for one-line error messages.
std::string escape(std::string_view raw, std::size_t max = 80);

}  // namespace billion::client
