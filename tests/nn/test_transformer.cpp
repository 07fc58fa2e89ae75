// The transformer's layers and stacks (nn/transformer.hpp): gradients against finite
// differences, the key/value cache, positional encodings, parameter counts, and the stacks' two
// promises — the decoder never reads the future, the encoder never reads padding.
//
//     B batch, T query positions, S key positions, D model size, H heads, d = D / H, F feed-forward
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>

#include "../support/error_of.hpp"
#include "../support/gradients.hpp"
#include "transformer_test_util.hpp"

using namespace dikkat;
namespace transformer_test {
using Inputs = std::vector<Tensor>;
// ---- layers ----------------------------------------------------------------------------------

TEST_CASE("gradcheck: EncoderLayer output and weights wrt its input, with padding") {
    Rng rng(60);
    nn::EncoderLayer layer(D, H, F, /*dropout=*/0.0f, rng);
    layer.eval();
    const Array keep = key_keep();
    check_gradients("EncoderLayer output", [&](const Inputs& x) { return layer.forward(x[0], keep).output; },
                    {randn({B, S, D}, 61)});
    check_gradients("EncoderLayer weights",
                    [&](const Inputs& x) { return layer.forward(x[0], keep).weights; },
                    {randn({B, S, D}, 62)});
}

TEST_CASE("gradcheck: DecoderLayer output wrt its input and the encoder's output, causal and padded") {
    Rng rng(63);
    nn::DecoderLayer layer(D, H, F, /*dropout=*/0.0f, rng);
    layer.eval();
    const Array keep = key_keep();
    const std::vector<Array> inputs = {randn({B, T, D}, 64), randn({B, S, D}, 65)};
    auto run = [&](const Inputs& x) {
        return layer.forward(x[0], layer.cross_attention.project(x[1]), causal_mask(T), keep);
    };
    check_gradients(
        "DecoderLayer output", [&](const Inputs& x) { return run(x).y; }, inputs);
    check_gradients(
        "DecoderLayer self weights", [&](const Inputs& x) { return run(x).self_weights; }, inputs);
    check_gradients(
        "DecoderLayer cross weights", [&](const Inputs& x) { return run(x).cross_weights; }, inputs);
}

TEST_CASE("DecoderLayer fed one position at a time with a cache gives the outputs of the causal pass") {
    // The key/value cache of incremental decoding: position t attends over the cached keys and
    // values of positions < t and its own — what the causal mask lets it see in one pass.
    constexpr std::size_t n = 5;
    Rng rng(66);
    nn::DecoderLayer layer(D, H, F, /*dropout=*/0.0f, rng);
    const Array y = randn({B, n, D}, 67);
    const nn::MultiHeadAttention::KeyValues memory =
        layer.cross_attention.project(Tensor(randn({B, S, D}, 68)));
    const nn::DecoderLayer::Output all = layer.forward(Tensor(y), memory, causal_mask(n), key_keep());
    nn::MultiHeadAttention::KeyValues cache;
    for (std::size_t t = 0; t < n; ++t) {
        CAPTURE(t);
        const Tensor y_t(Array(xt::view(y, xt::all(), xt::range(t, t + 1), xt::all())));  // (B, 1, D)
        const nn::DecoderLayer::Output one = layer.forward(y_t, memory, {}, key_keep(), &cache);
        CHECK(cache.length() == t + 1);
        REQUIRE(one.y.shape() == Shape{B, 1, D});
        CHECK(max_difference(one.y.value(), xt::view(all.y.value(), xt::all(), xt::range(t, t + 1))) < 1e-5);
        REQUIRE(one.self_weights.shape() == Shape{B, H, 1, t + 1});  // over the words so far
        CHECK(max_difference(one.self_weights.value(),
                             xt::view(all.self_weights.value(), xt::all(), xt::all(), xt::range(t, t + 1),
                                      xt::range(0, t + 1))) < 1e-6);
        CHECK(max_difference(one.cross_weights.value(), xt::view(all.cross_weights.value(), xt::all(),
                                                                 xt::all(), xt::range(t, t + 1))) < 1e-6);
    }
}

// A cache may be filled several positions at a time (a prefix, then the rest): each new position
// must still see only itself and what comes before it.
TEST_CASE("DecoderLayer fed several positions at once with a cache still hides the later ones") {
    constexpr std::size_t n = 4;
    Rng rng(69);
    nn::DecoderLayer layer(D, H, F, /*dropout=*/0.0f, rng);
    const Array y = randn({B, n, D}, 70);
    const nn::MultiHeadAttention::KeyValues memory =
        layer.cross_attention.project(Tensor(randn({B, S, D}, 71)));
    const Array causal = layer.forward(Tensor(y), memory, causal_mask(n), key_keep()).y.value();
    nn::MultiHeadAttention::KeyValues cache;
    const Array primed = layer.forward(Tensor(y), memory, causal_mask(n), key_keep(), &cache).y.value();
    CHECK(cache.length() == n);
    CHECK(max_difference(primed, causal) < 1e-5);
    // Two positions, then two more on top of them.
    nn::MultiHeadAttention::KeyValues halves;
    const Array first =
        layer.forward(Tensor(Array(xt::view(y, xt::all(), xt::range(0, 2)))), memory, {}, key_keep(), &halves)
            .y.value();
    const Array second =
        layer.forward(Tensor(Array(xt::view(y, xt::all(), xt::range(2, n)))), memory, {}, key_keep(), &halves)
            .y.value();
    CHECK(halves.length() == n);
    CHECK(max_difference(first, xt::view(causal, xt::all(), xt::range(0, 2))) < 1e-5);
    CHECK(max_difference(second, xt::view(causal, xt::all(), xt::range(2, n))) < 1e-5);
}

TEST_CASE("a layer's dropout follows train and eval, and in eval the layer is the one without dropout") {
    // Same seed, same weights: Dropout takes one draw from the Rng whatever its p.
    Rng rng_a(72), rng_b(72);
    nn::EncoderLayer dropping(D, H, F, /*dropout=*/0.5f, rng_a), plain(D, H, F, /*dropout=*/0.0f, rng_b);
    const Tensor x(randn({B, S, D}, 73));
    const Array without = plain.forward(x).output.value();
    CHECK(dropping.training());
    const Array first = dropping.forward(x).output.value(), second = dropping.forward(x).output.value();
    CHECK(max_difference(first, without) > 1e-3);
    CHECK(max_difference(first, second) > 1e-3);  // a new mask on every call
    dropping.eval();
    CHECK_FALSE(dropping.drop.training());  // eval() reaches the child
    CHECK(dropping.forward(x).output.value() == without);
}

// ---- positional encodings --------------------------------------------------------------------

TEST_CASE("sinusoidal_positions is sin(t / 10000^(2i/D)) at 2i and cos at 2i + 1, row 0 is 0 1 0 1") {
    constexpr std::size_t length = 50, dim = 6;
    const Array pe = nn::sinusoidal_positions(length, dim);
    REQUIRE(pe.shape() == Shape{length, dim});
    for (std::size_t c = 0; c < dim; ++c) CHECK(pe(0, c) == (c % 2 == 0 ? 0.0f : 1.0f));
    for (std::size_t t = 0; t < length; ++t)
        for (std::size_t i = 0; i < dim / 2; ++i) {
            const double angle = double(t) / std::pow(10000.0, 2.0 * double(i) / double(dim));
            CHECK(static_cast<double>(pe(t, 2 * i)) == doctest::Approx(std::sin(angle)).epsilon(1e-6));
            CHECK(static_cast<double>(pe(t, 2 * i + 1)) == doctest::Approx(std::cos(angle)).epsilon(1e-6));
        }
    // Worked by hand: PE(1, 0) = sin 1, PE(2, 3) = cos(2 / 10000^(2/6)) = cos(2 / 21.544).
    CHECK(static_cast<double>(pe(1, 0)) == doctest::Approx(0.8414710));
    CHECK(static_cast<double>(pe(2, 3)) == doctest::Approx(0.9956943).epsilon(1e-6));
    check_error<ValueError>([] { nn::sinusoidal_positions(4, 5); },
                            {"sinusoidal_positions: the model size 5 is odd"});
}

TEST_CASE("PositionalEncoding none returns x unchanged and sinusoidal adds rows start to start + T - 1") {
    Rng rng(80);
    constexpr std::size_t max_length = 10, start = 4;
    const Tensor x(randn({B, T, D}, 81));
    const nn::PositionalEncoding none("none", max_length, D, rng);
    CHECK(none.forward(x, start).value() == x.value());
    CHECK(none.num_parameters() == 0);
    CHECK(none.table(3) == xt::zeros<float>({std::size_t{3}, D}));
    const nn::PositionalEncoding sinusoidal("sinusoidal", max_length, D, rng);
    CHECK(sinusoidal.num_parameters() == 0);
    const Array pe = nn::sinusoidal_positions(max_length, D);
    const Array got = sinusoidal(x, start).value();
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t c = 0; c < D; ++c) CHECK(got(b, t, c) == x.value()(b, t, c) + pe(start + t, c));
    CHECK(sinusoidal.table(max_length) == pe);
    CHECK(sinusoidal.describe() == "PositionalEncoding(sinusoidal, 10 positions)");
}

