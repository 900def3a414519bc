// The mock server over real sockets: pagination, errors, keep-alive, flags, faults, stats.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "client/http/endpoint.hpp"
#include "tests/support/loopback.hpp"
#include "tests/support/test_server.hpp"

using billion::testkit::catalog_of;
using billion::testkit::MockServer;
using json = nlohmann::json;

namespace {
httplib::Client client_for(MockServer& s) {
    httplib::Client c("127.0.0.1", s.endpoint().port);
    c.set_keep_alive(true);
    return c;
}

// Sends raw bytes and returns what comes back until the server closes, or until nothing more
// comes for `quiet` (an answer on a connection the server keeps open).
std::string raw_exchange(std::uint16_t port, const std::string& request, timeval quiet = {5, 0}) {
    int fd = billion::testkit::connect_loopback(port);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    std::string out;
    char buf[4096];
    timeval tv = quiet;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        out.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return out;
}
}  // namespace

TEST(Server, WalkingAllPagesYieldsEveryNameOnce) {
    MockServer s(catalog_of(2345, 100));
    auto c = client_for(s);
    std::set<std::string> names;
    std::string target = "/list";
    int pages = 0;
    for (;;) {
        auto r = c.Get(target);
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 200);
        EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
        auto j = json::parse(r->body);
        for (auto& n : j.at("FileNames"))
            EXPECT_TRUE(names.insert(n.get<std::string>()).second);
        ++pages;
        if (!j.contains("NextMarker")) break;
        target = "/list?next-marker=" + j["NextMarker"].get<std::string>();
    }
    EXPECT_EQ(names.size(), 2345u);
    EXPECT_EQ(pages, 24);
}

TEST(Server, EmptyCatalogAnswersAnEmptyList) {
    MockServer s(catalog_of(0));
    auto c = client_for(s);
    auto r = c.Get("/list");
    ASSERT_TRUE(r);
    EXPECT_EQ(json::parse(r->body), json::parse(R"({"FileNames": []})"));
}

TEST(Server, FilesHaveTheCatalogBytesAndSize) {
    auto o = catalog_of(10);
    o.catalog.file_size = 333;
    MockServer s(o);
    auto c = client_for(s);
    auto r = c.Get("/get/file-0000000007.bin");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/octet-stream");
    EXPECT_EQ(r->body.size(), 333u);
    EXPECT_EQ(r->body, o.catalog.content(7));
}

TEST(Server, UnknownFileIs404AndForgedTokenIs400) {
    MockServer s(catalog_of(3000));
    auto c = client_for(s);
    EXPECT_EQ(c.Get("/get/file-0000003000.bin")->status, 404);
    EXPECT_EQ(c.Get("/get/nothing")->status, 404);
    EXPECT_EQ(c.Get("/list?next-marker=3e8.0000000000000000")->status, 400);
    EXPECT_EQ(c.Get("/list?next-marker=%zz")->status, 400);
    EXPECT_EQ(c.Get("/list?next-marker=")->status, 400);
    EXPECT_EQ(c.Get("/list?other=1")->status, 400);
    EXPECT_EQ(c.Get("/nowhere")->status, 404);
    EXPECT_EQ(c.Post("/list", "", "text/plain")->status, 405);
    // The connection survived all of that.
    EXPECT_EQ(c.Get("/list")->status, 200);
}

TEST(Server, MalformedRequestLineIs400AndServerCarriesOn) {
    MockServer s(catalog_of(10));
    std::string reply = raw_exchange(s.endpoint().port, "THIS IS NOT HTTP\r\n\r\n");
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
    std::string big = "GET /list HTTP/1.1\r\nX-Big: " + std::string(20000, 'x') + "\r\n\r\n";
    EXPECT_TRUE(raw_exchange(s.endpoint().port, big).starts_with("HTTP/1.1 431"));
    auto c = client_for(s);
    EXPECT_EQ(c.Get("/list")->status, 200);
}

TEST(Server, KeepAliveReusesTheConnection) {
    MockServer s(catalog_of(50));
    {
        auto c = client_for(s);
        for (int i = 0; i < 50; ++i)
            ASSERT_EQ(c.Get("/get/" + std::string("file-00000000") + (i < 10 ? "0" : "") + std::to_string(i) + ".bin")
                          ->status,
                      200);
    }
    auto stats = json::parse(s.server().stats_json());
    EXPECT_EQ(stats["connections_accepted"], 1);
    EXPECT_EQ(stats["requests"]["get"], 50);
    EXPECT_EQ(stats["get_ok"], 50);
    EXPECT_EQ(stats["status"]["200"], 50);
}

