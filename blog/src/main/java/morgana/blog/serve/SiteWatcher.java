package morgana.blog.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches every folder of a site (inotify through {@link WatchService}) and calls back once per burst of
 * changes: an editor's save is several events (write, rename, attribute), and a {@code git checkout} many.
 * Folders created later are watched as they appear. Output folders of other generators and dot folders are
 * left alone, so writing a build into the site does not trigger another.
 */
final class SiteWatcher implements AutoCloseable {

    private static final long QUIET_MILLIS = 60;
    private static final Set<String> IGNORED = Set.of("_site", "public", "resources", "node_modules", "target");

    private final Path root;
    private final WatchService service;
    private final Thread thread;

    private SiteWatcher(Path root, Runnable onChange) throws IOException {
        this.root = root;
        this.service = FileSystems.getDefault().newWatchService();
        registerTree(root);
        this.thread = Thread.ofPlatform().daemon().name("morgana-watch").start(() -> loop(onChange));
    }

    static SiteWatcher start(Path root, Runnable onChange) throws IOException {
        return new SiteWatcher(root, onChange);
    }

    private void loop(Runnable onChange) {
        try {
            while (true) {
                WatchKey key = service.take();
                drain(key);
                // let the burst finish: more events within the quiet time join this rebuild
                WatchKey more;
                while ((more = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                onChange.run();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the server is stopping
        }
    }

    private void drain(WatchKey key) {
        Path dir = (Path) key.watchable();
        for (var event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && event.context() instanceof Path name) {
                Path created = dir.resolve(name);
                if (Files.isDirectory(created)) {
                    try {
                        registerTree(created);
                    } catch (IOException | UncheckedIOException e) {
                        // a folder gone again before we looked: nothing to watch
                    }
                }
            }
        }
        key.reset();
    }

    private void registerTree(Path top) throws IOException {
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path dir : walk.filter(Files::isDirectory).filter(this::watched).toList()) {
                dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
            }
        }
    }

    private boolean watched(Path dir) {
        for (Path segment : root.relativize(dir)) {
            String name = segment.toString();
            if ((name.startsWith(".") && !name.isEmpty()) || IGNORED.contains(name)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // closing anyway
        }
        thread.interrupt();
    }
}
