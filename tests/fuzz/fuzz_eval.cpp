// Fuzz target: the file a learner passes to --eval (english<TAB>french[<TAB>alignment] lines, any
// bytes), through seq2seq::run_commands as lessons 2-4 call it: read and normalise the pairs,
// translate them all, score them by length, print the table and write eval.json. A tiny model of
// lesson 3 (GRU + attention) or lesson 4 (transformer). The input's first byte picks the model
// (bit 0) and the beam (1 or 2); the rest is the file.
#include <optional>

#include "fuzz_models.hpp"

using namespace dikkat;

namespace {
std::optional<fuzz::Translators> translators;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::silence_stdout();
    translators.emplace();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    seq2seq::Commands commands;
    commands.beam = 1 + std::size_t(data[0] >> 1) % 2;
    commands.eval_file = fuzz::scratch_file("my_sentences.tsv", fuzz::bytes(data + 1, size - 1));
    translators->run(commands, data[0] & 1);
    return 0;
}
