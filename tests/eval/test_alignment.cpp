// AlignmentScores: attention's arg-max against gold word links, by source length.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>
#include <dikkat/eval/alignment.hpp>

using namespace dikkat;
using Links = std::vector<std::pair<std::size_t, std::size_t>>;

TEST_CASE("alignment accuracy counts French words whose attention peaks on a gold-linked English word") {
    // the european economic area .  ->  la zone économique européenne .
    // gold: la-the, zone-area, économique-economic, européenne-european, .-.
    const Links gold = {{0, 0}, {3, 1}, {2, 2}, {1, 3}, {4, 4}};
    Array attention = xt::zeros<float>({6, 6});  // 5 words + <eos> each way
    attention(0, 0) = 0.9f;                      // la -> the            right
    attention(1, 3) = 0.8f;                      // zone -> area         right (the crossing)
    attention(2, 2) = 0.7f;                      // économique -> economic
    attention(3, 2) = 0.6f;                      // européenne -> economic: wrong, one position off
    attention(4, 0) = 0.5f;                      // . -> the: wrong, far off
    attention(5, 4) = 1.0f;                      // <eos>: not counted (no link)
    eval::AlignmentScores scores;
    scores.add(5, 5, attention, gold);
    CHECK(scores.words() == 5);
    CHECK(scores.accuracy() == doctest::Approx(3.0 / 5.0));
    CHECK(scores.accuracy_within_one() == doctest::Approx(4.0 / 5.0));
    CHECK(scores.chance() == doctest::Approx(1.0 / 5.0));  // one gold word of five, for every French word
    // The diagonal guesses English word j for French word j (S = T = 5): right for la, économique
    // and ., wrong for the crossing zone-area and européenne-european.
    CHECK(scores.diagonal() == doctest::Approx(3.0 / 5.0));
    const auto by = scores.by_bucket();
    REQUIRE(by.size() == 1);
    CHECK(by[0].first == "3-10");
    CHECK(scores.to_json()["alignment_accuracy_by_length"]["3-10"] == doctest::Approx(0.6));
    CHECK(scores.to_json()["alignment_chance_by_length"]["3-10"] == doctest::Approx(0.2));
}

TEST_CASE("a French word linked to two English words is right on either, and unlinked words are skipped") {
    // does not sleep . -> ne dort pas .   (ne-not, dort-does+sleep, pas-not, .-.)
    const Links gold = {{1, 0}, {0, 1}, {2, 1}, {1, 2}, {3, 3}};
    Array attention = xt::zeros<float>({4, 4});
    attention(0, 1) = 1.0f;
    attention(1, 0) = 1.0f;  // dort -> does: a gold link too
    attention(2, 3) = 1.0f;  // pas -> .: wrong
    attention(3, 3) = 1.0f;
    eval::AlignmentScores scores;
    scores.add(4, 4, attention, gold);
    CHECK(scores.accuracy() == doctest::Approx(3.0 / 4.0));
    CHECK(scores.chance() == doctest::Approx((1.0 + 2.0 + 1.0 + 1.0) / 4.0 / 4.0));
    eval::AlignmentScores unlinked;
    unlinked.add(4, 4, attention, {{3, 3}});  // only "." has a link
    CHECK(unlinked.words() == 1);
}

TEST_CASE("alignment scores name the attention's shape when it is too small") {
    eval::AlignmentScores scores;
    CHECK_THROWS_WITH_AS(scores.add(5, 5, xt::zeros<float>({4, 6}), {}), doctest::Contains("(4, 6)"),
                         ShapeError);
}

TEST_CASE("misses are counted by French word, most missed first") {
    const Links gold = {{0, 0}, {1, 1}, {0, 2}, {1, 3}};
    Array attention = xt::zeros<float>({4, 2});
    attention(0, 1) = 1.0f;  // "ne" missed
    attention(1, 1) = 1.0f;  // "dort" right
    attention(2, 1) = 1.0f;  // "ne" missed again
    attention(3, 1) = 1.0f;  // "." right
    eval::AlignmentScores scores;
    scores.add(2, {"ne", "dort", "ne", "."}, attention, gold);
    const auto missed = scores.most_missed(2);
    REQUIRE(missed.size() == 2);
    CHECK(missed[0].word == "ne");
    CHECK(missed[0].misses == 2);
    CHECK(missed[0].count == 2);
    CHECK(missed[1].misses == 0);
}
