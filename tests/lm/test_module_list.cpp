// nn::ModuleList: a numbered list of layers, named "0", "1", ... as PyTorch's nn.ModuleList.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include <dikkat/lm/transformer_lm.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/nn/module_list.hpp>

#include "lm_test_util.hpp"

using namespace dikkat;

namespace {
// A model with a list of layers, registered before the layers are added (as TransformerLM does).
struct Stack : nn::Module {
    nn::Linear first;
    nn::ModuleList<nn::Linear> layers;
    Stack(std::size_t n, Rng& rng) : first(2, 3, rng) {
        register_module("first", first);
        register_module("layers", layers);
        for (std::size_t i = 0; i < n; ++i) layers.add(std::make_shared<nn::Linear>(3, 3, rng));
    }
};

std::vector<std::string> names_of(const nn::Module& m) {
    std::vector<std::string> names;
    for (const auto& [name, p] : m.named_parameters()) names.push_back(name);
    return names;
}
}  // namespace

TEST_CASE("ModuleList names its layers 0, 1, 2 under the name it is registered with") {
    Rng rng(30);
    Stack stack(3, rng);
    CHECK(names_of(stack) == std::vector<std::string>{"first.weight", "first.bias", "layers.0.weight",
                                                      "layers.0.bias", "layers.1.weight", "layers.1.bias",
                                                      "layers.2.weight", "layers.2.bias"});
    CHECK(names_of(stack.layers) ==
          std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"});
    CHECK(stack.num_parameters() == 2 * 3 + 3 + 3 * (3 * 3 + 3));
    // The tensors carry their names too, though the layers came after the list was registered.
    CHECK(stack.layers[2]->weight.name() == "layers.2.weight");
    CHECK(stack.layers.describe() == "ModuleList(3)");
}

TEST_CASE("ModuleList hands back each layer it holds, in order, by index and by iteration") {
    Rng rng(31);
    nn::ModuleList<nn::Linear> list;
    std::vector<nn::Linear*> added;
    for (std::size_t out : {1u, 2u, 3u})
        added.push_back(&list.add(std::make_shared<nn::Linear>(4, out, rng)));
    REQUIRE(list.size() == 3);
    std::size_t i = 0;
    for (const auto& layer : list) {
        CHECK(layer.get() == added[i]);
        CHECK(list[i].get() == added[i]);
        CHECK(layer->out_features() == i + 1);
        ++i;
    }
    CHECK(i == 3);
}

TEST_CASE("ModuleList's layers follow the model into evaluation mode and are frozen by their prefix") {
    Rng rng(32);
    Stack stack(2, rng);
    stack.eval();
    for (const auto& layer : stack.layers) CHECK_FALSE(layer->training());
    CHECK(stack.freeze("layers.1") == 2);
    CHECK(stack.num_parameters(/*trainable_only=*/true) == 2 * 3 + 3 + 3 * 3 + 3);
}

TEST_CASE(
    "a TransformerLM's layers are a ModuleList: layer 1's query weight is layers.1.attention.query.weight") {
    Rng rng(33);
    const lm::TransformerLM model(lm_test::tiny_config(lm::Objective::gpt, 2), rng);
    REQUIRE(model.layers.size() == 2);
    CHECK(model.layers[1]->attention.query.weight.name() == "layers.1.attention.query.weight");
}
