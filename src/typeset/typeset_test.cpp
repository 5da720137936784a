// The typeset module: the PDF's text as poppler's pdftotext reads it (headings, figures, every
// page numbered, table headers repeated, nothing lost to wrapping), the HTML's escaping, the
// limits, and rendering from several threads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "typeset/document.h"

namespace liandong::typeset {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The text of a PDF through `pdftotext -layout`, pages separated by form feeds.
struct PdfText {
  bool ok = false;
  std::string text;
  std::vector<std::string> pages;
};

PdfText pdf_text(const std::string& pdf) {
  PdfText out;
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                     "/typeset_test_XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return out;
  const bool written = write(fd, pdf.data(), pdf.size()) == static_cast<ssize_t>(pdf.size());
  close(fd);
  if (written) {
    const std::string command = std::string(LIANDONG_PDFTOTEXT) + " -layout '" + path + "' - 2>&1";
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char buffer[65536];
      std::size_t n;
      while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.text.append(buffer, n);
      const int status = pclose(pipe);
      out.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
  }
  unlink(path.c_str());
  std::size_t from = 0;
  for (std::size_t ff; (ff = out.text.find('\f', from)) != std::string::npos; from = ff + 1) {
    out.pages.push_back(out.text.substr(from, ff - from));
  }
  return out;
}

std::string without_spaces(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
  }
  return out;
}

std::string page_number(int n) { return "\xE2\x80\x94 " + std::to_string(n) + " \xE2\x80\x94"; }

Document daily_report() {
  Document doc;
  doc.issuer = "佛山市应急管理局";
  doc.title = "值班信息日报";
  doc.number = "2026年第12期";
  doc.date = "2026年12月2日";
  doc.classification = "内部资料";
  Section overview;
  overview.heading = "一、总体情况";
  overview.paragraphs = {
      "12月1日8时至12月2日8时，全市共接报突发事件7起，其中火灾2起、交通事故4起、"
      "自然灾害1起，均已妥善处置。",
      "南海区某厂房火灾造成人员伤亡，市应急管理局已派出工作组赴现场指导处置。\n"
      "事故原因正在调查中。"};
  Section incidents;
  incidents.heading = "二、重要突发事件";
  incidents.table = Table{{"事件", "类别", "伤亡情况", "直接经济损失（万元）"},
                          {{"南海区某厂房火灾", "火灾", "死亡 3 人", "120.5"},
                           {"顺德区容桂街道交通事故", "交通事故", "受伤 2 人", "8"}}};
  doc.sections = {overview, incidents};
  doc.closing = {"佛山市应急管理局总值班室", "联系人：张三  电话：0757-83030000"};
  doc.distribution = "报：省应急管理厅  送：市委办公室、市政府办公室";
  return doc;
}

Table long_table(std::size_t rows) {
  Table table{{"序号", "区", "事件", "直接经济损失（万元）"}, {}};
  for (std::size_t i = 1; i <= rows; ++i) {
    table.rows.push_back({std::to_string(i), "禅城区", "事件记录第" + std::to_string(i) + "条",
                          std::to_string(i * 7) + ".5"});
  }
  return table;
}

TEST(RenderPdf, HoldsTheHeadingFiguresAndText) {
  const auto pdf = render_pdf(daily_report());
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const PdfText text = pdf_text(*pdf);
  ASSERT_TRUE(text.ok) << text.text;
  ASSERT_EQ(text.pages.size(), 1u) << text.text;
  for (const char* expected : {"佛山市应急管理局", "值班信息日报", "2026年第12期", "2026年12月2日",
                               "内部资料", "一、总体情况", "死亡 3 人", "120.5", "南海区某厂房火灾",
                               "直接经济损失（万元）"}) {
    EXPECT_THAT(text.text, HasSubstr(expected)) << text.text;
  }
  // Justified lines may carry spaces between characters: compare without them.
  const std::string flat = without_spaces(text.text);
  EXPECT_THAT(flat, HasSubstr("全市共接报突发事件7起，其中火灾2起、交通事故4起、自然灾害1起，均已妥善处置。"));
  EXPECT_THAT(flat, HasSubstr("事故原因正在调查中。"));
  EXPECT_THAT(flat, HasSubstr("联系人：张三电话：0757-83030000"));
  EXPECT_THAT(flat, HasSubstr("报：省应急管理厅送：市委办公室、市政府办公室"));
  EXPECT_THAT(text.pages[0], HasSubstr(page_number(1)));
}

