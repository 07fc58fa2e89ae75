// The images of lesson 07: 32×32 colour pictures of one shape each (datasets/images/README.md).
//
//   source/  32 classes = 16 shapes × {solid, textured}: the large, varied task a small residual
//            network is pretrained on (ImageNet in miniature)
//   target/  10 new shapes built from the same edges, corners and curves: the task a new head on
//            the frozen body learns from a few labels
//
// Every image is a background (dark or light, a soft gradient, mild noise, a few strokes of
// clutter) with one shape on it, at a random place, size, right-angle turn or mirror, colour and
// fill. The geometry is integer
// arithmetic and all randomness goes through dikkat::Rng, so a seed gives the same bytes on every
// compiler. This is not shipped: the build draws it (datasets/CMakeLists.txt, target dikkat_images).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <dikkat/error.hpp>
#include <dikkat/viz/png.hpp>

#include "common.hpp"

namespace dikkat::gen {

namespace {

constexpr int kTile = 32;          // an image is kTile × kTile pixels
constexpr int kSheetColumns = 64;  // tiles per row of a .ppm sheet

// ---- Geometry ---------------------------------------------------------------------------
//
// A shape is drawn in its own units: it fits in the square [-32, 32]², and 32 units are its
// radius r on the image. A pixel is tested at its centre. To stay in integers, the point is
// scaled instead of the shape: a pixel centre h half-pixels from the shape's centre becomes
// x = 32·h, and a shape coordinate c becomes c·s with s = r in half-pixels. (y points down.)

struct Probe {
    std::int64_t x, y;  // the pixel centre, 32 × half-pixels from the shape's centre
    std::int64_t s;     // the shape's radius in half-pixels: one shape unit is s/32 half-pixels

