// What a lesson does with a trained translator (seq2seq/evaluate.hpp): checkpoints that carry
// the configuration and both vocabularies, translating a typed sentence, scoring a test set, and
// the examples printed after training.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/parallel.hpp>
#include <dikkat/data/text.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>

#include "../io/io_test_util.hpp"
#include "../support/translation_pair.hpp"
#include "seq2seq_test_util.hpp"

using namespace dikkat;
using data::Vocab;
using io_test::TempDir;
using seq2seq_test::CopyTranslator;
using seq2seq_test::lesson;
using seq2seq_test::word_for_word;

namespace {

// Four pairs, not in length order. CopyTranslator's translation is right for 0 and 3, misses
// "dort" in 1 and says "mange" for "dort" in 2.
std::vector<data::TranslationPair> test_pairs() {
    return {translation_pair("the dog eats .", "le chien mange ."),
            translation_pair("the cat .", "le chat dort ."),
            translation_pair("the cat sleeps . the dog eats .", "le chat dort . le chien dort ."),
            translation_pair("dog .", "chien .")};
}
const std::vector<std::string> copy_translations[] = {
    {"le", "chien", "mange", "."},
    {"le", "chat", "."},
    {"le", "chat", "dort", ".", "le", "chien", "mange", "."},
    {"chien", "."}};

seq2seq::RnnConfig tiny_config(const data::ParallelCorpus& vocabs, const std::string& attention) {
    return seq2seq_test::tiny_config(vocabs.source_vocab.size(), vocabs.target_vocab.size(), attention);
}

seq2seq::Batch one_batch() {
    constexpr Index bos = Vocab::bos_id, eos = Vocab::eos_id;
    return seq2seq::make_batch({{5, 6, 7, 8, eos}, {9, 8, eos}}, {{bos, 5, 6, 7, eos}, {bos, 9, eos}});
}

// A JSON list of words, as save_translator() writes a vocabulary.
std::string word_list(const std::vector<std::string>& words) { return nlohmann::json(words).dump(); }
std::vector<std::string> with_specials(std::vector<std::string> words) {
    words.insert(words.begin(), Vocab::specials().begin(), Vocab::specials().end());
    return words;
}

// Metadata as save_translator() writes it, for a test to spoil one entry.
io::Metadata good_metadata(const data::ParallelCorpus& vocabs) {
    return {{"lesson", lesson},
            {"config", tiny_config(vocabs, "none").to_json().dump()},
            {"source_vocab", word_list(vocabs.source_vocab.tokens())},
            {"target_vocab", word_list(vocabs.target_vocab.tokens())}};
}

}  // namespace

// ---- checkpoints ------------------------------------------------------------------------------

TEST_CASE(
    "save_translator then read_translator gives back the lesson, the configuration and both vocabularies") {
    TempDir dir;
    const std::string path = dir.file("translator.safetensors");
    const data::ParallelCorpus vocabs = word_for_word();
    const seq2seq::RnnConfig config = tiny_config(vocabs, "additive");
    Rng rng(1);
    const seq2seq::RnnTranslator model(config, rng);
    seq2seq::save_translator(path, model, config.to_json(), vocabs, lesson);

    const seq2seq::TranslatorCheckpoint saved = seq2seq::read_translator(path, lesson);
    CHECK(saved.lesson == lesson);
    CHECK(saved.config.json() == config.to_json());
    CHECK(saved.vocabs.source_vocab.tokens() == vocabs.source_vocab.tokens());
    CHECK(saved.vocabs.target_vocab.tokens() == vocabs.target_vocab.tokens());
    CHECK(saved.vocabs.source_vocab.id("sleeps") == 7);
    CHECK(saved.vocabs.target_vocab.id("chien") == 9);
    CHECK(saved.vocabs.size() == 0);  // the vocabularies only, no pairs
    // Without a lesson to insist on, any translator's checkpoint is read.
    CHECK(seq2seq::read_translator(path).lesson == lesson);
}

