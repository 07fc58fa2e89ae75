// A translation pair written as two sentences, in a test.
#pragma once

#include <string>

#include <dikkat/data/datasets.hpp>

/// The pair of `source` and `target`, each split into words at spaces, with no alignment.
inline dikkat::data::TranslationPair translation_pair(const std::string& source, const std::string& target) {
    return {dikkat::data::split_words(source), dikkat::data::split_words(target), {}};
}