TEST_CASE("PositionalEncoding learned adds rows start to start + T - 1 of its table, which learn") {
    Rng rng(82);
    constexpr std::size_t max_length = 10, start = 2;
    const nn::PositionalEncoding learned("learned", max_length, D, rng);
    const auto params = learned.named_parameters();
    REQUIRE(params.size() == 1);
    CHECK(params[0].first == "table.weight");
    CHECK(params[0].second.shape() == Shape{max_length, D});
    const Array table = params[0].second.value();
    CHECK(learned.table(max_length) == table);
    const Tensor x(randn({B, T, D}, 83), true);
    const Tensor y = learned(x, start);
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t c = 0; c < D; ++c)
                CHECK(y.value()(b, t, c) == x.value()(b, t, c) + table(start + t, c));
    // Row start + t receives the gradient of position t summed over the batch; the other rows none.
    const Array r = randn({B, T, D}, 84);
    sum(y * Tensor(r)).backward();
    const Array& g = params[0].second.grad();
    for (std::size_t p = 0; p < max_length; ++p)
        for (std::size_t c = 0; c < D; ++c) {
            const bool used = p >= start && p < start + T;
            const float expected = used ? r(0, p - start, c) + r(1, p - start, c) : 0.0f;
            CHECK(static_cast<double>(g(p, c)) ==
                  doctest::Approx(static_cast<double>(expected)).epsilon(1e-6));
        }
    check_gradients("PositionalEncoding learned", [&](const Inputs& in) { return learned(in[0], start); },
                    {randn({B, T, D}, 85)});
}

