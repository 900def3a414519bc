// Include first wherever Boost.Asio's coroutines are used: Boost 1.74's asio/awaitable.hpp
// uses std::exchange without including <utility>, which GCC 12's headers no longer bring in.
#pragma once

#include <utility>
