// Reading what a lesson's --quick smoke run (ctest "lesson NN runs --quick") wrote.
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>

/// build/test-runs/<lesson>/<file>
inline std::string lesson_run_file(const std::string& lesson, const std::string& file) {
    const char* build = std::getenv("DIKKAT_BUILD_DIR");
    return std::string(build ? build : "build") + "/test-runs/" + lesson + "/" + file;
}

/// The summary.json of the lesson's --quick run.
inline nlohmann::json lesson_summary(const std::string& lesson) {
    const std::string path = lesson_run_file(lesson, "summary.json");
    std::ifstream in(path);
    if (!in) throw dikkat::IoError(path + ": missing; run the lesson's smoke test first (ctest -L lesson)");
    return nlohmann::json::parse(in);
}

/// Any JSON file the lesson's --quick run wrote.
inline nlohmann::json lesson_json(const std::string& lesson, const std::string& file) {
    const std::string path = lesson_run_file(lesson, file);
    std::ifstream in(path);
    if (!in) throw dikkat::IoError(path + ": missing; run the lesson's smoke test first (ctest -L lesson)");
    return nlohmann::json::parse(in);
}

/// What is wrong with the attention explorer's file (seq2seq/attention_export.hpp), or "": at least
/// `sentences` sentences, each with gold links and `layers` × `heads` maps of a row per French word
/// and a column per English word.
inline std::string attention_json_problem(const nlohmann::json& a, std::size_t sentences, std::size_t layers,
                                          std::size_t heads) {
    if (a.at("layers") != layers || a.at("heads") != heads)
        return "layers " + a.at("layers").dump() + ", heads " + a.at("heads").dump();
    if (a.at("sentences").size() < sentences) return std::to_string(a["sentences"].size()) + " sentences";
    for (const nlohmann::json& s : a["sentences"]) {
        const std::string which = "sentence \"" + s.at("english")[0].get<std::string>() + " ...\": ";
        if (s.at("gold").empty()) return which + "no gold links";
        if (s.at("attention").size() != layers) return which + "wrong number of layers";
        for (const nlohmann::json& layer : s["attention"]) {
            if (layer.size() != heads) return which + "wrong number of heads";
            for (const nlohmann::json& head : layer) {
                if (head.size() != s.at("french").size()) return which + "a row per French word expected";
                for (const nlohmann::json& row : head)
                    if (row.size() != s.at("english").size())
                        return which + "a column per English word expected";
            }
        }
    }
    return "";
}
