#include "labels/text_label.hpp"

#include <gtest/gtest.h>

#include "labels/stream_labeller.hpp"

namespace synthgate::labels {
namespace {

TextLabelOptions at(TextPlacement placement,
                    std::string wording = std::string(kDefaultTextWording)) {
  return TextLabelOptions{std::move(wording), placement};
}

TEST(Wording, NeedsBothElements) {
  EXPECT_TRUE(check_wording("本内容由人工智能生成"));
  EXPECT_TRUE(check_wording("AI合成内容"));
  EXPECT_TRUE(check_wording("由AI生成"));
  EXPECT_FALSE(check_wording("本内容由机器生成"));  // no AI element
  EXPECT_FALSE(check_wording("人工智能助手"));      // no generation element
  EXPECT_FALSE(check_wording("AI\n生成"));          // one line only
  EXPECT_FALSE(
      label_text("hello", TextFormat::kPlain, at(TextPlacement::kStart, "made by a machine")));
}

TEST(PlainText, StartEndAndBoth) {
  const std::string body = "第一行\n第二行";
  auto start = label_text(body, TextFormat::kPlain, at(TextPlacement::kStart));
  ASSERT_TRUE(start);
  EXPECT_EQ(*start, "本内容由人工智能生成\n\n第一行\n第二行");
  auto end = label_text(body, TextFormat::kPlain, at(TextPlacement::kEnd));
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, "第一行\n第二行\n\n本内容由人工智能生成\n");
  auto both = label_text(body, TextFormat::kPlain, at(TextPlacement::kBoth, "AI合成"));
  ASSERT_TRUE(both);
  EXPECT_EQ(*both, "AI合成\n\n第一行\n第二行\n\nAI合成\n");
  EXPECT_EQ(find_text_label(*start, TextFormat::kPlain).position, LabelPosition::kStart);
  EXPECT_EQ(find_text_label(*end, TextFormat::kPlain).position, LabelPosition::kEnd);
}

TEST(Markdown, LabelIsItsOwnEscapedParagraphAfterFrontMatter) {
  const std::string doc = "---\ntitle: x\n---\n# 标题\n\n正文 *强调*\n";
  auto out = label_text(doc, TextFormat::kMarkdown, at(TextPlacement::kStart, "AI生成 (v1.0)"));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "---\ntitle: x\n---\nAI生成 \\(v1\\.0\\)\n\n# 标题\n\n正文 *强调*\n");
  const auto found = find_text_label(*out, TextFormat::kMarkdown);
  EXPECT_TRUE(found.conforming);
  EXPECT_EQ(found.line, "AI生成 (v1.0)");
}

TEST(Markdown, EndLabelNeverInsideAnOpenCodeFence) {
  const std::string doc = "说明\n\n````python\nprint('```')\n";  // unclosed 4-backtick fence
  auto out = label_text(doc, TextFormat::kMarkdown, at(TextPlacement::kEnd));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, doc + "````\n\n本内容由人工智能生成\n");
  EXPECT_TRUE(find_text_label(*out, TextFormat::kMarkdown).conforming);
  // Closed fences are left alone.
  const std::string closed = "```\ncode\n```\n";
  auto out2 = label_text(closed, TextFormat::kMarkdown, at(TextPlacement::kEnd));
  ASSERT_TRUE(out2);
  EXPECT_EQ(*out2, closed + "\n本内容由人工智能生成\n");
}

TEST(Markdown, LabelInsideCodeDoesNotCount) {
  const std::string doc = "# 标题\n\n```\n本内容由人工智能生成\n```\n";
  const auto found = find_text_label(doc, TextFormat::kMarkdown);
  EXPECT_FALSE(found.conforming);
  EXPECT_TRUE(find_text_label(doc, TextFormat::kPlain).conforming);
}

TEST(Html, VisibleEscapedElementInsideBody) {
  const std::string doc =
      "<!DOCTYPE html><html><head><title>t</title></head><BODY "
      "class=\"a\"><p>正文</p></body></html>";
  auto out = label_text(doc, TextFormat::kHtml, at(TextPlacement::kBoth, "AI生成 <b>&</b>"));
  ASSERT_TRUE(out);
  const std::string element =
      "<p class=\"synthgate-ai-label\" role=\"note\" style=\"font-weight:bold\">AI生成 "
      "&lt;b&gt;&amp;&lt;/b&gt;</p>";
  EXPECT_EQ(*out, "<!DOCTYPE html><html><head><title>t</title></head><BODY class=\"a\">" + element +
                      "<p>正文</p>" + element + "</body></html>");
  const auto found = find_text_label(*out, TextFormat::kHtml);
  EXPECT_TRUE(found.conforming);
  EXPECT_EQ(found.line, "AI生成 <b>&</b>");
}