TEST(Server, StatsEndpointCountsRoutesAndStatuses) {
    MockServer s(catalog_of(10));
    auto c = client_for(s);
    c.Get("/list");
    c.Get("/get/nope");
    auto r = c.Get("/stats");
    ASSERT_TRUE(r);
    auto j = json::parse(r->body);
    EXPECT_EQ(j["requests"]["list"], 1);
    EXPECT_EQ(j["requests"]["get"], 1);
    EXPECT_EQ(j["status"]["404"], 1);
}

TEST(Server, InjectedFaultsHappenAtTheirRates) {
    auto o = catalog_of(10);
    o.faults.throttle_rate = 1.0;
    o.faults.retry_after_s = 3;
    {
        MockServer s(o);
        auto c = client_for(s);
        auto r = c.Get("/get/file-0000000001.bin");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 429);
        EXPECT_EQ(r->get_header_value("Retry-After"), "3");
    }
    o.faults = {};
    o.faults.truncate_rate = 1.0;
    {
        MockServer s(o);
        auto c = client_for(s);
        EXPECT_FALSE(c.Get("/get/file-0000000001.bin"));  // the body is cut short: an error, not a file
        EXPECT_EQ(json::parse(s.server().stats_json())["faults"]["truncate"], 1);
    }
    o.faults = {};
    o.faults.reset_rate = 1.0;
    {
        MockServer s(o);
        auto c = client_for(s);
        EXPECT_FALSE(c.Get("/list"));
    }
    o.faults = {};
    o.faults.error_rate = 1.0;
    {
        MockServer s(o);
        auto c = client_for(s);
        auto r = c.Get("/list");
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->status == 500 || r->status == 503);
    }
}

TEST(Server, LatencyIsInjectedWithoutBreakingAnswers) {
    auto o = catalog_of(10);
    o.latency = std::chrono::milliseconds(20);
    MockServer s(o);
    auto c = client_for(s);
    EXPECT_EQ(c.Get("/get/file-0000000001.bin")->status, 200);
    EXPECT_EQ(c.Get("/list")->status, 200);
    EXPECT_EQ(c.Get("/stats")->status, 200);  // not delayed: the harness samples it mid-run
    EXPECT_EQ(json::parse(s.server().stats_json())["delayed_us"], 40000);
}

TEST(Server, SeveralThreadsShareOnePort) {
    auto o = catalog_of(100);
    o.threads = 3;
    MockServer s(o);
    for (int i = 0; i < 10; ++i) {
        httplib::Client c("127.0.0.1", s.endpoint().port);
        EXPECT_EQ(c.Get("/list")->status, 200);
    }
    EXPECT_EQ(json::parse(s.server().stats_json())["connections_accepted"], 10);
}

TEST(Server, Holds5000ConcurrentConnections) {
    MockServer s(catalog_of(10));
    rlimit rl{};
    ::getrlimit(RLIMIT_NOFILE, &rl);  // both ends in this process: as `billion serve` does, up to the hard limit
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < 10200) GTEST_SKIP() << "descriptor limit " << rl.rlim_cur << " is below 2 x 5,000 + slack";
    std::vector<int> fds;
    for (int i = 0; i < 5000; ++i) {
        int fd = billion::testkit::connect_loopback(s.endpoint().port);
        ASSERT_GE(fd, 0) << i;
        fds.push_back(fd);
    }
    // All 5,000 are open at once; each now asks for a file and gets it.
    const std::string req = "GET /get/file-0000000003.bin HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int fd : fds)
        ASSERT_EQ(::write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
    int answered = 0;
    for (int fd : fds) {
        std::string got;
        char buf[512];
        timeval tv{10, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        while (got.find("\r\n\r\n") == std::string::npos || got.size() < got.find("\r\n\r\n") + 4 + 100) {
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0) break;
            got.append(buf, static_cast<std::size_t>(n));
        }
        answered += got.starts_with("HTTP/1.1 200");
        ::close(fd);
    }
    EXPECT_EQ(answered, 5000);
    EXPECT_EQ(json::parse(s.server().stats_json())["connections_accepted"], 5000);
}

TEST(Server, ASlowClientDoesNotStarveOthers) {
    MockServer s(catalog_of(10));
    // Half a request, then silence: the server waits on it without blocking anyone else.
    int slow = billion::testkit::connect_loopback(s.endpoint().port);
    ASSERT_GE(slow, 0);
    ASSERT_GT(::write(slow, "GET /list HTTP/1.1\r\nHo", 22), 0);
    for (int i = 0; i < 20; ++i) {
        auto c = client_for(s);
        auto r = c.Get("/list");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
    }
    ::close(slow);
}

