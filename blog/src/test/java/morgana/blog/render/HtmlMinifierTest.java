package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlMinifierTest {

    @Test
    void dropsWhitespaceBesideBlockTagsAndCollapsesItInText() {
        String html = """
                <!doctype html>
                <html>
                  <head>
                    <title>A   page</title>
                  </head>
                  <body>
                    <p>Some
                       text   with <a href="/x/">a link</a> <em>and</em>   more.</p>
                  </body>
                </html>
                """;
        assertThat(HtmlMinifier.minify(html)).isEqualTo("<!doctype html><html><head><title>A page</title></head>"
                + "<body><p>Some text with <a href=\"/x/\">a link</a> <em>and</em> more.</p></body></html>");
    }

    @Test
    void keepsPreTextareaScriptAndStyleAsTheyAre() {
        String html = "<div>\n  <pre><code>a  =  1\n    b</code></pre>\n<textarea> x\n y </textarea>\n"
                + "<script>if (a  <  b) {\n  go();\n}</script>\n<style>p  >  a { color: red }</style>\n</div>";
        assertThat(HtmlMinifier.minify(html)).isEqualTo("<div><pre><code>a  =  1\n    b</code></pre>"
                + "<textarea> x\n y </textarea><script>if (a  <  b) {\n  go();\n}</script>"
                + "<style>p  >  a { color: red }</style></div>");
    }

    @Test
    void removesCommentsButNotConditionalOnes() {
        assertThat(HtmlMinifier.minify("<p>a<!-- note -->b</p><!--[if IE]><p>old</p><![endif]-->"))
                .isEqualTo("<p>ab</p><!--[if IE]><p>old</p><![endif]-->");
    }

    @Test
    void copiesTagsWithQuotedAngleBracketsAndLoneLessThanSigns() {
        assertThat(HtmlMinifier.minify("<p title=\"a > b   c\">1 < 2   and  3</p>"))
                .isEqualTo("<p title=\"a > b   c\">1 < 2 and 3</p>");
    }

    @Test
    void anUnclosedCommentOrTagEndsTheOutputWithoutFailing() {
        assertThat(HtmlMinifier.minify("<p>x</p><!-- never closed")).isEqualTo("<p>x</p>");
        assertThat(HtmlMinifier.minify("<p>x</p><a href=\"y")).isEqualTo("<p>x</p><a href=\"y");
        assertThat(HtmlMinifier.minify("<pre>  open")).isEqualTo("<pre>  open");
    }
}
