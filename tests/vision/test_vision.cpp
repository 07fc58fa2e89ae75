// The layers lesson 7's network is made of — Conv2d, BatchNorm2d, ResidualBlock — module buffers,
// the small ResNet, its checkpoint, and the image grid it is drawn with.
#include <doctest/doctest.h>

#include <dikkat/dikkat.hpp>
#include <dikkat/gradcheck.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/viz/image_grid.hpp>
#include <dikkat/vision/resnet.hpp>

#include "io_test_util.hpp"

using namespace dikkat;

TEST_CASE("Conv2d has PyTorch's weight layout and parameter count, and names its sizes") {
    Rng rng(0);
    nn::Conv2d conv(3, 8, 5, rng, /*stride=*/1, /*padding=*/2);
    CHECK(conv.weight.shape() == Shape{8, 3, 5, 5});
    CHECK(conv.num_parameters() == 8 * 3 * 25 + 8);
    CHECK(conv(Tensor(rng.normal_array({2, 3, 10, 12}))).shape() == Shape{2, 8, 10, 12});
    nn::Conv2d strided(3, 4, 3, rng, 2, 1, /*with_bias=*/false);
    CHECK_FALSE(strided.bias.defined());
    CHECK(strided(Tensor(rng.normal_array({1, 3, 8, 8}))).shape() == Shape{1, 4, 4, 4});
    CHECK(strided.describe() == "Conv2d(3, 4, kernel=3, stride=2, padding=1, bias=false)");
    CHECK_THROWS_AS(nn::Conv2d(0, 4, 3, rng), ValueError);
}

TEST_CASE("BatchNorm2d keeps its running statistics as buffers, not parameters") {
    nn::BatchNorm2d bn(4);
    CHECK(bn.num_parameters() == 8);
    const auto buffers = bn.named_buffers();
    REQUIRE(buffers.size() == 2);
    CHECK(buffers[0].first == "running_mean");
    CHECK(buffers[1].first == "running_var");
    CHECK_FALSE(buffers[0].second.requires_grad());
    bn.freeze();  // freezing touches parameters only
    CHECK(bn.num_parameters(/*trainable_only=*/true) == 0);
}

TEST_CASE("BatchNorm2d moves its running statistics in train mode and not in eval mode") {
    Rng rng(1);
    nn::BatchNorm2d bn(3);
    const Tensor x(rng.normal_array({4, 3, 5, 5}, /*mean=*/2.0f, /*stddev=*/3.0f));
    bn.eval();
    const std::vector<Array> before = nn::snapshot(bn);
    const Array y_eval = bn(x).value();
    CHECK(nn::unchanged_since(bn, before));
    CHECK(xt::allclose(y_eval, x.value() / std::sqrt(1.0f + 1e-5f)));  // mean 0, variance 1: almost x
    bn.train();
    bn(x);
    CHECK_FALSE(nn::unchanged_since(bn, before));
    CHECK(bn.running_mean.value()(0) ==
          doctest::Approx(0.1 * xt::mean(xt::view(x.value(), xt::all(), 0))()).epsilon(1e-4));
}

TEST_CASE("a residual block keeps the picture's size, or halves it with a 1x1 shortcut") {
    Rng rng(2);
    nn::ResidualBlock same(4, 4, rng);
    CHECK_FALSE(same.shortcut_conv);
    CHECK(same(Tensor(rng.normal_array({2, 4, 6, 6}))).shape() == Shape{2, 4, 6, 6});
    CHECK(same.num_parameters() == 2 * (4 * 4 * 9) + 2 * 8);
    nn::ResidualBlock down(4, 8, rng, /*stride=*/2);
    REQUIRE(down.shortcut_conv);
    CHECK(down(Tensor(rng.normal_array({2, 4, 6, 6}))).shape() == Shape{2, 8, 3, 3});
    CHECK(down.num_parameters() == 4 * 8 * 9 + 8 * 8 * 9 + 4 * 8 + 3 * 16);
    const auto names = down.named_parameters();
    CHECK(names.back().first == "shortcut_bn.bias");
}

