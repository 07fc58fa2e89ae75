#include <dikkat/data/parallel.hpp>

namespace dikkat::data {

ParallelCorpus ParallelCorpus::build(const std::vector<TranslationPair>& train, std::size_t min_count) {
    TokenCounts source_counts, target_counts;
    for (const TranslationPair& p : train) {
        count_tokens({p.source}, source_counts);
        count_tokens({p.target}, target_counts);
    }
    ParallelCorpus vocabularies;
    vocabularies.source_vocab = Vocab::from_counts(source_counts, min_count);
    vocabularies.target_vocab = Vocab::from_counts(target_counts, min_count);
    return vocabularies.encode(train);
}

ParallelCorpus ParallelCorpus::encode(const std::vector<TranslationPair>& pairs) const {
    ParallelCorpus out;
    out.source_vocab = source_vocab;
    out.target_vocab = target_vocab;
    out.source.reserve(pairs.size());
    out.target.reserve(pairs.size());
    for (const TranslationPair& p : pairs) {
        out.source.push_back(encode_source(p.source));
        out.target.push_back(encode_target(p.target));
    }
    return out;
}

std::vector<Index> ParallelCorpus::encode_source(const std::vector<std::string>& words) const {
    std::vector<Index> ids = source_vocab.encode(words);
    ids.push_back(Vocab::eos_id);
    return ids;
}

std::vector<Index> ParallelCorpus::encode_target(const std::vector<std::string>& words) const {
    return target_vocab.encode(words, /*add_bos_eos=*/true);
}

std::vector<std::size_t> ParallelCorpus::pair_lengths() const {
    std::vector<std::size_t> lengths;
    lengths.reserve(source.size());
    for (std::size_t i = 0; i < source.size(); ++i) lengths.push_back(source[i].size() + target[i].size());
    return lengths;
}

}  // namespace dikkat::data
