// libFuzzer: any bytes as an HTTP request — parsed by Beast as the server does, then routed —
// never crash the server's routing, and every answer is one the API allows.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>

#include "mock_server/routes.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    http::request_parser<http::empty_body> parser;
    parser.header_limit(8 * 1024);
    parser.body_limit(0);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (ec || !parser.is_header_done()) return 0;
    const auto& req = parser.get();
    billion::mock::ServerConfig o;
    o.catalog.files = 2500;
    o.catalog.page_size = 100;
    o.hostile = static_cast<billion::mock::Hostile>(size % 8);
    auto a = billion::mock::answer(o, std::string_view(req.method_string().data(), req.method_string().size()),
                                   std::string_view(req.target().data(), req.target().size()));
    switch (a.status) {
        case 200:
        case 400:
        case 404:
        case 405: break;
        default: __builtin_trap();
    }
    return 0;
}
