package morgana.blog.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.render.Html;

/**
 * A bundle written out as plain files, for any web server or object store ({@code morgana build --out-dir}):
 * each entry at its path, aliases as small HTML pages that redirect (a static host cannot answer 301).
 */
public final class DirectoryOutput {

    private DirectoryOutput() {}

    /** Writes every entry of {@code bundle} under {@code dir}; returns the number of files written. */
    public static int write(SiteBundle bundle, Path dir) throws IOException {
        Path top = dir.toAbsolutePath().normalize();
        int files = 0;
        for (BundleEntry entry : bundle.entries()) {
            Path file = top.resolve(entry.path().substring(1)).normalize();
            if (!file.startsWith(top)) {
                throw new IOException("entry " + entry.path() + " would be written outside " + top);
            }
            Files.createDirectories(file.getParent());
            byte[] body = ContentTypes.REDIRECT.equals(entry.contentType())
                    ? redirectPage(new String(entry.body(), StandardCharsets.UTF_8))
                    : entry.body();
            Files.write(file, body);
            files++;
        }
        return files;
    }

    private static byte[] redirectPage(String target) {
        String url = Html.escape(target);
        return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Moved</title>"
                + "<link rel=\"canonical\" href=\"" + url + "\"><meta http-equiv=\"refresh\" content=\"0; url=" + url
                + "\"></head><body><p>This page moved to <a href=\"" + url + "\">" + url + "</a>.</p></body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
