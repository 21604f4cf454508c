/**
 * The site model: {@code morgana.yaml} ({@link morgana.blog.site.SiteConfig}), posts with their front matter
 * ({@link morgana.blog.site.Post}), and {@link morgana.blog.site.SiteBuilder}, which turns a site directory
 * into a {@link morgana.blog.bundle.SiteBundle}. Every problem with the author's files is a
 * {@link morgana.blog.site.SiteException} naming the file and line.
 */
package morgana.blog.site;