TEST_CASE("PositionalEncoding names the positions it does not have and refuses a kind it does not know") {
    Rng rng(86);
    for (const std::string kind : {"sinusoidal", "learned", "none"}) {
        CAPTURE(kind);
        const nn::PositionalEncoding pe(kind, 6, D, rng);
        CHECK(pe.forward(Tensor(Array(Shape{B, 3, D})), 3).shape() ==
              Shape{B, 3, D});  // positions 3 to 5: fit
        check_error<ValueError>(
            [&] {
                pe.forward(Tensor(Array(Shape{B, 3, D})), 4);
            },
            {"PositionalEncoding(" + kind + ", 6 positions): positions 4 to 6 asked for",
             "this model knows 6"});
        check_error<ValueError>([&] { pe.forward(Tensor(Array(Shape{B, 7, D}))); }, {"positions 0 to 6"});
        check_error<ValueError>([&] { pe.table(7); }, {"asked for 7 positions"});
        check_error<ShapeError>(
            [&] {
                pe.forward(Tensor(Array(Shape{B, 3, 6})));
            },
            {"x is (2, 3, 6); expected (B, T, 8)"});
    }
    check_error<ValueError>(
        [&] { nn::PositionalEncoding("rotary", 6, D, rng); },
        {"PositionalEncoding: unknown kind 'rotary'; expected sinusoidal, learned or none"});
    check_error<ValueError>([&] { nn::PositionalEncoding("sinusoidal", 6, 5, rng); },
                            {"the model size 5 is odd"});
    CHECK(nn::PositionalEncoding("learned", 6, 5, rng).num_parameters() == 30);  // odd D is fine when learned
}