TEST_CASE("a translator rebuilt from its checkpoint alone gives the saved model's scores exactly") {
    TempDir dir;
    const std::string path = dir.file("translator.safetensors");
    const data::ParallelCorpus vocabs = word_for_word();
    for (const std::string& kind : {std::string("none"), std::string("dot")}) {
        CAPTURE(kind);
        const seq2seq::RnnConfig config = tiny_config(vocabs, kind);
        Rng rng(2);
        const seq2seq::RnnTranslator model(config, rng);
        seq2seq::save_translator(path, model, config.to_json(), vocabs, lesson);

        const seq2seq::TranslatorCheckpoint saved = seq2seq::read_translator(path, lesson);
        Rng other(99);  // different initial weights: only the checkpoint can make them equal
        seq2seq::RnnTranslator rebuilt(seq2seq::RnnConfig::from_json(saved.config.json()), other);
        const Array before = rebuilt.forward(one_batch()).value();
        io::load_checkpoint(path, rebuilt);
        const Array expected = model.forward(one_batch()).value();
        CHECK_FALSE(before == expected);
        CHECK(rebuilt.forward(one_batch()).value() == expected);
    }
}

TEST_CASE("read_translator of a missing checkpoint says to train one first") {
    TempDir dir;
    const std::string path = dir.file("nothing.safetensors");
    check_error<IoError>([&] { seq2seq::read_translator(path, lesson); },
                         {path, "no such checkpoint", "train one first", lesson});
}

TEST_CASE("read_translator refuses a checkpoint another lesson wrote") {
    TempDir dir;
    const std::string path = dir.file("translator.safetensors");
    const data::ParallelCorpus vocabs = word_for_word();
    Rng rng(3);
    const seq2seq::RnnTranslator model(tiny_config(vocabs, "none"), rng);
    seq2seq::save_translator(path, model, model.config().to_json(), vocabs, lesson);
    check_error<IoError>([&] { seq2seq::read_translator(path, "03_attention"); },
                         {path, "written by 02_encoder_decoder, not 03_attention"});
}

TEST_CASE("read_translator refuses a checkpoint without a translator's metadata and names the missing key") {
    TempDir dir;
    const data::ParallelCorpus vocabs = word_for_word();
    Rng rng(4);
    const seq2seq::RnnTranslator model(tiny_config(vocabs, "none"), rng);
    const std::string plain = dir.file("plain.safetensors");
    io::save_checkpoint(plain, model);  // parameters only
    check_error<IoError>([&] { seq2seq::read_translator(plain, lesson); },
                         {plain, "not a translator's checkpoint", "'lesson'"});
    for (const char* key : {"config", "source_vocab", "target_vocab"}) {
        CAPTURE(key);
        io::Metadata meta = good_metadata(vocabs);
        meta.erase(key);
        const std::string path = dir.file(std::string("without_") + key + ".safetensors");
        io::save_checkpoint(path, model, meta);
        check_error<IoError>([&] { seq2seq::read_translator(path, lesson); },
                             {path, "not a translator's checkpoint", "'" + std::string(key) + "'"});
    }
}

TEST_CASE("read_translator names the file and the position of a vocabulary's misplaced special token") {
    TempDir dir;
    const data::ParallelCorpus vocabs = word_for_word();
    Rng rng(5);
    const seq2seq::RnnTranslator model(tiny_config(vocabs, "none"), rng);
    const std::string path = dir.file("swapped.safetensors");
    io::Metadata meta = good_metadata(vocabs);
    meta["source_vocab"] = word_list({"<pad>", "<eos>", "<bos>", "<unk>", "<mask>", "the"});
    io::save_checkpoint(path, model, meta);
    check_error<IoError>(
        [&] { seq2seq::read_translator(path, lesson); },
        {path, "'source_vocab'", "entry 1: expected the special token <bos> (id 1), found '<eos>'"});
}

TEST_CASE("read_translator names the file and the word a vocabulary lists twice") {
    TempDir dir;
    const data::ParallelCorpus vocabs = word_for_word();
    Rng rng(6);
    const seq2seq::RnnTranslator model(tiny_config(vocabs, "none"), rng);
    const std::string path = dir.file("twice.safetensors");
    io::Metadata meta = good_metadata(vocabs);
    meta["target_vocab"] = word_list(with_specials({"le", "chat", "le"}));
    io::save_checkpoint(path, model, meta);
    check_error<IoError>([&] { seq2seq::read_translator(path, lesson); },
                         {path, "'target_vocab'", "entry 7: duplicate token 'le'"});
}

