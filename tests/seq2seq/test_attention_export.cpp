// The attention explorer's data (seq2seq/attention_export.hpp): which sentences, every layer's and
// head's weights in whole percentages beside the gold links, and --translate's file.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include <dikkat/seq2seq/attention_export.hpp>
#include <dikkat/seq2seq/commands.hpp>
#include <dikkat/seq2seq/evaluate.hpp>

#include "../io/io_test_util.hpp"
#include "seq2seq_test_util.hpp"

using namespace dikkat;
using io_test::TempDir;
using seq2seq_test::CopyTranslator;
using seq2seq_test::word_for_word;

namespace {

// CopyTranslator (it only decodes) with the attention its decoding uses, teacher-forced: one layer,
// one head, (B, T, S) one-hot at (t, t).
class AttendingCopy : public CopyTranslator {
  public:
    using CopyTranslator::CopyTranslator;
    std::vector<std::vector<Array>> source_attention(const seq2seq::Batch& batch) const override {
        const std::size_t B = batch.source.shape()[0], S = batch.source.shape()[1];
        const std::size_t T = batch.target_in.shape()[1];
        Array a = xt::zeros<float>({B, T, S});
        for (std::size_t r = 0; r < B; ++r)
            for (std::size_t t = 0; t < std::min(T, S); ++t) a(r, t, t) = 1.0f;
        return {{a}};
    }
};

data::TranslationPair translation(const std::string& english, const std::string& french,
                                  std::vector<std::pair<std::size_t, std::size_t>> gold) {
    return {data::split_words(english), data::split_words(french), std::move(gold)};
}

// A vocabulary pair that knows every word of the pairs below.
data::ParallelCorpus corpus_of(const std::vector<data::TranslationPair>& pairs) {
    return data::ParallelCorpus::build(pairs);
}

const std::vector<data::TranslationPair> two_pairs = {
    translation("the european economic area .", "la zone économique européenne .",
                {{0, 0}, {3, 1}, {2, 2}, {1, 3}, {4, 4}}),
    translation("the cat sleeps .", "le chat dort .", {{0, 0}, {1, 1}, {2, 2}, {3, 3}})};

// Every row of every map: as many rows as French words + <eos>, as many columns as English
// words + <eos>, whole percentages in 0..100 that sum to 100 up to rounding (half a percent a cell).
void check_maps(const nlohmann::json& j, std::size_t layers, std::size_t heads) {
    REQUIRE(j.at("sentences").size() == two_pairs.size());
    CHECK(j.at("layers") == layers);
    CHECK(j.at("heads") == heads);
    for (std::size_t s = 0; s < two_pairs.size(); ++s) {
        const nlohmann::json& sentence = j["sentences"][s];
        const std::size_t rows = two_pairs[s].target.size() + 1, cols = two_pairs[s].source.size() + 1;
        CHECK(sentence.at("english").back() == "<eos>");
        CHECK(sentence.at("french").size() == rows);
        CHECK(sentence.at("gold").size() == two_pairs[s].alignment.size());
        CHECK(sentence.at("gold")[1] == nlohmann::json::array({two_pairs[s].alignment[1].first, 1}));
        REQUIRE(sentence.at("attention").size() == layers);
        for (const nlohmann::json& layer : sentence["attention"]) {
            REQUIRE(layer.size() == heads);
            for (const nlohmann::json& head : layer) {
                REQUIRE(head.size() == rows);
                for (const nlohmann::json& row : head) {
                    REQUIRE(row.size() == cols);
                    int sum = 0;
                    for (const nlohmann::json& w : row) {
                        CHECK(w.get<int>() >= 0);
                        CHECK(w.get<int>() <= 100);
                        sum += w.get<int>();
                    }
                    CHECK(std::abs(sum - 100) <= int(cols) / 2 + 1);
                }
            }
        }
    }
}

// The explorer's JSON of the two pairs through an untrained RnnTranslator with this attention.
nlohmann::json rnn_attention_json(const std::string& attention, const std::string& lesson) {
    const data::ParallelCorpus corpus = corpus_of(two_pairs);
    Rng rng(0);
    const seq2seq::RnnTranslator model(
        seq2seq_test::tiny_config(corpus.source_vocab.size(), corpus.target_vocab.size(), attention), rng);
    return seq2seq::attention_json(model, corpus, two_pairs, lesson).json();
}

}  // namespace

TEST_CASE("attention_json writes an attending RNN's weights: one layer, one head, a row per French word") {
    const nlohmann::json j = rnn_attention_json("additive", "03_bahdanau_attention");
    CHECK(j.at("lesson") == "03_bahdanau_attention");
    CHECK(j.at("sentences")[0].at("bucket") == "3-10");
    CHECK(j.at("sentences")[0].at("french")[2] == "économique");
    check_maps(j, 1, 1);
}

