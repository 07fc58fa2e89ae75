// Fuzz target: the file a learner passes to lesson 5's --text (their own text to train on, any
// bytes), read by the lesson's own learner_corpus() (lessons/05_gpt_vs_bert/text.cpp): normalised
// line by line, paragraphs at blank lines, a vocabulary of the words seen twice, two streams of ids.
// Promises checked: every id is inside the vocabulary.
#include "text.hpp"  // lesson 5's

#include "fuzz.hpp"

using namespace dikkat;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = fuzz::scratch_file("my_text.txt", fuzz::bytes(data, size));
    fuzz::refused_or_accepted([&] {
        const lesson5::Corpus corpus = lesson5::learner_corpus(path);
        for (const auto* stream : {&corpus.train, &corpus.valid})
            for (Index id : *stream)
                fuzz::require(id >= 0 && static_cast<std::size_t>(id) < corpus.vocab.size(),
                              "ids in the vocabulary");
    });
    return 0;
}
