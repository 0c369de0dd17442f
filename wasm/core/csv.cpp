// csv.cpp: the CSV loader (see data.h): text -> header and cells, with errors that name the data
// row, its line in the file and the column; then cells -> a Dataset, with a class per distinct
// label or a regression target, shuffled with the data seed and split like the generators.
// describe_csv reads a file the same way without building it (the page's view of a dropped file).
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

// The table read with a target and task: the description, and (when wanted) the feature columns as
// numbers (m, cols - 1) and the target column as class indices or values (m, 1).
CsvDescription read_table(const CsvTable& t, const std::string& target_name, const std::string& task,
                          Matrix* raw_out, Matrix* target_out) {
  const int cols = static_cast<int>(t.header.size());
  if (cols < 2) throw Error("csv: the header has " + std::to_string(cols) + " column; at least 2 are needed (features and a target)");
  int target = cols - 1;
  if (!target_name.empty()) {
    auto it = std::find(t.header.begin(), t.header.end(), target_name);
    if (it == t.header.end()) throw Error("config: dataset.target: " + quote(target_name) + " is not a column of the CSV");
    target = static_cast<int>(it - t.header.begin());
  }
  const int m = static_cast<int>(t.rows.size());
  if (m < 2) throw Error("csv: " + std::to_string(m) + " data row" + (m == 1 ? "" : "s") + "; at least 2 are needed");
  CsvDescription d;
  d.header = t.header;
  d.target = t.header[target];
  d.rows = m;
  for (int j = 0; j < cols; ++j)
    if (j != target) d.raw_names.push_back(t.header[j]);
  if (raw_out) raw_out->resize(m, cols - 1);
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
        throw CsvError("csv: data row " + std::to_string(i + 1) + " (line " + std::to_string(t.lines[i]) + "), column " +
                           std::to_string(j + 1) + " (" + quote(t.header[j]) + "): " + quote(t.rows[i][j]) + " is not a number",
                       i + 1, t.lines[i], j + 1);
      if (raw_out) (*raw_out)(i, k++) = static_cast<Scalar>(v);
    }
  }
  std::set<std::string> labels;
  if (!target_numeric || target_integer)
    for (int i = 0; i < m; ++i) labels.insert(t.rows[i][target]);
  bool classify = task == "classification" ||
                  (task == "auto" && (!target_numeric || (target_integer && labels.size() <= 20)));
  if (task == "regression" && !target_numeric)
    throw Error("config: dataset.task: \"regression\" is not allowed: the target column " + quote(t.header[target]) +
                " holds non-numeric labels");
  if (target_out) target_out->resize(m, 1);
  if (classify) {
    if (labels.empty())
      for (int i = 0; i < m; ++i) labels.insert(t.rows[i][target]);
    if (labels.size() > size_t(kMaxClasses))
      throw Error("csv: the target column " + quote(t.header[target]) + " has " + std::to_string(labels.size()) +
                  " distinct values; classification allows at most " + std::to_string(kMaxClasses) +
                  " (use dataset.task \"regression\")");
    // Class order: numeric labels by value, text labels alphabetically.
    std::vector<std::string> names(labels.begin(), labels.end());
    if (target_numeric)
      std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) { return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr); });
    if (target_out) {
      std::map<std::string, int> index;
      for (size_t k = 0; k < names.size(); ++k) index[names[k]] = static_cast<int>(k);
      for (int i = 0; i < m; ++i) (*target_out)(i, 0) = Scalar(index[t.rows[i][target]]);
    }
    d.task = "classification";
    d.class_names = names;
  } else {
    if (target_out)
      for (int i = 0; i < m; ++i) (*target_out)(i, 0) = static_cast<Scalar>(y_num[i]);
    d.task = "regression";
  }
  return d;
}

}  // namespace

CsvDescription describe_csv(const std::string& text, const std::string& target, const std::string& task) {
  CsvTable t;
  try {
    t = parse_csv(text);
    return read_table(t, target, task, nullptr, nullptr);
  } catch (const CsvError& e) {
    CsvDescription d;
    d.header = t.header;
    d.error = e.what();
    d.error_row = e.row;
    d.error_line = e.line;
    d.error_column = e.column;
    return d;
  } catch (const Error& e) {
    CsvDescription d;
    d.header = t.header;
    d.error = e.what();
    return d;
  }
}

Dataset csv_dataset(const DatasetConfig& c) {
  const CsvTable t = parse_csv(c.csv);
  Matrix raw, target_col;
  const CsvDescription desc = read_table(t, c.target, c.task, &raw, &target_col);
  const int m = desc.rows;
  Dataset d;
  d.name = "csv";
  d.raw_names = desc.raw_names;
  d.raw_dims = static_cast<int>(desc.raw_names.size());
  d.task = desc.task;
  d.classes = static_cast<int>(desc.class_names.size());
  d.class_names = desc.class_names;
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

void check_csv_size(size_t bytes) {
  if (bytes > kMaxCsvBytes)
    throw Error("csv: the file is " + std::to_string(bytes) + " bytes; the limit is " +
                std::to_string(kMaxCsvBytes) + " bytes (50 MiB)");
}

CsvTable parse_csv(const std::string& text) {
  check_csv_size(text.size());
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
          throw CsvError("csv: data row " + std::to_string(t.rows.size() + 1) + " (line " + std::to_string(row_line) +
                             ") has " + std::to_string(cells.size()) + " cells; the header has " +
                             std::to_string(t.header.size()),
                         int(t.rows.size() + 1), row_line, 0);
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
  if (quoted) throw CsvError("csv: line " + std::to_string(quote_line) + ": a quoted cell is not closed", 0, quote_line, 0);
  if (!cell.empty() || !cells.empty()) end_row();
  if (!any || t.header.empty()) throw Error("csv: the file is empty (a header row and data rows are needed)");
  for (std::string& h : t.header) {
    const size_t b = h.find_first_not_of(" \t"), e = h.find_last_not_of(" \t");
    h = b == std::string::npos ? "" : h.substr(b, e - b + 1);
  }
  return t;
}

}  // namespace nnplay
