// image_data_test.cpp: data held once. The image asset reader (image_asset.h) accepts a well-formed
// asset and names what is wrong with a bad one; pixels reach the network as float32 p / 255 exactly;
// trainers on one image set share its pixels (no copy) and trainers whose config keeps the data share
// the dataset (Trainer::data_for); Trainer::reset gives bit for bit what a fresh trainer of the same
// config gives; evaluating a split in chunks gives the outputs of one forward pass over all of it.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "errors.h"
#include "image_asset.h"
#include "trainer.h"

namespace {

using nnplay::Error;
using nnplay::ImageSet;

// An asset of m_train + m_test images of rows x cols with K classes; pixel (i, j) = (7 i + 13 j + salt) % 256
// plus 40 * label, clipped.
std::vector<uint8_t> asset(int rows, int cols, int K, int m_train, int m_test) {
  std::vector<std::string> names;
  for (int k = 0; k < K; ++k) names.push_back("class " + std::to_string(k));
  const int P = rows * cols;
  auto make = [&](int m, int salt, std::vector<uint8_t>& px, std::vector<uint8_t>& lab) {
    for (int i = 0; i < m; ++i) {
      lab.push_back(uint8_t(i % K));
      for (int j = 0; j < P; ++j) px.push_back(uint8_t(std::min(255, (7 * i + 13 * j + salt) % 200 + 40 * (i % K))));
    }
  };
  std::vector<uint8_t> trp, trl, tep, tel;
  make(m_train, 1, trp, trl);
  make(m_test, 2, tep, tel);
  return nnplay::make_image_set(rows, cols, names, trp.data(), trl.data(), m_train, tep.data(), tel.data(), m_test)->bytes;
}

std::string error_of(std::vector<uint8_t> bytes) {
  try {
    nnplay::read_image_asset(std::move(bytes), "a.bin");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ImageAsset, ReadsWhatMakeImageSetWrites) {
  const std::vector<uint8_t> b = asset(3, 4, 3, 20, 5);
  ASSERT_EQ(b.size(), 32 + std::string("class 0\nclass 1\nclass 2").size() + 25 * 13);
  const auto s = nnplay::read_image_asset(b, "a.bin");
  EXPECT_EQ(s->rows, 3);
  EXPECT_EQ(s->cols, 4);
  EXPECT_EQ(s->m_train, 20);
  EXPECT_EQ(s->m_test, 5);
  EXPECT_EQ(s->class_names, (std::vector<std::string>{"class 0", "class 1", "class 2"}));
  EXPECT_EQ(s->labels(true)[4], 4 % 3);
  EXPECT_EQ(s->pixel_rows(false)[12 * 1 + 2], uint8_t((7 * 1 + 13 * 2 + 1) % 200 + 40));
}

TEST(ImageAsset, NamesWhatIsWrong) {
  const std::vector<uint8_t> good = asset(2, 2, 2, 3, 1);
  std::vector<uint8_t> b = good;
  b[0] = 'P', b[1] = 'K';
  EXPECT_EQ(error_of(b), "a.bin: bad magic 50 4b 49 4d (expected 4e 4e 49 4d, \"NNIM\"): not an nnplay image asset");
  EXPECT_EQ(error_of(std::vector<uint8_t>(good.begin(), good.begin() + 10)),
            "a.bin: truncated: 10 bytes, the header alone needs 32");
  b = good;
  b[4] = 2;
  EXPECT_EQ(error_of(b), "a.bin: version 2 is not supported (this page reads version 1)");
  b = good;
  b.pop_back();
  EXPECT_EQ(error_of(b).rfind("a.bin: truncated: ", 0), 0u) << error_of(b);
  b = good;
  b.push_back(0);
  EXPECT_EQ(error_of(b).rfind("a.bin: too long: ", 0), 0u) << error_of(b);
  b = good;
  b.back() = 2;  // the last test label
  EXPECT_EQ(error_of(b), "a.bin: test label 0 is 2 (allowed: 0 to 1)");
  b = good;
  b[16] = 1;  // one class
  EXPECT_EQ(error_of(b), "a.bin: 1 classes is not allowed (2 to 255)");
  b = good;
  b[8] = 0;  // 0 rows
  EXPECT_EQ(error_of(b), "a.bin: image size 0 x 2 is not allowed (1 to 65536 pixels)");
  b = good;
  b[20] = 0;  // no training images
  EXPECT_EQ(error_of(b), "a.bin: no training images");
  b = good;
  b[28] = 0xff, b[29] = 0xff, b[30] = 0xff, b[31] = 0xff;  // a names block of 4 GiB: no overflow
  EXPECT_EQ(error_of(b).rfind("a.bin: truncated: ", 0), 0u) << error_of(b);
}

TEST(ImageAsset, PixelScaleIsFloat32DivisionBy255) {
  const nnplay::Scalar* s = nnplay::pixel_scale();
  for (int p = 0; p < 256; ++p) {
    const nnplay::Scalar want = nnplay::Scalar(p) / nnplay::Scalar(255);
    EXPECT_EQ(std::memcmp(&s[p], &want, sizeof want), 0) << p;
  }
  EXPECT_EQ(s[0], 0);
  EXPECT_EQ(s[255], 1);
}

const std::string kImages =
    R"({"dataset":{"name":"fashion_mnist","samples":SAMPLES},"network":{"layers":[{"units":9,"activation":"relu"},)"
    R"({"units":3,"activation":"softmax"}]},"loss":"cce","optimizer":{"name":"adam","learning_rate":0.01},)"
    R"("batch_size":8,"seed":SEED})";

nnplay::Config images_config(int samples, int seed = 1) {
  std::string c = kImages;
  c.replace(c.find("SAMPLES"), 7, std::to_string(samples));
  c.replace(c.find("SEED"), 4, std::to_string(seed));
  return nnplay::parse_config(c);
}

std::shared_ptr<const ImageSet> images() { return nnplay::read_image_asset(asset(4, 5, 3, 120, 2100)); }

TEST(SharedData, TrainersOnOneImageSetShareItsPixels) {
  const auto set = images();
  const long before = set.use_count();
  nnplay::Trainer a(images_config(100), nnplay::images_dataset(images_config(100).dataset, set));
  nnplay::Trainer b(images_config(50, 2), nnplay::images_dataset(images_config(50).dataset, set));
  EXPECT_EQ(set.use_count(), before + 2);
  EXPECT_EQ(a.dataset().images.get(), set.get());
  EXPECT_EQ(a.dataset().rows(false), 100);
  EXPECT_EQ(b.dataset().rows(false), 50);
  EXPECT_EQ(b.dataset().rows(true), 2100);
  EXPECT_EQ(a.dataset().raw_train.size(), 0) << "no float copy of the pixels";
  // The network sees p / 255.
  const nnplay::Matrix X = a.dataset().raw_copy(false);
  EXPECT_EQ(X(3, 7), nnplay::Scalar(set->pixel_rows(false)[3 * 20 + 7]) / nnplay::Scalar(255));
  a.train(2);
  b.train(1);
}

TEST(SharedData, DataForSharesWhatTheConfigKeeps) {
  const std::string spiral =
      R"({"dataset":{"name":"spiral","arms":3,"samples":300},"network":{"layers":[{"units":8,"activation":"relu"},)"
      R"({"units":3,"activation":"softmax"}]},"loss":"cce","seed":SEED})";
  auto cfg = [&](const std::string& s, int seed) {
    std::string c = s;
    c.replace(c.find("SEED"), 4, std::to_string(seed));
    return nnplay::parse_config(c);
  };
  nnplay::Trainer a(cfg(spiral, 1));
  EXPECT_EQ(nnplay::Trainer::data_for(cfg(spiral, 7), a).get(), a.shared_dataset().get()) << "another weight seed keeps the data";
  nnplay::Config more = cfg(spiral, 1);
  more.dataset.samples = 400;
  EXPECT_NE(nnplay::Trainer::data_for(more, a).get(), a.shared_dataset().get()) << "more samples: new data";
  nnplay::Config unscaled = cfg(spiral, 1);
  unscaled.dataset.standardize = false;
  EXPECT_EQ(nnplay::Trainer::data_for(unscaled, a).get(), a.shared_dataset().get()) << "standardisation is the trainer's";

  const auto set = images();
  nnplay::Trainer im(images_config(100), nnplay::images_dataset(images_config(100).dataset, set));
  EXPECT_EQ(nnplay::Trainer::data_for(images_config(100, 5), im).get(), im.shared_dataset().get());
  const auto fewer = nnplay::Trainer::data_for(images_config(60), im);
  EXPECT_NE(fewer.get(), im.shared_dataset().get());
  EXPECT_EQ(fewer->images.get(), set.get()) << "another subset of the same images";
  EXPECT_EQ(fewer->rows(false), 60);
}

struct TrainedRun {
  std::vector<std::string> lines;
  std::string model;
};

TrainedRun train(nnplay::Trainer& t, int epochs) {
  TrainedRun r;
  for (int e = 0; e < epochs; ++e) {
    nnplay::EpochMetrics m = t.train_epoch();
    m.seconds = 0;
    r.lines.push_back(nnplay::metrics_to_json(m));
  }
  r.model = t.export_model();
  return r;
}

TEST(Reset, IsBitForBitAFreshTrainer) {
  const auto set = images();
  for (const bool imgs : {true, false}) {
    const nnplay::Config c = imgs ? images_config(120, 3)
                                  : nnplay::parse_config(R"({"dataset":{"name":"spiral","arms":3,"samples":200},)"
                                                         R"("network":{"layers":[{"units":8,"activation":"tanh"},)"
                                                         R"({"units":3,"activation":"softmax"}]},"loss":"cce",)"
                                                         R"("optimizer":{"name":"adam","learning_rate":0.02},"batch_size":16})");
    auto make = [&] { return imgs ? nnplay::Trainer(c, nnplay::images_dataset(c.dataset, set)) : nnplay::Trainer(c); };
    nnplay::Trainer fresh = make();
    const TrainedRun want = train(fresh, 3);
    nnplay::Trainer t = make();
    train(t, 2);
    t.reset();
    EXPECT_EQ(t.epoch(), 0);
    const TrainedRun got = train(t, 3);
    EXPECT_EQ(got.lines, want.lines) << (imgs ? "images" : "spiral");
    EXPECT_EQ(got.model, want.model);
    t.reset();
    t.reset();
    EXPECT_EQ(train(t, 3).lines, want.lines) << "reset twice";
  }
}

TEST(Evaluation, ChunksGiveTheOutputsOfOneForwardPass) {
  // 2,100 test images: more than two evaluation chunks of 1,024 rows.
  const auto set = images();
  const nnplay::Config c = images_config(120);
  nnplay::Trainer t(c, nnplay::images_dataset(c.dataset, set));
  t.train(1);
  const nnplay::Matrix X = t.dataset().raw_copy(true);
  nnplay::Workspace ws;
  const nnplay::Scalar* A = t.network().forward(X.data(), int(X.rows()), ws);
  const std::vector<nnplay::Scalar>& out = t.test_outputs();
  ASSERT_EQ(out.size(), size_t(X.rows()) * 3);
  EXPECT_EQ(std::memcmp(out.data(), A, out.size() * sizeof(nnplay::Scalar)), 0);
  const std::vector<nnplay::Scalar> predicted = t.predict_raw(X.data(), int(X.rows()));
  EXPECT_EQ(std::memcmp(out.data(), predicted.data(), out.size() * sizeof(nnplay::Scalar)), 0);
}

}  // namespace

namespace {

// The page sends standardize: true for every dataset; images are scaled to [0, 1] instead, and a
// standardised copy of 60,000 images would take 188 MB of floats.
TEST(SharedData, ImagesAreNeverStandardised) {
  EXPECT_FALSE(nnplay::parse_config(R"({"dataset":{"name":"fashion_mnist","standardize":true}})").dataset.standardize);
  EXPECT_TRUE(nnplay::parse_config(R"({"dataset":{"name":"xor","standardize":true}})").dataset.standardize);
}

}  // namespace
