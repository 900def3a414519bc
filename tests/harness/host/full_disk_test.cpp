// A disk that fills mid-run: the checkpoint on disk stays a good one (never an empty or half
// file), the end line says "written" only when it was, and once there is room again --resume
// ends with exactly the catalog, needing room only for the files not yet on disk. Runs on a
// small tmpfs the test mounts; skipped where it may not mount one.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "harness/run/checkpoint.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/test_server.hpp"

namespace fs = std::filesystem;
using billion::testkit::Billion;
using billion::testkit::run_billion;

namespace {

// A tmpfs of `size` mounted on a fresh directory, unmounted after.
class SmallDisk {
public:
    explicit SmallDisk(const std::string& tag, const std::string& size) : dir_(tag) {
        mounted_ = ::mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    }
    ~SmallDisk() {
        if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
    }
    bool mounted() const { return mounted_; }
    const fs::path& path() const { return dir_.path(); }
    std::uint64_t free_bytes() const {
        struct statvfs v {};
        ::statvfs(path().c_str(), &v);
        return static_cast<std::uint64_t>(v.f_bavail) * v.f_frsize;
    }

private:
    billion::testkit::TempDir dir_;
    bool mounted_ = false;
};

// Takes every free byte of the disk (as `fallocate` of the rest would), until shrunk.
class Filler {
public:
    explicit Filler(const fs::path& file) : path_(file) {
        fd_ = ::open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        for (off_t chunk = off_t{1} << 24; fd_ >= 0 && chunk >= 4096;)
            if (::fallocate(fd_, 0, size_, chunk) == 0)
                size_ += chunk;
            else
                chunk /= 2;
    }
    ~Filler() {
        if (fd_ >= 0) ::close(fd_);
        ::unlink(path_.c_str());
    }
    // Gives back all but `keep` bytes.
    void shrink_to(off_t keep) { ASSERT_EQ(::ftruncate(fd_, std::min(keep, size_)), 0); }

private:
    fs::path path_;
    int fd_ = -1;
    off_t size_ = 0;
};

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (auto& e : fs::recursive_directory_iterator(dir, ec))
        n += e.is_regular_file();
    return n;
}

struct Case {
    const char* strategy;
    const char* sink;
};

class FullDisk : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(FullDisk, TheCheckpointStaysGoodAndAResumeEndsWithTheCatalog) {
    const auto [strategy, sink] = GetParam();
    SmallDisk disk(std::string("full-disk-") + strategy + "-" + sink, "128m");
    if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
    const auto out = (disk.path() / "out").string();
    const std::vector<std::string> args = {"compare", "--strategies", strategy, "--files", "20k",  "--latency",
                                           "2ms",     "--concurrency", "8",    "--sink",  sink,   "--out",
                                           out};
    std::optional<Filler> filler;
    {
        Billion b(args);
        ASSERT_TRUE(b.wait_for(std::string(strategy) + ": running")) << b.err();
        const std::string url = billion::testkit::embedded_url(b.err());
        ASSERT_TRUE(b.wait_until([&] { return billion::testkit::files_served(url) >= 4000; })) << b.err();
        filler.emplace(disk.path() / "filler");
        EXPECT_LT(disk.free_bytes(), 64 * 1024u);
        EXPECT_EQ(b.finish(), 1) << b.err();
        // Never an empty or half-written checkpoint, and never a false "written".
        const auto cp = billion::harness::load_checkpoint(fs::path(out) / strategy);
        ASSERT_TRUE(cp) << cp.error() << "\n" << b.err();
        if (b.err().find("checkpoint " + out + "/" + strategy + ".checkpoint.json written") == std::string::npos) {
            EXPECT_NE(b.err().find("is still true"), std::string::npos) << b.err();
        }
        EXPECT_EQ(b.err().find("written; the same command"), std::string::npos) << "the disk was full: " << b.err();
    }
    filler.reset();
    const std::string resume = "compare --strategies " + std::string(strategy) +
                               " --files 20k --latency 2ms --concurrency 8 --sink " + sink + " --out " + out +
                               " --resume";
    std::optional<Filler> rest;
    if (std::string(sink) == "files") {
        // Room for the files left and a little more, less than the whole catalog needs: enough.
        // Most of the 4,000 served before the disk filled (a writer thread may trail the server).
        const std::size_t on_disk = files_in(fs::path(out) / strategy);
        ASSERT_GT(on_disk, 2000u);
        const std::uint64_t room = (20000 - on_disk + 400) * 4096 + (2 << 20);
        ASSERT_LT(room, 20000u * 4096);
        const std::uint64_t free = disk.free_bytes();
        rest.emplace(disk.path() / "rest");
        rest->shrink_to(static_cast<off_t>(free - room));
    }
    auto r = run_billion(resume);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find(", verified"), std::string::npos) << r.out;
    if (std::string(sink) == "files") {
        EXPECT_EQ(files_in(fs::path(out) / strategy), 20000u);
    }
}

INSTANTIATE_TEST_SUITE_P(Sinks, FullDisk,
                         ::testing::Values(Case{"async", "files"}, Case{"combo", "files"}, Case{"async", "sqlite"},
                                           Case{"combo", "sqlite"}),
                         [](const auto& info) { return std::string(info.param.strategy) + "_" + info.param.sink; });
