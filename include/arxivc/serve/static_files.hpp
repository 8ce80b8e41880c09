#pragma once

// Files served from the web directory (the page, the API reference page, their scripts and the npm
// packages they use). A request path can never leave its root: "..", ".", empty segments, backslashes and
// NUL bytes are refused before the file system is touched, and the resolved file must lie under the root.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "arxivc/serve/http_message.hpp"

namespace arxivc::serve {

// Decodes %XX escapes; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

// The Content-Type for a file name by its extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view file_name);

class StaticFiles {
 public:
  explicit StaticFiles(const std::filesystem::path& root);

  // Answers with the file at `relative` (as it appears in the URL, percent-encoded), or a 404 problem.
  HttpResponse serve(std::string_view relative) const;

 private:
  std::filesystem::path root_;
};

}  // namespace arxivc::serve
