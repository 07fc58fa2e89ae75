// The readers fail loudly, naming file:line, on every kind of malformed line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/tsv.hpp>
#include <dikkat/error.hpp>

#include "../support/error_of.hpp"

using namespace dikkat;

namespace {

// Writes `text` to a fresh file in the temporary folder and returns its path.
std::string temp_file(const std::string& name, const std::string& text) {
    auto path = std::filesystem::temp_directory_path() / ("dikkat_test_data_" + name);
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

}  // namespace

TEST_CASE("read_tsv names file and line when a line has the wrong number of fields") {
    std::string p = temp_file("fields.tsv", "a\tb\tc\nd\te\nf\tg\th\n");
    CHECK(error_of<IoError>([&] { data::read_tsv(p, 3); }) ==
          p + ":2: expected 3 tab-separated fields, found 2");
}

TEST_CASE("read_tsv reads fields and line numbers, and drops a \\r before the newline") {
    std::string p = temp_file("ok.tsv", "a\tb\r\nc\td\n");
    auto rows = data::read_tsv(p, 2);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].line == 2);
    CHECK(rows[0].fields[1] == "b");
}

TEST_CASE("read_tsv rejects empty lines and empty fields") {
    std::string p = temp_file("empty_line.tsv", "a\tb\n\nc\td\n");
    CHECK(error_of<IoError>([&] { data::read_tsv(p, 2); }) == p + ":2: empty line");
    std::string q = temp_file("empty_field.tsv", "a\tb\nc\t\n");
    CHECK(error_of<IoError>([&] { data::read_tsv(q, 2); }) == q + ":2: field 2 is empty");
}

TEST_CASE("read_lines names a missing file") {
    CHECK(error_of<IoError>([] { data::read_lines("no/such/file.tsv"); }).rfind("no/such/file.tsv:", 0) == 0);
}

TEST_CASE("read_translation parses the alignment into (source, target) pairs") {
    std::string p = temp_file("pair.tsv", "the cat sleeps .\tle chat dort .\t0-0 1-1 2-2 3-3\n");
    auto pairs = data::read_translation(p);
    REQUIRE(pairs.size() == 1);
    CHECK(pairs[0].source.size() == 4);
    CHECK(pairs[0].target[2] == "dort");
    CHECK(pairs[0].alignment[2] == std::pair<std::size_t, std::size_t>{2, 2});
}

TEST_CASE("read_translation rejects malformed, out-of-range and missing alignment links") {
    std::string good = "the cat sleeps .\tle chat dort .\t0-0 1-1 2-2 3-3\n";
    std::string p = temp_file("bad_link.tsv", good + "a b .\tx y .\t0-0 1-x 2-2\n");
    CHECK(error_of<IoError>([&] { data::read_translation(p); }) ==
          p + ":2: alignment link \"1-x\" is not of the form i-j");
    std::string q = temp_file("range.tsv", good + "a b .\tx y .\t0-0 1-1 2-3\n");
    CHECK(error_of<IoError>([&] { data::read_translation(q); }) ==
          q + ":2: alignment link 2-3 is out of range: the source has 3 words, the target 3");
    std::string r = temp_file("cover.tsv", good + "a b .\tx y .\t0-0 2-2\n");
    CHECK(error_of<IoError>([&] { data::read_translation(r); }) ==
          r + ":2: target word 1 (\"y\") has no alignment link");
}

TEST_CASE("read_translation reads a learner's 2-column file when the alignment is optional") {
    std::string p = temp_file(
        "mine.tsv", "the cat sleeps .\tle chat dort .\nthe dog eats .\tle chien mange .\t0-0 1-1 2-2 3-3\n");
    auto pairs = data::read_translation(p, data::AlignmentColumn::optional);
    REQUIRE(pairs.size() == 2);
    CHECK(pairs[0].target == std::vector<std::string>{"le", "chat", "dort", "."});
    CHECK(pairs[0].alignment.empty());
    CHECK(pairs[1].alignment.size() == 4);  // a third column is still read
    // the shipped data's reader stays strict
    CHECK(error_of<IoError>([&] { data::read_translation(p); }) ==
          p + ":1: expected 3 tab-separated fields, found 2");
}

