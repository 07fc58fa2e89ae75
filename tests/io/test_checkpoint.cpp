// Checkpoints of modules and optimizers: round trips, strict and non-strict loads, atomic writes.
#include <doctest/doctest.h>

#include <filesystem>

#include <dikkat/io.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/optim.hpp>

#include "io_test_util.hpp"

using namespace dikkat;
using io_test::TempDir;

namespace {

// body + head, with the head's name and size chosen by the test.
struct Net : nn::Module {
    nn::Linear body;
    nn::LayerNorm norm;
    nn::Linear head;
    Net(Rng& rng, const std::string& head_name = "head", std::size_t classes = 2)
        : body(3, 4, rng), norm(4), head(4, classes, rng) {
        register_module("body", body);
        register_module("norm", norm);
        register_module(head_name, head);
    }
    Tensor forward(const Tensor& x) const { return head(norm(tanh(body(x)))); }
};

std::size_t count_files(const std::filesystem::path& dir) {
    return static_cast<std::size_t>(
        std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}

}  // namespace

TEST_CASE("a module checkpoint round trip restores every parameter bit for bit") {
    TempDir dir;
    const std::string path = dir.file("net.safetensors");
    Rng a_rng(1), b_rng(2);
    Net a(a_rng), b(b_rng);
    a.norm.weight.mutable_value() = Array{0.5f, 1.5f, -1.0f, 2.0f};
    io::save_checkpoint(path, a, {{"config", R"({"hidden": 4})"}});
    const io::LoadReport r = io::load_checkpoint(path, b);
    CHECK(r.complete());
    CHECK(r.loaded.size() == 6);
    CHECK(r.metadata.at("config") == R"({"hidden": 4})");
    const auto pa = a.named_parameters(), pb = b.named_parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        CAPTURE(pa[i].first);
        CHECK(pa[i].second.value() == pb[i].second.value());
    }
    CHECK(r.describe() == "checkpoint " + path + ": loaded 6 tensors, all of the model's parameters");
}

TEST_CASE("a strict load names missing and unexpected tensors, and changes nothing") {
    TempDir dir;
    const std::string path = dir.file("gpt.safetensors");
    Rng rng(1);
    Net saved(rng, "lm_head");
    io::save_checkpoint(path, saved);
    Net model(rng, "head");
    const Array before = model.body.weight.value();
    try {
        io::load_checkpoint(path, model);
        FAIL("expected IoError");
    } catch (const IoError& e) {
        CHECK(std::string(e.what()) ==
              "checkpoint " + path +
                  ": missing tensors [head.weight, head.bias]; unexpected [lm_head.weight, lm_head.bias]");
    }
    CHECK(model.body.weight.value() == before);
}

TEST_CASE("a strict load names a tensor whose shape differs, with both shapes") {
    TempDir dir;
    const std::string path = dir.file("shape.safetensors");
    Rng rng(1);
    Net five(rng, "head", 5), two(rng, "head", 2);
    io::save_checkpoint(path, five);
    CHECK_THROWS_WITH_AS(
        io::load_checkpoint(path, two),
        doctest::Contains(
            "wrong shapes [head.weight: file (4, 5), model (4, 2), head.bias: file (5,), model (2,)]"),
        IoError);
}

TEST_CASE("a non-strict load keeps the new head, loads the body and says what it skipped") {
    TempDir dir;
    const std::string path = dir.file("pretrained.safetensors");
    Rng rng(1);
    Net pretrained(rng, "lm_head", 10);
    io::save_checkpoint(path, pretrained);
    Net classifier(rng, "head", 2);
    const Array head_before = classifier.head.weight.value();
    io::LoadOptions loose;
    loose.strict = false;
    const io::LoadReport r = io::load_checkpoint(path, classifier, loose);
    CHECK(r.loaded == std::vector<std::string>{"body.weight", "body.bias", "norm.weight", "norm.bias"});
    CHECK(r.missing == std::vector<std::string>{"head.weight", "head.bias"});
    CHECK(r.unexpected == std::vector<std::string>{"lm_head.weight", "lm_head.bias"});
    CHECK(classifier.body.weight.value() == pretrained.body.weight.value());
    CHECK(classifier.head.weight.value() == head_before);
    CHECK(r.describe() == "checkpoint " + path +
                              ": loaded 4 tensors; skipped: missing tensors [head.weight, head.bias]; "
                              "unexpected [lm_head.weight, lm_head.bias]");
}

TEST_CASE("a corrupt checkpoint is an IoError naming the file, and the model is untouched") {
    TempDir dir;
    const std::string path = dir.file("broken.safetensors");
    Rng rng(1);
    Net a(rng);
    io::save_checkpoint(path, a);
    std::string b = io_test::read_bytes(path);
    io_test::write_bytes(path, b.substr(0, b.size() - 1));
    Net fresh(rng);
    const Array before = fresh.head.bias.value();
    CHECK_THROWS_WITH_AS(io::load_checkpoint(path, fresh), doctest::Contains(path.c_str()), IoError);
    CHECK(fresh.head.bias.value() == before);
}

