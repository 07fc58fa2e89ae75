// A learner's own sentence: normalized to the corpus's form, and unknown words named with
// the known words nearest to them.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/parallel.hpp>
#include <dikkat/data/text.hpp>
#include <dikkat/error.hpp>

#include "../support/error_of.hpp"

using namespace dikkat;
using data::normalize_sentence;
using data::Vocab;

namespace {

// A vocabulary whose ids follow the counts: the, cat, cats, sat, hat, mat (then specials first).
Vocab small_vocab() {
    return Vocab::from_counts({{"the", 9}, {"cat", 8}, {"cats", 7}, {"sat", 6}, {"hat", 5}, {"mat", 5}});
}

}  // namespace

TEST_CASE("normalize_sentence lowercases and sets punctuation apart as the corpus does") {
    CHECK(normalize_sentence("The European economic area is big.") == "the european economic area is big .");
    CHECK(normalize_sentence("Hello,world!Really?Yes;no:maybe.") ==
          "hello , world ! really ? yes ; no : maybe .");
    CHECK(normalize_sentence("  The   cat \t sleeps .\r\n") == "the cat sleeps .");
    CHECK(normalize_sentence("Wait...") == "wait . . .");
    CHECK(normalize_sentence("") == "");
    CHECK(normalize_sentence("   ") == "");
}

TEST_CASE("normalize_sentence leaves text already in the corpus's form unchanged") {
    for (const char* s :
         {"pierre 's dog is small .", "l' homme qu' il voit n' arrive pas .",
          "the european economic area is big .", "la zone économique européenne est grande ."})
        CHECK(normalize_sentence(s) == s);
}

TEST_CASE("normalize_sentence splits 's off and French elisions after their apostrophe") {
    CHECK(normalize_sentence("Marie's dog sleeps!") == "marie 's dog sleeps !");
    CHECK(normalize_sentence("Pierre's.") == "pierre 's .");
    CHECK(normalize_sentence("L'homme mange, puis il dort.") == "l' homme mange , puis il dort .");
    CHECK(normalize_sentence("Je sais qu'il n'arrive pas d'ici.") == "je sais qu' il n' arrive pas d' ici .");
    CHECK(normalize_sentence("jusqu'au soir, s'il pleut") == "jusqu' au soir , s' il pleut");
    CHECK(normalize_sentence("the boys' books") == "the boys' books");  // other apostrophes stay
    CHECK(normalize_sentence("rock'n'roll") == "rock'n'roll");
}

TEST_CASE("normalize_sentence splits every apostrophe of a word, so that its answer normalises to itself") {
    // Found by tests/fuzz/fuzz_tokenizer: "L'L'" then two bytes became "l' l'\xa2\x90", which a second
    // pass split again; "'s" after an elided word stayed joined the same way.
    CHECK(normalize_sentence("L'L'\xa2\x90") == "l' l' \xa2\x90");
    CHECK(normalize_sentence("l'homme's chat's's") == "l' homme 's chat 's 's");
    for (const char* text : {"L'L'\xa2\x90", "l'homme's chat's's", "jusqu'à l'école", "Marie's dog"})
        CHECK(normalize_sentence(normalize_sentence(text)) == normalize_sentence(text));
    std::string pasted;  // one 60,000-byte "word": split in a loop, not by recursion
    for (int i = 0; i < 30000; ++i) pasted += "l'";
    CHECK(data::split_words(normalize_sentence(pasted + "a")).size() == 30001);
}

TEST_CASE("normalize_sentence keeps UTF-8 letters and lowercases French capitals") {
    CHECK(normalize_sentence("Économie À Côté") == "économie à côté");
    CHECK(normalize_sentence("ŒUVRE élève ß") == "œuvre élève ß");
    CHECK(normalize_sentence("2 × 3") == "2 × 3");  // the multiplication sign is not a capital
}

TEST_CASE("normalize_sentence reads typographic apostrophes and French spacing") {
    CHECK(normalize_sentence("Marie\u2019s dog") == "marie 's dog");
    CHECK(normalize_sentence("L\u2019homme") == "l' homme");
    CHECK(normalize_sentence("Vraiment\u00A0?\u202F!") == "vraiment ? !");
}

TEST_CASE("edit_distance counts insertions, deletions and substitutions of characters") {
    CHECK(data::edit_distance("kitten", "sitting") == 3);
    CHECK(data::edit_distance("", "abc") == 3);
    CHECK(data::edit_distance("abc", "") == 3);
    CHECK(data::edit_distance("same", "same") == 0);
    CHECK(data::edit_distance("europian", "european") == 1);
    CHECK(data::edit_distance("europeen", "européen") == 1);  // é is one character, not two bytes
}

