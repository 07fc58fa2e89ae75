#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include <dikkat/cli/cli.hpp>

using namespace dikkat;

namespace {
struct Run {
    std::optional<int> code;
    std::string out, err;
};

// A lesson-like parser: shared flags with defaults, plus --hidden and --cell.
Run run(const std::vector<std::string>& args, cli::Options& opt, std::size_t& hidden, std::string& cell) {
    cli::Parser p("01_rnn_cell", "An RNN's hidden state carries the past", opt);
    p.add_option("--hidden", hidden, "size of the hidden state");
    p.add_choice("--cell", cell, {"gru", "lstm"}, "recurrent cell");
    std::ostringstream out, err;
    Run r;
    r.code = p.parse(args, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

Run run(const std::vector<std::string>& args) {
    cli::Options opt;
    opt.steps = 100;
    opt.lr = 0.01f;
    std::size_t hidden = 64;
    std::string cell = "gru";
    return run(args, opt, hidden, cell);
}

std::size_t count_lines(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += c == '\n';
    return n;
}
}  // namespace

TEST_CASE("the shared flags and a lesson's own flags are parsed") {
    cli::Options opt;
    opt.steps = 100;
    opt.lr = 0.01f;
    std::size_t hidden = 64;
    std::string cell = "gru";
    const Run r = run({"--seed", "7", "--quick", "--steps=20", "--lr", "0.5", "--hidden", "32", "--cell",
                       "lstm", "--out", "runs/x"},
                      opt, hidden, cell);
    CHECK_FALSE(r.code.has_value());
    CHECK(opt.seed == 7);
    CHECK(opt.quick);
    CHECK(opt.steps == 20);
    CHECK(opt.lr == doctest::Approx(0.5f));
    CHECK(hidden == 32);
    CHECK(cell == "lstm");
    CHECK(opt.out == "runs/x");
}

TEST_CASE("the output folder defaults to runs/<lesson>") {
    cli::Options opt;
    std::size_t hidden = 64;
    std::string cell = "gru";
    CHECK_FALSE(run({}, opt, hidden, cell).code.has_value());
    CHECK(opt.out == "runs/01_rnn_cell");
}

TEST_CASE("--help prints the usage with every flag and exits with code 0") {
    const Run r = run({"--help"});
    REQUIRE(r.code.has_value());
    CHECK(*r.code == 0);
    for (const char* flag :
         {"--seed", "--quick", "--out", "--threads", "--steps", "--lr", "--hidden", "--cell"})
        CHECK_MESSAGE(r.out.find(flag) != std::string::npos, flag);
    CHECK(r.err.empty());
}

TEST_CASE("an unknown flag gives a one-line error, the usage and exit code 2") {
    const Run r = run({"--hiden", "32"});
    REQUIRE(r.code.has_value());
    CHECK(*r.code == 2);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(r.err.find("--hiden") < r.err.find('\n'));  // named on the first line
    CHECK(r.err.find("usage: 01_rnn_cell") != std::string::npos);
    CHECK(count_lines(r.err.substr(0, r.err.find("usage:"))) == 1);
}

TEST_CASE("bad values give a one-line error and exit code 2") {
    for (const auto& args : std::vector<std::vector<std::string>>{{"--steps", "abc"},
                                                                  {"--steps", "0"},
                                                                  {"--lr", "-1"},
                                                                  {"--threads", "0"},
                                                                  {"--seed", "x"},
                                                                  {"--cell", "rnn"},
                                                                  {"--hidden"},
                                                                  {"extra"}}) {
        const Run r = run(args);
        INFO(args[0]);
        REQUIRE(r.code.has_value());
        CHECK(*r.code == 2);
        CHECK(r.err.rfind("error: ", 0) == 0);
        CHECK(count_lines(r.err.substr(0, r.err.find("usage:"))) == 1);
    }
}

TEST_CASE("flags a lesson does not use are not offered") {
    cli::Options opt;  // steps, epochs and lr left at 0
    std::size_t hidden = 64;
    std::string cell = "gru";
    const Run r = run({"--epochs", "3"}, opt, hidden, cell);
    REQUIRE(r.code.has_value());
    CHECK(*r.code == 2);
}

TEST_CASE("print_config lists every flag with its value") {
    cli::Options opt;
    opt.epochs = 5;
    cli::Parser p("06_transfer_learning", "A frozen body and a new head", opt);
    bool frozen = true;
    p.add_flag("--frozen", frozen, "freeze the pretrained body");
    std::ostringstream out, err;
    REQUIRE_FALSE(p.parse(std::vector<std::string>{"--seed", "3"}, out, err).has_value());
    std::ostringstream cfg;
    p.print_config(cfg);
    CHECK(cfg.str().find("06_transfer_learning — A frozen body and a new head") == 0);
    CHECK(cfg.str().find("  seed     3\n") != std::string::npos);
    CHECK(cfg.str().find("  epochs   5\n") != std::string::npos);
    CHECK(cfg.str().find("  frozen   true\n") != std::string::npos);
}

TEST_CASE("a lesson that trains offers --resume, and says which command continues a stopped run") {
    cli::Options opt;
    opt.steps = 100;
    opt.resumable = true;
    std::size_t hidden = 64;
    std::string cell = "gru";
    CHECK(run({"--help"}, opt, hidden, cell).out.find("--resume") != std::string::npos);
    cli::Parser p("01_rnn_cell", "An RNN", opt);
    std::ostringstream out, err;
    REQUIRE_FALSE(p.parse({"--steps", "20", "--out", "my runs/it's here"}, out, err).has_value());
    CHECK(p.command_line() == "01_rnn_cell --steps 20 --out 'my runs/it'\\''s here'");
    const io::ResumeOptions r = p.resume_options();
    CHECK(r.lesson == "01_rnn_cell");
    CHECK(r.command == p.command_line() + " --resume");
    CHECK_FALSE(r.resume);
    CHECK(std::find(r.flags.begin(), r.flags.end(), std::pair<std::string, std::string>{"steps", "20"}) !=
          r.flags.end());
    CHECK(run({"--help"}).out.find("--resume") == std::string::npos);  // a lesson that does not train
}
