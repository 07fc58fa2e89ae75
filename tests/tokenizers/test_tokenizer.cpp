#include <doctest/doctest.h>

#include <dikkat/data/tokenizer.hpp>

using namespace dikkat;
using data::Vocab;

TEST_CASE("utf8_chars keeps multi-byte characters whole") {
    CHECK(data::utf8_chars("çà!") == std::vector<std::string>{"ç", "à", "!"});
    CHECK(data::utf8_chars("a\xff") == std::vector<std::string>{"a", "\xff"});  // invalid byte kept alone
}

TEST_CASE("a word tokenizer round-trips text through ids") {
    const std::vector<std::string> corpus{"the european economic area .", "the cat sleeps ."};
    auto tok = data::WordTokenizer::build(corpus);
    for (const auto& text : corpus) {
        const auto ids = tok.encode(text, /*add_bos_eos=*/true);
        CHECK(ids.front() == Vocab::bos_id);
        CHECK(ids.back() == Vocab::eos_id);
        CHECK(ids.size() == tok.split(text).size() + 2);
        CHECK(tok.decode(ids) == text);
    }
}

TEST_CASE("a word tokenizer splits on runs of spaces and maps unknown words to <unk>") {
    auto tok = data::WordTokenizer::build({"the cat"});
    CHECK(tok.split("  the   cat\tsat ") == std::vector<std::string>{"the", "cat", "sat"});
    const auto ids = tok.encode("the dog");
    CHECK(ids[1] == Vocab::unk_id);
    CHECK(tok.decode(ids) == "the <unk>");
}

TEST_CASE("a character tokenizer round-trips accented text") {
    const std::vector<std::string> corpus{"la zone économique européenne", "ça va"};
    auto tok = data::CharTokenizer::build(corpus);
    for (const auto& text : corpus) CHECK(tok.decode(tok.encode(text, true)) == text);
    CHECK(tok.encode("é").size() == 1);
    CHECK(tok.encode("x")[0] == Vocab::unk_id);
}
