// csv_test.cpp: the CSV loader (data.h: parse_csv, make_dataset with dataset.name "csv"). Good input:
// header trimmed, quoted cells (commas, doubled quotes, newlines inside), CRLF, blank lines, a target
// chosen by name, numeric class labels ordered by value, text labels -> classes in alphabetical order
// -> one-hot targets, auto task (<= 20 distinct integers: classes, else regression). Bad input, with
// the message that points at the place: a non-numeric cell (its data row, line and column), a ragged
// row, an empty file, a header with one column, too few rows, an unclosed quote.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "data.h"
#include "errors.h"
#include "trainer.h"

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nnplay::Error& e) {
    return e.what();
  }
  return "(no error)";
}

nnplay::Dataset csv_dataset(const std::string& text, const std::string& target = "", const std::string& task = "auto") {
  nnplay::DatasetConfig c;
  c.name = "csv";
  c.csv = text;
  c.target = target;
  c.task = task;
  c.test_ratio = 0;
  return nnplay::make_dataset(c);
}

TEST(CsvParse, QuotesCrlfBlankLinesAndTrimmedHeader) {
  const nnplay::CsvTable t = nnplay::parse_csv(
      " a , \"b, with comma\",c\r\n"
      "1,\"2\",x\r\n"
      "\r\n"
      "3,\"say \"\"hi\"\"\",\"two\nlines\"\n"
      "\n"
      "5,6,z");  // no newline at the end
  ASSERT_EQ(t.header, (std::vector<std::string>{"a", "b, with comma", "c"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1", "2", "x"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"3", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(t.rows[2], (std::vector<std::string>{"5", "6", "z"}));
}

TEST(CsvParse, BadFiles) {
  EXPECT_EQ(error_of([] { nnplay::parse_csv(""); }), "csv: the file is empty (a header row and data rows are needed)");
  EXPECT_EQ(error_of([] { nnplay::parse_csv("\n \n"); }),
            "csv: the file is empty (a header row and data rows are needed)");
  EXPECT_EQ(error_of([] { nnplay::parse_csv("a,b,c\n1,2,3\n4,5\n"); }),
            "csv: data row 2 (line 3) has 2 cells; the header has 3");
  EXPECT_EQ(error_of([] { nnplay::parse_csv("a,b\n1,2\n3,4,5\n"); }),
            "csv: data row 2 (line 3) has 3 cells; the header has 2");
}

// The quote opens on line 2: that is the place to point at, not the end of the file (line 4 here,
// of a 3-line file).
TEST(CsvParse, UnclosedQuotePointsAtItsLine) {
  EXPECT_EQ(error_of([] { nnplay::parse_csv("a,b\n1,\"2\n3,4\n"); }), "csv: line 2: a quoted cell is not closed");
}

TEST(CsvDataset, NonNumericCellNamesRowLineAndColumn) {
  EXPECT_EQ(error_of([] { csv_dataset("a,b,y\n1,2,0\n3,x,1\n5,6,0\n"); }),
            "csv: data row 2 (line 3), column 2 (\"b\"): \"x\" is not a number");
  EXPECT_EQ(error_of([] { csv_dataset("a,b,y\n1,2,0\n3,inf,1\n"); }),
            "csv: data row 2 (line 3), column 2 (\"b\"): \"inf\" is not a number");
}

// A blank line before the bad row still counts as a line of the file: data row 3 is on line 5.
TEST(CsvDataset, LineNumberCountsBlankLines) {
  EXPECT_EQ(error_of([] { csv_dataset("a,b,y\n1,2,0\n\n3,4,1\n,6,0\n"); }),
            "csv: data row 3 (line 5), column 1 (\"a\"): \"\" is not a number");
}

TEST(CsvDataset, HeaderAndRowCounts) {
  EXPECT_EQ(error_of([] { csv_dataset("y\n1\n2\n"); }),
            "csv: the header has 1 column; at least 2 are needed (features and a target)");
  const std::string one_row = error_of([] { csv_dataset("a,y\n1,0\n"); });
  EXPECT_EQ(one_row.rfind("csv: 1 data row", 0), 0u) << one_row;
  EXPECT_NE(one_row.find("at least 2"), std::string::npos) << one_row;
}

TEST(CsvDataset, TextLabelsBecomeAlphabeticalClassesAndOneHotTargets) {
  const std::string text = "len,width,species\n1,0.5,versicolor\n2,1.5,setosa\n3,\"2.5\",virginica\n4,3.5,setosa\n";
  const nnplay::Dataset d = csv_dataset(text);
  EXPECT_EQ(d.task, "classification");
  EXPECT_EQ(d.classes, 3);
  EXPECT_EQ(d.class_names, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  EXPECT_EQ(d.raw_names, (std::vector<std::string>{"len", "width"}));
  ASSERT_EQ(d.raw_train.rows(), 4);
  // Rows are shuffled: find each by its first feature. class index = alphabetical position.
  const int want_class[4] = {1, 0, 2, 0};
  const double want_width[4] = {0.5, 1.5, 2.5, 3.5};
  for (int i = 0; i < 4; ++i) {
    const int k = int(d.raw_train(i, 0)) - 1;
    ASSERT_GE(k, 0);
    EXPECT_EQ(d.target_train(i, 0), want_class[k]) << "len " << k + 1;
    EXPECT_EQ(d.raw_train(i, 1), nnplay::Scalar(want_width[k])) << "quoted numeric cell";
  }
  const nnplay::Matrix Y = nnplay::encode_targets(d.target_train, 3, true);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Y.row(i).sum(), 1) << "one-hot row " << i;
    EXPECT_EQ(Y(i, int(d.target_train(i, 0))), 1);
  }
  // Through a trainer: a softmax over the 3 classes trains; a sigmoid output does not fit.
  std::string cfg = R"({"dataset":{"name":"csv","csv":"CSV","test_ratio":0},"network":{"layers":[{"units":3,"activation":"softmax"}]},"loss":"cce"})";
  std::string escaped;
  for (char c : text) escaped += c == '\n' ? std::string("\\n") : c == '"' ? std::string("\\\"") : std::string(1, c);
  cfg.replace(cfg.find("CSV"), 3, escaped);
  nnplay::Trainer t(cfg);
  EXPECT_EQ(t.dataset().class_names, d.class_names);
  EXPECT_NO_THROW(t.train(2));
}

TEST(CsvDataset, NumericLabelsOrderedByValueAndTargetByName) {
  const nnplay::Dataset d = csv_dataset("y,a,b\n10,1,0\n-1,2,0\n2,3,0\n10,4,0\n", "y");
  EXPECT_EQ(d.task, "classification");
  EXPECT_EQ(d.class_names, (std::vector<std::string>{"-1", "2", "10"}));
  EXPECT_EQ(d.raw_names, (std::vector<std::string>{"a", "b"}));
  const int want_class[4] = {2, 0, 1, 2};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(d.target_train(i, 0), want_class[int(d.raw_train(i, 0)) - 1]);
}

TEST(CsvDataset, AutoTaskTwentyIntegersAreClassesMoreAreRegression) {
  std::string twenty = "x,y\n", twenty_one = "x,y\n", fractional = "x,y\n";
  for (int i = 0; i < 21; ++i) {
    if (i < 20) twenty += std::to_string(i) + "," + std::to_string(i) + "\n";
    twenty_one += std::to_string(i) + "," + std::to_string(i) + "\n";
    fractional += std::to_string(i) + "," + std::to_string(i % 3) + ".5\n";
  }
  EXPECT_EQ(csv_dataset(twenty).task, "classification");
  EXPECT_EQ(csv_dataset(twenty).classes, 20);
  EXPECT_EQ(csv_dataset(twenty_one).task, "regression");
  EXPECT_EQ(csv_dataset(twenty_one).classes, 0);
  EXPECT_EQ(csv_dataset(fractional).task, "regression");
  // dataset.task overrides auto.
  EXPECT_EQ(csv_dataset(twenty_one, "", "classification").classes, 21);
  EXPECT_EQ(csv_dataset(twenty, "", "regression").task, "regression");
}

}  // namespace
