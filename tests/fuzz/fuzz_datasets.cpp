// Fuzz target: any bytes as a dataset file, read by every TSV and text reader of data/tsv.hpp and
// data/datasets.hpp (translation pairs with and without the alignment column — what --eval reads —
// labelled reviews, opinion words, a corpus) and the alignment parser.
// Promises checked: read_tsv's rows have the fields it was asked for, none empty; every alignment
// link read_translation returns points inside its two sentences.
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/tsv.hpp>

#include "fuzz.hpp"

using namespace dikkat;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = fuzz::bytes(data, size);
    const std::string path = fuzz::scratch_file("data.tsv", text);
    fuzz::refused_or_accepted([&] {
        for (const data::TsvRow& row : data::read_tsv(path, 2, 3)) {
            fuzz::require(row.fields.size() >= 2 && row.fields.size() <= 3, "read_tsv: 2 or 3 fields");
            for (const std::string& f : row.fields) fuzz::require(!f.empty(), "read_tsv: no empty field");
        }
    });
    for (auto column : {data::AlignmentColumn::required, data::AlignmentColumn::optional})
        fuzz::refused_or_accepted([&] {
            for (const data::TranslationPair& p : data::read_translation(path, column))
                for (const auto& [i, j] : p.alignment)
                    fuzz::require(i < p.source.size() && j < p.target.size(),
                                  "alignment links inside the pair");
        });
    fuzz::refused_or_accepted([&] { data::read_labelled_reviews(path); });
    fuzz::refused_or_accepted([&] { data::read_opinion_words(path); });
    fuzz::refused_or_accepted([&] { data::read_corpus(path); });
    fuzz::refused_or_accepted([&] { data::parse_alignment(text); });
    return 0;
}
