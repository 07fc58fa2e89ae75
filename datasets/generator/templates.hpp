// A tiny template grammar for the text corpora: a rule has options, an option is text with
// {slots}, and a slot is filled from a variable bound for the current paragraph (so one
// paragraph keeps talking about the same city) or else by expanding the rule of that name.
//
//   rules.add("greeting", {"hello {name} .", "good morning {name} ."});
//   rules.add("name", {"anna", "paul"});
//   rules.expand("{greeting}", rng, {})   ->  "good morning paul ."
#pragma once

#include <map>
#include <string>
#include <vector>

#include <dikkat/random.hpp>

namespace dikkat::gen {

using Vars = std::map<std::string, std::string>;

class Templates {
  public:
    /// Adds options to a rule (an option listed twice is twice as likely).
    void add(const std::string& rule, const std::vector<std::string>& options);
    /// Fills every {slot} of `text`, recursively. Throws ValueError on an unknown slot.
    std::string expand(const std::string& text, Rng& rng, const Vars& vars) const;
    /// One option of a rule, expanded.
    std::string pick(const std::string& rule, Rng& rng, const Vars& vars) const;

  private:
    std::map<std::string, std::vector<std::string>> rules_;
};

}  // namespace dikkat::gen
