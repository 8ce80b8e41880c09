#include "arxivc/prepare/text_normalizer.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace arxivc::prepare {
namespace {

// What a byte means to the scanner; a table keeps the common case (plain text) to one lookup.
enum ByteClass : std::uint8_t {
  plain,
  space,          // ASCII whitespace or another control character
  unicode_space,  // first byte of a UTF-8 sequence that may be a Unicode space
  latex,          // `\`, `$`, `{`, `}`, `~`: markup in simplify mode, plain text in keep mode
};

using ByteClasses = std::array<ByteClass, 256>;

constexpr ByteClasses make_byte_classes(bool simplify) {
  ByteClasses classes{};
  for (int c = 0; c <= 0x20; ++c) classes[c] = space;
  classes[0x7f] = space;
  for (int c : {0xc2, 0xe1, 0xe2, 0xe3}) classes[c] = unicode_space;
  if (simplify) {
    for (char c : {'\\', '$', '{', '}', '~'}) classes[static_cast<unsigned char>(c)] = latex;
  }
  return classes;
}
constexpr ByteClasses kKeepClasses = make_byte_classes(false);
constexpr ByteClasses kSimplifyClasses = make_byte_classes(true);

// Length of the Unicode space (White_Space property) starting at `p`, or 0 when there is none.
std::size_t unicode_space_length(std::string_view s, std::size_t p) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[p + k]); };
  const std::size_t left = s.size() - p;
  switch (at(0)) {
    case 0xc2:  // U+0085 NEXT LINE, U+00A0 NO-BREAK SPACE
      return left >= 2 && (at(1) == 0x85 || at(1) == 0xa0) ? 2 : 0;
    case 0xe1:  // U+1680 OGHAM SPACE MARK
      return left >= 3 && at(1) == 0x9a && at(2) == 0x80 ? 3 : 0;
    case 0xe2:  // U+2000..U+200A, U+2028, U+2029, U+202F, U+205F
      if (left < 3) return 0;
      if (at(1) == 0x80 && (at(2) <= 0x8a || at(2) == 0xa8 || at(2) == 0xa9 || at(2) == 0xaf)) return 3;
      return at(1) == 0x81 && at(2) == 0x9f ? 3 : 0;
    case 0xe3:  // U+3000 IDEOGRAPHIC SPACE
      return left >= 3 && at(1) == 0x80 && at(2) == 0x80 ? 3 : 0;
    default:
      return 0;
  }
}

struct AccentedLetter {
  char accent;
  char base;
  char16_t code_point;
};

