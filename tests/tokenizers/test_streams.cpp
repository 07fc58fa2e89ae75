// StreamBatcher: B streams read side by side, window after window, for truncated BPTT.
#include <doctest/doctest.h>

#include <numeric>

#include <dikkat/data/streams.hpp>
#include <dikkat/error.hpp>

using namespace dikkat;

TEST_CASE("stream windows continue where the last one ended, targets one token ahead") {
    std::vector<Index> text(18);
    std::iota(text.begin(), text.end(), 0);  // a b c ... r as 0 1 2 ... 17
    data::StreamBatcher streams(text, /*batch=*/2, /*window=*/3);
    CHECK(streams.windows_per_epoch() == 2);  // streams of 9 tokens: two windows of 3, plus targets
    IndexArray x, y;
    streams.next(x, y);
    CHECK(x == IndexArray{{0, 1, 2}, {9, 10, 11}});
    CHECK(y == IndexArray{{1, 2, 3}, {10, 11, 12}});
    CHECK(streams.at_start());
    streams.next(x, y);
    CHECK(x == IndexArray{{3, 4, 5}, {12, 13, 14}});
    CHECK_FALSE(streams.at_start());
}

TEST_CASE("after the last window of a pass the streams start over, and at_start says so") {
    std::vector<Index> text(18);
    std::iota(text.begin(), text.end(), 0);
    data::StreamBatcher streams(text, 2, 3);
    IndexArray first, x, y;
    streams.next(first, y);
    for (std::size_t w = 1; w < streams.windows_per_epoch(); ++w) {
        streams.next(x, y);
        CHECK_FALSE(streams.at_start());
    }
    streams.next(x, y);
    CHECK(streams.at_start());
    CHECK(x == first);
}

TEST_CASE("a text too short for one window in every stream is an error naming the sizes") {
    std::vector<Index> text(7, 1);
    CHECK_THROWS_WITH_AS(data::StreamBatcher(text, 2, 3),
                         doctest::Contains("7 tokens are too few for 2 streams"), ValueError);
}

TEST_CASE("word_stream ends every paragraph with <eos> and reads unknown words as <unk>") {
    data::Vocab vocab;
    for (const char* w : {"the", "film", "was", "good", "."}) vocab.add(w);
    const std::vector<Index> ids = data::word_stream({"the film was good .", "the plot was thin ."}, vocab);
    const Index eos = data::Vocab::eos_id, unk = data::Vocab::unk_id;
    CHECK(ids == std::vector<Index>{vocab.id("the"), vocab.id("film"), vocab.id("was"), vocab.id("good"),
                                    vocab.id("."), eos, vocab.id("the"), unk, vocab.id("was"), unk,
                                    vocab.id("."), eos});
    CHECK(data::word_stream({}, vocab).empty());
}
