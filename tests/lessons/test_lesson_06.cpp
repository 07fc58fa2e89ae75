// Lesson 6's claims on its --quick run: a small LSTM (E 64, H 128), 100 windows of general text and
// 400 of unlabelled reviews, N = 16 and 64. The default run's body is larger and reads more (the
// chapter's numbers); the direction of every claim shows already at this size.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include <dikkat/lm/heads.hpp>

#include "lesson_run.hpp"

namespace {
double mean_of(const nlohmann::json& a) { return a.is_number() ? a.get<double>() : a["mean"].get<double>(); }
}  // namespace

TEST_CASE(
    "lesson 06 --quick: a frozen pretrained body and a new head beat the same network from scratch at N = "
    "64") {
    auto s = lesson_summary("06_transfer_learning");
    const auto& acc = s["accuracy"];
    const double frozen = mean_of(acc["transfer_frozen"]["64"]), scratch = mean_of(acc["scratch"]["64"]);
    const double unadapted = mean_of(acc["no_adaptation"]["64"]),
                 unfrozen = mean_of(acc["transfer_unfrozen"]["64"]);
    MESSAGE("N = 64: frozen " << frozen << ", unfrozen " << unfrozen << ", no stage 2 " << unadapted
                              << ", scratch " << scratch);
    CHECK(frozen >= 0.80);
    CHECK(frozen >= scratch + 0.10);
    CHECK(unfrozen >= scratch + 0.10);
    CHECK(frozen >= unadapted + 0.10);  // without stage 2 the small body has not found the sentiment
}

TEST_CASE(
    "lesson 06 --quick: stage 2 lowers the reviews' perplexity, and the frozen body stays bitwise the same") {
    auto s = lesson_summary("06_transfer_learning");
    const double before = s["domain_perplexity_before"].get<double>(),
                 after = s["domain_perplexity_after"].get<double>();
    MESSAGE("review-domain perplexity " << before << " -> " << after);
    CHECK(after <= 0.9 * before);
    CHECK(s["frozen_body_unchanged"].get<bool>());
}

TEST_CASE("lesson 06 --quick: the tagging head on the frozen body tags opinion words training never showed") {
    auto s = lesson_summary("06_transfer_learning");
    const auto& t = s["tagging"];
    MESSAGE("tagging: F1 " << t["f1"] << " (lookup " << t["lookup_f1"] << "), unseen recall "
                           << t["unseen_recall"] << " on " << t["unseen_words"] << " words");
    CHECK(t["unseen_words"].get<int>() > 0);
    CHECK(t["lookup_unseen_recall"].get<double>() == 0.0);
    CHECK(t["unseen_recall"].get<double>() > 0.3);
}

TEST_CASE("lesson 06 --quick: the summary has what the chapter reports, and the classifier loads back") {
    auto s = lesson_summary("06_transfer_learning");
    for (const char* key : {"accuracy", "domain_perplexity_before", "domain_perplexity_after",
                            "frozen_body_unchanged", "tagging", "blas", "subsets", "config"})
        CHECK_MESSAGE(s.contains(key), key);
    for (const char* method : {"transfer_frozen", "transfer_unfrozen", "no_adaptation", "scratch"})
        CHECK_MESSAGE(s["accuracy"][method].contains("16"), method);
    for (const char* f : {"stage1_lm.safetensors", "stage2_lm.safetensors", "classifier.safetensors",
                          "learning_curve.svg", "lm_loss.svg"})
        CHECK_MESSAGE(std::filesystem::file_size(lesson_run_file("06_transfer_learning", f)) > 100,
                      std::string(f));
    const dikkat::lm::LoadedClassifier c =
        dikkat::lm::load_classifier(lesson_run_file("06_transfer_learning", "classifier.safetensors"));
    CHECK(c.vocab.size() == 2584);
    CHECK(c.model->head.out_features() == 2);
}