// ---- parameters ------------------------------------------------------------------------------

TEST_CASE("the transformer's parts have as many parameters as their formulas say") {
    Rng rng(90);
    const nn::MultiHeadAttention mha(D, H, rng);
    CHECK(mha.num_parameters() == attention_parameters(D));
    std::vector<std::string> names;
    for (const auto& [name, p] : mha.named_parameters()) names.push_back(name);
    CHECK(names == std::vector<std::string>{"query.weight", "query.bias", "key.weight", "key.bias",
                                            "value.weight", "value.bias", "output.weight", "output.bias"});
    const nn::FeedForward ff(D, F, rng);
    CHECK(ff.num_parameters() == feed_forward_parameters(D, F));
    CHECK(ff.describe() == "FeedForward(8 -> 16 -> 8)");
    const nn::EncoderLayer encoder(D, H, F, 0.1f, rng);
    CHECK(encoder.num_parameters() == encoder_layer_parameters(D, F));
    const nn::DecoderLayer decoder(D, H, F, 0.1f, rng);
    CHECK(decoder.num_parameters() == decoder_layer_parameters(D, F));
    const nn::TransformerSizes sizes = tiny_sizes(2, 3);
    const nn::Transformer transformer(sizes, rng);
    CHECK(transformer.num_parameters() == transformer_parameters(sizes));
    CHECK(transformer.num_parameters(/*trainable_only=*/true) == transformer_parameters(sizes));
    // The numbers for D = 8, F = 16, worked by hand: attention 4 (64 + 8) = 288, feed-forward
    // 256 + 16 + 8 = 280, LayerNorm 16; encoder layer 288 + 280 + 32 = 600, decoder layer
    // 576 + 280 + 48 = 904; 2 + 3 layers and two final LayerNorms 1200 + 2712 + 32 = 3944.
    CHECK(attention_parameters(D) == 288);
    CHECK(feed_forward_parameters(D, F) == 280);
    CHECK(encoder_layer_parameters(D, F) == 600);
    CHECK(decoder_layer_parameters(D, F) == 904);
    CHECK(transformer_parameters(sizes) == 3944);
    // Lesson 4's default sizes: D 128, F 512.
    CHECK(nn::MultiHeadAttention(128, 4, rng).num_parameters() == 4 * (128 * 128 + 128));
    CHECK(nn::FeedForward(128, 512, rng).num_parameters() == 2 * 128 * 512 + 512 + 128);
}

TEST_CASE("Transformer names its layers encoder0 encoder1 ... and decoder0 ... then the final norms") {
    Rng rng(91);
    const nn::Transformer transformer(tiny_sizes(2, 1), rng);
    std::vector<std::string> modules;
    for (const auto& [name, m] : transformer.named_modules())
        if (name.find('.') == std::string::npos && !name.empty()) modules.push_back(name);
    CHECK(modules ==
          std::vector<std::string>{"encoder0", "encoder1", "encoder_norm", "decoder0", "decoder_norm"});
    bool found = false;
    for (const auto& [name, p] : transformer.named_parameters())
        found = found || (name == "decoder0.cross_attention.key.weight" && p.shape() == Shape{D, D});
    CHECK(found);
}

// ---- the stacks ------------------------------------------------------------------------------

