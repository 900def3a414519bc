// The one way a set-up step says it failed, in every layer: Expected<T>, either its value or a
// one-line message saying what went wrong and what to do; ExpectedOr<T> where the failure
// also says whose it is (the exit status it calls for). Boost.Outcome's result.
#pragma once

#include <boost/outcome.hpp>

#include <string>

namespace billion::client {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

template <class T>
using Expected = outcome::result<T, std::string, outcome::policy::terminate>;

// Where one error can be the user's or the machine's: its message and the exit status it
// calls for (harness/common/exit_codes.hpp: 2 for bad input, 1 for an I/O failure).
struct Failure {
    std::string message;
    int exit_code;
};
template <class T>
using ExpectedOr = outcome::result<T, Failure, outcome::policy::terminate>;

}  // namespace billion::client