TEST_CASE("saving replaces the file atomically and leaves no temporary files behind") {
    TempDir dir;
    const std::string path = dir.file("ckpt.safetensors");
    Rng rng(1);
    Net a(rng);
    io::save_checkpoint(path, a, {{"version", "1"}});
    io::save_checkpoint(path, a, {{"version", "2"}});
    CHECK(count_files(dir.path) == 1);
    CHECK(io::load_safetensors(path).metadata.at("version") == "2");
    // A save that fails (a tensor name is refused) leaves the old checkpoint as it was.
    CHECK_THROWS(io::save_safetensors(path, {{"x", Array{1.0f}}, {"x", Array{2.0f}}}));
    CHECK(io::load_safetensors(path).metadata.at("version") == "2");
    // A directory that does not exist: IoError naming the path, nothing created.
    const std::string nowhere = dir.file("no/such/dir/x.safetensors");
    CHECK_THROWS_WITH_AS(io::save_checkpoint(nowhere, a), doctest::Contains(nowhere.c_str()), IoError);
    CHECK(count_files(dir.path) == 1);
}

TEST_CASE("optimizer state saved to a file resumes training exactly") {
    TempDir dir;
    Rng rng(1), rng_b(7), data(3);
    Net a(rng), b(rng_b);
    optim::AdamW opt_a(a);
    const Tensor x(data.normal_array({8, 3}));
    const IndexArray y = {0, 1, 1, 0, 1, 0, 0, 1};
    const auto train_step = [&](Net& m, optim::Optimizer& opt) {
        opt.zero_grad();
        cross_entropy(m.forward(x), y).backward();
        opt.step();
    };
    for (int i = 0; i < 3; ++i) train_step(a, opt_a);
    io::save_checkpoint(dir.file("model.safetensors"), a);
    io::save_optimizer(dir.file("optim.safetensors"), opt_a);

    io::load_checkpoint(dir.file("model.safetensors"), b);
    optim::AdamW opt_b(b);
    io::load_optimizer(dir.file("optim.safetensors"), opt_b);
    for (int i = 0; i < 3; ++i) {
        train_step(a, opt_a);
        train_step(b, opt_b);
    }
    const auto pa = a.named_parameters(), pb = b.named_parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        CAPTURE(pa[i].first);
        CHECK(pa[i].second.value() == pb[i].second.value());
    }
    // The file is an ordinary safetensors file, readable by anything.
    const io::SafeTensors s = io::load_safetensors(dir.file("optim.safetensors"));
    CHECK(s.find("state.body.weight.exp_avg") != nullptr);
    CHECK(s.metadata.at("optimizer") == "AdamW");
    CHECK(s.metadata.at("optimizer.steps") == "3");
}

TEST_CASE("optimizer state for a different model is an IoError naming the file and the tensor") {
    TempDir dir;
    const std::string path = dir.file("optim.safetensors");
    Rng rng(1);
    Net a(rng, "head", 2), b(rng, "head", 5);
    optim::Adam opt_a(a), opt_b(b);
    a.zero_grad();
    sum(a.forward(Tensor(rng.normal_array({2, 3})))).backward();
    opt_a.step();
    io::save_optimizer(path, opt_a);
    try {
        io::load_optimizer(path, opt_b);
        FAIL("expected IoError");
    } catch (const IoError& e) {
        const std::string msg = e.what();
        CHECK(msg.find(path) != std::string::npos);
        CHECK(msg.find("state.head.") != std::string::npos);
    }
}

TEST_CASE("a model with a tied weight saves it once and loads it back into both uses") {
    struct TiedLM : nn::Module {
        nn::Embedding embed;
        nn::TiedLinear head;
        explicit TiedLM(Rng& rng) : embed(6, 3, rng), head(embed, /*with_bias=*/true) {
            register_module("embed", embed);
            register_module("head", head);
        }
    };
    TempDir dir;
    const std::string path = dir.file("tied.safetensors");
    Rng a_rng(1), b_rng(2);
    TiedLM a(a_rng), b(b_rng);
    a.head.bias.mutable_value() = Array{1, 2, 3, 4, 5, 6};
    io::save_checkpoint(path, a);
    const io::SafeTensors file = io::load_safetensors(path);
    REQUIRE(file.tensors.size() == 2);  // embed.weight and head.bias: the tied weight once
    CHECK(file.find("embed.weight") != nullptr);
    CHECK(file.find("head.bias") != nullptr);
    const io::LoadReport r = io::load_checkpoint(path, b);
    CHECK(r.complete());
    CHECK(b.embed.weight.value() == a.embed.weight.value());
    CHECK(b.head.weight.node_ptr() == b.embed.weight.node_ptr());  // still one tensor after loading
    CHECK(b.head.bias.value() == a.head.bias.value());
}
