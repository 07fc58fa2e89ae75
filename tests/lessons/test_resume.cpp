// Ctrl-C and --resume in every lesson that trains: a short --quick run at one thread, the same run
// stopped by Ctrl-C at a chosen step of a chosen job (DIKKAT_INTERRUPT_AT_STEP sends the real
// SIGINT there), then the command it printed — the same with --resume. The stopped-and-resumed run
// must leave byte for byte the files of the run that never stopped: checkpoints, metrics, figures,
// and summary.json's numbers (only its timings may differ).
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lesson_run.hpp"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }  // no ' in these paths

// Runs `command` (a shell line) with its output in `log`; returns the exit status.
int run(const std::string& command, const fs::path& log) {
    const int status = std::system((command + " > " + quoted(log.string()) + " 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// summary.json without what a clock measured, and with its run folder `dir` written <out> (where a
// checkpoint is).
nlohmann::json comparable(nlohmann::json j, const std::string& dir) {
    static const std::set<std::string> timings = {"train_seconds", "seconds", "step_ms_by_length",
                                                  "thread_speedup"};
    if (j.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto& [key, value] : j.items())
            if (!timings.count(key)) out[key] = comparable(value, dir);
        return out;
    }
    if (j.is_array())
        for (auto& v : j) v = comparable(v, dir);
    if (j.is_string() && j.get<std::string>().rfind(dir, 0) == 0)
        j = "<out>" + j.get<std::string>().substr(dir.size());
    return j;
}

// Every file of `whole` (but the figures drawn against seconds) must be in `resumed`, the same.
void check_same_files(const fs::path& whole, const fs::path& resumed) {
    std::size_t compared = 0;
    for (const auto& f : fs::recursive_directory_iterator(whole)) {
        if (!f.is_regular_file()) continue;
        const fs::path rel = fs::relative(f.path(), whole), other = resumed / rel;
        const std::string name = rel.filename().string();
        if (name == "bleu_vs_seconds.svg" || name == "step_time.svg") continue;  // x axis: seconds
        CAPTURE(rel.string());
        REQUIRE(fs::exists(other));
        if (name == "summary.json")
            CHECK(comparable(nlohmann::json::parse(read(f.path())), whole.string()) ==
                  comparable(nlohmann::json::parse(read(other)), resumed.string()));
        else
            CHECK_MESSAGE(read(f.path()) == read(other), "differs from the uninterrupted run's");
        ++compared;
    }
    MESSAGE(compared << " files compared");
    CHECK(compared >= 3);
    for (const auto& f : fs::recursive_directory_iterator(resumed))
        CHECK_MESSAGE(fs::exists(whole / fs::relative(f.path(), resumed)), f.path().string());
}

// The lesson run whole, then stopped at each of `stops` in turn ("job:step") and resumed with the
// command it printed; each time the files must equal the whole run's.
void check_resume(const std::string& lesson, const std::string& args, const std::vector<std::string>& stops) {
    const char* build = std::getenv("DIKKAT_BUILD_DIR");
    const fs::path program = fs::path(build ? build : "build") / "lessons" / lesson;
    const fs::path dir = lesson_run_file("resume", lesson);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string base = quoted(program.string()) + " --quick --threads 1 " + args;
    REQUIRE_MESSAGE(run(base + " --out " + quoted((dir / "whole").string()), dir / "whole.log") == 0,
                    read(dir / "whole.log"));
    for (const std::string& stop : stops) {
        CAPTURE(stop);
        const fs::path out = dir / "stopped";
        fs::remove_all(out);
        const int status =
            run("DIKKAT_INTERRUPT_AT_STEP=" + quoted(stop) + " " + base + " --out " + quoted(out.string()),
                dir / "stopped.log");
        const std::string log = read(dir / "stopped.log");
        REQUIRE_MESSAGE(status == 130, log);  // 128 + SIGINT
        const std::string job = stop.substr(0, stop.rfind(':')), step = stop.substr(stop.rfind(':') + 1);
        CHECK(log.find("Ctrl-C: stopped '" + job + "' after step " + step + " of ") != std::string::npos);
        CHECK(fs::exists(out / "resume.safetensors"));
        const std::size_t at = log.find("Continue it with:\n  ");
        REQUIRE_MESSAGE(at != std::string::npos, log);
        const std::string command = log.substr(at + 20, log.find('\n', at + 20) - at - 20);
        CHECK(command.size() > 9);
        CHECK(command.compare(command.size() - 9, 9, " --resume") == 0);
        REQUIRE_MESSAGE(run(command, dir / "resumed.log") == 0, read(dir / "resumed.log"));
        CHECK(read(dir / "resumed.log").find("continues after step " + step) != std::string::npos);
        CHECK_FALSE(fs::exists(out / "resume.safetensors"));  // the run completed
        check_same_files(dir / "whole", out);
    }
}

}  // namespace

TEST_CASE("lesson 01 stopped by Ctrl-C in either job and resumed leaves the files of a run never stopped") {
    check_resume("01_rnn_cell", "--steps 40 --ablation-steps 20", {"train:13", "no_memory:7"});
}

TEST_CASE("lesson 02 stopped by Ctrl-C and resumed leaves the files of a run never stopped") {
    check_resume("02_encoder_decoder", "--steps 40", {"train:17"});
}

TEST_CASE("lesson 03 stopped by Ctrl-C right after a BLEU report and resumed leaves the same files") {
    check_resume("03_bahdanau_attention", "--steps 40", {"train:24"});  // BLEU every 8 steps
}

TEST_CASE("lesson 04 stopped by Ctrl-C in lesson 3's training and resumed leaves the same files") {
    check_resume("04_transformer",
                 "--steps 30 --lesson3-steps 30 --timing-repeats 1 --compare no-lesson-3-summary.json",
                 {"lesson_3:11"});
}

TEST_CASE("lesson 05 stopped by Ctrl-C in BERT's training and resumed leaves the same files") {
    check_resume("05_gpt_vs_bert", "--steps 30 --bert-steps 30", {"bert:11"});
}

TEST_CASE("lesson 06 stopped by Ctrl-C in a fine-tuning's second phase and resumed leaves the same files") {
    check_resume("06_transfer_learning",
                 "--general-windows 12 --review-windows 12 --sizes 16 --scratch-steps 20 --phase-steps 6 "
                 "--test-reviews 200",
                 {"unfrozen/N=16/seed=0:8"});
}

TEST_CASE("lesson 07 stopped by Ctrl-C in a training from scratch and resumed leaves the same files") {
    check_resume("07_vision_transfer", "--epochs 1 --sizes 10 --scratch-steps 20 --head-steps 30",
                 {"scratch/N=10/seed=0:7"});
}
