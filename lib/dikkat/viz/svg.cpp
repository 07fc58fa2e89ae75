#include <dikkat/viz/svg.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <dikkat/atomic_file.hpp>
#include <dikkat/error.hpp>

namespace dikkat::viz {

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

void write_text_file(const std::string& path, const std::string& text) { write_file_atomic(path, text); }

namespace {
// Numbers in SVG attributes: two decimals are finer than a pixel needs.
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}
}  // namespace

std::string format_number(double value, double step) {
    char buf[32];
    if (value == 0.0) return "0";
    const double mag = std::fabs(value);
    if (mag >= 1e5 || mag < 1e-3) {
        std::snprintf(buf, sizeof buf, "%.2g", value);
        return buf;
    }
    int decimals = 3;
    if (step > 0.0)
        decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    else if (mag >= 100)
        decimals = 0;
    else if (mag >= 10)
        decimals = 1;
    else if (mag >= 1)
        decimals = 2;
    std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 6), value);
    std::string s = buf;
    if (step <= 0.0 && s.find('.') != std::string::npos) {  // free-standing: trim zeros
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

double text_width(const std::string& text, double font_size) {
    // Count code points, not bytes; an average sans-serif glyph is about 0.6 em wide.
    std::size_t chars = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
    return 0.6 * font_size * static_cast<double>(chars);
}

Svg::Svg(double width, double height) : width_(width), height_(height) {}

void Svg::rect(double x, double y, double w, double h, const std::string& fill, const std::string& stroke,
               double stroke_width) {
    body_ += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
             "\" fill=\"" + fill + "\"";
    if (stroke != "none") body_ += " stroke=\"" + stroke + "\" stroke-width=\"" + num(stroke_width) + "\"";
    body_ += "/>\n";
}

void Svg::cell(double x, double y, double w, double h, const std::string& fill) {
    body_ += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
             "\" fill=\"" + fill + "\" shape-rendering=\"crispEdges\"/>\n";
}

void Svg::image(double x, double y, double w, double h, const std::string& href) {
    body_ += "<image x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
             "\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" xlink:href=\"" + href +
             "\"/>\n";
}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& stroke, double width,
               const std::string& dash) {
    body_ += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
             "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"";
    if (!dash.empty()) body_ += " stroke-dasharray=\"" + dash + "\"";
    body_ += "/>\n";
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke,
                   double width, const std::string& dash) {
    if (points.empty()) return;
    body_ += "<polyline fill=\"none\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"";
    if (!dash.empty()) body_ += " stroke-dasharray=\"" + dash + "\"";
    body_ += " stroke-linejoin=\"round\" points=\"";
    for (std::size_t i = 0; i < points.size(); ++i)
        body_ += (i ? " " : "") + num(points[i].first) + "," + num(points[i].second);
    body_ += "\"/>\n";
}

void Svg::circle(double cx, double cy, double r, const std::string& fill, const std::string& stroke,
                 double stroke_width) {
    body_ +=
        "<circle cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"" + num(r) + "\" fill=\"" + fill + "\"";
    if (stroke != "none") body_ += " stroke=\"" + stroke + "\" stroke-width=\"" + num(stroke_width) + "\"";
    body_ += "/>\n";
}

void Svg::text(double x, double y, const std::string& text, double size, const std::string& anchor,
               double rotate, const std::string& fill, bool bold) {
    body_ += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) +
             "\" text-anchor=\"" + anchor + "\" fill=\"" + fill + "\"";
    if (bold) body_ += " font-weight=\"bold\"";
    if (rotate != 0.0) body_ += " transform=\"rotate(" + num(rotate) + " " + num(x) + " " + num(y) + ")\"";
    body_ += ">" + xml_escape(text) + "</text>\n";
}

void Svg::gradient_rect(double x, double y, double w, double h, const std::vector<std::string>& colors) {
    const std::string id = "g" + std::to_string(next_id_++);
    defs_ += "<linearGradient id=\"" + id + "\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">\n";
    for (std::size_t i = 0; i < colors.size(); ++i) {
        const double offset = colors.size() > 1 ? double(i) / double(colors.size() - 1) : 0.0;
        defs_ += "  <stop offset=\"" + num(offset) + "\" stop-color=\"" + colors[i] + "\"/>\n";
    }
    defs_ += "</linearGradient>\n";
    rect(x, y, w, h, "url(#" + id + ")", "#444", 0.5);
}

void Svg::begin_clip(double x, double y, double w, double h) {
    const std::string id = "c" + std::to_string(next_id_++);
    defs_ += "<clipPath id=\"" + id + "\"><rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) +
             "\" height=\"" + num(h) + "\"/></clipPath>\n";
    body_ += "<g clip-path=\"url(#" + id + ")\">\n";
}

void Svg::end_group() { body_ += "</g>\n"; }

std::string Svg::str() const {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"" +
        num(width_) + "\" height=\"" + num(height_) + "\" viewBox=\"0 0 " + num(width_) + " " + num(height_) +
        "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
    if (!defs_.empty()) out += "<defs>\n" + defs_ + "</defs>\n";
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    return out + body_ + "</svg>\n";
}

// [panels]
std::string panels(const std::vector<std::string>& documents, std::size_t columns) {
    if (documents.empty() || columns == 0) throw ValueError("panels: nothing to lay out");
    auto attribute = [](const std::string& tag, const std::string& name) {
        const std::size_t at = tag.find(" " + name + "=\"");
        if (at == std::string::npos) throw ValueError("panels: an SVG document has no " + name);
        try {
            return std::stod(tag.substr(at + name.size() + 3));
        } catch (const std::exception&) {
            throw ValueError("panels: an SVG document's " + name + " is not a number");
        }
    };
    // Each document numbers its gradients and clips from 0: give panel i's ids a prefix of its own.
    auto own_ids = [](std::string text, std::size_t i) {
        const std::string prefix = "p" + std::to_string(i) + "_";
        for (const std::string& key : {std::string("id=\""), std::string("url(#")})
            for (std::size_t at = text.find(key); at != std::string::npos;
                 at = text.find(key, at + key.size()))
                text.insert(at + key.size(), prefix);
        return text;
    };
    std::vector<std::pair<std::string, std::pair<double, double>>> parts;  // root-tag body, (w, h)
    double cell_w = 0, cell_h = 0;
    for (const std::string& doc : documents) {
        const std::size_t open = doc.find("<svg");
        const std::size_t close = open == std::string::npos ? open : doc.find('>', open);
        if (close == std::string::npos) throw ValueError("panels: a document is not SVG");
        const std::string tag = doc.substr(open, close - open);
        const double w = attribute(tag, "width"), h = attribute(tag, "height");
        cell_w = std::max(cell_w, w);
        cell_h = std::max(cell_h, h);
        parts.push_back({own_ids(doc.substr(open + 4), parts.size()), {w, h}});  // after "<svg" to the end
    }
    const std::size_t cols = std::min(columns, documents.size());
    const std::size_t rows = (documents.size() + cols - 1) / cols;
    Svg out(cell_w * double(cols), cell_h * double(rows));
    std::string body;
    for (std::size_t i = 0; i < parts.size(); ++i)  // a nested <svg> is placed by its x and y
        body += "<svg x=\"" + num(cell_w * double(i % cols)) + "\" y=\"" + num(cell_h * double(i / cols)) +
                "\"" + parts[i].first;
    std::string doc = out.str();
    return doc.insert(doc.rfind("</svg>"), body);
}
// [panels]

}  // namespace dikkat::viz