TEST_CASE("read_translation with an optional alignment still names file:line for a bad line") {
    const auto read = [](const std::string& p) {
        data::read_translation(p, data::AlignmentColumn::optional);
    };
    std::string good = "the cat sleeps .\tle chat dort .\n";
    std::string p = temp_file("mine_link.tsv", good + "a b .\tx y .\t0-0 1-x 2-2\n");
    CHECK(error_of<IoError>([&] { read(p); }) == p + ":2: alignment link \"1-x\" is not of the form i-j");
    std::string q = temp_file("mine_cover.tsv", good + good + "a b .\tx y .\t0-0 2-2\n");
    CHECK(error_of<IoError>([&] { read(q); }) == q + ":3: target word 1 (\"y\") has no alignment link");
    std::string r = temp_file("mine_one.tsv", good + "just english .\n");
    CHECK(
        error_of<IoError>([&] { read(r); }) ==
        r + ":2: expected 2 or 3 tab-separated fields (english, french and an optional alignment), found 1");
    std::string s = temp_file("mine_four.tsv", good + "a .\tb .\t0-0 1-1\textra\n");
    CHECK(
        error_of<IoError>([&] { read(s); }) ==
        s + ":2: expected 2 or 3 tab-separated fields (english, french and an optional alignment), found 4");
    std::string t = temp_file("mine_empty.tsv", good + "a .\tb .\t\n");
    CHECK(error_of<IoError>([&] { read(t); }) == t + ":2: field 3 is empty");
    std::string u = temp_file("mine_blank.tsv", good + "\n" + good);
    CHECK(error_of<IoError>([&] { read(u); }) == u + ":2: empty line");
}

TEST_CASE("read_labelled_reviews accepts only positive and negative") {
    std::string p = temp_file("labels.tsv", "positive\tgreat .\npos\tgood .\n");
    CHECK(error_of<IoError>([&] { data::read_labelled_reviews(p); }) ==
          p + ":2: label must be positive or negative, found \"pos\"");
}

TEST_CASE("read_opinion_words reads a word, its polarity and whether it is core") {
    std::string p = temp_file("opinion_ok.tsv", "great\tpositive\tcore\ndreadful\tnegative\twide\n");
    auto words = data::read_opinion_words(p);
    REQUIRE(words.size() == 2);
    CHECK(words[0].word == "great");
    CHECK(words[0].polarity == 1);
    CHECK(words[0].core);
    CHECK(words[1].polarity == -1);
    CHECK_FALSE(words[1].core);
}

TEST_CASE("read_opinion_words names file and line for every kind of malformed line") {
    const std::string good = "great\tpositive\tcore\n";
    std::string p = temp_file("opinion_two.tsv", good + "dull\tnegative\n");
    CHECK(error_of<IoError>([&] { data::read_opinion_words(p); }) ==
          p + ":2: expected 3 tab-separated fields, found 2");
    std::string q = temp_file("opinion_polarity.tsv", good + "dull\tneg\twide\n");
    CHECK(error_of<IoError>([&] { data::read_opinion_words(q); }) ==
          q + ":2: polarity must be positive or negative, found \"neg\"");
    std::string r = temp_file("opinion_kind.tsv", good + "dull\tnegative\trare\n");
    CHECK(error_of<IoError>([&] { data::read_opinion_words(r); }) ==
          r + ":2: the third field must be core or wide, found \"rare\"");
    std::string s = temp_file("opinion_empty.tsv", good + "\tnegative\twide\n");
    CHECK(error_of<IoError>([&] { data::read_opinion_words(s); }) == s + ":2: field 1 is empty");
    std::string t = temp_file("opinion_twice.tsv", good + "dull\tnegative\twide\ngreat\tpositive\twide\n");
    CHECK(error_of<IoError>([&] { data::read_opinion_words(t); }) ==
          t + ":3: \"great\" is listed twice (first on line 1)");
    std::string u = temp_file("opinion_space.tsv", good + "a bit dull\tnegative\twide\n");
    CHECK(error_of<IoError>([&] { data::read_opinion_words(u); }) ==
          u + ":2: an opinion word is one word, found \"a bit dull\"");
}

TEST_CASE("find_dataset says where it looked") {
    std::string e = error_of<IoError>([] { data::find_dataset("nothing/here.tsv"); });
    CHECK(e.find("datasets/nothing/here.tsv") != std::string::npos);
    CHECK(data::find_dataset("translation/test.tsv").find("translation/test.tsv") != std::string::npos);
}

TEST_CASE("a sentence of spaces only is an error naming file and line") {
    const auto dir = std::filesystem::temp_directory_path() / "dikkat-tsv-blank";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "blank.tsv").string();
    std::ofstream(path) << "the cat sleeps .\tle chat dort .\n   \tle chien .\n";
    CHECK_THROWS_WITH_AS(data::read_translation(path, data::AlignmentColumn::optional),
                         doctest::Contains("blank.tsv:2: the English sentence has no words"), IoError);
    std::filesystem::remove_all(dir);
}
