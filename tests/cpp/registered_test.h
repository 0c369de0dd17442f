// registered_test.h: table-driven tests registered one by one with plain names (Suite.name), through
// gtest's RegisterTest. Value-parameterized tests would do the same job, but gtest lists them with a
// "# GetParam() = ..." comment that CMake's gtest_discover_tests keeps in the ctest name when the
// test has a custom name; registered tests are listed, run and reported like any TEST.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>

namespace nnplay_test {

class FunctionTest : public ::testing::Test {
 public:
  explicit FunctionTest(std::function<void()> body) : body_(std::move(body)) {}
  void TestBody() override { body_(); }

 private:
  std::function<void()> body_;
};

// Registers suite.name running body(). Call during static initialisation (see REGISTER_TESTS).
inline void register_test(const char* suite, const std::string& name, const char* file, int line,
                          std::function<void()> body) {
  ::testing::RegisterTest(suite, name.c_str(), nullptr, nullptr, file, line,
                          [body]() -> ::testing::Test* { return new FunctionTest(body); });
}

}  // namespace nnplay_test

// REGISTER_TESTS(tag) { ...calls to nnplay_test::register_test... } runs its block before main().
#define REGISTER_TESTS(tag)                          \
  static void register_##tag();                      \
  static const bool registered_##tag = (register_##tag(), true); \
  static void register_##tag()
