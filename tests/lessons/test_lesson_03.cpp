// Lesson 3's claims on its --quick run (a small model, 300 steps), next to lesson 2's: attention
// already looks at the right English words far more often than chance, on short and long
// sentences alike. (The full claims — BLEU on 31-40 at least 0.90 and 0.25 above lesson 2,
// alignment accuracy at least 0.85 — are the default run's; their numbers are in the chapter.)
#include <doctest/doctest.h>

#include <filesystem>

#include "lesson_run.hpp"

TEST_CASE("lesson 03 --quick: attention peaks on gold-aligned words far more often than a random pick") {
    auto s = lesson_summary("03_bahdanau_attention");
    const double acc = s["alignment_accuracy"], chance = s["alignment_chance"];
    MESSAGE("alignment accuracy " << acc << " (chance " << chance << "), by length "
                                  << s["alignment_accuracy_by_length"].dump());
    CHECK(acc > 3.0 * chance);
    for (const char* bucket : {"3-10", "31-40"})  // short and long alike, each against its own chance
        CHECK_MESSAGE(s["alignment_accuracy_by_length"][bucket].get<double>() >
                          2.0 * s["alignment_chance_by_length"][bucket].get<double>(),
                      bucket);
}

TEST_CASE(
    "lesson 03 --quick: with attention, long sentences come out better than through lesson 2's one vector") {
    auto with = lesson_summary("03_bahdanau_attention"), without = lesson_summary("02_encoder_decoder");
    const double a = with["token_accuracy_by_length"]["31-40"],
                 b = without["token_accuracy_by_length"]["31-40"];
    MESSAGE("word accuracy on 31-40 words: with attention " << a << ", without " << b);
    CHECK(a > b);
}

TEST_CASE("lesson 03 --quick: the summary has what the chapter reports, and the files are there") {
    auto s = lesson_summary("03_bahdanau_attention");
    for (const char* key :
         {"bleu", "bleu_by_length", "exact_match_by_length", "token_accuracy_by_length", "alignment_accuracy",
          "alignment_accuracy_by_length", "train_seconds", "steps", "parameters", "blas"})
        CHECK_MESSAGE(s.contains(key), key);
    for (const char* f : {"bleu_by_length.svg", "attention_1.svg", "loss.svg", "translator.safetensors"})
        CHECK_MESSAGE(std::filesystem::file_size(lesson_run_file("03_bahdanau_attention", f)) > 100,
                      std::string(f));
}

TEST_CASE(
    "lesson 03 --quick: attention.json holds the attention explorer's sentences beside their gold links") {
    const std::string problem =
        attention_json_problem(lesson_json("03_bahdanau_attention", "attention.json"), 24, 1, 1);
    CHECK_MESSAGE(problem.empty(), problem);
}
