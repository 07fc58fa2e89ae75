#include <doctest/doctest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>
#include <dikkat/eval/translation_scores.hpp>

#include "../support/error_of.hpp"
#include "words.hpp"

using namespace dikkat;
using eval::LengthBuckets;
using eval::TranslationScores;

TEST_CASE("standard buckets: 3-10, 11-20, 21-30, 31-40, and <3 and >40 for what falls outside") {
    const LengthBuckets b = LengthBuckets::standard();
    CHECK(b.names() == std::vector<std::string>{"<3", "3-10", "11-20", "21-30", "31-40", ">40"});
    CHECK(b.bucket_of(0) == "<3");
    CHECK(b.bucket_of(2) == "<3");
    CHECK(b.bucket_of(3) == "3-10");
    CHECK(b.bucket_of(10) == "3-10");
    CHECK(b.bucket_of(11) == "11-20");
    CHECK(b.bucket_of(30) == "21-30");
    CHECK(b.bucket_of(40) == "31-40");
    CHECK(b.bucket_of(41) == ">40");
    CHECK(b.bucket_of(50) == ">40");
    CHECK(b.index_of(25) == 3);
}

TEST_CASE("length buckets must be ascending ranges without gaps, the error names the culprit") {
    CHECK(LengthBuckets({{1, 5}, {6, 6}, {7, 100}}).names() ==
          std::vector<std::string>{"<1", "1-5", "6-6", "7-100", ">100"});
    CHECK(error_of<ValueError>([] {
              LengthBuckets({{3, 10}, {12, 20}});
          }) ==
          "LengthBuckets: range 12-20 does not start right after 3-10; ranges must be ascending, without "
          "gaps or overlaps (lo = 11)");
    CHECK(error_of<ValueError>([] {
              LengthBuckets({{3, 10}, {20, 11}});
          }) == "LengthBuckets: range 1 is 20-11, which is empty; lo must not exceed hi");
    CHECK_THROWS_AS(LengthBuckets({}), ValueError);
    CHECK_THROWS_AS(LengthBuckets({{3, 10}, {8, 20}}), ValueError);  // overlap
}

namespace {

// Four sentences; source lengths put two in "3-10", one in "11-20", one in ">40".
//   #  bucket  hypothesis              reference            exact  tokens right
//   1  3-10    le chat dort .          le chat dort .       yes    4 of 4
//   2  3-10    le chien mange          le chien mange .     no     3 of 4  (position 3 missing)
//   3  11-20   la femme voit un homme . la femme voit l' homme .  no  5 of 6 (un != l')
//   4  >40     il dort très bien .     il dort bien .       no     2 of 4  (très shifts the rest;
//                                                                          "." at 4 is past the end)
TranslationScores four_sentences() {
    TranslationScores s;
    s.add(5, words("le chat dort ."), words("le chat dort ."));
    s.add(6, words("le chien mange"), words("le chien mange ."));
    s.add(15, words("la femme voit un homme ."), words("la femme voit l' homme ."));
    s.add(45, words("il dort très bien ."), words("il dort bien ."));
    return s;
}

}  // namespace

TEST_CASE("overall scores: exact match per sentence, token accuracy per reference position") {
    // exact match: 1 of 4 = 0.25; token accuracy: (4 + 3 + 5 + 2) / (4 + 4 + 6 + 4) = 14/18.
    // BLEU, pooled: p1 = (4+3+5+4)/(4+3+6+5) = 16/18   p2 = (3+2+3+2)/(3+2+5+4) = 10/14
    //               p3 = (2+1+1+0)/(2+1+4+3) = 4/10    p4 = (1+0+0+0)/(1+0+3+2) = 1/6
    //   c = 18 = r, BP = 1; BLEU = (16/18 * 10/14 * 4/10 * 1/6)^(1/4) = (8/189)^(1/4) = 0.453583
    const eval::Scores all = four_sentences().overall();
    CHECK(all.sentences == 4);
    CHECK(all.exact_match == doctest::Approx(0.25));
    CHECK(all.token_accuracy == doctest::Approx(14.0 / 18.0));
    CHECK(all.bleu == doctest::Approx(0.453583).epsilon(1e-6));
}

