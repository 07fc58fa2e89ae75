// Fuzz target: any bytes as a .safetensors file (io::load_safetensors, read_safetensors_header, and
// load_checkpoint into a small module, as a lesson loads a model).
// Promises checked: the header reader and the loader agree; what loads, saves and loads back the
// same, byte for byte.
#include <algorithm>
#include <cstring>

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/safetensors.hpp>
#include <dikkat/nn/linear.hpp>
#include <dikkat/random.hpp>

#include "fuzz.hpp"

using namespace dikkat;

namespace {

bool same_bits(const Array& a, const Array& b) {
    return a.shape() == b.shape() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// The same names, metadata and bits. (Empty tensors share their offset, so their order among
// themselves is not part of the promise: compare by name.)
bool same_file(io::SafeTensors a, io::SafeTensors b) {
    const auto by_name = [](const auto& x, const auto& y) { return x.first < y.first; };
    std::sort(a.tensors.begin(), a.tensors.end(), by_name);
    std::sort(b.tensors.begin(), b.tensors.end(), by_name);
    if (a.metadata != b.metadata || a.tensors.size() != b.tensors.size()) return false;
    for (std::size_t i = 0; i < a.tensors.size(); ++i)
        if (a.tensors[i].first != b.tensors[i].first || !same_bits(a.tensors[i].second, b.tensors[i].second))
            return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = fuzz::scratch_file("model.safetensors", fuzz::bytes(data, size));
    fuzz::refused_or_accepted([&] {
        const io::SafeTensorsHeader header = io::read_safetensors_header(path);
        const io::SafeTensors file = io::load_safetensors(path);
        fuzz::require(header.tensors.size() == file.tensors.size() && header.metadata == file.metadata,
                      "read_safetensors_header and load_safetensors read the same names and metadata");
        const std::string copy =
            fuzz::scratch_file("copy.safetensors", io::safetensors_bytes(file.tensors, file.metadata));
        fuzz::require(same_file(file, io::load_safetensors(copy)),
                      "a loaded file saves and loads back the same");
    });
    fuzz::refused_or_accepted([&] {
        Rng rng(0);
        nn::Linear model(/*in=*/3, /*out=*/2, rng);
        io::load_checkpoint(path, model, {/*strict=*/false});
    });
    return 0;
}
