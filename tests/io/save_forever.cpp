// save_forever PATH: saves a 16 MB checkpoint to PATH again and again, each version's weights all
// equal to its number (metadata "version"), until it is killed. The kill-mid-save test kills it
// while a save is half written and checks that PATH still holds one whole version.
#include <cstdio>
#include <string>

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/nn/linear.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: save_forever PATH\n");
        return 2;
    }
    dikkat::Rng rng(0);
    dikkat::nn::Linear model(2048, 2048, rng);  // 4.2 million floats: a save takes milliseconds
    for (long version = 1;; ++version) {
        model.weight.mutable_value().fill(static_cast<float>(version));
        model.bias.mutable_value().fill(static_cast<float>(version));
        dikkat::io::save_checkpoint(argv[1], model, {{"version", std::to_string(version)}});
    }
}
