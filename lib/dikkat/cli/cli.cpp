#include <dikkat/cli/cli.hpp>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include <dikkat/blas.hpp>
#include <dikkat/error.hpp>
#include <dikkat/tensor.hpp>

namespace dikkat::cli {

namespace {

template <class T>
std::string to_text(const T& v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

// Checks that run before CLI11 converts the text, so that the message says what was wanted.
// (CLI11's own PositiveNumber prints the whole range of double, and unsigned options would
// quietly turn "-1" into 18446744073709551615.)
const CLI::Validator whole_number(
    [](std::string& text) {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
            return "expected a whole number >= 0, got '" + text + "'";
        return std::string();
    },
    "", "whole number");

const CLI::Validator positive_number(
    [](std::string& text) {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(v) || v <= 0)
            return "expected a number > 0, got '" + text + "'";
        return std::string();
    },
    "", "positive number");

// Characters a shell reads as they are, in a word of their own (Parser::command_line quotes the rest).
const char* const shell_safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%";

}  // namespace

Parser::Parser(std::string lesson, std::string description, Options& options)
    : lesson_(std::move(lesson)),
      description_(std::move(description)),
      options_(options),
      app_(std::make_unique<CLI::App>(description_, lesson_)) {
    if (options_.out.empty()) options_.out = "runs/" + lesson_;
    app_->get_formatter()->column_width(28);

    Options& o = options_;
    remember(app_->add_option("--seed", o.seed, "random seed: same seed, same numbers")->check(whole_number),
             "N", [&o] { return to_text(o.seed); });
    remember(app_->add_flag("--quick", o.quick, "tiny configuration that finishes in seconds"), "",
             [&o] { return std::string(o.quick ? "true" : "false"); });
    remember(app_->add_option("--out", o.out, "folder for this run's files"), "DIR", [&o] { return o.out; });
    remember(app_->add_option("--threads", o.threads,
                              "threads to split matrix products and row-by-row work across")
                 ->check(positive_number),
             "N", [&o] { return to_text(o.threads); });
    // The training flags exist only when the lesson gives them a default.
    if (o.steps > 0)
        remember(app_->add_option("--steps", o.steps, "training steps")->check(positive_number), "N",
                 [&o] { return to_text(o.steps); });
    if (o.epochs > 0)
        remember(
            app_->add_option("--epochs", o.epochs, "passes over the training data")->check(positive_number),
            "N", [&o] { return to_text(o.epochs); });
    if (o.lr > 0)
        remember(app_->add_option("--lr", o.lr, "learning rate")->check(positive_number), "X",
                 [&o] { return to_text(o.lr); });
    if (o.resumable)
        remember(app_->add_flag("--resume", o.resume,
                                "continue the run that Ctrl-C stopped (saved in --out), with the same flags"),
                 "", [&o] { return std::string(o.resume ? "true" : "false"); });
}

Parser::~Parser() = default;

void Parser::remember(CLI::Option* option, std::string metavar, std::function<std::string()> value) {
    if (!metavar.empty()) option->type_name(metavar);
    option->capture_default_str();
    entries_.push_back({option->get_name(), std::move(metavar), std::move(value)});
}

Parser& Parser::add_option(const std::string& name, int& value, const std::string& help) {
    remember(app_->add_option(name, value, help), "N", [&value] { return to_text(value); });
    return *this;
}

Parser& Parser::add_option(const std::string& name, std::size_t& value, const std::string& help) {
    remember(app_->add_option(name, value, help)->check(whole_number), "N",
             [&value] { return to_text(value); });
    return *this;
}

Parser& Parser::add_option(const std::string& name, float& value, const std::string& help) {
    remember(app_->add_option(name, value, help), "X", [&value] { return to_text(value); });
    return *this;
}

Parser& Parser::add_option(const std::string& name, double& value, const std::string& help) {
    remember(app_->add_option(name, value, help), "X", [&value] { return to_text(value); });
    return *this;
}

Parser& Parser::add_option(const std::string& name, std::string& value, const std::string& help) {
    remember(app_->add_option(name, value, help), "TEXT", [&value] { return value; });
    return *this;
}

Parser& Parser::add_choice(const std::string& name, std::string& value,
                           const std::vector<std::string>& choices, const std::string& help) {
    std::string metavar;
    for (const auto& c : choices) metavar += (metavar.empty() ? "" : "|") + c;
    remember(app_->add_option(name, value, help)->check(CLI::IsMember(choices).description("")), metavar,
             [&value] { return value; });
    return *this;
}

Parser& Parser::add_flag(const std::string& name, bool& value, const std::string& help) {
    remember(app_->add_flag(name, value, help), "",
             [&value] { return std::string(value ? "true" : "false"); });
    return *this;
}

std::optional<int> Parser::parse(int argc, const char* const* argv) {
    blas::ensure_fast_core(argc, argv);  // may restart the program with a faster OpenBLAS core
    reuse_freed_memory();                // a training step's arrays are the next step's too
    return parse(argc, argv, std::cout, std::cerr);
}

std::optional<int> Parser::parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    args_.assign(argv, argv + argc);
    try {
        app_->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        out << help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << help();
        return 0;
    } catch (const CLI::ParseError& e) {
        err << "error: " << one_line(e.what()) << "\n" << usage() << "\n";
        return 2;
    }
    blas::set_num_threads(options_.threads);
    return std::nullopt;
}

std::optional<int> Parser::parse(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::vector<const char*> argv{lesson_.c_str()};
    for (const auto& a : args) argv.push_back(a.c_str());
    return parse(static_cast<int>(argv.size()), argv.data(), out, err);
}

bool Parser::given(const std::string& name) const { return app_->count(name) > 0; }

std::string Parser::command_line() const {
    std::string line;
    for (const std::string& arg : args_) {
        const bool plain = !arg.empty() && arg.find_first_not_of(shell_safe) == std::string::npos;
        std::string quoted = "'";  // a single-quoted word keeps everything but ', written '\''
        for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += (line.empty() ? "" : " ") + (plain ? arg : quoted + "'");
    }
    return line;
}

io::ResumeOptions Parser::resume_options() const {
    io::ResumeOptions r{lesson_, config(), command_line(), options_.resume};
    if (!options_.resume) r.command += " --resume";
    return r;
}

std::string Parser::usage() const {
    std::string u = "usage: " + lesson_ + " [--help]";
    for (const Entry& e : entries_) u += " [" + e.name + (e.metavar.empty() ? "" : " " + e.metavar) + "]";
    return u + "\n       (run '" + lesson_ + " --help' for details)";
}

std::string Parser::help() const { return app_->help(); }

std::vector<std::pair<std::string, std::string>> Parser::config() const {
    std::vector<std::pair<std::string, std::string>> c;
    for (const Entry& e : entries_) c.emplace_back(e.name.substr(e.name.find_first_not_of('-')), e.value());
    return c;
}

void Parser::print_config(std::ostream& out) const {
    out << lesson_ << " — " << description_ << "\n";
    auto c = config();
    c.emplace_back("blas", blas::describe(blas::info()));  // the numbers depend on it: say which
    std::size_t w = 0;
    for (const auto& [k, v] : c) w = std::max(w, k.size());
    for (const auto& [k, v] : c) out << "  " << k << std::string(w - k.size() + 2, ' ') << v << "\n";
    out << std::flush;
}

void Parser::print_config() const { print_config(std::cout); }

}  // namespace dikkat::cli