TEST_CASE("read_translator refuses a vocabulary or configuration that is not JSON") {
    TempDir dir;
    const data::ParallelCorpus vocabs = word_for_word();
    Rng rng(7);
    const seq2seq::RnnTranslator model(tiny_config(vocabs, "none"), rng);
    const std::string path = dir.file("broken.safetensors");
    io::Metadata meta = good_metadata(vocabs);
    meta["source_vocab"] = "the cat sleeps";
    io::save_checkpoint(path, model, meta);
    check_error<IoError>([&] { seq2seq::read_translator(path, lesson); },
                         {path, "'source_vocab' is not a JSON list of words"});
    meta = good_metadata(vocabs);
    meta["target_vocab"] = word_list({"<pad>", "<bos>"});
    io::save_checkpoint(path, model, meta);
    check_error<IoError>([&] { seq2seq::read_translator(path, lesson); },
                         {path, "'target_vocab' is not a vocabulary"});
    meta = good_metadata(vocabs);
    meta["config"] = "{\"embed\": ";
    io::save_checkpoint(path, model, meta);
    check_error<IoError>([&] { seq2seq::read_translator(path, lesson); }, {path, "'config' is not JSON"});
}

// ---- translating a sentence -------------------------------------------------------------------

TEST_CASE("translate normalises the sentence and returns source, translation and attention with eos") {
    const data::ParallelCorpus vocabs = word_for_word();
    const CopyTranslator model(vocabs.target_vocab.size());
    for (const std::size_t beam : {std::size_t{1}, std::size_t{3}}) {
        CAPTURE(beam);
        const seq2seq::SentenceTranslation t = seq2seq::translate(model, vocabs, "The cat sleeps.", beam);
        CHECK(t.source == std::vector<std::string>{"the", "cat", "sleeps", ".", "<eos>"});
        CHECK(t.target == std::vector<std::string>{"le", "chat", "dort", ".", "<eos>"});
        CHECK(t.attention == Array(xt::eye<float>(5)));  // (target words, source words): word i reads word i
    }
}

TEST_CASE("translate names an unknown word and the known words nearest to it") {
    const data::ParallelCorpus vocabs = word_for_word();
    const CopyTranslator model(vocabs.target_vocab.size());
    check_error<ValueError>([&] { seq2seq::translate(model, vocabs, "The cta sleeps."); },
                            {"unknown word \"cta\"", "did you mean: cat", "the model knows 6 English words"});
    check_error<ValueError>([&] { seq2seq::translate(model, vocabs, "   "); },
                            {"translate: the sentence is empty"});
}

TEST_CASE("translate refuses a sentence of more than max_sentence_words words before decoding it") {
    // Found by tests/fuzz/fuzz_translate: "the " 25,000 times kept lesson 3's translator decoding
    // for minutes (each of up to 50,010 steps read all 25,001 source words).
    const data::ParallelCorpus vocabs = word_for_word();
    const CopyTranslator model(vocabs.target_vocab.size());
    std::string pasted;
    for (int i = 0; i < 25000; ++i) pasted += "the ";
    check_error<ValueError>(
        [&] { seq2seq::translate(model, vocabs, pasted); },
        {"translate: the sentence has 25000 words; a translator takes one sentence of at most 256",
         "split the text into sentences"});
    std::string longest;
    for (std::size_t i = 0; i < seq2seq::max_sentence_words; ++i) longest += "the ";
    CHECK(seq2seq::translate(model, vocabs, longest).source.size() ==
          seq2seq::max_sentence_words + 1);  // + <eos>
}

// ---- scoring a test set -----------------------------------------------------------------------

