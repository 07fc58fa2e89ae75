// A save that never finishes: a process is killed (SIGKILL, nothing runs after it) while its
// checkpoint is half written, and the checkpoint it had saved before must still load, whole.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/nn/linear.hpp>

#include "io_test_util.hpp"

extern char** environ;

using namespace dikkat;
namespace fs = std::filesystem;

namespace {

// The temporary file a save is writing next to `path` (write_file_atomic's PATH.tmp-XXXXXX), if any.
fs::path temporary_next_to(const fs::path& path) {
    const std::string prefix = path.filename().string() + ".tmp-";
    for (const auto& entry : fs::directory_iterator(path.parent_path()))
        if (entry.path().filename().string().rfind(prefix, 0) == 0) return entry.path();
    return {};
}

// Starts save_forever, waits until one checkpoint is whole and the next is being written (its
// temporary file exists, shorter than a whole one), and kills it there. Returns false if that
// moment never came within 30 seconds.
bool kill_in_the_middle_of_a_save(const std::string& saver, const fs::path& path) {
    std::string path_arg = path.string(), saver_arg = saver;
    char* argv[] = {saver_arg.data(), path_arg.data(), nullptr};
    pid_t pid = 0;
    REQUIRE_MESSAGE(::posix_spawn(&pid, saver.c_str(), nullptr, nullptr, argv, environ) == 0,
                    "cannot start " << saver);
    bool caught = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!caught && std::chrono::steady_clock::now() < deadline) {
        std::error_code ec;
        const auto whole = fs::file_size(path, ec);
        const fs::path tmp = ec ? fs::path() : temporary_next_to(path);
        if (!tmp.empty()) {
            const auto written = fs::file_size(tmp, ec);
            caught = !ec && written < whole;
        }
        if (!caught) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return caught;
}

}  // namespace

TEST_CASE("a process killed in the middle of a save leaves the checkpoint before it whole") {
    const char* build = std::getenv("DIKKAT_BUILD_DIR");
    REQUIRE_MESSAGE(build != nullptr, "DIKKAT_BUILD_DIR is not set (ctest sets it)");
    const std::string saver = std::string(build) + "/tests/io/save_forever";
    REQUIRE_MESSAGE(fs::exists(saver), saver << " is not built");

    io_test::TempDir dir;
    const fs::path path = dir.path / "model.safetensors";
    Rng rng(1);
    nn::Linear model(2048, 2048, rng);
    for (int round = 1; round <= 5; ++round) {  // each round a new saver, over the last one's file
        CAPTURE(round);
        REQUIRE_MESSAGE(kill_in_the_middle_of_a_save(saver, path),
                        "save_forever was never seen in the middle of a save");
        // The kill left the half-written temporary file behind: proof it landed mid-save.
        const fs::path leftover = temporary_next_to(path);
        REQUIRE(!leftover.empty());
        CHECK(fs::file_size(leftover) < fs::file_size(path));
        fs::remove(leftover);

        // The checkpoint loads strictly, and every number in it comes from one version.
        const io::LoadReport report = io::load_checkpoint(path.string(), model);
        const long version = std::stol(report.metadata.at("version"));
        CAPTURE(version);
        CHECK(version >= 1);
        CHECK(xt::all(xt::equal(model.weight.value(), static_cast<float>(version))));
        CHECK(xt::all(xt::equal(model.bias.value(), static_cast<float>(version))));
    }
}
