// csv.cpp: the CSV loader (see data.h): text -> header and cells, with errors that name the data
// row, its line in the file and the column; then cells -> a Dataset, with a class per distinct
// label or a regression target, shuffled with the data seed and split like the generators.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "data.h"
#include "errors.h"
#include "rng.h"

namespace nnplay {
namespace {

bool parse_number(const std::string& cell, double& out) {
  const char* b = cell.c_str();
  while (*b == ' ' || *b == '\t') ++b;
  if (!*b) return false;
  char* end = nullptr;
  out = std::strtod(b, &end);
  while (*end == ' ' || *end == '\t' || *end == '\r') ++end;
  return *end == '\0' && std::isfinite(out);
}

}  // namespace

Dataset csv_dataset(const DatasetConfig& c) {
  const CsvTable t = parse_csv(c.csv);
  const int cols = static_cast<int>(t.header.size());
  if (cols < 2) throw Error("csv: the header has " + std::to_string(cols) + " column; at least 2 are needed (features and a target)");
  int target = cols - 1;
  if (!c.target.empty()) {
    auto it = std::find(t.header.begin(), t.header.end(), c.target);
    if (it == t.header.end()) throw Error("config: dataset.target: " + quote(c.target) + " is not a column of the CSV");
    target = static_cast<int>(it - t.header.begin());
  }
  const int m = static_cast<int>(t.rows.size());
  if (m < 2) throw Error("csv: " + std::to_string(m) + " data row" + (m == 1 ? "" : "s") + "; at least 2 are needed");
  Dataset d;
  d.name = "csv";
  for (int j = 0; j < cols; ++j)
    if (j != target) d.raw_names.push_back(t.header[j]);
  d.raw_dims = cols - 1;
  Matrix raw(m, d.raw_dims);
  std::vector<double> y_num(m);
  bool target_numeric = true, target_integer = true;
  for (int i = 0; i < m; ++i) {
    int k = 0;
    for (int j = 0; j < cols; ++j) {
      double v;
      const bool ok = parse_number(t.rows[i][j], v);
      if (j == target) {
        target_numeric = target_numeric && ok;
        if (ok) {
          y_num[i] = v;
          target_integer = target_integer && v == std::floor(v);
        }
        continue;
      }
      if (!ok)
        throw Error("csv: data row " + std::to_string(i + 1) + " (line " + std::to_string(t.lines[i]) + "), column " +
                    std::to_string(j + 1) + " (" + quote(t.header[j]) + "): " + quote(t.rows[i][j]) + " is not a number");
      raw(i, k++) = static_cast<Scalar>(v);
    }
  }
  std::set<std::string> labels;
  if (!target_numeric || target_integer)
    for (int i = 0; i < m; ++i) labels.insert(t.rows[i][target]);
  bool classify = c.task == "classification" ||
                  (c.task == "auto" && (!target_numeric || (target_integer && labels.size() <= 20)));
  if (c.task == "regression" && !target_numeric)
    throw Error("config: dataset.task: \"regression\" is not allowed: the target column " + quote(t.header[target]) +
                " holds non-numeric labels");
  Matrix target_col(m, 1);
  if (classify) {
    if (labels.empty())
      for (int i = 0; i < m; ++i) labels.insert(t.rows[i][target]);
    if (labels.size() > 100)
      throw Error("csv: the target column " + quote(t.header[target]) + " has " + std::to_string(labels.size()) +
                  " distinct values; classification allows at most 100 (use dataset.task \"regression\")");
    // Class order: numeric labels by value, text labels alphabetically.
    std::vector<std::string> names(labels.begin(), labels.end());
    if (target_numeric)
      std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) { return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr); });
    std::map<std::string, int> index;
    for (size_t k = 0; k < names.size(); ++k) index[names[k]] = static_cast<int>(k);
    for (int i = 0; i < m; ++i) target_col(i, 0) = Scalar(index[t.rows[i][target]]);
    d.task = "classification";
    d.classes = static_cast<int>(names.size());
    d.class_names = names;
  } else {
    for (int i = 0; i < m; ++i) target_col(i, 0) = static_cast<Scalar>(y_num[i]);
    d.task = "regression";
  }
  // Seeded shuffle, then the last test_ratio of the rows is the test split.
  std::vector<int> order(m);
  for (int i = 0; i < m; ++i) order[i] = i;
  Rng rng(c.seed);
  rng.shuffle(order);
  const int m_test = test_count(m, c.test_ratio), m_train = m - m_test;
  d.resize_split(m_train, m_test);
  for (int i = 0; i < m; ++i) {
    const int r = order[i];
    if (i < m_train) {
      d.raw_train.row(i) = raw.row(r);
      d.target_train(i, 0) = target_col(r, 0);
    } else {
      d.raw_test.row(i - m_train) = raw.row(r);
      d.target_test(i - m_train, 0) = target_col(r, 0);
    }
  }
  return d;
}

CsvTable parse_csv(const std::string& text) {
  if (text.size() > kMaxCsvBytes)
    throw Error("csv: the file is " + std::to_string(text.size()) + " bytes; the limit is " +
                std::to_string(kMaxCsvBytes) + " bytes (50 MiB)");
  CsvTable t;
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false, any = false;
  int line = 1, row_line = 1, quote_line = 1;  // current line, where the row and the open quote began
  auto end_row = [&]() {
    cells.push_back(cell);
    cell.clear();
    const bool blank = cells.size() == 1 && cells[0].find_first_not_of(" \t\r") == std::string::npos;
    if (!blank) {
      if (t.header.empty()) {
        t.header = cells;
        if (t.header.size() > size_t(kMaxCsvColumns))
          throw Error("csv: the header has " + std::to_string(t.header.size()) + " columns; the limit is " +
                      std::to_string(kMaxCsvColumns));
      } else {
        if (cells.size() != t.header.size())
          throw Error("csv: data row " + std::to_string(t.rows.size() + 1) + " (line " + std::to_string(row_line) +
                      ") has " + std::to_string(cells.size()) + " cells; the header has " +
                      std::to_string(t.header.size()));
        if (t.rows.size() >= size_t(kMaxCsvRows))
          throw Error("csv: more than " + std::to_string(kMaxCsvRows) + " data rows (the limit)");
        t.rows.push_back(cells);
        t.lines.push_back(row_line);
      }
    }
    cells.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    any = true;
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') { cell += '"'; ++i; }
      else if (ch == '"') quoted = false;
      else { if (ch == '\n') ++line; cell += ch; }
    } else if (ch == '"') {
      quoted = true;
      quote_line = line;
    } else if (ch == ',') {
      cells.push_back(cell);
      cell.clear();
    } else if (ch == '\n') {
      end_row();
      ++line;
      row_line = line;
    } else if (ch != '\r') {
      cell += ch;
    }
  }
  if (quoted) throw Error("csv: line " + std::to_string(quote_line) + ": a quoted cell is not closed");
  if (!cell.empty() || !cells.empty()) end_row();
  if (!any || t.header.empty()) throw Error("csv: the file is empty (a header row and data rows are needed)");
  for (std::string& h : t.header) {
    const size_t b = h.find_first_not_of(" \t"), e = h.find_last_not_of(" \t");
    h = b == std::string::npos ? "" : h.substr(b, e - b + 1);
  }
  return t;
}

}  // namespace nnplay