    bool disc(std::int64_t cx, std::int64_t cy, std::int64_t r) const {
        const std::int64_t dx = x - cx * s, dy = y - cy * s;
        return dx * dx + dy * dy <= r * r * s * s;
    }
    // (dx / a)² + (dy / b)² <= 1, multiplied out
    bool ellipse(std::int64_t a, std::int64_t b) const {
        return x * x * b * b + y * y * a * a <= a * a * b * b * s * s;
    }
    bool box(std::int64_t x0, std::int64_t y0, std::int64_t x1, std::int64_t y1) const {
        return x >= x0 * s && x <= x1 * s && y >= y0 * s && y <= y1 * s;
    }
    // Even–odd rule: a ray from the point towards +x crosses the outline an odd number of times.
    // Whether edge a→b passes right of the point is a comparison of two integer products.
    bool polygon(std::initializer_list<std::array<std::int64_t, 2>> corners) const {
        bool inside = false;
        const std::array<std::int64_t, 2>* prev = corners.end() - 1;
        for (const std::array<std::int64_t, 2>& cur : corners) {
            const std::int64_t ax = (*prev)[0] * s, ay = (*prev)[1] * s, bx = cur[0] * s, by = cur[1] * s;
            prev = &cur;
            if ((ay > y) == (by > y)) continue;             // the edge does not span the point's row
            const std::int64_t lhs = (x - ax) * (by - ay);  // the point vs. the edge's x at row y,
            const std::int64_t rhs = (y - ay) * (bx - ax);  // both sides times (by - ay)
            if (by > ay ? lhs < rhs : lhs > rhs) inside = !inside;
        }
        return inside;
    }
};

struct Shape {
    const char* name;
    const char* looks_like;  // for the README and the log
    bool turns;              // may be turned by 90° (hbar and vbar are told apart by orientation)
    bool (*inside)(const Probe&);
};

// Source shapes: every kind of edge (0°, 45°, 90°, curved), corner and outline the targets use.
const std::vector<Shape> kSourceShapes = {
    {"disc", "filled circle", true, [](const Probe& p) { return p.disc(0, 0, 28); }},
    {"ring", "circle outline", true, [](const Probe& p) { return p.disc(0, 0, 28) && !p.disc(0, 0, 17); }},
    {"square", "filled square", true, [](const Probe& p) { return p.box(-24, -24, 24, 24); }},
    {"frame", "square outline", true,
     [](const Probe& p) { return p.box(-25, -25, 25, 25) && !p.box(-14, -14, 14, 14); }},
    {"triangle", "isosceles triangle, pointing up, down, left or right", true,
     [](const Probe& p) {
         return p.polygon({{0, -28}, {28, 22}, {-28, 22}});
     }},
    {"diamond", "square turned 45°", true,
     [](const Probe& p) {
         return p.polygon({{0, -30}, {30, 0}, {0, 30}, {-30, 0}});
     }},
    {"plus", "upright cross", true,
     [](const Probe& p) { return p.box(-30, -9, 30, 9) || p.box(-9, -30, 9, 30); }},
    {"x_cross", "diagonal cross", true,
     [](const Probe& p) {
         const std::int64_t d = p.x - p.y, e = p.x + p.y;  // the two diagonal directions
         return (std::abs(d) <= 13 * p.s && std::abs(e) <= 42 * p.s) ||
                (std::abs(e) <= 13 * p.s && std::abs(d) <= 42 * p.s);
     }},
    {"hbar", "horizontal bar, 3:1", false, [](const Probe& p) { return p.box(-30, -10, 30, 10); }},
    {"vbar", "vertical bar, 1:3", false, [](const Probe& p) { return p.box(-10, -30, 10, 30); }},
    {"semicircle", "half disc", true, [](const Probe& p) { return p.disc(0, 15, 30) && p.y <= 15 * p.s; }},
    {"crescent", "disc with a disc cut out of one side", true,
     [](const Probe& p) { return p.disc(6, 0, 28) && !p.disc(19, 0, 24); }},
    {"pentagon", "regular pentagon", true,
     [](const Probe& p) {
         return p.polygon({{0, -27}, {29, -6}, {18, 27}, {-18, 27}, {-29, -6}});
     }},
    {"hexagon", "regular hexagon", true,
     [](const Probe& p) {
         return p.polygon({{-30, 0}, {-15, -26}, {15, -26}, {30, 0}, {15, 26}, {-15, 26}});
     }},
    {"ellipse", "ellipse, 2:1", true, [](const Probe& p) { return p.ellipse(30, 16); }},
    {"two_discs", "two discs side by side", true,
     [](const Probe& p) { return p.disc(-16, 0, 13) || p.disc(16, 0, 13); }},
};

// Target shapes: none of the above, each made of their parts.
const std::vector<Shape> kTargetShapes = {
    {"star", "five-pointed star", true,
     [](const Probe& p) {
         // Points at radius 31 and notches at radius 13, in turn (moved down 3 to centre it).
         // clang-format off
         return p.polygon({{0, -28}, {8, -8}, {29, -7}, {12, 7}, {18, 28},
                           {0, 16}, {-18, 28}, {-12, 7}, {-29, -7}, {-8, -8}});
         // clang-format on
     }},
    {"heart", "two discs over a downward point", true,
     [](const Probe& p) {
         return p.disc(-13, -10, 15) || p.disc(13, -10, 15) || p.polygon({{-27, -4}, {27, -4}, {0, 28}});
     }},
    {"arrow", "shaft and a 45° head", true,
     [](const Probe& p) {
         return p.polygon({{-30, -8}, {2, -8}, {2, -26}, {28, 0}, {2, 26}, {2, 8}, {-30, 8}});
     }},
    {"l_shape", "two bars meeting at a corner", true,
     [](const Probe& p) {
         return p.polygon({{-24, -30}, {-8, -30}, {-8, 14}, {24, 14}, {24, 30}, {-24, 30}});
     }},
    {"t_shape", "a bar on a stem", true,
     [](const Probe& p) {
         return p.polygon(
             {{-28, -28}, {28, -28}, {28, -12}, {8, -12}, {8, 28}, {-8, 28}, {-8, -12}, {-28, -12}});
     }},
    {"hourglass", "two triangles tip to tip, 45° sides", true,
     [](const Probe& p) {
         return p.polygon({{-28, -28}, {28, -28}, {4, -4}, {4, 4}, {28, 28}, {-28, 28}, {-4, 4}, {-4, -4}});
     }},
    {"chevron", "a thick >, 45° arms", true,
     [](const Probe& p) {
         return p.polygon({{-21, -28}, {-7, -28}, {21, 0}, {-7, 28}, {-21, 28}, {7, 0}});
     }},
    {"octagon", "regular octagon", true,
     [](const Probe& p) {
         return p.polygon(
             {{-11, -27}, {11, -27}, {27, -11}, {27, 11}, {11, 27}, {-11, 27}, {-27, 11}, {-27, -11}});
     }},
    {"triangle_outline", "triangle outline", true,
     [](const Probe& p) {
         return p.polygon({{0, -28}, {28, 22}, {-28, 22}}) && !p.polygon({{0, -7}, {11, 12}, {-11, 12}});
     }},
    {"three_dots", "three small discs in a triangle", true,
     [](const Probe& p) { return p.disc(0, -16, 10) || p.disc(-17, 13, 10) || p.disc(17, 13, 10); }},
};

// ---- Colour and fill --------------------------------------------------------------------

struct Rgb {
    int r, g, b;
};

const std::array<Rgb, 8> kPalette = {{
    {220, 40, 40},   // red
    {240, 140, 20},  // orange
    {235, 215, 40},  // yellow
    {40, 180, 60},   // green
    {40, 195, 205},  // cyan
    {45, 85, 225},   // blue
    {135, 60, 205},  // purple
    {220, 50, 170},  // magenta
}};

int luma(Rgb c) { return (299 * c.r + 587 * c.g + 114 * c.b) / 1000; }

int distance(Rgb a, Rgb b) { return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b); }

/// A palette colour other than `avoid`, lightened towards white by 0–40% on a dark background or
/// darkened to 40–84% on a light one, whose brightness differs from the background's by 64 or
/// more. (Drawn again until it does; every background has such colours.)
Rgb ink_against(Rng& rng, Rgb bg, bool dark_bg, std::uint32_t* hue, std::uint32_t avoid) {
    for (;;) {
        *hue = rng.below(static_cast<std::uint32_t>(kPalette.size()));
        const Rgb c = kPalette[*hue];
        const int k = dark_bg ? static_cast<int>(rng.below(41)) : 40 + static_cast<int>(rng.below(45));
        const Rgb ink = dark_bg ? Rgb{c.r + (255 - c.r) * k / 100, c.g + (255 - c.g) * k / 100,
                                      c.b + (255 - c.b) * k / 100}
                                : Rgb{c.r * k / 100, c.g * k / 100, c.b * k / 100};
        if (*hue != avoid && std::abs(luma(ink) - luma(bg)) >= 64) return ink;
    }
}

enum class Fill { solid, stripes_h, stripes_v, stripes_down, stripes_up, checker, dots };

const char* fill_name(Fill f) {
    switch (f) {
        case Fill::solid:
            return "solid";
        case Fill::stripes_h:
            return "horizontal stripes";
        case Fill::stripes_v:
            return "vertical stripes";
        case Fill::stripes_down:
            return "diagonal stripes \\";
        case Fill::stripes_up:
            return "diagonal stripes /";
        case Fill::checker:
            return "checker";
        case Fill::dots:
            return "dots";
    }
    return "";
}

/// A texture: stripes (one of four directions), checker or dots, a third each.
Fill random_texture(Rng& rng) {
    switch (rng.below(3)) {
        case 0:
            return static_cast<Fill>(1 + rng.below(4));
        case 1:
            return Fill::checker;
        default:
            return Fill::dots;
    }
}

/// Whether pixel (x, y) of a textured shape takes the second colour. `w` is the width of a stripe
/// or checker square (2 or 3 pixels); (ox, oy) shifts the pattern.
bool second_colour(Fill f, int x, int y, int w, int ox, int oy) {
    x += ox;
    y += oy;
    switch (f) {
        case Fill::solid:
            return false;
        case Fill::stripes_h:
            return y / w % 2 == 1;
        case Fill::stripes_v:
            return x / w % 2 == 1;
        case Fill::stripes_down:
            return (x - y + 64) / w % 2 == 1;
        case Fill::stripes_up:
            return (x + y) / w % 2 == 1;
        case Fill::checker:
            return (x / w + y / w) % 2 == 1;
        case Fill::dots:
            return x % (w + 2) < 2 && y % (w + 2) < 2;  // 2×2 dots every 4 or 5 pixels
    }
    return false;
}

std::uint8_t clamp_byte(int v) { return static_cast<std::uint8_t>(std::clamp(v, 0, 255)); }

/// Draws one image: kTile rows of kTile RGB pixels, into `rgb` with `stride` bytes between rows.
void draw(Rng& rng, const Shape& shape, Fill fill, std::uint8_t* rgb, std::size_t stride) {
    // The background: a dark or a light colour, and a gradient of up to ±20 across the image.
    const bool dark = rng.below(2) == 0;
    auto level = [&] {
        return dark ? static_cast<int>(rng.below(72)) : 176 + static_cast<int>(rng.below(80));
    };
    const Rgb bg{level(), level(), level()};
    const int gx = static_cast<int>(rng.below(21)) - 10, gy = static_cast<int>(rng.below(21)) - 10;

    // The shape's colour, and a second colour of another hue for a texture.
    std::uint32_t hue = 0, hue2 = 0;
    const Rgb ink = ink_against(rng, bg, dark, &hue, kPalette.size());
    Rgb ink2 = ink;
    while (distance(ink2, ink) < 150) ink2 = ink_against(rng, bg, dark, &hue2, hue);
    const int w = 2 + static_cast<int>(rng.below(2));
    const int ox = static_cast<int>(rng.below(8)), oy = static_cast<int>(rng.below(8));

    // Size, place and turn: radius 8–13 pixels (16–26 half-pixels), the centre up to 5 pixels
    // from the middle (less for big shapes, so that at most a pixel is cut off at the border),
    // one of the 8 right-angle turns and mirrors (4 mirrors only for shapes that must not turn).
    const int s = 16 + static_cast<int>(rng.below(11));
    const int jitter = std::min(10, 34 - s);  // half-pixels; the image's middle is at kTile of them
    const int cx = kTile - jitter + static_cast<int>(rng.below(static_cast<std::uint32_t>(2 * jitter + 1)));
    const int cy = kTile - jitter + static_cast<int>(rng.below(static_cast<std::uint32_t>(2 * jitter + 1)));
    const std::uint32_t turn = rng.below(shape.turns ? 8 : 4);

    // Clutter behind the shape: 2 to 6 short strokes (0°, 45° or 90°, 3 to 9 pixels long, one or
    // two wide) in colours of their own, so that an edge or a colour alone does not give the class
    // away — a network must find the shape's outline among strokes that belong to no shape.
    std::array<int, kTile * kTile> clutter;
    clutter.fill(-1);
    std::vector<Rgb> stroke_ink;
    const int strokes = 2 + static_cast<int>(rng.below(5));
    for (int k = 0; k < strokes; ++k) {
        std::uint32_t stroke_hue = 0;
        stroke_ink.push_back(ink_against(rng, bg, dark, &stroke_hue, kPalette.size()));
        const int x0 = static_cast<int>(rng.below(kTile)), y0 = static_cast<int>(rng.below(kTile));
        static constexpr int kDirections[4][2] = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
        const int* d = kDirections[rng.below(4)];
        const int length = 3 + static_cast<int>(rng.below(7)), width = 1 + static_cast<int>(rng.below(2));
        for (int t = 0; t < length; ++t)
            for (int u = 0; u < width; ++u) {
                const int px = x0 + d[0] * t + (d[0] == 0 ? u : 0), py = y0 + d[1] * t + (d[0] == 0 ? 0 : u);
                if (px >= 0 && py >= 0 && px < kTile && py < kTile) clutter[std::size_t(py * kTile + px)] = k;
            }
    }

    for (int y = 0; y < kTile; ++y) {
        std::uint8_t* row = rgb + static_cast<std::size_t>(y) * stride;
        for (int x = 0; x < kTile; ++x) {
            int hx = 2 * x + 1 - cx, hy = 2 * y + 1 - cy;  // half-pixels from the shape's centre
            if (turn & 4) std::swap(hx, hy);
            if (turn & 1) hx = -hx;
            if (turn & 2) hy = -hy;
            const Probe p{32 * std::int64_t{hx}, 32 * std::int64_t{hy}, s};
            const int shade = (gx * (2 * x + 1 - kTile) + gy * (2 * y + 1 - kTile)) / kTile;
            Rgb c{bg.r + shade, bg.g + shade, bg.b + shade};
            if (const int k = clutter[std::size_t(y * kTile + x)]; k >= 0) c = stroke_ink[std::size_t(k)];
            if (shape.inside(p)) c = second_colour(fill, x, y, w, ox, oy) ? ink2 : ink;
            const std::uint32_t noise = rng.next_u32();  // one byte per channel -> -6 … +6
            row[3 * x + 0] = clamp_byte(c.r + static_cast<int>((noise & 0xff) % 13) - 6);
            row[3 * x + 1] = clamp_byte(c.g + static_cast<int>((noise >> 8 & 0xff) % 13) - 6);
            row[3 * x + 2] = clamp_byte(c.b + static_cast<int>((noise >> 16 & 0xff) % 13) - 6);
        }
    }
}

// ---- Files ------------------------------------------------------------------------------

/// A split as it is written: a sheet of tiles, kSheetColumns per row (unused tiles black), and
/// the label of each tile.
struct Sheet {
    std::size_t count = 0;
    std::vector<std::uint8_t> rgb;  // rows × kTile pixel rows of kSheetColumns × kTile RGB pixels
    std::vector<std::size_t> labels;