// Precomposed Latin-1 / Latin Extended-A letters for the accent commands of LaTeX.
constexpr AccentedLetter kAccentedLetters[] = {
    {'"', 'a', 0xe4},   {'"', 'A', 0xc4},   {'"', 'e', 0xeb},   {'"', 'E', 0xcb},   {'"', 'i', 0xef},
    {'"', 'I', 0xcf},   {'"', 'o', 0xf6},   {'"', 'O', 0xd6},   {'"', 'u', 0xfc},   {'"', 'U', 0xdc},
    {'"', 'y', 0xff},   {'"', 'Y', 0x178},  {'\'', 'a', 0xe1},  {'\'', 'A', 0xc1},  {'\'', 'e', 0xe9},
    {'\'', 'E', 0xc9},  {'\'', 'i', 0xed},  {'\'', 'I', 0xcd},  {'\'', 'o', 0xf3},  {'\'', 'O', 0xd3},
    {'\'', 'u', 0xfa},  {'\'', 'U', 0xda},  {'\'', 'y', 0xfd},  {'\'', 'Y', 0xdd},  {'\'', 'c', 0x107},
    {'\'', 'C', 0x106}, {'\'', 'n', 0x144}, {'\'', 'N', 0x143}, {'\'', 's', 0x15b}, {'\'', 'S', 0x15a},
    {'\'', 'z', 0x17a}, {'\'', 'Z', 0x179}, {'\'', 'l', 0x13a}, {'\'', 'L', 0x139}, {'\'', 'r', 0x155},
    {'\'', 'R', 0x154}, {'`', 'a', 0xe0},   {'`', 'A', 0xc0},   {'`', 'e', 0xe8},   {'`', 'E', 0xc8},
    {'`', 'i', 0xec},   {'`', 'I', 0xcc},   {'`', 'o', 0xf2},   {'`', 'O', 0xd2},   {'`', 'u', 0xf9},
    {'`', 'U', 0xd9},   {'^', 'a', 0xe2},   {'^', 'A', 0xc2},   {'^', 'e', 0xea},   {'^', 'E', 0xca},
    {'^', 'i', 0xee},   {'^', 'I', 0xce},   {'^', 'o', 0xf4},   {'^', 'O', 0xd4},   {'^', 'u', 0xfb},
    {'^', 'U', 0xdb},   {'^', 'c', 0x109},  {'^', 'C', 0x108},  {'^', 'g', 0x11d},  {'^', 'G', 0x11c},
    {'^', 'h', 0x125},  {'^', 'H', 0x124},  {'^', 'j', 0x135},  {'^', 'J', 0x134},  {'^', 's', 0x15d},
    {'^', 'S', 0x15c},  {'^', 'w', 0x175},  {'^', 'W', 0x174},  {'^', 'y', 0x177},  {'^', 'Y', 0x176},
    {'~', 'a', 0xe3},   {'~', 'A', 0xc3},   {'~', 'n', 0xf1},   {'~', 'N', 0xd1},   {'~', 'o', 0xf5},
    {'~', 'O', 0xd5},   {'~', 'i', 0x129},  {'~', 'I', 0x128},  {'~', 'u', 0x169},  {'~', 'U', 0x168},
    {'=', 'a', 0x101},  {'=', 'A', 0x100},  {'=', 'e', 0x113},  {'=', 'E', 0x112},  {'=', 'i', 0x12b},
    {'=', 'I', 0x12a},  {'=', 'o', 0x14d},  {'=', 'O', 0x14c},  {'=', 'u', 0x16b},  {'=', 'U', 0x16a},
    {'.', 'c', 0x10b},  {'.', 'C', 0x10a},  {'.', 'e', 0x117},  {'.', 'E', 0x116},  {'.', 'g', 0x121},
    {'.', 'G', 0x120},  {'.', 'I', 0x130},  {'.', 'z', 0x17c},  {'.', 'Z', 0x17b},  {'c', 'c', 0xe7},
    {'c', 'C', 0xc7},   {'c', 's', 0x15f},  {'c', 'S', 0x15e},  {'c', 't', 0x163},  {'c', 'T', 0x162},
    {'c', 'g', 0x123},  {'c', 'G', 0x122},  {'c', 'k', 0x137},  {'c', 'K', 0x136},  {'c', 'l', 0x13c},
    {'c', 'L', 0x13b},  {'c', 'n', 0x146},  {'c', 'N', 0x145},  {'c', 'r', 0x157},  {'c', 'R', 0x156},
    {'v', 'c', 0x10d},  {'v', 'C', 0x10c},  {'v', 'd', 0x10f},  {'v', 'D', 0x10e},  {'v', 'e', 0x11b},
    {'v', 'E', 0x11a},  {'v', 'n', 0x148},  {'v', 'N', 0x147},  {'v', 'r', 0x159},  {'v', 'R', 0x158},
    {'v', 's', 0x161},  {'v', 'S', 0x160},  {'v', 't', 0x165},  {'v', 'T', 0x164},  {'v', 'z', 0x17e},
    {'v', 'Z', 0x17d},  {'u', 'a', 0x103},  {'u', 'A', 0x102},  {'u', 'e', 0x115},  {'u', 'E', 0x114},
    {'u', 'g', 0x11f},  {'u', 'G', 0x11e},  {'u', 'i', 0x12d},  {'u', 'I', 0x12c},  {'u', 'o', 0x14f},
    {'u', 'O', 0x14e},  {'u', 'u', 0x16d},  {'u', 'U', 0x16c},  {'H', 'o', 0x151},  {'H', 'O', 0x150},
    {'H', 'u', 0x171},  {'H', 'U', 0x170},  {'r', 'a', 0xe5},   {'r', 'A', 0xc5},   {'r', 'u', 0x16f},
    {'r', 'U', 0x16e},  {'k', 'a', 0x105},  {'k', 'A', 0x104},  {'k', 'e', 0x119},  {'k', 'E', 0x118},
    {'k', 'i', 0x12f},  {'k', 'I', 0x12e},  {'k', 'u', 0x173},  {'k', 'U', 0x172},
};