TEST_CASE("closest_words: nearest first, ties to the more frequent, never a special token") {
    const Vocab v = small_vocab();
    CHECK(data::closest_words("cat", v) == std::vector<std::string>{"cat", "cats", "sat"});
    CHECK(data::closest_words("bat", v, 4) == std::vector<std::string>{"cat", "sat", "hat", "mat"});
    CHECK(data::closest_words("xat", v, 1) == std::vector<std::string>{"cat"});
    CHECK(data::closest_words("unk", v, 100).size() == 6);  // all words, no <unk>, <pad> ...
    CHECK(data::closest_words("<unk>", v, 100).size() == 6);
    CHECK(data::closest_words("zzzzzz", v, 3, /*max_distance=*/2).empty());
    CHECK(data::closest_words("cat", Vocab(), 3).empty());
}

TEST_CASE("check_known_words accepts a sentence of known words") {
    CHECK_NOTHROW(data::check_known_words({"the", "cat", "sat"}, small_vocab(), "English"));
    CHECK_NOTHROW(data::check_known_words({}, small_vocab(), "English"));
}

TEST_CASE("check_known_words names every unknown word, once, with its nearest known words") {
    const std::string e = error_of<ValueError>([] {
        data::check_known_words({"the", "bat", "sat", "xyzzy", "bat"}, small_vocab(), "English", "vocab.txt");
    });
    CHECK(e ==
          "\"the bat sat xyzzy bat\": unknown word \"bat\" (did you mean: cat, sat, hat?); "
          "unknown word \"xyzzy\" (no known word is close); the model knows 6 English words (see vocab.txt)");
}

TEST_CASE("check_known_words names ten unknown words of a pasted page and counts the rest, at once") {
    // Found by tests/fuzz (fuzz_classify, fuzz_translate, fuzz_fill): 64 KB of random bytes given to
    // --classify searched the vocabulary once for each of its ~2,500 unknown "words" — six minutes
    // under the sanitizers. Only the first ten are searched now.
    std::vector<std::string> words;
    for (int i = 0; i < 16000; ++i) words.push_back("w" + std::to_string(i));
    const auto start = std::chrono::steady_clock::now();
    const std::string e =
        error_of<ValueError>([&] { data::check_known_words(words, small_vocab(), "English"); });
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 10.0);
    CHECK(e.find("unknown word \"w9\" (") != std::string::npos);
    CHECK(e.find("unknown word \"w10\"") == std::string::npos);
    CHECK(e.find("; and 15990 more unknown words; the model knows 6 English words") != std::string::npos);
}

TEST_CASE("closest_words skips the words too different in length to be near, so a long word costs little") {
    // Found by tests/fuzz: a 100,000-character "word" was measured against every word of the
    // vocabulary, a table of 100,000 × length each time.
    const std::string long_word(100000, 'a');
    const auto start = std::chrono::steady_clock::now();
    CHECK(data::closest_words(long_word, small_vocab(), 3, /*max_distance=*/50000).empty());
    const std::string e =
        error_of<ValueError>([&] { data::check_known_words({long_word}, small_vocab(), ""); });
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 10.0);
    CHECK(e.find("(no known word is close)") != std::string::npos);
    // A length difference of exactly max_distance may still be near enough: "cat" is 2 edits from "cats!".
    CHECK(data::closest_words("cats!", small_vocab(), 3, 2) == std::vector<std::string>{"cats", "cat"});
}

TEST_CASE("check_known_words on the translation vocabulary suggests the word a learner meant") {
    const auto train =
        data::ParallelCorpus::build(data::read_translation(data::find_dataset("translation/train.tsv")));
    const auto words = data::split_words(normalize_sentence("The Europian economic area is big, xyz."));
    const std::string e =
        error_of<ValueError>([&] { data::check_known_words(words, train.source_vocab, "English"); });
    MESSAGE(e);
    CHECK(e.rfind("\"the europian economic area is big , xyz .\": unknown word \"europian\" (did you mean: "
                  "european",
                  0) == 0);
    CHECK(e.find("unknown word \"xyz\"") != std::string::npos);
    CHECK(e.find("the model knows 445 English words") != std::string::npos);
    CHECK(e.find("unknown word \"economic\"") == std::string::npos);
}