// Every hostile mode, as config.hpp documents it, seen by a client at the byte level.
TEST(Server, HostileModesAreServedAsDocumented) {
    using billion::mock::Hostile;
    auto served = [](Hostile mode) {
        auto o = catalog_of(30, 10);
        o.hostile = mode;
        return o;
    };
    auto get = [](MockServer& s, const std::string& name) {
        return raw_exchange(s.endpoint().port, "GET /get/" + name + " HTTP/1.1\r\nHost: x\r\n\r\n", {0, 300000});
    };
    auto pages = [](MockServer& s) {
        auto c = client_for(s);
        auto first = json::parse(c.Get("/list")->body);
        std::string token = first["NextMarker"];
        std::string second = c.Get("/list?next-marker=" + billion::client::percent_encode(token))->body;
        return std::make_pair(first, second);
    };
    const auto o = served(Hostile::none);
    const std::string f0 = o.catalog.name(0), f7 = o.catalog.name(7);
    {
        MockServer s(served(Hostile::bad_names));
        auto names = pages(s).first["FileNames"].dump();
        EXPECT_TRUE(names.find('/') != std::string::npos && names.find("..") != std::string::npos) << names;
    }
    {
        MockServer s(served(Hostile::malformed_json));
        EXPECT_TRUE(json::parse(pages(s).second, nullptr, false).is_discarded());
    }
    {
        MockServer s(served(Hostile::no_filenames));
        EXPECT_FALSE(json::parse(pages(s).second).contains("FileNames"));
    }
    {
        MockServer s(served(Hostile::repeat_marker));
        auto [first, second] = pages(s);
        EXPECT_EQ(json::parse(second)["NextMarker"], first["NextMarker"]);  // points at itself
    }
    {
        MockServer s(served(Hostile::duplicate_names));
        auto [first, second] = pages(s);
        auto again = json::parse(second)["FileNames"];
        EXPECT_NE(std::find(again.begin(), again.end(), first["FileNames"][0]), again.end()) << second;
    }
    {
        MockServer s(served(Hostile::stall));
        EXPECT_EQ(get(s, f0), "");  // never answered
    }
    {
        MockServer s(served(Hostile::long_body));
        auto a = get(s, f0);
        EXPECT_NE(a.find("Content-Length: 100\r\n"), std::string::npos) << a;
        EXPECT_EQ(a.size() - a.find("\r\n\r\n") - 4, 150u);  // 50 bytes more than announced
    }
    {
        MockServer s(served(Hostile::wrong_size));
        auto a = get(s, f7);
        EXPECT_NE(a.find("Content-Length: 99\r\n"), std::string::npos) << a;  // and the body agrees
        EXPECT_EQ(a.size() - a.find("\r\n\r\n") - 4, 99u);
    }
    for (auto [mode, value] : {std::pair{Hostile::bad_length, "abc"}, std::pair{Hostile::negative_length, "-1"}}) {
        MockServer s(served(mode));
        auto a = get(s, f0);
        EXPECT_NE(a.find(std::string("Content-Length: ") + value + "\r\n"), std::string::npos) << a;
    }
}

// Its threads share one port (SO_REUSEPORT), but a second server is not let in beside it.
TEST(Server, ASecondServerOnABusyPortIsRefused) {
    MockServer first(catalog_of(10));
    auto o = catalog_of(10);
    o.port = first.endpoint().port;
    EXPECT_THROW(billion::mock::Server second(o), std::exception);
}

