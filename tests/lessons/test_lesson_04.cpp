// Lesson 4's claims on its --quick run (a small transformer, 300 steps, beside lesson 3's --quick
// run). The claims about structure hold at any size: the transformer's chain of dependent
// operations does not grow with the sentence, the RNN's grows with every word. (The speed and
// BLEU claims are the default run's: a tiny model's step is too short to time two cores
// against one, and 300 steps are too few to translate. Their numbers are in the chapter.)
#include <doctest/doctest.h>

#include <filesystem>

#include "lesson_run.hpp"

TEST_CASE(
    "lesson 04 --quick: the transformer's sequential depth stays flat while the RNN's grows with length") {
    auto s = lesson_summary("04_transformer");
    const auto& t = s["sequential_steps_by_length"]["transformer"];
    const auto& r = s["sequential_steps_by_length"]["rnn_attention"];
    MESSAGE("transformer " << t.dump() << ", RNN " << r.dump());
    CHECK(t["10"].get<int>() == t["40"].get<int>());
    CHECK(t["20"].get<int>() == t["30"].get<int>());
    // Every word adds a dependent step to each direction of the encoder and to the decoder.
    CHECK(r["20"].get<int>() > r["10"].get<int>());
    CHECK(r["40"].get<int>() >= 3 * r["10"].get<int>());
    CHECK(t["40"].get<int>() < r["10"].get<int>());
}

TEST_CASE("lesson 04 --quick: it learns something in 300 steps, and its BLEU curve rises") {
    auto s = lesson_summary("04_transformer");
    const auto& bleu = s["bleu_vs_seconds"]["transformer"]["bleu"];
    const auto& seconds = s["bleu_vs_seconds"]["transformer"]["seconds"];
    MESSAGE("validation BLEU " << bleu.dump() << " at seconds " << seconds.dump());
    REQUIRE(bleu.size() >= 2);
    CHECK(bleu.back().get<double>() > bleu.front().get<double>());
    for (std::size_t i = 1; i < seconds.size(); ++i)
        CHECK(seconds[i].get<double>() > seconds[i - 1].get<double>());
    CHECK(s["token_accuracy"].get<double>() > 0.05);
}

TEST_CASE("lesson 04 --quick: the summary has what the chapter reports, and the files are there") {
    auto s = lesson_summary("04_transformer");
    for (const char* key :
         {"bleu", "bleu_by_length", "exact_match_by_length", "token_accuracy_by_length", "step_ms_by_length",
          "sequential_steps_by_length", "thread_speedup", "bleu_vs_seconds", "lesson_3", "attention_entropy",
          "train_seconds", "steps", "parameters", "blas"})
        CHECK_MESSAGE(s.contains(key), key);
    for (const char* model : {"transformer", "rnn_attention"}) {
        CHECK(s["thread_speedup"][model].get<double>() > 0.0);
        for (const char* threads : {"threads_1", "threads_2"})
            CHECK(s["step_ms_by_length"][model][threads]["40"].get<double>() > 0.0);
        CHECK(s["bleu_vs_seconds"][model]["bleu"].size() >= 2);
    }
    CHECK(s["lesson_3"]["from"].get<std::string>().find("03_bahdanau_attention") != std::string::npos);
    for (const char* f : {"bleu_by_length.svg", "bleu_vs_seconds.svg", "step_time.svg",
                          "cross_attention_heads.svg", "encoder_attention_heads.svg", "causal_mask.svg",
                          "positional_encoding.svg", "loss.svg", "translator.safetensors"})
        CHECK_MESSAGE(std::filesystem::file_size(lesson_run_file("04_transformer", f)) > 100, std::string(f));
}

TEST_CASE("lesson 04 --quick: attention.json holds the explorer's sentences, every decoder layer and head") {
    const std::string problem =
        attention_json_problem(lesson_json("04_transformer", "attention.json"), 24, 2, 4);
    CHECK_MESSAGE(problem.empty(), problem);
}
