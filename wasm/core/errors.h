// errors.h: the exception types of the core, and the one helper that quotes user text in them.
// A message is what a user reads (the CLI prints it on stderr, the page shows it): ONE line that
// names the field, the value and what is allowed. User text (CSV cells, column names, model
// feature names, config values, file names) goes through quote() or one_line(), never raw, so a
// cell holding a newline or a megabyte of text still gives one short line.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

namespace nnplay {

struct Error : std::runtime_error {
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Training met a NaN or an infinity (in the loss or the weights). The trainer has kept the last
// finite weights, optimizer state and epoch count (`epoch`, the finished epochs); the message names
// the likely cause. The CLI exits 3 on it; the bindings mark the JS Error with diverged = true.
struct Divergence : Error {
  Divergence(const std::string& message, int epoch) : Error(message), epoch(epoch) {}
  int epoch;  // epochs finished with finite weights (the epoch that diverged is epoch + 1)
};

// Longest user text quoted in a message, in bytes, before it is cut with an ellipsis.
constexpr size_t kMaxQuotedBytes = 80;
// Longest JSON value quoted in a config or model message (a whole list of 10 layers fits).
constexpr size_t kMaxQuotedJsonBytes = 400;

// s made safe for a one-line message: control characters (C0, DEL, C1), the line and paragraph
// separators U+2028/U+2029 and invalid UTF-8 bytes become escapes (\n, \r, \t, \xNN, \u2028); a
// backslash becomes \\ (so an escape in the text cannot be mistaken for one of ours). Longer
// than max_bytes: cut at a character boundary and ended with "…".
inline std::string one_line(const std::string& s, size_t max_bytes = kMaxQuotedBytes) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  const size_t n = s.size();
  size_t i = 0;
  for (; i < n && out.size() < max_bytes; ) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    // Length of the UTF-8 sequence starting at i (0: not a valid start).
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len > 1) {
      if (i + len > n) len = 0;
      for (size_t k = 1; len && k < len; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) len = 0;
    }
    const unsigned char c1 = len > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
    const bool c1_control = len == 2 && c == 0xC2 && c1 < 0xA0;  // U+0080..U+009F
    const bool separator = len == 3 && c == 0xE2 && c1 == 0x80 &&
                           (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9);
    if (len == 1 && c >= 0x20 && c != 0x7F) {
      if (c == '\\') out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (separator) {
      out += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
    } else if (len > 1 && !c1_control) {
      out.append(s, i, len);
    } else {  // a control byte, a C1 control or a byte that is not UTF-8: every byte as \xNN
      for (size_t k = 0; k < (len ? len : 1); ++k) {
        const unsigned char b = static_cast<unsigned char>(s[i + k]);
        out += "\\x";
        out += hex[b >> 4];
        out += hex[b & 15];
      }
    }
    i += len ? len : 1;
  }
  if (i < n) out += "\xE2\x80\xA6";  // "…"
  return out;
}

// Text that is already escaped (a JSON dump: control characters below 0x20 are escaped) made one
// line: DEL, the C1 controls and U+2028/U+2029, which JSON leaves raw, become \u escapes; then cut
// to max_bytes at a character boundary, ended with "…" when cut.
inline std::string shorten(const std::string& s, size_t max_bytes = kMaxQuotedJsonBytes) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  size_t i = 0;
  for (; i < s.size() && out.size() < max_bytes; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const unsigned char c1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    const unsigned char c2 = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
    unsigned code = 0;
    if (c == 0x7F) code = 0x7F;
    else if (c == 0xC2 && c1 >= 0x80 && c1 < 0xA0) code = c1, ++i;
    else if (c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9)) code = 0x2000 + c2 - 0x80, i += 2;
    if (code) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(code >> shift) & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (i < s.size()) {
    // Cut back to a character boundary: never inside a UTF-8 sequence.
    size_t cut = out.size();
    while (cut > 0 && (static_cast<unsigned char>(out[cut - 1]) & 0xC0) == 0x80) --cut;
    if (cut > 0 && (static_cast<unsigned char>(out[cut - 1]) & 0xC0) == 0xC0) --cut;
    else cut = out.size();
    out.resize(cut);
    out += "\xE2\x80\xA6";  // "…"
  }
  return out;
}

// one_line(s) in double quotes, a double quote inside shown as \".
inline std::string quote(const std::string& s, size_t max_bytes = kMaxQuotedBytes) {
  std::string out = "\"";
  for (char ch : one_line(s, max_bytes)) {
    if (ch == '"') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace nnplay
