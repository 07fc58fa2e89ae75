// Lesson 2's claim on its --quick run (a small model, 300 steps): even briefly trained, the
// encoder-decoder translates short sentences far better than long ones — the fixed-size context
// vector. (The full claim, BLEU on 31-40 at least 0.15 below 3-10, is the default run's; its
// numbers are in the chapter.)
#include <doctest/doctest.h>

#include <filesystem>

#include "lesson_run.hpp"

TEST_CASE("lesson 02 --quick: short sentences come through the context vector better than long ones") {
    auto s = lesson_summary("02_encoder_decoder");
    const auto& acc = s["token_accuracy_by_length"];
    MESSAGE("word accuracy by length: " << acc.dump() << ", BLEU " << s["bleu_by_length"].dump());
    REQUIRE(acc.contains("3-10"));
    REQUIRE(acc.contains("31-40"));
    CHECK(acc["3-10"].get<double>() > 0.15);  // it learned something
    CHECK(acc["3-10"].get<double>() > acc["31-40"].get<double>() + 0.1);
}

TEST_CASE("lesson 02 --quick: the summary has what the chapter reports, and the files are there") {
    auto s = lesson_summary("02_encoder_decoder");
    for (const char* key : {"bleu", "bleu_by_length", "exact_match_by_length", "token_accuracy_by_length",
                            "train_seconds", "steps", "parameters", "blas"})
        CHECK_MESSAGE(s.contains(key), key);
    for (const char* f : {"bleu_by_length.svg", "loss.svg", "metrics.csv", "translator.safetensors"})
        CHECK_MESSAGE(std::filesystem::file_size(lesson_run_file("02_encoder_decoder", f)) > 100,
                      std::string(f));
}
