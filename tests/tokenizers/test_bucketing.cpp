// Batches bucketed by length: every example once per epoch, batches nearly uniform in length,
// their order random, and far less padding than random batches on the translation corpus.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include <dikkat/data/batch.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/error.hpp>

using namespace dikkat;

namespace {

using Batches = std::vector<std::vector<std::size_t>>;

// n lengths drawn uniformly from 3..40, like the translation corpus's sentences.
std::vector<std::size_t> uniform_lengths(std::size_t n, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<std::size_t> lengths(n);
    for (std::size_t& l : lengths) l = 3 + rng.below(38);
    return lengths;
}

// Every index of 0..n-1 exactly once.
bool each_once(const Batches& batches, std::size_t n) {
    std::vector<std::size_t> all;
    for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> expected(n);
    std::iota(expected.begin(), expected.end(), std::size_t{0});
    return all == expected;
}

// The largest spread of lengths (max - min) within one batch.
std::size_t widest_batch(const Batches& batches, const std::vector<std::size_t>& lengths) {
    std::size_t widest = 0;
    for (const auto& b : batches) {
        const auto [lo, hi] = std::minmax_element(
            b.begin(), b.end(), [&](std::size_t x, std::size_t y) { return lengths[x] < lengths[y]; });
        widest = std::max(widest, lengths[*hi] - lengths[*lo]);
    }
    return widest;
}

}  // namespace

TEST_CASE("a bucketed batcher covers every example exactly once per epoch") {
    const auto lengths = uniform_lengths(1000, 1);
    auto batcher = data::Batcher::bucketed(lengths, /*batch_size=*/32, /*seed=*/7, /*pool_batches=*/5);
    CHECK(batcher.batches_per_epoch() == 32);  // 31 full batches and one of 8
    for (int epoch = 0; epoch < 3; ++epoch) {
        const Batches e = batcher.epoch();
        CHECK(e.size() == 32);
        CHECK(each_once(e, lengths.size()));
        CHECK(std::count_if(e.begin(), e.end(), [](const auto& b) { return b.size() != 32; }) == 1);
    }
    CHECK(batcher.epochs_done() == 3);
}

TEST_CASE("bucketed batches are nearly uniform in length while random ones span the whole range") {
    const auto lengths = uniform_lengths(20000, 2);
    auto bucketed = data::Batcher::bucketed(lengths, 64, 3);  // pools of 50 batches = 3200 examples
    data::Batcher random(lengths.size(), 64, 3);
    const Batches b = bucketed.epoch(), r = random.epoch();
    // A pool of 3200 holds ~84 examples of each of the 38 lengths: a batch of 64 spans 1 or 2.
    CHECK(widest_batch(b, lengths) <= 2);
    CHECK(widest_batch(r, lengths) >= 30);
    CHECK(data::padding_fraction(b, lengths) < 0.03);
    CHECK(data::padding_fraction(r, lengths) > 0.3);
}

TEST_CASE("bucketed batches come in a random order, new every epoch, the same for the same seed") {
    const auto lengths = uniform_lengths(2000, 4);
    auto x = data::Batcher::bucketed(lengths, 16, 5), y = data::Batcher::bucketed(lengths, 16, 5);
    auto z = data::Batcher::bucketed(lengths, 16, 6);
    const Batches x1 = x.epoch(), x2 = x.epoch();
    CHECK(x1 == y.epoch());
    CHECK(x2 == y.epoch());
    CHECK(x1 != x2);
    CHECK(x1 != z.epoch());

    // Not a curriculum from short to long: the first batches are not the shortest ones.
    std::vector<std::size_t> first_lengths;
    for (const auto& batch : x1) first_lengths.push_back(lengths[batch[0]]);
    CHECK(!std::is_sorted(first_lengths.begin(), first_lengths.end()));
}

TEST_CASE("pool_batches = 0 sorts the whole epoch as one pool and drop_last drops the one short batch") {
    const auto lengths = uniform_lengths(5000, 8);
    auto global = data::Batcher::bucketed(lengths, 32, 9, /*pool_batches=*/0, /*drop_last=*/true);
    CHECK(global.batches_per_epoch() == 156);  // and 8 examples left over
    const Batches e = global.epoch();
    REQUIRE(e.size() == 156);
    for (const auto& b : e) CHECK(b.size() == 32);
    // One sorted pool with ~130 examples of each length: a batch holds one or two neighbours.
    CHECK(widest_batch(e, lengths) <= 1);
}

TEST_CASE("a bucketed batcher with equal lengths still shuffles who meets whom") {
    const std::vector<std::size_t> same(100, 7);
    auto batcher = data::Batcher::bucketed(same, 10, 11);
    const Batches e1 = batcher.epoch(), e2 = batcher.epoch();
    CHECK(each_once(e1, 100));
    std::vector<std::size_t> first1 = e1[0], first2 = e2[0];
    std::sort(first1.begin(), first1.end());
    std::sort(first2.begin(), first2.end());
    CHECK(first1 != first2);
}

TEST_CASE("padding_fraction counts padded slots over all slots") {
    const std::vector<std::size_t> lengths{4, 31, 12, 38, 12, 12, 13, 13};
    CHECK(data::padding_fraction({{0, 1, 2, 3}}, lengths) == doctest::Approx(67.0 / 152.0));
    CHECK(data::padding_fraction({{4, 5, 6, 7}}, lengths) == doctest::Approx(2.0 / 52.0));
    CHECK(data::padding_fraction({}, lengths) == 0.0);
    CHECK_THROWS_AS(data::padding_fraction({{8}}, lengths), ValueError);
    CHECK_THROWS_AS(data::Batcher::bucketed(lengths, /*batch_size=*/0, 1), ValueError);
}

TEST_CASE("on the translation corpus, bucketing cuts the padding of batches of 64") {
    std::vector<std::size_t> lengths;
    for (const auto& p : data::read_translation(data::find_dataset("translation/train.tsv")))
        lengths.push_back(p.source.size());
    data::Batcher random(lengths.size(), 64, 1);
    auto bucketed = data::Batcher::bucketed(lengths, 64, 1);
    const double random_padding = data::padding_fraction(random.epoch(), lengths);
    const double bucketed_padding = data::padding_fraction(bucketed.epoch(), lengths);
    char line[160];
    std::snprintf(line, sizeof line,
                  "train.tsv source lengths, batch 64: padding %.1f%% random, %.1f%% bucketed",
                  100 * random_padding, 100 * bucketed_padding);
    MESSAGE(line);
    CHECK(random_padding > 0.35);
    CHECK(bucketed_padding < 0.05);
}
