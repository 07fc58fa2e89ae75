// Checking a learner's function against the library's.
//
// An implementation exercise gives the learner a stub that throws NotImplemented, and a
// checker program that runs their function and the library's reference on the same random
// inputs and compares the values and, through backward(), the gradients. On a mismatch it
// names the exercise, the first wrong element, the expected and actual numbers, and a hint.
//
//     Exercise e{"Exercise 0.1", "sigmoid's backward", "chapter §4",
//                "dL/dx = dL/dy * y * (1 - y): use the saved output, self.value",
//                my_sigmoid, [](auto& x) { return sigmoid(x[0]); }, {{3, 4}}};
//     return run_exercise_checks({e}, std::cout);     // exit code 0 when all pass
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <dikkat/autograd.hpp>

namespace dikkat {

struct Exercise {
    std::string id;     ///< "Exercise 0.1"
    std::string title;  ///< "sigmoid's backward"
    std::string where;  ///< where the chapter explains it: "lessons/00_autograd/README.md §4"
    std::string hint;   ///< shown when the check fails
    std::function<Tensor(const std::vector<Tensor>&)> mine;       ///< the learner's function
    std::function<Tensor(const std::vector<Tensor>&)> reference;  ///< the library's
    std::vector<Shape> input_shapes;  ///< inputs are drawn from N(0, 1) in these shapes
};

struct ExerciseResult {
    bool passed = false;
    std::string message;  ///< one paragraph: what was compared, and what differed
};

/// Runs `mine` and `reference` on `trials` sets of random inputs; compares values and the
/// gradient of every input (relative/absolute tolerance 1e-4, float32 round-off is ~1e-7).
ExerciseResult check_exercise(const Exercise& exercise, std::uint64_t seed = 0, int trials = 3);

/// Checks every exercise, prints a line (and on failure the explanation) for each, then a
/// closing "exercises: N of M pass" line. Returns 0 if all passed, 1 otherwise.
int run_exercise_checks(const std::vector<Exercise>& exercises, std::ostream& out);

}  // namespace dikkat
