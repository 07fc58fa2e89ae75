// Fuzz target: the text a learner passes to lesson 5's --fill (a sentence with <mask> gaps) or
// --prompt (a text to continue), through the lesson's own answer() (lessons/05_gpt_vs_bert/text.cpp):
// load the run folder's GPT and BERT, normalise the text, check every word is known, encode it,
// then fill each gap (lm::fill_masks) or write a few words (lm::continue_text). Tiny untrained
// models. The input's first byte picks --prompt (bit 0) and greedy sampling (bit 1); the rest is
// the text, any bytes.
#include "text.hpp"  // lesson 5's

#include "fuzz_models.hpp"

using namespace dikkat;

namespace {
const std::string lesson = "05_gpt_vs_bert";
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::silence_stdout();
    fuzz::save_language_models(fuzz::scratch_dir(), lesson);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool prompt = data[0] & 1;
    lm::Sampling sampling;
    if (data[0] & 2) sampling.temperature = 0.0f;
    const std::string text = fuzz::bytes(data + 1, size - 1);
    fuzz::refused_or_accepted([&] {
        lesson5::answer(lesson, fuzz::scratch_dir(), prompt ? text : "", prompt ? "" : text, sampling,
                        /*words=*/4, /*seed=*/0);
    });
    return 0;
}