TEST_CASE(
    "Transformer::decode with the causal mask: the output at t does not change with the inputs after t") {
    constexpr std::size_t n = 5;
    Rng rng(100);
    const nn::Transformer model(tiny_sizes(1, 2), rng);
    const Array keep = key_keep();
    const auto memory = model.project_memory(model.encode(Tensor(randn({B, S, D}, 101)), keep));
    const Array y = randn({B, n, D}, 102);
    const Array before = model.decode(Tensor(y), memory, causal_mask(n), keep).value();  // (B, n, D)
    for (std::size_t t = 0; t + 1 < n; ++t) {
        CAPTURE(t);
        Array changed = y;
        xt::view(changed, xt::all(), xt::range(t + 1, n), xt::all()) = randn({B, n - t - 1, D}, 103 + t);
        const Array after = model.decode(Tensor(changed), memory, causal_mask(n), keep).value();
        CHECK(max_difference(xt::view(before, xt::all(), xt::range(0, t + 1)),
                             xt::view(after, xt::all(), xt::range(0, t + 1))) < 1e-6);
        CHECK(max_difference(xt::view(before, xt::all(), xt::range(t + 1, n)),
                             xt::view(after, xt::all(), xt::range(t + 1, n))) >
              1e-3);  // the change is read later
        // Without the mask, the earlier positions do read the later ones.
        const Array unmasked = model.decode(Tensor(y), memory, {}, keep).value();
        const Array unmasked_after = model.decode(Tensor(changed), memory, {}, keep).value();
        CHECK(max_difference(xt::view(unmasked, xt::all(), xt::range(0, t + 1)),
                             xt::view(unmasked_after, xt::all(), xt::range(0, t + 1))) > 1e-3);
    }
}

TEST_CASE("Transformer::encode with padding: a padded position's input changes no real position's output") {
    Rng rng(110);
    const nn::Transformer model(tiny_sizes(2, 1), rng);
    const Array keep = key_keep();  // sentence 1 is padded after 2 words
    const Array x = randn({B, S, D}, 111);
    Array changed = x;
    xt::view(changed, 1, xt::range(2, S), xt::all()) = randn({S - 2, D}, 112);
    const Tensor memory = model.encode(Tensor(x), keep), memory_changed = model.encode(Tensor(changed), keep);
    const Array& a = memory.value();
    const Array& b = memory_changed.value();
    CHECK(max_difference(xt::view(a, 0), xt::view(b, 0)) < 1e-6);
    CHECK(max_difference(xt::view(a, 1, xt::range(0, 2)), xt::view(b, 1, xt::range(0, 2))) < 1e-6);
    CHECK(max_difference(xt::view(a, 1, xt::range(2, S)), xt::view(b, 1, xt::range(2, S))) > 1e-3);
    // Nor what the decoder reads from the memory: cross-attention hides the padded keys too.
    const Tensor y(randn({B, T, D}, 113));
    const Array decoded = model.decode(y, model.project_memory(memory), causal_mask(T), keep).value();
    const Array decoded_changed =
        model.decode(y, model.project_memory(memory_changed), causal_mask(T), keep).value();
    CHECK(max_difference(decoded, decoded_changed) < 1e-6);
    // Without the padding mask the real positions would read the padded ones.
    CHECK(max_difference(xt::view(model.encode(Tensor(x), {}).value(), 1, xt::range(0, 2)),
                         xt::view(model.encode(Tensor(changed), {}).value(), 1, xt::range(0, 2))) > 1e-3);
}

