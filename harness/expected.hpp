// The harness's one error convention: a function that can fail returns Expected<T>, either its
// value or a one-line message saying what went wrong and what to do. Only the command line
// (main, the session) prints messages. Boost.Outcome's result, with a string as the error.
#pragma once

#include <boost/outcome.hpp>

#include <string>

namespace billion::harness {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

template <class T>
using Expected = outcome::result<T, std::string, outcome::policy::terminate>;

}  // namespace billion::harness