TEST_CASE("evaluate returns one hypothesis per pair in the pairs' order, however it batches them") {
    const data::ParallelCorpus vocabs = word_for_word();
    const CopyTranslator model(vocabs.target_vocab.size());
    const std::vector<data::TranslationPair> pairs = test_pairs();
    // Greedy in batches of 1, 2 (sorted by length: pairs 3 1 | 0 2) and all at once; beam search.
    for (const auto& [beam, batch] :
         std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {1, 2}, {1, 100}, {2, 2}}) {
        // CAPTURE's lambda cannot capture a structured binding in C++17: copies of the two.
        const std::size_t beam_size = beam, batch_size = batch;
        CAPTURE(beam_size);
        CAPTURE(batch_size);
        const seq2seq::Evaluation e = seq2seq::evaluate(model, vocabs, pairs, beam, batch);
        REQUIRE(e.hypotheses.size() == pairs.size());
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            CAPTURE(i);
            CHECK(e.hypotheses[i] == copy_translations[i]);
        }
        // Scored against each pair's own reference: pairs 0 and 3 are exact.
        const eval::Scores all = e.scores.overall();
        CHECK(all.sentences == pairs.size());
        CHECK(all.exact_match == doctest::Approx(0.5));
    }
}

// ---- examples after training ------------------------------------------------------------------

namespace {
// The three lines of a pair as long_examples() prints them (the model's line given, marked).
std::string example(const data::TranslationPair& p, const std::string& model_line) {
    return "  source     " + data::join_words(p.source) + "\n  reference  " + data::join_words(p.target) +
           "\n  model      " + model_line + "\n\n";
}
}  // namespace

TEST_CASE("long_examples spreads the sentences it shows over the set and marks the wrong words") {
    ::setenv("NO_COLOR", "1", 1);  // brackets, not terminal colours
    const data::ParallelCorpus vocabs = word_for_word();
    const CopyTranslator model(vocabs.target_vocab.size());
    const std::vector<data::TranslationPair> pairs = test_pairs();
    const seq2seq::Evaluation e = seq2seq::evaluate(model, vocabs, pairs);
    // At least 3 source words: pairs 0, 1 and 2; two asked for: the first and the middle one.
    CHECK(seq2seq::long_examples(pairs, e, /*count=*/2, /*min_source_length=*/3) ==
          "  source     the dog eats .\n"
          "  reference  le chien mange .\n"
          "  model      le chien mange .\n\n"
          "  source     the cat .\n"
          "  reference  le chat dort .\n"
          "  model      le chat [+dort] .\n\n");
    // At least 4 words, one asked for: pair 0. None that long: nothing.
    CHECK(seq2seq::long_examples(pairs, e, 1, 4) == example(pairs[0], "le chien mange ."));
    CHECK(seq2seq::long_examples(pairs, e, 5, 9).empty());
}

TEST_CASE("long_examples shows each long sentence once when there are fewer than asked for") {
    ::setenv("NO_COLOR", "1", 1);
    const data::ParallelCorpus vocabs = word_for_word();
    const CopyTranslator model(vocabs.target_vocab.size());
    const std::vector<data::TranslationPair> pairs = test_pairs();
    const seq2seq::Evaluation e = seq2seq::evaluate(model, vocabs, pairs);
    // At least 4 source words: pairs 0 and 2 only, though 5 are asked for.
    CHECK(seq2seq::long_examples(pairs, e, /*count=*/5, /*min_source_length=*/4) ==
          example(pairs[0], "le chien mange .") +
              example(pairs[2], "le chat dort . le chien [mange] [+dort] ."));
}

TEST_CASE(
    "a checkpoint whose configuration does not fit its vocabularies, or asks for huge sizes, is refused") {
    TempDir dir;
    const data::ParallelCorpus vocabs = word_for_word();
    seq2seq::RnnConfig config = tiny_config(vocabs, "none");
    Rng rng(1);
    const seq2seq::RnnTranslator model(config, rng);
    const std::string path = dir.file("mismatch.safetensors");
    nlohmann::json wrong = config.to_json();
    wrong["source_vocab"] = vocabs.source_vocab.size() + 1;
    seq2seq::save_translator(path, model, wrong, vocabs, lesson);
    check_error<IoError>([&] { seq2seq::read_translator(path, lesson); },
                         {path, "source_vocab", "is not the size of the vocabulary"});
    nlohmann::json huge = config.to_json();
    // would allocate gigabytes before the weights are even read
    huge["decoder_hidden"] = std::size_t{10000000};
    check_error<ValueError>([&] { seq2seq::RnnConfig::from_json(huge); },
                            {"'decoder_hidden'", "expected 1 to 65536"});
}