TEST_CASE("attention_json writes every decoder layer and head of a transformer, whose mean is forward()'s") {
    const data::ParallelCorpus corpus = corpus_of(two_pairs);
    Rng rng(1);
    const seq2seq::TransformerConfig config = seq2seq_test::tiny_transformer_config(
        "sinusoidal", corpus.source_vocab.size(), corpus.target_vocab.size());
    const seq2seq::TransformerTranslator model(config, rng);
    check_maps(seq2seq::attention_json(model, corpus, two_pairs, "04_transformer").json(), 2, 2);

    const seq2seq::Batch batch = seq2seq::make_batch({corpus.encode_source(two_pairs[0].source)},
                                                     {corpus.encode_target(two_pairs[0].target)});
    const std::vector<std::vector<Array>> maps = model.source_attention(batch);
    Array mean_heads;
    NoGrad no_grad;
    model.forward(batch, &mean_heads);
    CHECK(max_difference(Array((maps.back()[0] + maps.back()[1]) / 2.0f), mean_heads) < 1e-6);
}

TEST_CASE("attention_json has no sentences for a model without attention") {
    const nlohmann::json j = rnn_attention_json("none", "02_encoder_decoder");
    CHECK(j.at("sentences").empty());
    CHECK(j.at("layers") == 0);
}

TEST_CASE("explorer_sentences takes the reordering phrases' sentences first, then the first of each bucket") {
    std::vector<data::TranslationPair> test;
    test.push_back(translation("a sentence of thirteen words , longer than ten , is here .", "x .", {}));
    for (int i = 0; i < 8; ++i)
        test.push_back(translation("a short one " + std::to_string(i) + " .", "x .", {}));
    test.push_back(
        translation("the european economic area is big .", "la zone économique européenne est grande .", {}));
    test.push_back(translation("the cat does not sleep .", "le chat ne dort pas .", {}));
    const std::vector<data::TranslationPair> picked = seq2seq::explorer_sentences(test, 3);
    // Two phrases found ("'s" is not), then three of the 3-10 bucket, then the 11-20 one, first
    // in the file but not in the list: the list goes from short to long.
    REQUIRE(picked.size() == 6);
    CHECK(data::join_words(picked[0].source) == "the european economic area is big .");
    CHECK(data::join_words(picked[1].source) == "the cat does not sleep .");
    CHECK(data::join_words(picked[2].source) == "a short one 0 .");
    CHECK(picked[5].source.size() == 13);
    CHECK(seq2seq::explorer_sentences(test, 20).size() == test.size());  // each pair once
}

TEST_CASE("run_commands --translate writes the translation's attention for the explorer, or says why not") {
    TempDir dir;
    const data::ParallelCorpus vocabs = word_for_word();
    const AttendingCopy model(vocabs.target_vocab.size());
    const std::string checkpoint = dir.file("translator.safetensors");
    seq2seq::save_translator(checkpoint, model, nlohmann::json{{"vocab", vocabs.target_vocab.size()}}, vocabs,
                             seq2seq_test::lesson);
    auto build = [](const nlohmann::json& config) -> std::unique_ptr<seq2seq::Translator> {
        return std::make_unique<AttendingCopy>(config.at("vocab").get<std::size_t>());
    };
    seq2seq::Commands c;
    c.translate = "The cat sleeps.";
    c.checkpoint = checkpoint;
    seq2seq::run_commands(c, seq2seq_test::lesson, dir.file("run"), build);
    std::ifstream in(dir.file("run") + "/attention_translate.json");
    REQUIRE(in.good());
    const nlohmann::json j = nlohmann::json::parse(in);
    REQUIRE(j.at("sentences").size() == 1);
    const nlohmann::json& s = j["sentences"][0];
    CHECK(s.at("english") == nlohmann::json::array({"the", "cat", "sleeps", ".", "<eos>"}));
    CHECK(s.at("french") == nlohmann::json::array({"le", "chat", "dort", ".", "<eos>"}));
    CHECK(s.at("gold").empty());
    CHECK(s.at("attention")[0][0][1] == nlohmann::json::array({0, 100, 0, 0, 0}));  // "chat" reads "cat"

    // A run folder that cannot be written in (not even root can make a file in /proc) costs the
    // file, not the translation.
    CHECK_NOTHROW(seq2seq::run_commands(c, seq2seq_test::lesson, "/proc/dikkat-no-such-folder", build));
}