// "<body>" and "</body>" written in a comment, a script, a title or an attribute value are not
// the document's tags: the label goes just inside the real body, never into a script.
TEST(Html, BodyTagsInScriptsCommentsAndAttributesAreNotTheBody) {
  const std::string head =
      "<html><head><title>a <body> b</title><!-- <body> -->"
      "<script>document.write('<body><p>x</p></body>');</script></head>"
      "<body data-x=\"a>b\" data-y='</body>'>";
  const std::string tail = "<script>var s = \"</body>\";</script></body><!-- </body> --></html>";
  const std::string doc = head + "<p>正文</p>" + tail;
  auto out = label_text(doc, TextFormat::kHtml, at(TextPlacement::kBoth, "AI生成"));
  ASSERT_TRUE(out);
  const std::string element =
      "<p class=\"synthgate-ai-label\" role=\"note\" style=\"font-weight:bold\">AI生成</p>";
  const std::string end_part = "<script>var s = \"</body>\";</script>";
  EXPECT_EQ(*out,
            head + element + "<p>正文</p>" + end_part + element + "</body><!-- </body> --></html>");
  EXPECT_TRUE(find_text_label(*out, TextFormat::kHtml).conforming);
}

// A fragment whose only "<body" is inside a script: the label goes at its start and end.
TEST(Html, FragmentWithBodyOnlyInAScript) {
  const std::string doc = "<div>x</div><script>s='<body>'</script>";
  auto out = label_text(doc, TextFormat::kHtml, at(TextPlacement::kStart, "AI生成"));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->rfind("<p class=\"synthgate-ai-label\"", 0), 0u) << *out;
}

TEST(Html, HiddenTextIsNotALabel) {
  EXPECT_FALSE(
      find_text_label("<p>hi</p><!-- AI生成 --><script>x='AI生成'</script>", TextFormat::kHtml)
          .conforming);
  EXPECT_FALSE(find_text_label("<img alt=\"AI生成\">", TextFormat::kHtml).conforming);
  EXPECT_TRUE(find_text_label("<div>AI生成</div>", TextFormat::kHtml).conforming);
}

TEST(Checker, LongLinesAndMissingElements) {
  EXPECT_FALSE(find_text_label("这是一篇普通的文章。", TextFormat::kPlain).conforming);
  const auto only_ai = find_text_label("AI 很有用\n", TextFormat::kPlain);
  EXPECT_FALSE(only_ai.conforming);
  EXPECT_TRUE(only_ai.ai_element);
  EXPECT_FALSE(only_ai.generation_element);
  std::string long_line(200, 'x');
  long_line += "AI生成";
  EXPECT_FALSE(find_text_label(long_line, TextFormat::kPlain).conforming);
  EXPECT_EQ(find_text_label("a\nb\n由AI生成的段落\nc\n", TextFormat::kPlain).position,
            LabelPosition::kMiddle);
}

TEST(Sniff, Formats) {
  EXPECT_EQ(*sniff_text_format("<!doctype html><p>x</p>"), TextFormat::kHtml);
  EXPECT_EQ(*sniff_text_format("# Title\n\ntext"), TextFormat::kMarkdown);
  EXPECT_EQ(*sniff_text_format("just words\nmore words"), TextFormat::kPlain);
  EXPECT_FALSE(sniff_text_format("\xff\xfe bad"));
  EXPECT_FALSE(sniff_text_format(std::string_view("a\0b", 3)));
}

TEST(Stream, LabelGoesOutWithTheFirstChunkWithoutBuffering) {
  auto labeller = StreamLabeller::open(TextFormat::kPlain, at(TextPlacement::kStart));
  ASSERT_TRUE(labeller);
  EXPECT_EQ(labeller->push("你"), "本内容由人工智能生成\n\n你");
  EXPECT_EQ(labeller->push("好"), "好");  // passed through at once
  EXPECT_EQ(labeller->finish(), "");
}

TEST(Stream, EndLabelAfterTheLastChunkClosesAnOpenFence) {
  auto labeller = StreamLabeller::open(TextFormat::kMarkdown, at(TextPlacement::kEnd));
  ASSERT_TRUE(labeller);
  std::string all;
  for (const char* chunk : {"看代码：\n`", "``py\npri", "nt(1)"}) {
    const std::string out = labeller->push(chunk);
    EXPECT_EQ(out, chunk);
    all += out;
  }
  all += labeller->finish();
  EXPECT_EQ(all, "看代码：\n```py\nprint(1)\n```\n\n本内容由人工智能生成\n");
  EXPECT_EQ(find_text_label(all, TextFormat::kMarkdown).position, LabelPosition::kEnd);
}

TEST(Stream, SameResultAsWholeText) {
  const std::string text = "段落一\n\n段落二";
  for (const auto placement : {TextPlacement::kStart, TextPlacement::kEnd, TextPlacement::kBoth}) {
    auto labeller = StreamLabeller::open(TextFormat::kPlain, at(placement));
    ASSERT_TRUE(labeller);
    std::string streamed;
    for (std::size_t i = 0; i < text.size(); i += 4) streamed += labeller->push(text.substr(i, 4));
    streamed += labeller->finish();
    EXPECT_EQ(streamed, *label_text(text, TextFormat::kPlain, at(placement)));
  }
}

TEST(Stream, RefusesAWordingWithoutBothElements) {
  EXPECT_FALSE(StreamLabeller::open(TextFormat::kPlain, at(TextPlacement::kStart, "机器写的")));
}

}  // namespace
}  // namespace synthgate::labels
