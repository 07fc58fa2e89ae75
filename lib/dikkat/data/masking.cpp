#include <dikkat/data/masking.hpp>

#include <string>

#include <dikkat/data/vocab.hpp>
#include <dikkat/error.hpp>

namespace dikkat::data {

namespace {

void check_rate(const char* name, float value) {
    if (!(value >= 0.0f && value <= 1.0f))
        throw ValueError(std::string("mask_tokens: ") + name + " must be in [0, 1], got " +
                         std::to_string(value));
}

}  // namespace

Masked mask_tokens(const IndexArray& ids, std::size_t vocab_size, Rng& rng, const MaskingOptions& options) {
    check_rate("rate", options.rate);
    check_rate("to_mask", options.to_mask);
    check_rate("to_random", options.to_random);
    if (options.to_mask + options.to_random > 1.0f)
        throw ValueError("mask_tokens: to_mask + to_random must be at most 1, got " +
                         std::to_string(options.to_mask) + " + " + std::to_string(options.to_random));
    const auto first_word = static_cast<std::size_t>(Vocab::mask_id) + 1;  // ids below are special
    if (vocab_size <= first_word)
        throw ValueError("mask_tokens: a vocabulary of " + std::to_string(vocab_size) +
                         " ids holds no ordinary word (the first " + std::to_string(first_word) +
                         " are special)");
    const auto words = static_cast<std::uint32_t>(vocab_size - first_word);

    // [mask_tokens]
    Masked out{ids, IndexArray(ids.shape(), options.ignore_index)};
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const Index id = ids.flat(i);
        if (id < 0 || static_cast<std::size_t>(id) >= vocab_size)
            throw ValueError("mask_tokens: id " + std::to_string(id) + " at " + index_str(ids.shape(), i) +
                             " is outside the vocabulary of " + std::to_string(vocab_size) + " ids");
        if (id < static_cast<Index>(first_word) || rng.uniform() >= options.rate) continue;
        out.targets.flat(i) = id;
        const float how = rng.uniform();
        if (how < options.to_mask)
            out.inputs.flat(i) = Vocab::mask_id;
        else if (how < options.to_mask + options.to_random)
            out.inputs.flat(i) = static_cast<Index>(first_word + rng.below(words));
    }
    return out;
    // [mask_tokens]
}

}  // namespace dikkat::data
