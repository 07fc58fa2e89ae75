// Lesson 1's claim on its --quick run: the hidden state is memory. Even after a short run the
// RNN predicts the validation text better than a bigram model and than the same network
// with its state wiped at every character.
#include <doctest/doctest.h>

#include <filesystem>

#include "lesson_run.hpp"

TEST_CASE("lesson 01 --quick: with its memory the RNN beats the bigram model and the no-memory ablation") {
    auto s = lesson_summary("01_rnn_cell");
    const double rnn = s["val_bits_per_char"], bigram = s["bigram_bits_per_char"],
                 no_memory = s["no_memory_bits_per_char"];
    MESSAGE("rnn " << rnn << ", bigram " << bigram << ", no memory " << no_memory << " bits/char");
    CHECK(rnn < bigram - 0.3);
    CHECK(rnn < no_memory - 0.3);
    // Without memory the network can do no better than a bigram model (it sees one character).
    CHECK(no_memory > bigram - 0.1);
}

TEST_CASE("lesson 01 --quick: samples are made of characters from the corpus, most words real") {
    auto s = lesson_summary("01_rnn_cell");
    CHECK(s["sample"].get<std::string>().size() > 100);
    CHECK(s["real_word_fraction"].get<double>() > 0.3);
}

TEST_CASE("lesson 01 --quick: the gradient shrinks going back in time") {
    auto s = lesson_summary("01_rnn_cell");
    CHECK(s["grad_norm_at_47"].get<double>() < s["grad_norm_at_0"].get<double>());
}

TEST_CASE("lesson 01 --quick: wrote its figures, metrics and checkpoint") {
    for (const char* f : {"loss.svg", "gradient_norms.svg", "metrics.csv", "char_lm.safetensors"})
        CHECK_MESSAGE(std::filesystem::file_size(lesson_run_file("01_rnn_cell", f)) > 100, std::string(f));
}
