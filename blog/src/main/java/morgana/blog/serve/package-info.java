/**
 * {@code morgana serve --watch}: the blog application on the host's sockets, rebuilt when a file of the site
 * changes, with browsers told to reload over server-sent events. A writing tool only: images never carry it.
 */
package morgana.blog.serve;
