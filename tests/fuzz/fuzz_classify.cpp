// Fuzz target: the sentence a learner passes to lesson 6's --classify, through the lesson's own
// classify() (lessons/06_transfer_learning/stages.cpp): load the run folder's classifier, normalise
// the sentence, check every word is known, and print both classes' probabilities. A tiny untrained
// classifier; the input is the sentence, any bytes.
#include "stages.hpp"  // lesson 6's

#include "fuzz_models.hpp"

using namespace dikkat;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::silence_stdout();
    fuzz::save_classifier(fuzz::scratch_dir(), "06_transfer_learning");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::refused_or_accepted(
        [&] { lesson6::classify(fuzz::scratch_dir(), fuzz::bytes(data, size), "train it first"); });
    return 0;
}