// HTTP/1.1 pipelining: requests written back to back, before any answer is read, are
// answered in order, files, errors and pages alike (what a pipelining client relies on).
TEST(Server, PipelinedRequestsAreAnsweredInOrder) {
    auto o = catalog_of(50, 10);
    MockServer s(o);
    std::string req;
    for (int i : {3, 1, 4})
        req += "GET /get/" + o.catalog.name(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    req += "GET /get/nope.bin HTTP/1.1\r\nHost: x\r\n\r\n";
    req += "GET /list HTTP/1.1\r\nHost: x\r\n\r\n";
    req += "GET /get/" + o.catalog.name(9) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const std::string got = raw_exchange(s.endpoint().port, req);
    std::vector<std::pair<std::string, std::string>> answers;  // status line, body
    for (std::size_t pos = 0; pos < got.size();) {
        const auto end = got.find("\r\n\r\n", pos);
        ASSERT_NE(end, std::string::npos) << got.substr(pos);
        const std::string head = got.substr(pos, end - pos);
        const auto cl = head.find("Content-Length: ");
        ASSERT_NE(cl, std::string::npos) << head;
        const std::size_t length = std::stoul(head.substr(cl + 16));
        answers.emplace_back(head.substr(0, head.find("\r\n")), got.substr(end + 4, length));
        pos = end + 4 + length;
    }
    ASSERT_EQ(answers.size(), 6u) << got;
    const int files[] = {3, 1, 4};
    for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(answers[k].first, "HTTP/1.1 200 OK") << k;
        EXPECT_EQ(answers[k].second, o.catalog.content(files[k])) << k;
    }
    EXPECT_EQ(answers[3].first, "HTTP/1.1 404 Not Found");
    EXPECT_EQ(answers[4].first, "HTTP/1.1 200 OK");
    EXPECT_TRUE(json::parse(answers[4].second).contains("FileNames")) << answers[4].second;
    EXPECT_EQ(answers[5].second, o.catalog.content(9));
}

// Answers to pipelined requests go out in batches (one write a wake-up), yet every hostile
// mode keeps its documented behaviour inside a batch: what comes before a stall is sent, in
// order, then nothing; a bad Content-Length ends the batch and the connection; the counters
// count every answer once.
TEST(Server, ABatchKeepsHostileModesAndExactCounts) {
    using billion::mock::Hostile;
    auto o = catalog_of(30, 10);
    const std::string list = "GET /list HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string file = "GET /get/" + o.catalog.name(0) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
            ++n;
        return n;
    };
    {
        o.hostile = Hostile::stall;
        MockServer s(o);
        const std::string got = raw_exchange(s.endpoint().port, list + list + file + list, {0, 300000});
        EXPECT_EQ(count(got, "HTTP/1.1 200 OK"), 2u) << got;  // the two pages before the stall, whole
        EXPECT_EQ(count(got, "FileNames"), 2u) << got;
    }
    {
        o.hostile = Hostile::bad_length;
        MockServer s(o);
        const std::string got = raw_exchange(s.endpoint().port, list + file + list);
        EXPECT_EQ(count(got, "FileNames"), 1u) << got;  // nothing after the bad answer: it closed
        EXPECT_NE(got.find("Content-Length: abc\r\n"), std::string::npos) << got;
        EXPECT_LT(got.find("FileNames"), got.find("Content-Length: abc")) << got;
    }
    {
        o.hostile = Hostile::none;
        MockServer s(o);
        std::string many;
        for (int i = 0; i < 16; ++i)
            many += "GET /get/" + o.catalog.name(static_cast<std::uint64_t>(i)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        many += "GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        const std::string got = raw_exchange(s.endpoint().port, many);
        EXPECT_EQ(count(got, "HTTP/1.1 200 OK"), 17u) << got;
        const auto stats = json::parse(got.substr(got.rfind("\r\n\r\n") + 4));
        EXPECT_EQ(stats["get_ok"], 16u) << stats.dump();
    }
}

// A request whose head is cut by the end of a read, behind a whole one: the parser takes its
// request line at once; the rest, in a later read, completes the same request (no new parser
// that would find the head's middle, "bad method", and answer 400).
TEST(Server, ARequestHeadCutBetweenReadsInABatchIsAnsweredWhole) {
    auto o = catalog_of(30, 10);
    MockServer s(o);
    const int fd = billion::testkit::connect_loopback(s.endpoint().port);
    ASSERT_GE(fd, 0);
    const std::string first = "GET /get/" + o.catalog.name(1) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string second = "GET /get/" + o.catalog.name(2) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const std::size_t cut = second.find("Host") + 3;
    const std::string part = first + second.substr(0, cut);
    ASSERT_EQ(::write(fd, part.data(), part.size()), static_cast<ssize_t>(part.size()));
    // The first answer came: the server has read and parsed what was sent, the cut head too.
    std::string got;
    char buf[4096];
    const std::string one = "\r\n\r\n" + o.catalog.content(1);
    while (got.find(one) == std::string::npos) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        ASSERT_GT(n, 0) << got;
        got.append(buf, static_cast<std::size_t>(n));
    }
    const std::string rest = second.substr(cut);
    ASSERT_EQ(::write(fd, rest.data(), rest.size()), static_cast<ssize_t>(rest.size()));
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        got.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    EXPECT_EQ(got.find("400"), std::string::npos) << got;
    EXPECT_NE(got.find(o.catalog.content(2)), std::string::npos) << got;
}
