// Fuzz target: the sentence a learner passes to --translate, through seq2seq::run_commands as
// lessons 2-4 call it (normalise, check every word is known, encode, decode, print the translation
// and its attention as a terminal heatmap), with a tiny model of lesson 3 (GRU + attention) or
// lesson 4 (transformer). The input's first byte picks the model (bit 0) and the beam (1 to 3);
// the rest is the sentence, any bytes.
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
    commands.beam = 1 + std::size_t(data[0] >> 1) % 3;
    commands.translate = fuzz::bytes(data + 1, size - 1);
    translators->run(commands, data[0] & 1);
    return 0;
}