    explicit Sheet(std::size_t n)
        : count(n),
          rgb((n + kSheetColumns - 1) / kSheetColumns * kTile * kSheetColumns * kTile * 3, 0),
          labels(n) {}
    static constexpr std::size_t stride = std::size_t{kSheetColumns} * kTile * 3;
    std::uint8_t* tile(std::size_t i) {
        return rgb.data() + i / kSheetColumns * kTile * stride + i % kSheetColumns * kTile * 3;
    }
};

void write_ppm(const std::string& path, const Sheet& sheet) {
    std::ofstream f(path, std::ios::binary);
    if (!f) throw IoError(path + ": cannot open for writing");
    f << "P6\n# dikkat-images tile " << kTile << " count " << sheet.count << "\n"
      << kSheetColumns * kTile << " " << sheet.rgb.size() / Sheet::stride << "\n255\n";
    f.write(reinterpret_cast<const char*>(sheet.rgb.data()), static_cast<std::streamsize>(sheet.rgb.size()));
    if (!f) throw IoError(path + ": write failed");
}

/// An SVG of the first `per_class` training images of every class, four classes to a row, each
/// image three times its size, the class name above.
void write_preview(const std::string& path, const std::string& title, Sheet& train,
                   const std::vector<std::string>& classes, std::size_t per_class) {
    constexpr int kScale = 3, kGap = 4, kCaption = 18, kPerRow = 4, kTop = 30;
    const int shown = kTile * kScale;
    const int block = static_cast<int>(per_class) * (shown + kGap) + 3 * kGap;
    const int rows = (static_cast<int>(classes.size()) + kPerRow - 1) / kPerRow;
    const int width = kPerRow * block, height = kTop + rows * (kCaption + shown + 2 * kGap);
    std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        "width=\"" +
        std::to_string(width) + "\" height=\"" + std::to_string(height) +
        "\" font-family=\"sans-serif\" font-size=\"14\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        "<text x=\"4\" y=\"20\" font-size=\"16\">" +
        title + "</text>\n";
    for (std::size_t k = 0; k < classes.size(); ++k) {
        const int bx = static_cast<int>(k) % kPerRow * block;
        const int by = kTop + static_cast<int>(k) / kPerRow * (kCaption + shown + 2 * kGap);
        svg += "<text x=\"" + std::to_string(bx) + "\" y=\"" + std::to_string(by + 14) + "\">" + classes[k] +
               "</text>\n";
        std::size_t found = 0;
        for (std::size_t i = 0; i < train.count && found < per_class; ++i) {
            if (train.labels[i] != k) continue;
            const int x = bx + static_cast<int>(found++) * (shown + kGap);
            svg += "<image x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(by + kCaption) +
                   "\" width=\"" + std::to_string(shown) + "\" height=\"" + std::to_string(shown) +
                   "\" style=\"image-rendering:pixelated\" xlink:href=\"" +
                   viz::png_data_uri(train.tile(i), kTile, kTile, Sheet::stride) + "\"/>\n";
        }
    }
    svg += "</svg>\n";
    std::ofstream f(path, std::ios::binary);
    if (!f) throw IoError(path + ": cannot open for writing");
    f << svg;
    if (!f) throw IoError(path + ": write failed");
}

// ---- The two tasks ----------------------------------------------------------------------

/// One split: `per_class` images of every class, in the order `order` gives (class of image i).
/// `draw_one(rng, label, tile)` draws an image.
template <class DrawOne>
Sheet make_split(Rng& rng, std::vector<std::size_t> order, DrawOne draw_one) {
    Sheet sheet(order.size());
    sheet.labels = std::move(order);
    for (std::size_t i = 0; i < sheet.count; ++i) draw_one(rng, sheet.labels[i], sheet.tile(i));
    return sheet;
}

std::vector<std::size_t> shuffled(Rng& rng, std::size_t classes, std::size_t per_class) {
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < classes; ++k) order.insert(order.end(), per_class, k);
    rng.shuffle(order);
    return order;
}