TEST(RenderPdf, LongTableBreaksAcrossNumberedPagesWithTheHeaderRepeated) {
  Document doc = daily_report();
  doc.sections[1].table = long_table(300);
  const auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  const PdfText text = pdf_text(*pdf);
  ASSERT_TRUE(text.ok) << text.text;
  ASSERT_GE(text.pages.size(), 5u);
  for (std::size_t p = 0; p < text.pages.size(); ++p) {
    EXPECT_THAT(text.pages[p], HasSubstr(page_number(static_cast<int>(p) + 1))) << "page " << p + 1;
    if (p >= 1 && p + 1 < text.pages.size()) {
      EXPECT_THAT(text.pages[p], HasSubstr("直接经济损失（万元）")) << "page " << p + 1;
    }
  }
  // Every row is there, once.
  const std::string flat = without_spaces(text.text);
  for (std::size_t i = 1; i <= 300; ++i) {
    const std::string row = "事件记录第" + std::to_string(i) + "条";
    const std::size_t at = flat.find(row);
    ASSERT_NE(at, std::string::npos) << row;
    EXPECT_EQ(flat.find(row, at + 1), std::string::npos) << row;
  }
}

TEST(RenderPdf, LongUnbrokenTextWrapsWithoutLoss) {
  Document doc;
  Section section;
  const std::string token(3000, 'W');  // one "word" many lines long
  section.paragraphs = {token};
  std::string cell;
  for (int i = 0; i < 400; ++i) cell += "测试";
  section.table = Table{{"长内容", "值"}, {{cell + "END", "https://example.org/" + std::string(300, 'q')}}};
  doc.sections = {section};
  const auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  const PdfText text = pdf_text(*pdf);
  ASSERT_TRUE(text.ok);
  const std::string flat = without_spaces(text.text);
  EXPECT_EQ(std::count(flat.begin(), flat.end(), 'W'), 3000);
  EXPECT_EQ(std::count(flat.begin(), flat.end(), 'q'), 300);
  EXPECT_THAT(flat, HasSubstr("测试测试END"));
}

TEST(RenderPdf, RowTallerThanAPageIsSplitAcrossPages) {
  Document doc;
  std::string cell;
  for (int i = 0; i < 3000; ++i) cell += "长";
  cell += "完";
  Section section;
  section.table = Table{{"说明"}, {{"前一行"}, {cell}, {"后一行"}}};
  doc.sections = {section};
  const auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  const PdfText text = pdf_text(*pdf);
  ASSERT_TRUE(text.ok);
  EXPECT_GE(text.pages.size(), 2u);
  const std::string flat = without_spaces(text.text);
  std::size_t count = 0;
  for (std::size_t at = 0; (at = flat.find("长", at)) != std::string::npos; at += 3) ++count;
  EXPECT_EQ(count, 3000u);
  EXPECT_LT(flat.find("前一行"), flat.find("完"));
  EXPECT_LT(flat.find("完"), flat.find("后一行"));
}

TEST(RenderPdf, TextIsNotMarkup) {
  Document doc;
  doc.title = "<b>标题</b> & <i>x</i>";
  doc.sections = {Section{"", {"含控制字符\x01与制表\t及 &amp; 文本"}, std::nullopt}};
  const auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  const PdfText text = pdf_text(*pdf);
  ASSERT_TRUE(text.ok);
  EXPECT_THAT(text.text, HasSubstr("<b>标题</b> & <i>x</i>"));
  EXPECT_THAT(without_spaces(text.text), HasSubstr("&amp;文本"));
}

TEST(RenderPdf, EmptyDocumentIsOneNumberedPage) {
  const auto pdf = render_pdf(Document{});
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const PdfText text = pdf_text(*pdf);
  ASSERT_TRUE(text.ok) << text.text;
  ASSERT_EQ(text.pages.size(), 1u);
  EXPECT_THAT(text.pages[0], HasSubstr(page_number(1)));
}

