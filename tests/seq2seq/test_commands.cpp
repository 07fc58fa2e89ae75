// The flags every translation lesson shares (seq2seq/commands.hpp): which checkpoint they read,
// and --eval / --translate answered from a checkpoint alone.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include <dikkat/cli/cli.hpp>
#include <dikkat/seq2seq/commands.hpp>
#include <dikkat/seq2seq/evaluate.hpp>

#include "../io/io_test_util.hpp"
#include "seq2seq_test_util.hpp"

using namespace dikkat;
using io_test::TempDir;
using seq2seq_test::CopyTranslator;
using seq2seq_test::lesson;
using seq2seq_test::word_for_word;

namespace {

// Builds what the checkpoint's configuration describes: here a CopyTranslator of `vocab` words.
std::unique_ptr<seq2seq::Translator> build_copy(const nlohmann::json& config) {
    return std::make_unique<CopyTranslator>(config.at("vocab").get<std::size_t>());
}

// A run folder with a "trained" CopyTranslator's checkpoint where training writes it.
void save_copy_translator(const std::string& out_dir) {
    const data::ParallelCorpus vocabs = word_for_word();
    const CopyTranslator model(vocabs.target_vocab.size());
    std::filesystem::create_directories(out_dir);
    seq2seq::save_translator(out_dir + "/translator.safetensors", model,
                             nlohmann::json{{"vocab", vocabs.target_vocab.size()}}, vocabs, lesson);
}
}  // namespace

TEST_CASE("Commands read the checkpoint training wrote unless --checkpoint names another") {
    seq2seq::Commands c;
    CHECK(c.checkpoint_path("runs/02") == "runs/02/translator.safetensors");
    c.checkpoint = "elsewhere/model.safetensors";
    CHECK(c.checkpoint_path("runs/02") == "elsewhere/model.safetensors");
}

TEST_CASE("Commands answer from a checkpoint when --translate or --eval is given, even empty") {
    auto parsed = [](const std::vector<std::string>& args) {
        cli::Options opt;
        seq2seq::Commands c;
        auto cli = std::make_unique<cli::Parser>(lesson, "test", opt);
        c.add_flags(*cli);
        std::ostringstream out, err;
        REQUIRE_FALSE(cli->parse(args, out, err).has_value());
        return c.use_checkpoint(*cli);
    };
    CHECK_FALSE(parsed({}));
    CHECK_FALSE(parsed({"--beam", "4", "--checkpoint", "a.safetensors"}));
    CHECK(parsed({"--translate", "the cat sleeps ."}));
    CHECK(parsed({"--eval", "mine.tsv"}));
    CHECK(parsed({"--translate", ""}));  // given, but empty: run_commands says what is missing
}

TEST_CASE("run_commands refuses an empty sentence, an empty file name and a beam of 0") {
    TempDir dir;
    for (auto [translate, eval_file, beam, expected] :
         {std::tuple{"", "", 1, "--translate or --eval needs a value"},
          std::tuple{"the cat sleeps .", "", 0, "--beam must be at least 1"}}) {
        seq2seq::Commands c;
        c.translate = translate;
        c.eval_file = eval_file;
        c.beam = static_cast<std::size_t>(beam);
        CHECK_THROWS_WITH_AS(seq2seq::run_commands(c, lesson, dir.file("run"), build_copy),
                             doctest::Contains(expected), ValueError);
    }
}

TEST_CASE("run_commands without a trained model says to train the lesson first") {
    TempDir dir;
    seq2seq::Commands c;
    c.translate = "the cat sleeps .";
    CHECK_THROWS_WITH_AS(seq2seq::run_commands(c, lesson, dir.file("run"), build_copy),
                         doctest::Contains("train one first (run 02_encoder_decoder"), IoError);
}

TEST_CASE("run_commands translates a sentence with the model its checkpoint describes") {
    TempDir dir;
    save_copy_translator(dir.file("run"));
    seq2seq::Commands c;
    c.translate = "The cat sleeps.";
    CHECK_NOTHROW(seq2seq::run_commands(c, lesson, dir.file("run"), build_copy));
    c.translate = "The cta sleeps.";
    CHECK_THROWS_WITH_AS(seq2seq::run_commands(c, lesson, dir.file("run"), build_copy),
                         doctest::Contains("unknown word \"cta\""), ValueError);
}

TEST_CASE("run_commands --eval scores a file of pairs and writes eval.json into the run folder") {
    TempDir dir;
    save_copy_translator(dir.file("run"));
    const std::string tsv = dir.file("mine.tsv");
    std::ofstream(tsv)
        << "the cat sleeps .\tle chat dort .\nthe dog sleeps .\tle chat dort .\ndog .\tchien .\n";
    seq2seq::Commands c;
    c.eval_file = tsv;
    c.beam = 2;
    seq2seq::run_commands(c, lesson, dir.file("run"), build_copy);
    std::ifstream in(dir.file("run") + "/eval.json");
    REQUIRE(in.good());
    const nlohmann::json result = nlohmann::json::parse(in);
    CHECK(result.at("sentences") == 3);
    CHECK(result.at("exact_match").get<double>() == doctest::Approx(2.0 / 3.0));
    CHECK(result.at("beam") == 2);
    CHECK(result.at("file") == tsv);
    CHECK(result.at("checkpoint") == dir.file("run") + "/translator.safetensors");
}

TEST_CASE("run_commands --eval refuses a sentence longer than max_sentence_words, naming file:line") {
    // The same limit as --translate's (found by tests/fuzz/fuzz_translate), for each line of the file.
    TempDir dir;
    save_copy_translator(dir.file("run"));
    const std::string tsv = dir.file("mine.tsv");
    std::string pasted;
    for (int i = 0; i < 300; ++i) pasted += "the ";
    std::ofstream(tsv) << "the cat sleeps .\tle chat dort .\n" << pasted << "\tle chat .\n";
    seq2seq::Commands c;
    c.eval_file = tsv;
    check_error<IoError>([&] { seq2seq::run_commands(c, lesson, dir.file("run"), build_copy); },
                         {tsv + ":2: the English sentence has 300 words; a translator takes at most 256"});
    CHECK_FALSE(std::filesystem::exists(dir.file("run") + "/eval.json"));
}
