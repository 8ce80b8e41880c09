#include "arxivc/serve/static_files.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "arxivc/serve/problem.hpp"

namespace arxivc::serve {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool safe_relative_path(std::string_view path) {
  if (path.empty()) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const auto segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return path.find('\\') == std::string_view::npos && path.find('\0') == std::string_view::npos;
}

bool lies_under(const std::filesystem::path& file, const std::filesystem::path& root) {
  const auto relative = file.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string_view content_type_for(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const auto extension = file_name.substr(dot + 1);
  if (extension == "html" || extension == "htm") return "text/html; charset=utf-8";
  if (extension == "js" || extension == "mjs") return "text/javascript; charset=utf-8";
  if (extension == "css") return "text/css; charset=utf-8";
  if (extension == "json" || extension == "map") return "application/json";
  if (extension == "svg") return "image/svg+xml";
  if (extension == "png") return "image/png";
  if (extension == "jpg" || extension == "jpeg") return "image/jpeg";
  if (extension == "gif") return "image/gif";
  if (extension == "ico") return "image/x-icon";
  if (extension == "webp") return "image/webp";
  if (extension == "woff2") return "font/woff2";
  if (extension == "woff") return "font/woff";
  if (extension == "ttf") return "font/ttf";
  if (extension == "txt" || extension == "md") return "text/plain; charset=utf-8";
  if (extension == "wasm") return "application/wasm";
  return "application/octet-stream";
}

// The root, resolved once (symbolic links and all): every file served must resolve to a path under it.
StaticFiles::StaticFiles(const std::filesystem::path& root) : root_(root) {
  std::error_code error;
  auto canonical = std::filesystem::weakly_canonical(root, error);
  if (!error) root_ = std::move(canonical);
}

HttpResponse StaticFiles::serve(std::string_view relative) const {
  const auto decoded = percent_decode(relative);
  if (!decoded || !safe_relative_path(*decoded)) {
    return problem(404, fmt::format("no file '{}' here", relative));
  }
  std::error_code error;
  const auto file = std::filesystem::weakly_canonical(root_ / *decoded, error);
  if (error || !lies_under(file, root_) || !std::filesystem::is_regular_file(file, error)) {
    return problem(404, fmt::format("no file '{}' here", *decoded));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return problem(404, fmt::format("no file '{}' here", *decoded));
  std::ostringstream content;
  content << in.rdbuf();
  HttpResponse response;
  response.content_type = std::string(content_type_for(file.filename().string()));
  response.body = content.str();
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

}  // namespace arxivc::serve
