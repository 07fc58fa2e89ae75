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
