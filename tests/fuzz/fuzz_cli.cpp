// Fuzz target: any command line for the lessons' shared parser (cli/cli.hpp) — the input cut at
// NUL bytes into arguments, as the kernel hands them to main() — with the shared flags, every kind
// of lesson flag, and the translation lessons' --translate/--eval/--checkpoint/--beam.
// Parser::parse never exits: --help answers 0, a mistake 2.
// Promises checked: the answer is "go on", 0 (help printed) or 2 (one "error: ..." line and the
// usage); the configuration can be printed after any command line that parsed.
#include <sstream>

#include <dikkat/blas.hpp>
#include <dikkat/cli/cli.hpp>
#include <dikkat/seq2seq/commands.hpp>

#include "fuzz.hpp"

using namespace dikkat;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> args = fuzz::split(fuzz::bytes(data, size), '\0');
    if (size == 0) args.clear();
    cli::Options opt;  // every shared flag: --steps, --epochs and --lr exist only with a default
    opt.steps = 100;
    opt.epochs = 2;
    opt.lr = 3e-3f;
    int layers = 2;
    std::size_t hidden = 64;
    float dropout = 0.1f;
    double temperature = 0.8;
    std::string text_file, cell = "gru";
    bool use_my_code = false;
    seq2seq::Commands commands;
    fuzz::refused_or_accepted([&] {
        cli::Parser cli("fuzz_cli", "the lessons' command line", opt);
        cli.add_option("--layers", layers, "an int");
        cli.add_option("--hidden", hidden, "a size");
        cli.add_option("--dropout", dropout, "a float");
        cli.add_option("--temperature", temperature, "a double");
        cli.add_option("--text", text_file, "a string");
        cli.add_choice("--cell", cell, {"gru", "lstm"}, "a choice");
        cli.add_flag("--use-my-code", use_my_code, "a flag");
        commands.add_flags(cli);
        std::ostringstream out, err;
        const std::optional<int> code = cli.parse(args, out, err);
        blas::set_num_threads(1);  // --threads may have asked for many; the next input starts afresh
        if (!code) {
            fuzz::require(err.str().empty(), "a command line that parsed prints no error");
            std::ostringstream config;
            cli.print_config(config);
            commands.use_checkpoint(cli);
        } else if (*code == 0) {
            fuzz::require(out.str().find("--seed") != std::string::npos, "--help lists the flags");
        } else {
            fuzz::require(*code == 2 && err.str().rfind("error: ", 0) == 0 &&
                              err.str().find("usage: fuzz_cli") != std::string::npos,
                          "a mistake answers 2 with an error line and the usage");
        }
    });
    return 0;
}