struct NamedLetter {
  std::string_view name;
  char16_t code_point;
};

// Letters written as commands (`Stra\ss e`, `\o`, `\l`), sorted by name. `\i` and `\j` are the dotless
// letters that accents sit on; alone they are written as the plain letter.
constexpr NamedLetter kNamedLetters[] = {
    {"AA", 0xc5}, {"AE", 0xc6}, {"L", 0x141}, {"O", 0xd8}, {"OE", 0x152}, {"aa", 0xe5}, {"ae", 0xe6},
    {"i", 'i'},   {"j", 'j'},   {"l", 0x142}, {"o", 0xf8}, {"oe", 0x153}, {"ss", 0xdf},
};

// Commands that only format their argument: they vanish and leave the argument. Sorted.
constexpr std::string_view kFormattingCommands[] = {
    "Big",        "Bigg",        "Bigl",       "Bigr",   "bf",           "big",     "bigg",     "bigl",
    "bigr",       "bm",          "boldsymbol", "cal",    "displaystyle", "em",      "emph",     "ensuremath",
    "hbox",       "it",          "left",       "mathbb", "mathbf",       "mathcal", "mathfrak", "mathit",
    "mathnormal", "mathrm",      "mathscr",    "mathsf", "mathtt",       "mbox",    "right",    "rm",
    "sc",         "scriptstyle", "sf",         "sl",     "text",         "textbf",  "textit",   "textnormal",
    "textrm",     "textsc",      "textsf",     "textsl", "textstyle",    "texttt",  "textup",   "tt",
};

// Spacing commands, read as a space.
constexpr std::string_view kSpacingCommands[] = {"enspace", "qquad", "quad", "thinspace"};

