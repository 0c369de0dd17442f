// determinism_test.cpp: a seed decides everything. The same config trained twice gives bit-identical
// weights, per-epoch losses and model files; another network seed or data seed gives other numbers;
// every kernel variant (scalar, sse2, avx2) trains to the same bits, which is what lets the native and
// WebAssembly builds agree. Also: the normalized config reads back to itself.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "kernel.h"
#include "trainer.h"

namespace {

// Layer widths 33 and 17 so the vector paths and their scalar tails both run.
const std::string kConfig =
    R"({"dataset":{"name":"spiral","arms":3,"samples":300},"network":{"layers":[{"units":33,"activation":"relu"},)"
    R"({"units":17,"activation":"tanh"},{"units":3,"activation":"softmax"}]},"loss":"cce","init":"he_uniform",)"
    R"("optimizer":{"name":"adam","learning_rate":0.01},"batch_size":32,"l2":0.001,"seed":SEED})";

std::string config(int seed, int data_seed = 1) {
  std::string c = kConfig;
  c.replace(c.find("SEED"), 4, std::to_string(seed));
  c.replace(c.find("\"samples\":300"), 13, "\"samples\":300,\"seed\":" + std::to_string(data_seed));
  return c;
}

struct TrainedRun {
  std::vector<double> losses, test_losses;
  std::vector<nnplay::Matrix> W, b;
  std::string model;
};

TrainedRun train(const std::string& cfg, int epochs = 10) {
  nnplay::Trainer t(cfg);
  TrainedRun r;
  for (const nnplay::EpochMetrics& m : t.train(epochs)) {
    r.losses.push_back(m.loss);
    r.test_losses.push_back(*m.test_loss);
  }
  for (const nnplay::DenseLayer& L : t.network().layers()) {
    r.W.push_back(L.W);
    r.b.push_back(L.b);
  }
  r.model = t.export_model();
  return r;
}

bool same_bits(const nnplay::Matrix& a, const nnplay::Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(nnplay::Scalar) * a.size()) == 0;
}

void expect_identical(const TrainedRun& a, const TrainedRun& b, const std::string& what) {
  EXPECT_EQ(a.losses, b.losses) << what;
  EXPECT_EQ(a.test_losses, b.test_losses) << what;
  ASSERT_EQ(a.W.size(), b.W.size());
  for (size_t l = 0; l < a.W.size(); ++l) {
    EXPECT_TRUE(same_bits(a.W[l], b.W[l])) << what << ": W" << l + 1;
    EXPECT_TRUE(same_bits(a.b[l], b.b[l])) << what << ": b" << l + 1;
  }
  EXPECT_EQ(a.model, b.model) << what;
}

TEST(Determinism, SameSeedSameEverything) { expect_identical(train(config(5)), train(config(5)), "seed 5 twice"); }

TEST(Determinism, OtherNetworkSeedDiffers) {
  const TrainedRun a = train(config(5)), b = train(config(6));
  EXPECT_NE(a.losses, b.losses);
  EXPECT_FALSE(same_bits(a.W[0], b.W[0]));
}

TEST(Determinism, OtherDataSeedDiffers) {
  nnplay::Trainer a(config(5, 1)), b(config(5, 2));
  EXPECT_FALSE(same_bits(a.dataset().raw_train, b.dataset().raw_train));
  EXPECT_TRUE(same_bits(a.network().layers()[0].W, b.network().layers()[0].W));  // init seed is the same
}

TEST(Determinism, ShuffleChangesTheRun) {
  std::string no_shuffle = config(5);
  no_shuffle.insert(no_shuffle.size() - 1, ",\"shuffle\":false");
  EXPECT_NE(train(config(5), 3).losses, train(no_shuffle, 3).losses);
}

TEST(Determinism, EveryKernelVariantTrainsToTheSameBits) {
  const std::string saved = nnplay::kernel::current_variant();
  std::vector<TrainedRun> runs;
  const std::vector<std::string> variants = nnplay::kernel::variants();
  for (const std::string& v : variants) {
    ASSERT_TRUE(nnplay::kernel::use_variant(v));
    runs.push_back(train(config(9), 5));
  }
  nnplay::kernel::use_variant(saved);
  for (size_t i = 1; i < runs.size(); ++i) expect_identical(runs[0], runs[i], variants[0] + " vs " + variants[i]);
}

TEST(Determinism, NormalizedConfigReadsBackToItself) {
  const nnplay::Config c = nnplay::parse_config(config(5));
  const std::string once = nnplay::config_to_json(c);
  EXPECT_EQ(nnplay::config_to_json(nnplay::parse_config(once)), once);
  EXPECT_EQ(nnplay::config_to_json(nnplay::parse_config("{}")),
            nnplay::config_to_json(nnplay::parse_config(nnplay::config_to_json(nnplay::Config()))));
}

}  // namespace
