/**
 * Markdown to HTML (CommonMark + GFM, footnotes, heading anchors, image attributes, build-time highlighting),
 * the Pebble {@link morgana.blog.render.Theme} (auto-escaping, overridable per site), the pages built from
 * them, and the Atom feed, sitemap and robots.txt. No I/O but reading templates: strings in, strings out.
 */
package morgana.blog.render;