TEST_CASE("scores by bucket come in bucket order and list only buckets with sentences") {
    // 3-10:  exact 1/2, tokens (4 + 3)/(4 + 4) = 7/8; BLEU: every n-gram matches (p_n = 1) but
    //        c = 7 < r = 8, so BLEU = BP = exp(1 - 8/7) = 0.866878.
    // 11-20: exact 0, tokens 5/6; BLEU 0 (p4 = 0/3: no 4-gram avoids "un").
    // >40:   exact 0, tokens 2/4; BLEU 0 (p3 = 0/3).
    const auto rows = four_sentences().by_bucket();
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].first == "3-10");
    CHECK(rows[1].first == "11-20");
    CHECK(rows[2].first == ">40");
    CHECK(rows[0].second.sentences == 2);
    CHECK(rows[0].second.exact_match == doctest::Approx(0.5));
    CHECK(rows[0].second.token_accuracy == doctest::Approx(0.875));
    CHECK(rows[0].second.bleu == doctest::Approx(0.866878).epsilon(1e-6));
    CHECK(rows[1].second.sentences == 1);
    CHECK(rows[1].second.token_accuracy == doctest::Approx(5.0 / 6.0));
    CHECK(rows[1].second.bleu == 0.0);
    CHECK(rows[2].second.token_accuracy == doctest::Approx(0.5));
    CHECK(rows[2].second.exact_match == 0.0);
}

TEST_CASE("to_json writes the keys a lesson's summary.json holds") {
    const nlohmann::json j = four_sentences().to_json();
    std::vector<std::string> keys;
    for (const auto& item : j.items()) keys.push_back(item.key());
    CHECK(keys == std::vector<std::string>{"bleu", "bleu_by_length", "exact_match", "exact_match_by_length",
                                           "sentences", "sentences_by_length", "token_accuracy",
                                           "token_accuracy_by_length"});
    CHECK(j["bleu"].get<double>() == doctest::Approx(0.453583).epsilon(1e-6));
    CHECK(j["exact_match"].get<double>() == 0.25);
    CHECK(j["sentences"].get<std::size_t>() == 4);
    CHECK(j["bleu_by_length"]["3-10"].get<double>() == doctest::Approx(0.866878).epsilon(1e-6));
    CHECK(j["token_accuracy_by_length"]["11-20"].get<double>() == doctest::Approx(5.0 / 6.0));
    CHECK(j["exact_match_by_length"]["3-10"].get<double>() == 0.5);
    CHECK(j["sentences_by_length"] == nlohmann::json{{"3-10", 2}, {"11-20", 1}, {">40", 1}});
    CHECK(!j["bleu_by_length"].contains("21-30"));  // no sentence of that length was added
}

TEST_CASE("the table has a row per bucket and one for all, three decimals, aligned") {
    // BLEU 0.866878 -> 0.867, 0.453583 -> 0.454; token accuracy 7/8 = 0.875, 5/6 -> 0.833,
    // 14/18 -> 0.778.
    CHECK(four_sentences().table() ==
          "bucket  sentences   BLEU  exact  token acc\n"
          "3-10            2  0.867  0.500      0.875\n"
          "11-20           1  0.000  0.000      0.833\n"
          ">40             1  0.000  0.000      0.500\n"
          "all             4  0.454  0.250      0.778\n");
}

TEST_CASE("nothing added: all scores 0, no buckets, a table with only the row for all") {
    const TranslationScores s;
    const eval::Scores all = s.overall();
    CHECK(all.sentences == 0);
    CHECK(all.bleu == 0.0);
    CHECK(all.exact_match == 0.0);
    CHECK(all.token_accuracy == 0.0);
    CHECK(s.by_bucket().empty());
    CHECK(s.to_json()["bleu_by_length"] == nlohmann::json::object());
    CHECK(s.table() ==
          "bucket  sentences   BLEU  exact  token acc\n"
          "all             0  0.000  0.000      0.000\n");
}

TEST_CASE("custom buckets name their rows, a wide bucket name widens the first column") {
    TranslationScores s(LengthBuckets({{1, 1000000}}));
    s.add(7, words("a b"), words("a c"));  // token accuracy 1/2, BLEU 0 (no bigram matches)
    CHECK(s.table() ==
          "bucket     sentences   BLEU  exact  token acc\n"
          "1-1000000          1  0.000  0.000      0.500\n"
          "all                1  0.000  0.000      0.500\n");
}
