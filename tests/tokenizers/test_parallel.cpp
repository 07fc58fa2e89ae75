// Translation pairs as ids: vocabularies from the training pairs, source ... <eos>, target
// <bos> ... <eos>, unknown words as <unk>.
#include <doctest/doctest.h>

#include <dikkat/data/batch.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/parallel.hpp>

#include "../support/translation_pair.hpp"

using namespace dikkat;
using data::Vocab;

TEST_CASE("ParallelCorpus builds one vocabulary per language, most frequent words first") {
    const auto corpus =
        data::ParallelCorpus::build({translation_pair("the cat sleeps .", "le chat dort ."),
                                     translation_pair("the dog sleeps .", "le chien dort .")});
    CHECK(corpus.size() == 2);
    CHECK(corpus.source_vocab.size() == 5 + 5);  // specials + . sleeps the cat dog
    CHECK(corpus.target_vocab.size() == 5 + 5);
    CHECK(corpus.source_vocab.tokens()[5] == ".");  // count 2, ties alphabetical: . sleeps the
    CHECK(corpus.source_vocab.tokens()[7] == "the");
    CHECK(!corpus.source_vocab.contains("le"));  // the languages do not share a vocabulary
    CHECK(!corpus.target_vocab.contains("the"));
}

TEST_CASE("source ids end in <eos> and target ids are wrapped in <bos> ... <eos>") {
    const auto corpus = data::ParallelCorpus::build({translation_pair("the cat sleeps .", "le chat dort .")});
    const Vocab& en = corpus.source_vocab;
    const Vocab& fr = corpus.target_vocab;
    CHECK(corpus.source[0] ==
          std::vector<Index>{en.id("the"), en.id("cat"), en.id("sleeps"), en.id("."), Vocab::eos_id});
    CHECK(corpus.target[0] == std::vector<Index>{Vocab::bos_id, fr.id("le"), fr.id("chat"), fr.id("dort"),
                                                 fr.id("."), Vocab::eos_id});
    CHECK(corpus.pair_lengths() == std::vector<std::size_t>{5 + 6});
    CHECK(en.decode(corpus.source[0]) == std::vector<std::string>{"the", "cat", "sleeps", "."});
    CHECK(fr.decode(corpus.target[0]) == std::vector<std::string>{"le", "chat", "dort", "."});
}

TEST_CASE("encode uses the training vocabularies: a word not seen in training becomes <unk>") {
    const auto train = data::ParallelCorpus::build({translation_pair("the cat sleeps .", "le chat dort .")});
    const auto valid = train.encode({translation_pair("the bird sleeps .", "l' oiseau dort .")});
    CHECK(valid.source_vocab.tokens() == train.source_vocab.tokens());
    CHECK(valid.target_vocab.tokens() == train.target_vocab.tokens());
    CHECK(valid.source[0][1] == Vocab::unk_id);
    CHECK(valid.target[0][1] == Vocab::unk_id);  // l'
    CHECK(valid.target[0][2] == Vocab::unk_id);  // oiseau
    CHECK(train.encode_source({"the", "cat"}) ==
          std::vector<Index>{train.source[0][0], train.source[0][1], Vocab::eos_id});
}

TEST_CASE("min_count leaves rare training words out of the vocabularies") {
    const auto corpus = data::ParallelCorpus::build({translation_pair("the cat sleeps .", "le chat dort ."),
                                                     translation_pair("the dog sleeps .", "le chien dort .")},
                                                    /*min_count=*/2);
    CHECK(corpus.source_vocab.size() == 5 + 3);  // . sleeps the
    CHECK(corpus.source[0][1] == Vocab::unk_id);
}

TEST_CASE("on the translation corpus: 445 English and more French words, ids ready to batch") {
    const auto train =
        data::ParallelCorpus::build(data::read_translation(data::find_dataset("translation/train.tsv")));
    const auto valid = train.encode(data::read_translation(data::find_dataset("translation/valid.tsv")));
    CHECK(train.size() == 30102);
    CHECK(train.source_vocab.size() == 5 + 445);
    CHECK(train.target_vocab.size() > train.source_vocab.size());  // gender and number agreement
    CHECK(valid.size() == 2000);
    auto batcher = data::Batcher::bucketed(train.pair_lengths(), 64, 1);
    const auto epoch = batcher.epoch();
    const data::Batch source = data::pad_batch(data::gather(train.source, epoch.front()));
    const data::Batch target = data::pad_batch(data::gather(train.target, epoch.front()));
    CHECK(source.ids.shape(0) == epoch.front().size());
    CHECK(target.ids(0, 0) == Vocab::bos_id);

    // bucketed by source + target length, both sides pad little (random batches: ~45%)
    std::vector<std::size_t> source_lengths, target_lengths;
    for (std::size_t i = 0; i < train.size(); ++i) {
        source_lengths.push_back(train.source[i].size());
        target_lengths.push_back(train.target[i].size());
    }
    CHECK(data::padding_fraction(epoch, source_lengths) < 0.1);
    CHECK(data::padding_fraction(epoch, target_lengths) < 0.1);
}
