/**
 * Markdown to HTML (CommonMark + GFM tables), the one {@code {{placeholder}}} template engine, and the pages
 * built from them: layout, index, post, 404, stylesheet and Atom feed. No I/O: strings in, strings out.
 */
package morgana.blog.render;