TEST_CASE("Transformer returns every layer's attention weights, (B, H, T, S), rows summing to 1") {
    constexpr std::size_t n = 3;  // target positions
    Rng rng(120);
    const nn::Transformer model(tiny_sizes(2, 3), rng);
    const Array keep = key_keep();
    nn::Transformer::Weights w;
    const Tensor memory = model.encode(Tensor(randn({B, S, D}, 121)), keep, &w);
    CHECK(memory.shape() == Shape{B, S, D});
    CHECK(w.decoder_self.empty());
    const Tensor out =
        model.decode(Tensor(randn({B, n, D}, 122)), model.project_memory(memory), causal_mask(n), keep, &w);
    CHECK(out.shape() == Shape{B, n, D});
    REQUIRE(w.encoder_self.size() == 2);
    REQUIRE(w.decoder_self.size() == 3);
    REQUIRE(w.decoder_cross.size() == 3);
    auto check_rows = [](const Tensor& weights, const Shape& shape, auto kept) {
        REQUIRE(weights.shape() == shape);
        const Array& a = weights.value();
        for (std::size_t b = 0; b < shape[0]; ++b)
            for (std::size_t h = 0; h < shape[1]; ++h)
                for (std::size_t i = 0; i < shape[2]; ++i) {
                    double total = 0.0;
                    for (std::size_t j = 0; j < shape[3]; ++j) {
                        if (!kept(b, i, j)) CHECK(a(b, h, i, j) == 0.0f);
                        total += static_cast<double>(a(b, h, i, j));
                    }
                    CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
                }
    };
    const Array padding = source_keep();
    auto real_key = [&](std::size_t b, std::size_t, std::size_t j) { return padding(b, j) != 0.0f; };
    auto past_key = [](std::size_t, std::size_t i, std::size_t j) { return j <= i; };
    for (const Tensor& e : w.encoder_self) check_rows(e, Shape{B, H, S, S}, real_key);
    for (const Tensor& s : w.decoder_self) check_rows(s, Shape{B, H, n, n}, past_key);
    for (const Tensor& c : w.decoder_cross) check_rows(c, Shape{B, H, n, S}, real_key);
    // Each layer's own weights, not one layer's repeated.
    CHECK(max_difference(w.decoder_cross[0].value(), w.decoder_cross[2].value()) > 1e-4);
}

TEST_CASE("Transformer::decode needs one memory and one cache entry per decoder layer") {
    Rng rng(130);
    const nn::Transformer model(tiny_sizes(1, 2), rng);
    const auto memory = model.project_memory(model.encode(Tensor(randn({B, S, D}, 131)), {}));
    REQUIRE(memory.size() == 2);
    const Tensor y(randn({B, 1, D}, 132));
    const std::vector<nn::MultiHeadAttention::KeyValues> one(memory.begin(), memory.begin() + 1);
    check_error<ValueError>([&] { model.decode(y, one, {}, {}); },
                            {"needs one memory (and cache) entry per decoder layer, 2; got 1"});
    std::vector<nn::MultiHeadAttention::KeyValues> cache(3);
    check_error<ValueError>([&] { model.decode(y, memory, {}, {}, nullptr, &cache); }, {"got 2 and 3"});
}

TEST_CASE("Transformer set_attention makes every attention of every layer call the given function") {
    Rng rng(140);
    nn::TransformerSizes sizes = tiny_sizes(2, 3);
    sizes.scaled = false;
    nn::Transformer model(sizes, rng);
    CHECK(model.describe() == "Transformer(D=8, heads=2, ff=16, 2 + 3 layers, unscaled)");
    CHECK_FALSE(model.encoder[1]->attention.scaled);  // sizes.scaled reaches every attention
    CHECK_FALSE(model.decoder[2]->cross_attention.scaled);
    const Tensor x(randn({B, S, D}, 141)), y(randn({B, T, D}, 142));
    auto run = [&] {
        return model.decode(y, model.project_memory(model.encode(x, key_keep())), causal_mask(T), key_keep())
            .value();
    };
    const Array library = run();
    model.set_attention(counting_attention);
    attention_calls = 0;
    CHECK(run() == library);  // the same computation, through the given function
    CHECK(attention_calls == 2 + 2 * 3);
    CHECK_FALSE(model.decoder[0]->self_attention.scaled);  // set_attention keeps sizes.scaled
}
}  // namespace transformer_test