// ---- picking sentences: find_pair and validation_sample ---------------------------------------

TEST_CASE("find_pair matches whole words only and returns the longest source within max_words") {
    const std::vector<data::TranslationPair> pairs = {
        translation_pair("the areas are big .", "les zones sont grandes ."),
        translation_pair("the area is big .", "la zone est grande ."),
        translation_pair("this is the area of the big city .", "c'est la zone de la grande ville ."),
        translation_pair("the area .", "la zone ."),
        translation_pair("a small area is near the big old city .",
                         "une petite zone est près de la grande vieille ville .")};
    const data::TranslationPair* longest = seq2seq::find_pair(pairs, "area", 20);
    REQUIRE(longest != nullptr);
    CHECK(longest == &pairs[4]);  // 10 words
    CHECK(seq2seq::find_pair(pairs, "area", 9) == &pairs[2]);
    const data::TranslationPair* short_one = seq2seq::find_pair(pairs, "area", 5);
    REQUIRE(short_one != nullptr);
    CHECK(short_one == &pairs[1]);  // not "the areas are big ." (5 words too)
    CHECK(seq2seq::find_pair(pairs, "area", 3) == &pairs[3]);
    CHECK(seq2seq::find_pair(pairs, "area", 2) == nullptr);  // none that short
    CHECK(seq2seq::find_pair(pairs, "areas", 20) == &pairs[0]);
    CHECK(seq2seq::find_pair(pairs, "rea", 20) == nullptr);  // a piece of a word is no match
    CHECK(seq2seq::find_pair(pairs, "are", 20) == &pairs[0]);
    CHECK(seq2seq::find_pair(pairs, "the area", 20) == &pairs[2]);  // several words, in order
    CHECK(seq2seq::find_pair(pairs, "area of the", 20) == &pairs[2]);
    CHECK(seq2seq::find_pair(pairs, "this", 20) == &pairs[2]);    // at the start
    CHECK(seq2seq::find_pair(pairs, "city .", 20) == &pairs[4]);  // at the end
    CHECK(seq2seq::find_pair(pairs, "big city", 20) == &pairs[2]);
    CHECK(seq2seq::find_pair(pairs, "big city", 8) == nullptr);  // it has 9 words
    CHECK(seq2seq::find_pair({}, "area", 20) == nullptr);
}

TEST_CASE("validation_sample(5) is the first 5 pairs of each length bucket of valid.tsv, in file order") {
    const std::vector<data::TranslationPair> sample = seq2seq::validation_sample(5);
    const eval::LengthBuckets buckets = eval::LengthBuckets::standard();
    REQUIRE(sample.size() == 20);  // 3-10, 11-20, 21-30, 31-40
    std::vector<std::size_t> per_bucket(buckets.names().size(), 0);
    for (const auto& p : sample) ++per_bucket[buckets.index_of(p.source.size())];
    CHECK(per_bucket == std::vector<std::size_t>{0, 5, 5, 5, 5, 0});

    // The same pairs picked by hand from the file.
    const std::vector<data::TranslationPair> all =
        data::read_translation(data::find_dataset("translation/valid.tsv"));
    std::vector<std::size_t> taken(buckets.names().size(), 0);
    std::vector<const data::TranslationPair*> expected;
    for (const auto& p : all)
        if (taken[buckets.index_of(p.source.size())]++ < 5) expected.push_back(&p);
    REQUIRE(expected.size() == sample.size());
    for (std::size_t i = 0; i < sample.size(); ++i) {
        CHECK(sample[i].source == expected[i]->source);
        CHECK(sample[i].target == expected[i]->target);
    }
    CHECK(data::join_words(sample[0].source) ==
          data::join_words(all[0].source));  // the file's first line leads
}
