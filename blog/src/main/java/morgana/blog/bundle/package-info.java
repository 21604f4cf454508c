/**
 * The site as it is served: immutable, pre-compressed, content-hashed entries, and the versioned binary
 * format in which a bundle is baked into an image (see {@link morgana.blog.bundle.SiteBundle}).
 */
package morgana.blog.bundle;