std::vector<std::size_t> interleaved(std::size_t classes, std::size_t per_class) {
    std::vector<std::size_t> order(classes * per_class);
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i % classes;
    return order;
}

void write_task(const std::string& dir, const std::vector<std::string>& classes, const Sheet& train,
                const Sheet& test, std::ostream& log) {
    write_lines(dir + "/classes.txt", classes);
    for (const auto& [split, sheet] :
         {std::pair<const char*, const Sheet*>{"train", &train}, {"test", &test}}) {
        std::vector<std::string> names;
        for (std::size_t label : sheet->labels) names.push_back(classes[label]);
        write_lines(dir + "/" + split + ".labels.txt", names);
        write_ppm(dir + "/" + split + ".ppm", *sheet);
        log << "  " << split << ": " << sheet->count << " images, "
            << std::filesystem::file_size(dir + "/" + split + ".ppm") << " bytes of .ppm\n";
    }
}

/// Pixels a shape covers at radius 8 and 13, centred, unturned (for the README).
std::pair<int, int> areas(const Shape& shape) {
    std::pair<int, int> out{0, 0};
    for (int s : {16, 26})
        for (int y = 0; y < kTile; ++y)
            for (int x = 0; x < kTile; ++x)
                if (shape.inside(
                        {32 * std::int64_t{2 * x + 1 - kTile}, 32 * std::int64_t{2 * y + 1 - kTile}, s}))
                    ++(s == 16 ? out.first : out.second);
    return out;
}

}  // namespace

