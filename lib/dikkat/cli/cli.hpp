// The command line every lesson shares (design §3):
//
//   --help          what the program does and every flag with its default
//   --seed N        same seed, same numbers (default 0)
//   --quick         a tiny configuration that finishes in seconds (the tests use it)
//   --out DIR       where the run's files go (default runs/<lesson>)
//   --threads N     threads a run splits its work across (default 1, or the lesson's; blas::set_num_threads)
//   --steps N / --epochs N / --lr X    offered when the lesson gives them a default
//   --resume        continue a run that Ctrl-C stopped (lessons that train: io/resume.hpp)
//
// plus the lesson's own flags. A mistake prints one line and the usage, and the program exits
// with code 2:
//
//   error: The following argument was not expected: --hiden
//   usage: 01_rnn_cell [--help] [--seed N] [--quick] ... (run '01_rnn_cell --help' for details)
//
// In a lesson:
//
//     cli::Options opt;                       // the shared flags, with this lesson's defaults
//     opt.steps = 2000;
//     opt.lr = 3e-3f;
//     std::size_t hidden = 64;
//     cli::Parser cli("01_rnn_cell", "An RNN's hidden state carries the past", opt);
//     cli.add_option("--hidden", hidden, "size of the hidden state");
//     if (auto code = cli.parse(argc, argv)) return *code;   // --help: 0, a bad flag: 2
//     cli.print_config();
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <dikkat/io/resume.hpp>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace dikkat::cli {

/// The flags every lesson shares. Set the lesson's defaults before constructing the Parser.
struct Options {
    std::uint64_t seed = 0;
    bool quick = false;
    std::string out;  ///< empty: `runs/<lesson>`
    int threads = 1;
    int steps = 0;           ///< 0: this lesson has no --steps flag
    int epochs = 0;          ///< 0: this lesson has no --epochs flag
    float lr = 0.0f;         ///< 0: this lesson has no --lr flag
    bool resumable = false;  ///< true: the lesson's training saves itself on Ctrl-C; offers --resume
    bool resume = false;     ///< --resume: continue the run saved in --out
};

class Parser {
  public:
    /// Registers the shared flags, bound to `options` (which must outlive the parser).
    Parser(std::string lesson, std::string description, Options& options);
    ~Parser();
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;

    /// A lesson's own option "--name VALUE", bound to `value` (whose current value is the
    /// default shown by --help). Numbers are checked: "--hidden abc" is an error.
    Parser& add_option(const std::string& name, int& value, const std::string& help);
    Parser& add_option(const std::string& name, std::size_t& value, const std::string& help);
    Parser& add_option(const std::string& name, float& value, const std::string& help);
    Parser& add_option(const std::string& name, double& value, const std::string& help);
    Parser& add_option(const std::string& name, std::string& value, const std::string& help);
    /// An option whose value must be one of `choices` (e.g. --cell gru|lstm).
    Parser& add_choice(const std::string& name, std::string& value, const std::vector<std::string>& choices,
                       const std::string& help);
    /// A switch "--name" that sets `value` to true.
    Parser& add_flag(const std::string& name, bool& value, const std::string& help);

    /// Parses the command line and applies --threads. Returns nothing when the program should
    /// go on; 0 after printing --help to `out`; 2 after printing "error: ..." and the usage to
    /// `err`. Never exits by itself.
    ///
    /// The (argc, argv) form, which lessons call first thing in main(), first makes sure
    /// OpenBLAS runs a fast core (blas::ensure_fast_core): on a CPU OpenBLAS does not recognise
    /// it may restart the program once with OPENBLAS_CORETYPE set. It also has the allocator
    /// keep freed arrays for reuse (reuse_freed_memory in tensor.hpp).
    std::optional<int> parse(int argc, const char* const* argv);
    std::optional<int> parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err);
    /// The same for a list of arguments without the program name (for tests).
    std::optional<int> parse(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

    /// True when `name` ("--translate") was on the command line (even with an empty value).
    bool given(const std::string& name) const;

    /// The command as it was run, each argument quoted for a shell where it needs it.
    std::string command_line() const;
    /// What io::Resume needs to know of this run: the lesson, every flag's value, and the command
    /// that continues the run (this one, with --resume).
    io::ResumeOptions resume_options() const;

    /// "usage: NAME [--help] [--seed N] ..." on one line.
    std::string usage() const;
    /// The full --help text.
    std::string help() const;
    /// Every flag's name (without dashes) and current value, in the order they were added.
    std::vector<std::pair<std::string, std::string>> config() const;
    /// The lesson's name, its description and config(), one flag per line, then the BLAS in
    /// use (library, version, core, threads: the speed and the last digits depend on it).
    void print_config(std::ostream& out) const;
    void print_config() const;

    const std::string& lesson() const { return lesson_; }

  private:
    struct Entry {
        std::string name, metavar;
        std::function<std::string()> value;
    };
    void remember(CLI::Option* option, std::string metavar, std::function<std::string()> value);

    std::string lesson_, description_;
    Options& options_;
    std::unique_ptr<CLI::App> app_;
    std::vector<Entry> entries_;
    std::vector<std::string> args_;  ///< the command line, program first, as parse() got it
};

}  // namespace dikkat::cli
