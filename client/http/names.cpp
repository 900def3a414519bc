// File-name rule of docs/API.md.
#include "client/http/names.hpp"

namespace billion::client {

bool valid_name(std::string_view name, NameRule rule) {
    if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
    if (rule == NameRule::any) {
        for (unsigned char c : name)
            if (c == '/' || c < 0x20 || c == 0x7f) return false;
        return true;
    }
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        if (!ok) return false;
    }
    return true;
}

}  // namespace billion::client
