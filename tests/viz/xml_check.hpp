// A small well-formedness check for the SVG files the plots write, so the tests need no XML
// tool: tags nest and close, attributes are quoted, '<' and '&' appear only as markup or
// entities. Returns "" when the text is well-formed, else what is wrong and where.
#pragma once

#include <cctype>
#include <string>
#include <vector>

inline std::string xml_problem(const std::string& xml) {
    std::vector<std::string> open;
    std::size_t i = 0, n = xml.size();
    bool root_seen = false;
    const auto at = [&](std::size_t p) { return " at offset " + std::to_string(p); };
    const auto name_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.';
    };
    const auto entity_ok = [&](std::size_t p) {  // xml[p] == '&'
        const std::size_t semi = xml.find(';', p);
        if (semi == std::string::npos) return false;
        const std::string e = xml.substr(p + 1, semi - p - 1);
        if (e == "amp" || e == "lt" || e == "gt" || e == "quot" || e == "apos") return true;
        if (e.size() > 1 && e[0] == '#')
            return e.find_first_not_of("0123456789", 1) == std::string::npos || (e[1] == 'x' && e.size() > 2);
        return false;
    };
    while (i < n) {
        if (xml[i] == '&') {
            if (!entity_ok(i)) return "bad entity" + at(i);
            ++i;
            continue;
        }
        if (xml[i] == '>') return "stray '>'" + at(i);
        if (xml[i] != '<') {
            if (open.empty() && !std::isspace(static_cast<unsigned char>(xml[i])))
                return "text outside the root" + at(i);
            ++i;
            continue;
        }
        if (xml.compare(i, 5, "<?xml") == 0) {
            const std::size_t e = xml.find("?>", i);
            if (e == std::string::npos || i != 0) return "bad XML declaration" + at(i);
            i = e + 2;
            continue;
        }
        if (xml.compare(i, 4, "<!--") == 0) {
            const std::size_t e = xml.find("-->", i);
            if (e == std::string::npos) return "unclosed comment" + at(i);
            i = e + 3;
            continue;
        }
        const bool closing = i + 1 < n && xml[i + 1] == '/';
        std::size_t p = i + (closing ? 2 : 1);
        const std::size_t name_start = p;
        while (p < n && name_char(xml[p])) ++p;
        const std::string name = xml.substr(name_start, p - name_start);
        if (name.empty()) return "tag without a name" + at(i);
        if (closing) {
            while (p < n && std::isspace(static_cast<unsigned char>(xml[p]))) ++p;
            if (p >= n || xml[p] != '>') return "bad closing tag </" + name + at(i);
            if (open.empty() || open.back() != name)
                return "</" + name + "> closes <" + (open.empty() ? std::string("nothing") : open.back()) +
                       ">" + at(i);
            open.pop_back();
            i = p + 1;
            continue;
        }
        if (open.empty() && root_seen) return "second root element <" + name + ">" + at(i);
        // attributes: name="value" (value without '<'; '&' only as entity)
        std::vector<std::string> attrs;
        for (;;) {
            while (p < n && std::isspace(static_cast<unsigned char>(xml[p]))) ++p;
            if (p >= n) return "unterminated tag <" + name + at(i);
            if (xml[p] == '>' || (xml[p] == '/' && p + 1 < n && xml[p + 1] == '>')) break;
            const std::size_t a = p;
            while (p < n && name_char(xml[p])) ++p;
            const std::string attr = xml.substr(a, p - a);
            if (attr.empty() || p >= n || xml[p] != '=') return "bad attribute in <" + name + ">" + at(p);
            for (const auto& seen : attrs)
                if (seen == attr) return "duplicate attribute " + attr + " in <" + name + ">" + at(p);
            attrs.push_back(attr);
            ++p;
            if (p >= n || (xml[p] != '"' && xml[p] != '\'')) return "unquoted attribute " + attr + at(p);
            const char q = xml[p++];
            for (; p < n && xml[p] != q; ++p) {
                if (xml[p] == '<') return "'<' inside attribute " + attr + at(p);
                if (xml[p] == '&' && !entity_ok(p)) return "bad entity in attribute " + attr + at(p);
            }
            if (p >= n) return "unterminated attribute " + attr + at(a);
            ++p;
        }
        root_seen = true;
        if (xml[p] == '/') {
            i = p + 2;
        } else {
            open.push_back(name);
            i = p + 1;
        }
    }
    if (!open.empty()) return "<" + open.back() + "> is never closed";
    if (!root_seen) return "no root element";
    return "";
}