TEST_CASE("a residual block's gradient matches finite differences (train mode)") {
    Rng rng(3);
    nn::ResidualBlock block(2, 3, rng, 2);
    const auto f = [&](const std::vector<Tensor>& in) { return block(in[0]); };
    // The block is piecewise linear (ReLUs), and a finite difference is wrong wherever a step of eps
    // pushes a pre-activation across 0: with 162 ReLUs, most random inputs have such a crossing (Rng(0),
    // Rng(1), Rng(3): errors 0.06 to 0.1 at one element). Rng(2)'s draw has none, in either mode.
    const GradcheckResult r = gradcheck("residual_block", f, {Rng(2).normal_array({3, 2, 5, 5})});
    CHECK_MESSAGE(r.passed, r.max_error, " at ", r.index);
    block.eval();
    const GradcheckResult e = gradcheck("residual_block eval", f, {Rng(2).normal_array({3, 2, 5, 5})});
    CHECK_MESSAGE(e.passed, e.max_error, " at ", e.index);
}

TEST_CASE("the small ResNet turns images into 4w features and names its parts") {
    Rng rng(4);
    auto body = std::make_shared<vision::ResNetBody>(vision::ResNetConfig{4, 5}, rng);
    CHECK(body->features() == 16);
    CHECK((*body)(Tensor(rng.uniform_array({2, 3, 32, 32}))).shape() == Shape{2, 16});
    CHECK(body->stem_maps(Tensor(rng.uniform_array({1, 3, 32, 32}))).shape() == Shape{1, 4, 32, 32});
    vision::ImageClassifier model(body, 10, rng);
    CHECK(model(Tensor(rng.uniform_array({2, 3, 32, 32}))).shape() == Shape{2, 10});
    CHECK(model.named_parameters().front().first == "body.stem.weight");
    CHECK_THROWS_WITH_AS(body->part("block4"), doctest::Contains("its parts are stem"), ValueError);
    CHECK_THROWS_WITH_AS((*body)(Tensor(rng.uniform_array({2, 1, 32, 32}))),
                         doctest::Contains("(2, 1, 32, 32)"), ShapeError);
}

TEST_CASE("a body's checkpoint and its copy carry the BatchNorm statistics too") {
    io_test::TempDir dir;
    Rng rng(5);
    vision::ResNetBody body(vision::ResNetConfig{4, 3}, rng);
    body.train();
    body(Tensor(rng.uniform_array({4, 3, 16, 16})));  // moves the running statistics away from 0 and 1
    vision::save_body(dir.file("body.safetensors"), body, "test");
    const auto loaded = vision::load_body(dir.file("body.safetensors"), "");
    CHECK(nn::unchanged_since(*loaded, nn::snapshot(body)));
    CHECK(loaded->config().stem_kernel == 3);
    CHECK(nn::unchanged_since(*vision::copy_body(body), nn::snapshot(body)));
    CHECK_THROWS_WITH_AS(vision::load_body(dir.file("none.safetensors"), "run lesson 7"),
                         doctest::Contains("run lesson 7"), IoError);
}

TEST_CASE("a frozen body in eval mode stays bitwise unchanged, in train mode its statistics drift") {
    Rng rng(6);
    auto body = std::make_shared<vision::ResNetBody>(vision::ResNetConfig{4, 3}, rng);
    vision::ImageClassifier model(body, 3, rng);
    model.freeze("body");
    optim::Adam adam(model);
    IndexArray y(IndexArray::shape_type{4});
    y.fill(1);
    for (bool eval_body : {true, false}) {
        model.train();
        if (eval_body) body->eval();
        const std::vector<Array> before = nn::snapshot(*body);
        Tensor loss = cross_entropy(model(Tensor(rng.uniform_array({4, 3, 16, 16}))), y);
        model.zero_grad();
        loss.backward();
        adam.step();
        CHECK(nn::unchanged_since(*body, before) == eval_body);
    }
}

TEST_CASE("image_grid draws one picture per image with its caption, and names a wrong shape") {
    Array images = xt::zeros<float>({3, 3, 2, 2});
    images(1, 0, 0, 0) = 1.0f;  // one red pixel in the second image
    const std::string svg = viz::image_grid(images, 2, 5, {"a", "b", "<c>"}, "Three");
    std::size_t pictures = 0;
    for (std::size_t at = svg.find("<image"); at != std::string::npos; at = svg.find("<image", at + 1))
        ++pictures;
    CHECK(pictures == 3);
    CHECK(svg.find("data:image/png;base64,") != std::string::npos);
    CHECK(svg.find("&lt;c&gt;") != std::string::npos);
    CHECK_THROWS_AS(viz::image_grid(xt::zeros<float>({2, 2, 2, 2}), 2, 5), ShapeError);
    CHECK_THROWS_AS(viz::image_grid(images, 2, 5, {"a"}), ValueError);
}
