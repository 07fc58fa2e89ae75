#include <doctest/doctest.h>

#include <algorithm>

#include <dikkat/data/batch.hpp>
#include <dikkat/error.hpp>

using namespace dikkat;

TEST_CASE("pad_batch pads to the longest sequence and keep is 1 at real tokens, 0 at padding") {
    const data::Batch b = data::pad_batch({{5, 9, 2}, {7, 2}, {4, 8, 6, 2}});
    REQUIRE(b.ids.shape() == std::vector<std::size_t>{3, 4});
    REQUIRE(b.keep.shape() == std::vector<std::size_t>{3, 4});
    const IndexArray ids = {{5, 9, 2, 0}, {7, 2, 0, 0}, {4, 8, 6, 2}};
    const Array keep = {{1, 1, 1, 0}, {1, 1, 0, 0}, {1, 1, 1, 1}};
    CHECK(b.ids == ids);
    CHECK(b.keep == keep);
    CHECK(b.lengths == std::vector<std::size_t>{3, 2, 4});
    CHECK(b.keep == padding_mask(b.lengths, 4));  // one implementation of the padding mask
}

TEST_CASE("pad_batch uses the pad id it is given and refuses an empty batch") {
    const data::Batch b = data::pad_batch({{1}, {1, 2}}, /*pad_id=*/-1);
    CHECK(b.ids(0, 1) == -1);
    CHECK_THROWS_AS(data::pad_batch({}), ValueError);
}

TEST_CASE("shuffling is seeded: same seed same order, different seed different order") {
    Rng a(42), b(42), c(43);
    const auto oa = data::shuffled_indices(50, a);
    CHECK(oa == data::shuffled_indices(50, b));
    CHECK(oa != data::shuffled_indices(50, c));
    auto sorted = oa;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i) CHECK(sorted[i] == i);  // a permutation
}

TEST_CASE("a batcher covers every example once per epoch and reshuffles each epoch") {
    data::Batcher x(10, /*batch_size=*/4, /*seed=*/1), y(10, 4, 1);
    CHECK(x.batches_per_epoch() == 3);
    const auto e1 = x.epoch(), e2 = x.epoch();
    CHECK(e1 == y.epoch());
    CHECK(e1 != e2);
    REQUIRE(e1.size() == 3);
    CHECK(e1[2].size() == 2);  // the last batch is smaller
    std::vector<std::size_t> all;
    for (const auto& batch : e1) all.insert(all.end(), batch.begin(), batch.end());
    std::sort(all.begin(), all.end());
    CHECK(all == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

    data::Batcher dropping(10, 4, 1, /*shuffle=*/false, /*drop_last=*/true);
    const auto e = dropping.epoch();
    CHECK(e.size() == 2);
    CHECK(e[0] == std::vector<std::size_t>{0, 1, 2, 3});
}

TEST_CASE("gather picks items in the order of the indices") {
    const std::vector<std::vector<Index>> seqs{{1}, {2, 2}, {3, 3, 3}};
    const auto picked = data::gather(seqs, {2, 0});
    CHECK(picked == std::vector<std::vector<Index>>{{3, 3, 3}, {1}});
}
