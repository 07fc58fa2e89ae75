// Checks lesson 7's exercise against the library: run ./build/lessons/07_vision_transfer_check
//
// im2col has no gradient of its own, so the check runs it inside a convolution: weights W (O, C·KH·KW)
// times your columns, against W times the library's (ops/conv.hpp). A wrong entry of your matrix shows
// as a wrong output at [o, column] — column = (n·Ho + ho)·Wo + wo, the output pixel whose window it is —
// and in the gradient of W.
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>

#include "exercises.hpp"

using namespace dikkat;

namespace {

struct Case {
    std::string title;
    Shape x;
    std::size_t K, stride, padding;
};

Exercise exercise(const Case& c, const std::string& where) {
    const Array x = Rng(7).normal_array(c.x);  // the images, fixed; the weights are the checked input
    const std::size_t rows = c.x[1] * c.K * c.K;
    auto conv_with = [x, c](auto im2col_fn) {
        return [x, c, im2col_fn](const std::vector<Tensor>& in) {
            return matmul(in[0], Tensor(im2col_fn(x, c.K, c.K, c.stride, c.padding)));
        };
    };
    return {"Exercise 7.1",
            c.title,
            where,
            "row (c·KH + i)·KW + j, column (n·Ho + ho)·Wo + wo; zero where the window is outside the image; "
            "Ho = (H + 2·padding − KH) / stride + 1",
            conv_with(exercises::my_im2col),
            conv_with(im2col),
            {{4, rows}}};
}

}  // namespace

int main() {
    const std::string where = "lessons/07_vision_transfer/README.md, §8 Exercises";
    return run_exercise_checks(
        {exercise({"im2col, one image, 3x3, no padding", {1, 2, 5, 5}, 3, 1, 0}, where),
         exercise({"im2col, two images, 3x3, padding 1", {2, 3, 6, 6}, 3, 1, 1}, where),
         exercise({"im2col, stride 2 and padding 2, 5x5", {2, 3, 9, 7}, 5, 2, 2}, where)},
        std::cout);
}
