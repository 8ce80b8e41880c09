#pragma once

// Normalisation of titles and abstracts, run on the parser threads over every paper (~700 MB of text for
// the 500k file), so it is one pass over the bytes, without regular expressions or per-character
// allocation.
//
// Both modes turn every run of whitespace (ASCII spaces, line breaks, tabs and other control characters,
// and Unicode spaces such as U+00A0 NO-BREAK SPACE) into one space and trim both ends.
// LatexMode::keep changes nothing else. LatexMode::simplify also turns LaTeX markup into plain words:
//   - `$` math delimiters and `{` `}` braces are removed, their content kept (`$O(n^{2})$` -> `O(n^2)`);
//   - formatting commands vanish around their argument (`\emph{x}`, `\textbf{x}`, `\mathrm{x}`, `{\it x}`
//     -> `x`);
//   - accents become the precomposed letter where one exists (`\"o`, `{\"u}`, `\'{e}`, `\c{c}`, `\v s`
//     -> o-umlaut, u-umlaut, e-acute, c-cedilla, s-caron), otherwise the bare letter; `\ss`, `\o`, `\ae`,
//     `\l`... become their letters;
//   - `\\`, `~` and the spacing commands `\,` `\;` `\:` `\ ` become a space;
//   - escaped specials (`\$`, `\%`, `\&`, `\#`, `\_`, `\{`, `\}`) become the character;
//   - any other command loses its backslash (`\alpha` -> `alpha`), and is kept apart from a following
//     word (`\alpha\beta` -> `alpha beta`, `\frac{a}{b}` -> `frac a b`).

#include <string>
#include <string_view>

#include "arxivc/prepare/prepare.hpp"

namespace arxivc::prepare {

std::string normalize_text(std::string_view text, LatexMode mode);

// Same result, written back into `text`; reuses a per-thread buffer, so it allocates nothing in the
// steady state.
void normalize_text_in_place(std::string& text, LatexMode mode);

}  // namespace arxivc::prepare