template <std::size_t N>
bool contains_sorted(const std::string_view (&sorted)[N], std::string_view name) {
  return std::binary_search(std::begin(sorted), std::end(sorted), name);
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A byte that belongs to a word: ASCII letters and digits, and any byte of a non-ASCII character.
bool is_word_byte(char c) {
  return is_ascii_letter(c) || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

bool is_accent_symbol(char c) {
  return c == '"' || c == '\'' || c == '`' || c == '^' || c == '~' || c == '=' || c == '.';
}

bool is_accent_letter_command(std::string_view name) {
  return name.size() == 1 && std::string_view("cvuHrk").find(name[0]) != std::string_view::npos;
}

char16_t compose(char accent, char base) {
  for (const auto& letter : kAccentedLetters) {
    if (letter.accent == accent && letter.base == base) return letter.code_point;
  }
  return 0;
}

// Byte-parallel tests on 8 bytes at a time (SWAR): each yields 0x80 in the bytes that match, 0 elsewhere.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLowBits = 0x7f7f7f7f7f7f7f7fULL;
// The flag of the first byte in memory.
constexpr std::uint64_t kFirstByte = std::endian::native == std::endian::little ? 0x80ULL : 0x80ULL << 56;

std::uint64_t zero_bytes(std::uint64_t x) { return ~(((x & kLowBits) + kLowBits) | x | kLowBits); }
std::uint64_t bytes_equal(std::uint64_t x, char c) {
  return zero_bytes(x ^ (kOnes * static_cast<unsigned char>(c)));
}
// Bytes below n (n <= 128): exact as an "any" test, which is all it is used for.
std::uint64_t any_below(std::uint64_t x, std::uint64_t n) { return (x - kOnes * n) & ~x & kHighBits; }
// Bytes above n (n < 128).
std::uint64_t any_above(std::uint64_t x, std::uint64_t n) {
  return (((x & kLowBits) + kOnes * (127 - n)) | x) & kHighBits;
}

// Writes into memory of at least 2 * input + 16 bytes, which is enough: every byte written either comes
// from at least one byte read (markup only shrinks: `\"o` is 3 bytes for 2, `\alpha` 6 for 5), or is a
// space, and a space is only ever written after such a byte.
class Output {
 public:
  explicit Output(char* memory) : begin_(memory), end_(memory) {}

  // Whitespace (or removed markup) was seen: one space, unless the text is empty so far or already ends
  // with one (a space left at the very end is trimmed by finish()).
  void space() {
    if (end_ != begin_ && end_[-1] != ' ') *end_++ = ' ';
  }
  // The next character is kept apart from the previous one when both belong to words.
  void separate() { separate_ = true; }
  bool separating() const { return separate_; }
  bool after_space() const { return end_ == begin_ || end_[-1] == ' '; }

  void put(char c) {
    if (separate_) [[unlikely]] {
      if (end_ != begin_ && is_word_byte(c) && is_word_byte(end_[-1])) *end_++ = ' ';
      separate_ = false;
    }
    *end_++ = c;
  }

  // Eight bytes that need nothing but copying.
  void put8(const char* s) {
    std::memcpy(end_, s, 8);
    end_ += 8;
  }

  void put(std::string_view s) {
    for (char c : s) put(c);
  }

  void put_code_point(char16_t cp) {
    if (cp < 0x80) {
      put(static_cast<char>(cp));
    } else {  // every letter of the tables lies below U+0800: two UTF-8 bytes
      put(static_cast<char>(0xc0 | (cp >> 6)));
      put(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  std::size_t finish() {
    if (end_ != begin_ && end_[-1] == ' ') --end_;
    return static_cast<std::size_t>(end_ - begin_);
  }

 private:
  char* begin_;
  char* end_;
  bool separate_ = false;
};

class Normalizer {
 public:
  Normalizer(std::string_view in, LatexMode mode, char* out)
      : in_(in),
        simplify_(mode == LatexMode::simplify),
        classes_(simplify_ ? kSimplifyClasses : kKeepClasses),
        out_(out) {}

  std::size_t run() {
    const std::size_t n = in_.size();
    while (pos_ < n) {
      if (pos_ + 8 <= n && !out_.separating() && copyable(pos_)) {
        out_.put8(in_.data() + pos_);
        pos_ += 8;
        continue;
      }
      const char c = in_[pos_];
      switch (class_of(c)) {
        case plain:
          out_.put(c);
          ++pos_;
          break;
        case space:
          out_.space();
          ++pos_;
          break;
        case unicode_space:
          if (const auto length = unicode_space_length(in_, pos_); length > 0) {
            out_.space();
            pos_ += length;
          } else {
            out_.put(c);
            ++pos_;
          }
          break;
        case latex:
          markup();
          break;
      }
    }
    return out_.finish();
  }

 private:
  ByteClass class_of(char c) const { return classes_[static_cast<unsigned char>(c)]; }

  // Whether the 8 bytes at `at` are printable ASCII text (no markup in simplify mode) whose spaces are
  // all single and not at the start of the text: the common case, copied as it is.
  bool copyable(std::size_t at) const {
    std::uint64_t x;
    std::memcpy(&x, in_.data() + at, 8);
    std::uint64_t special = any_below(x, 0x20) | any_above(x, simplify_ ? 0x7a : 0x7e);
    if (simplify_) special |= bytes_equal(x, '\\') | bytes_equal(x, '$');
    if (special != 0) return false;
    const std::uint64_t spaces = bytes_equal(x, ' ');
    if ((spaces & (spaces << 8)) != 0) return false;  // two spaces side by side
    return (spaces & kFirstByte) == 0 || !out_.after_space();
  }

  char peek(std::size_t offset = 0) const { return pos_ + offset < in_.size() ? in_[pos_ + offset] : '\0'; }

  void markup() {
    switch (in_[pos_]) {
      case '$':
        ++pos_;
        break;
      case '{':
        ++pos_;
        break;
      case '}':
        ++pos_;
        if (peek() == '{') out_.separate();  // `\frac{a}{b}`: the arguments stay apart
        break;
      case '~':
        out_.space();
        ++pos_;
        break;
      default:
        command();
        break;
    }
  }

  // At a backslash.
  void command() {
    const char next = peek(1);
    if (is_ascii_letter(next)) {
      std::size_t end = pos_ + 1;
      while (end < in_.size() && is_ascii_letter(in_[end])) ++end;
      const auto name = in_.substr(pos_ + 1, end - pos_ - 1);
      word_command(name, end);
      return;
    }
    if (is_accent_symbol(next)) {
      pos_ += 2;
      accent(next);
      return;
    }
    switch (next) {
      case '\\':
      case ',':
      case ';':
      case ':':
      case ' ':
        out_.space();
        pos_ += 2;
        return;
      case '$':
      case '%':
      case '&':
      case '#':
      case '_':
      case '{':
      case '}':
        out_.put(next);
        pos_ += 2;
        return;
      case '!':
      case '/':
      case '-':
      case '@':
        pos_ += 2;  // negative thin space, italic correction, discretionary hyphen: nothing to read
        return;
      default:
        ++pos_;  // a lone or unknown backslash: dropped, what follows is read as usual
        return;
    }
  }

  void word_command(std::string_view name, std::size_t end) {
    if (is_accent_letter_command(name)) {
      pos_ = end;
      accent(name[0]);
      return;
    }
    const auto* named =
        std::lower_bound(std::begin(kNamedLetters), std::end(kNamedLetters), name,
                         [](const NamedLetter& letter, std::string_view n) { return letter.name < n; });
    if (named != std::end(kNamedLetters) && named->name == name) {
      out_.put_code_point(named->code_point);
      pos_ = end;
      skip_spaces();  // a control word swallows the spaces after it: `Stra\ss e` is one word
      return;
    }
    pos_ = end;
    if (contains_sorted(kFormattingCommands, name)) return;
    if (contains_sorted(kSpacingCommands, name)) {
      out_.space();
      return;
    }
    out_.separate();
    out_.put(name);
    out_.separate();
  }

  // After an accent command; reads its argument: `o`, `{o}`, ` o`, `\i`, `{\i}`.
  void accent(char accent_char) {
    const std::size_t start = pos_;
    skip_spaces();
    const bool braced = peek() == '{';
    if (braced) ++pos_;
    char base = '\0';
    if (is_ascii_letter(peek())) {
      base = peek();
      ++pos_;
    } else if (peek() == '\\' && (peek(1) == 'i' || peek(1) == 'j') && !is_ascii_letter(peek(2))) {
      base = peek(1);
      pos_ += 2;
    }
    if (base == '\0' || (braced && peek() != '}')) {
      pos_ = start;  // no letter to put the accent on: the accent is dropped, the rest read as usual
      return;
    }
    if (braced) ++pos_;
    const char16_t composed = compose(accent_char, base);
    out_.put_code_point(composed != 0 ? composed : static_cast<char16_t>(base));
  }

  void skip_spaces() {
    while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n')) ++pos_;
  }

  std::string_view in_;
  bool simplify_;
  const ByteClasses& classes_;
  Output out_;
  std::size_t pos_ = 0;
};

// Room for any output of `in` (see Output).
std::size_t capacity_for(std::string_view in) { return 2 * in.size() + 16; }

}  // namespace

std::string normalize_text(std::string_view text, LatexMode mode) {
  std::string out(capacity_for(text), '\0');
  out.resize(Normalizer(text, mode, out.data()).run());
  return out;
}

void normalize_text_in_place(std::string& text, LatexMode mode) {
  thread_local std::string buffer;
  if (buffer.size() < capacity_for(text)) buffer.resize(capacity_for(text));
  const auto size = Normalizer(text, mode, buffer.data()).run();
  text.assign(buffer.data(), size);
}

}  // namespace arxivc::prepare
