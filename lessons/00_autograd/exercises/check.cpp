// Checks lesson 0's exercises against the library: run ./build/lessons/00_autograd_check
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>
#include <dikkat/nn/linear.hpp>

#include "exercises.hpp"

using namespace dikkat;

int main() {
    const std::string chapter = "lessons/00_autograd/README.md, §5 Exercises";
    return run_exercise_checks(
        {
            {"Exercise 0.1",
             "sigmoid's backward",
             chapter,
             "dL/dx = dL/dy * y * (1 - y); y is self.value, dL/dy is self.grad",
             [](const std::vector<Tensor>& x) { return exercises::my_sigmoid(x[0]); },
             [](const std::vector<Tensor>& x) { return sigmoid(x[0]); },
             {{4, 5}}},
            {"Exercise 0.2",
             "a linear layer from ops",
             chapter,
             "y = matmul(x, W) + b; matmul wants (N, in) @ (in, out), and + broadcasts b over rows",
             [](const std::vector<Tensor>& x) { return exercises::my_linear(x[0], x[1], x[2]); },
             [](const std::vector<Tensor>& x) { return nn::linear(x[0], x[1], x[2]); },
             {{6, 3}, {3, 4}, {4}}},
        },
        std::cout);
}