TEST(RenderPdf, SeveralThreadsAtOnce) {
  std::vector<std::string> texts(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    threads.emplace_back([&texts, i] {
      Document doc = daily_report();
      doc.number = "2026年第" + std::to_string(100 + i) + "期";
      const auto pdf = render_pdf(doc);
      texts[i] = pdf.is_ok() ? pdf_text(*pdf).text : pdf.status().to_string();
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_THAT(texts[i], HasSubstr("2026年第" + std::to_string(100 + i) + "期"));
    EXPECT_THAT(texts[i], HasSubstr("死亡 3 人"));
  }
}

TEST(Check, RefusesTooMuchText) {
  Document doc;
  doc.sections = {Section{"", {std::string(kMaxTextBytes / 2, 'a'), std::string(kMaxTextBytes / 2, 'b')}, std::nullopt}};
  EXPECT_TRUE(check(doc).is_ok());
  doc.closing = {"x"};
  const core::Status status = check(doc);
  EXPECT_EQ(status.code(), core::Code::kInvalidArgument);
  EXPECT_EQ(status.field(), "closing[0]");
  const auto pdf = render_pdf(doc);
  EXPECT_EQ(pdf.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(pdf.status().field(), "closing[0]");
}

TEST(Check, RefusesTooManyRowsAcrossTables) {
  Document doc;
  doc.sections = {Section{"", {}, long_table(3000)}, Section{"", {}, long_table(2000)}};
  EXPECT_TRUE(check(doc).is_ok());
  doc.sections[1].table->rows.push_back({"1"});
  const core::Status status = check(doc);
  EXPECT_EQ(status.code(), core::Code::kInvalidArgument);
  EXPECT_EQ(status.field(), "sections[1].table.rows");
  EXPECT_THAT(status.message(), HasSubstr("5000"));
  EXPECT_EQ(render_pdf(doc).status().field(), "sections[1].table.rows");
}

TEST(Check, RefusesTooManyColumnsBlocksAndBadUtf8) {
  Document wide;
  wide.sections = {Section{"", {}, Table{{}, {std::vector<std::string>(kMaxTableColumns + 1, "x")}}}};
  EXPECT_EQ(check(wide).field(), "sections[0].table.rows[0]");
  wide.sections[0].table->header.assign(kMaxTableColumns + 1, "h");
  EXPECT_EQ(check(wide).field(), "sections[0].table.header");

  Document many;
  many.sections = {Section{"", std::vector<std::string>(kMaxBlocks, ""), std::nullopt}};
  EXPECT_EQ(check(many).code(), core::Code::kInvalidArgument);
  EXPECT_EQ(check(many).field(), "sections[0].paragraphs[19999]");

  Document bad = daily_report();
  bad.sections[1].table->rows[1][2] = "受伤\xE5\x8F 2 人";  // a cut-off character
  const core::Status status = check(bad);
  EXPECT_EQ(status.code(), core::Code::kInvalidArgument);
  EXPECT_EQ(status.field(), "sections[1].table.rows[1][2]");
  EXPECT_THAT(status.message(), HasSubstr("UTF-8"));
  EXPECT_EQ(render_pdf(bad).status().field(), "sections[1].table.rows[1][2]");
}

TEST(RenderHtml, EscapesEveryText) {
  Document doc = daily_report();
  doc.title = "<script>alert('x')</script> & 日报";
  doc.sections[0].paragraphs.push_back("A & B <img src=x onerror=alert(1)> \"q\"");
  doc.sections[1].table->rows.push_back({"<b>粗</b>", "&lt;", "", ""});
  doc.distribution = "报：\xFF 送：";
  const std::string html = render_html(doc);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 日报"));
  EXPECT_THAT(html, HasSubstr("A &amp; B &lt;img src=x onerror=alert(1)&gt; &quot;q&quot;"));
  EXPECT_THAT(html, HasSubstr("<td>&amp;lt;</td>"));
  EXPECT_THAT(html, HasSubstr("报：\xEF\xBF\xBD 送："));  // the bad byte became U+FFFD
}

TEST(RenderHtml, HoldsTheTexts) {
  const std::string html = render_html(daily_report());
  for (const char* expected :
       {"佛山市应急管理局", "值班信息日报", "2026年第12期", "2026年12月2日", "内部资料",
        "一、总体情况", "<td>死亡 3 人</td>", "<th>直接经济损失（万元）</th>", "120.5",
        "南海区某厂房火灾造成人员伤亡，市应急管理局已派出工作组赴现场指导处置。<br>\n事故原因正在调查中。",
        "联系人：张三  电话：0757-83030000", "报：省应急管理厅  送：市委办公室、市政府办公室"}) {
    EXPECT_THAT(html, HasSubstr(expected));
  }
  EXPECT_THAT(html, HasSubstr("<html lang=\"zh-CN\">"));
  EXPECT_THAT(html, HasSubstr("@page { size: A4"));
}

TEST(RenderHtml, EmptyDocumentIsAPage) {
  const std::string html = render_html(Document{});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("</html>"));
}

}  // namespace
}  // namespace liandong::typeset