void make_images(const std::string& dir, std::uint64_t seed, std::ostream& log) {
    const auto start = std::chrono::steady_clock::now();
    log << "## images (seed " << seed << ")\n\n";

    // Each split has its own random stream, so changing one leaves the others as they are.
    Rng source_train_rng(seed * 4), source_test_rng(seed * 4 + 1);
    Rng target_train_rng(seed * 4 + 2), target_test_rng(seed * 4 + 3);

    // Source: class 2k is shape k filled with one colour, class 2k + 1 the same shape textured.
    std::vector<std::string> source_classes;
    for (const Shape& s : kSourceShapes) {
        source_classes.push_back(std::string(s.name) + "_solid");
        source_classes.push_back(std::string(s.name) + "_textured");
    }
    std::map<std::string, std::size_t> fills;  // how often each texture is used (for the log)
    auto draw_source = [&](Rng& rng, std::size_t label, std::uint8_t* tile) {
        const Fill fill = label % 2 == 0 ? Fill::solid : random_texture(rng);
        ++fills[fill_name(fill)];
        draw(rng, kSourceShapes[label / 2], fill, tile, Sheet::stride);
    };
    const std::size_t n_source = source_classes.size();
    Sheet source_train = make_split(source_train_rng, shuffled(source_train_rng, n_source, 300), draw_source);
    Sheet source_test = make_split(source_test_rng, shuffled(source_test_rng, n_source, 50), draw_source);

    // Target: the class is the shape; the fill is solid or a texture, half and half. The training
    // images go round the classes (image i is class i % 10), so the first 10·N hold N of each.
    std::vector<std::string> target_classes;
    for (const Shape& s : kTargetShapes) target_classes.push_back(s.name);
    auto draw_target = [&](Rng& rng, std::size_t label, std::uint8_t* tile) {
        const Fill fill = rng.below(2) == 0 ? Fill::solid : random_texture(rng);
        draw(rng, kTargetShapes[label], fill, tile, Sheet::stride);
    };
    const std::size_t n_target = target_classes.size();
    Sheet target_train = make_split(target_train_rng, interleaved(n_target, 300), draw_target);
    Sheet target_test = make_split(target_test_rng, shuffled(target_test_rng, n_target, 100), draw_target);

    log << "source: " << n_source << " classes (" << kSourceShapes.size() << " shapes × solid, textured)\n";
    write_task(dir + "/source", source_classes, source_train, source_test, log);
    log << "target: " << n_target << " classes, train in class order 0, 1, …, 9, 0, 1, …\n";
    write_task(dir + "/target", target_classes, target_train, target_test, log);
    log << "source textures:";
    for (const auto& [name, n] : fills) log << " " << name << " " << n << ",";
    log << "\n\nshape                pixels at radius 8, 13   looks like\n";
    for (const std::vector<Shape>* shapes : {&kSourceShapes, &kTargetShapes})
        for (const Shape& s : *shapes) {
            const auto [small, big] = areas(s);
            std::string name = s.name;
            name.resize(20, ' ');
            log << name << " " << small << ", " << big << "   " << s.looks_like << "\n";
        }

    write_preview(dir + "/preview_source.svg",
                  "images/source: the first 4 training images of each of 32 classes", source_train,
                  source_classes, 4);
    write_preview(dir + "/preview_target.svg",
                  "images/target: the first 4 training images of each of 10 classes", target_train,
                  target_classes, 4);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
            .count();
    log << "\nwrote " << dir << "/{source,target}/ and the two previews in " << ms << " ms\n\n";
}

}  // namespace dikkat::gen
