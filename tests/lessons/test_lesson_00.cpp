// Lesson 0's claims on its --quick run: backward() agrees with finite differences, and the
// gradients it computes are good enough to train a network far beyond chance.
#include <doctest/doctest.h>

#include <filesystem>

#include "lesson_run.hpp"

TEST_CASE("lesson 00 --quick: backward() matches finite differences within the gradcheck tolerance") {
    auto s = lesson_summary("00_autograd");
    CHECK(s["gradcheck_max_rel_error"].get<double>() < 5e-3);
}

TEST_CASE("lesson 00 --quick: the MLP trained on two spirals beats chance clearly") {
    auto s = lesson_summary("00_autograd");
    MESSAGE("train " << s["train_accuracy"] << ", test " << s["test_accuracy"]);
    CHECK(s["train_accuracy"].get<double>() > 0.8);
    CHECK(s["test_accuracy"].get<double>() > 0.75);
}

TEST_CASE("lesson 00 --quick: wrote its figures, metrics and checkpoint") {
    for (const char* f : {"decision_boundary.svg", "loss.svg", "metrics.csv", "mlp.safetensors", "graph.dot"})
        CHECK_MESSAGE(std::filesystem::file_size(lesson_run_file("00_autograd", f)) > 100, std::string(f));
}
