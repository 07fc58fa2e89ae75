// Exercise 5.1 — reference solution.
#include <dikkat/dikkat.hpp>

#include "../exercises.hpp"

using namespace dikkat;

Array exercises::my_causal_mask(std::size_t T) {
    Array keep = xt::zeros<float>({T, T});
    for (std::size_t i = 0; i < T; ++i)
        for (std::size_t j = 0; j <= i; ++j) keep(i, j) = 1.0f;  // itself and the words before it
    return keep;
}
