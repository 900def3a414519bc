// The message of an exception a coroutine or a worker ended with, for stats.fail.
#pragma once

#include <exception>
#include <string>

namespace billion::client {

inline std::string describe(std::exception_ptr e) {
    try {
        if (e) std::rethrow_exception(e);
    } catch (const std::exception& x) {
        return x.what();
    } catch (...) {
    }
    return "unknown error";
}

}  // namespace billion::client
