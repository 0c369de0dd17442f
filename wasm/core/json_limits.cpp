// json_limits.cpp: the size and nesting pre-scan of JSON documents (see json_limits.h).
#include "json_limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "errors.h"

namespace nnplay {
namespace {

// One open array or object: its bracket, the index of the current element (arrays) and the
// current key (objects, its first bytes as written in the text).
struct Level {
  char open;
  long index;
  std::string key;
};

// "network.layers[0].W[3]" for the open levels; arrays at the top as "(top level)[0]".
std::string path_of(const std::vector<Level>& stack) {
  std::string path;
  for (const Level& l : stack) {
    if (path.size() > 2 * kMaxQuotedBytes) break;  // one_line cuts it anyway
    if (l.open == '[') path += "[" + std::to_string(l.index) + "]";
    else path += (path.empty() ? "" : ".") + l.key;
  }
  if (path.empty() || path[0] == '[') path = "(top level)" + path;
  return one_line(path);
}

}  // namespace

std::string format_bytes(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) bytes /= 1024, ++u;
  char buf[48];
  if (u == 0 || bytes == std::floor(bytes)) std::snprintf(buf, sizeof buf, "%.0f %s", bytes, units[u]);
  else std::snprintf(buf, sizeof buf, "%.1f %s", bytes, units[u]);
  return buf;
}

void check_json_limits(const std::string& text, const char* what, size_t max_bytes) {
  if (text.size() > max_bytes)
    throw Error(std::string(what) + ": the document is " + std::to_string(text.size()) + " bytes (" +
                format_bytes(double(text.size())) + "); the limit is " + format_bytes(double(max_bytes)));
  std::vector<Level> stack;
  stack.reserve(kMaxJsonDepth);
  bool expect_key = false;  // the next string in this object is a key
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '"') {
      const size_t start = ++i;
      while (i < n && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      if (expect_key) stack.back().key.assign(text, start, std::min(std::min(i, n) - start, kMaxQuotedBytes));
      expect_key = false;
    } else if (c == '[' || c == '{') {
      if (stack.size() >= size_t(kMaxJsonDepth))
        throw Error(std::string(what) + ": " + path_of(stack) + ": nests deeper than " +
                    std::to_string(kMaxJsonDepth) + " levels (the limit)");
      stack.push_back({c, 0, std::string()});
      expect_key = c == '{';
    } else if (c == ']' || c == '}') {
      if (!stack.empty()) stack.pop_back();
      expect_key = false;
    } else if (c == ',' && !stack.empty()) {
      if (stack.back().open == '[') ++stack.back().index;
      else expect_key = true;
    }
  }
}

}  // namespace nnplay
