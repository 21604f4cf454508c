package morgana.deploy.ec2;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ebs.model.ChecksumAggregationMethod;
import software.amazon.awssdk.services.ebs.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.ebs.model.Tag;

/**
 * Writes a raw disk straight into an EBS snapshot with the EBS direct APIs: StartSnapshot, one
 * PutSnapshotBlock per 512 KiB block that holds a non-zero byte (a new snapshot reads zeros elsewhere), in
 * parallel and retried with backoff, each with its SHA-256; then CompleteSnapshot with the linear aggregate
 * of those checksums, so EBS can tell a block went missing.
 */
final class SnapshotUpload {
    /** The EBS direct APIs' only block size. */
    static final int BLOCK_SIZE = 512 * 1024;
    private static final long GIB = 1L << 30;

    private final EbsClient ebs;
    private final int parallelism;
    private final Backoff backoff;
    private final PrintStream out;

    SnapshotUpload(EbsClient ebs, int parallelism, Backoff backoff, PrintStream out) {
        this.ebs = ebs;
        this.parallelism = parallelism;
        this.backoff = backoff;
        this.out = out;
    }

    /** What one upload sent: the snapshot and the blocks that were not zeros. */
    record Sent(String snapshotId, int blocks, long bytes) {
    }

    Sent upload(Path disk, Map<String, String> tags, String description) throws IOException {
        try (FileChannel channel = FileChannel.open(disk)) {
            long size = channel.size();
            List<Integer> blocks = nonZeroBlocks(channel, size);
            long volumeGib = (size + GIB - 1) / GIB;
            String snapshotId = ebs.startSnapshot(b -> b.volumeSize(volumeGib).description(description)
                    .timeout(60).tags(tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()))
                    .snapshotId();
            out.printf("  snapshot %s: %d of %d blocks hold data%n", snapshotId, blocks.size(), size / BLOCK_SIZE);
            ProgressMeter progress = new ProgressMeter(out, "uploaded", (long) blocks.size() * BLOCK_SIZE);
            byte[][] checksums = putAll(channel, snapshotId, blocks, progress);
            progress.finish();
            ebs.completeSnapshot(b -> b.snapshotId(snapshotId).changedBlocksCount(blocks.size())
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                    .checksumAggregationMethod(ChecksumAggregationMethod.LINEAR)
                    .checksum(base64(linearAggregate(checksums))));
            return new Sent(snapshotId, blocks.size(), (long) blocks.size() * BLOCK_SIZE);
        }
    }

    private byte[][] putAll(FileChannel channel, String snapshotId, List<Integer> blocks, ProgressMeter progress)
            throws IOException {
        byte[][] checksums = new byte[blocks.size()][];
        Semaphore inFlight = new Semaphore(parallelism); // bounds the blocks held in memory
        List<Future<?>> sent = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean(); // one block that failed for good fails the upload: stop sending
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 0; n < blocks.size() && !failed.get(); n++) {
                int slot = n;
                int index = blocks.get(n);
                byte[] data = read(channel, index);
                byte[] sha = sha256(data);
                checksums[slot] = sha;
                acquire(inFlight);
                sent.add(pool.submit(() -> {
                    try {
                        if (failed.get()) {
                            return;
                        }
                        backoff.call("PutSnapshotBlock " + index, () -> ebs.putSnapshotBlock(b -> b
                                .snapshotId(snapshotId).blockIndex(index).dataLength(data.length)
                                .checksum(base64(sha)).checksumAlgorithm(ChecksumAlgorithm.SHA256)
                                .progress((int) ((slot + 1L) * 100 / blocks.size())), RequestBody.fromBytes(data)));
                        progress.advance(data.length);
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<?> f : sent) {
                join(f);
            }
        }
        return checksums;
    }

    /** Indices of the blocks with any non-zero byte; the image's disk is 1 GiB with a few MiB of data. */
    static List<Integer> nonZeroBlocks(FileChannel channel, long size) throws IOException {
        List<Integer> blocks = new ArrayList<>();
        for (int index = 0; (long) index * BLOCK_SIZE < size; index++) {
            if (!isZero(read(channel, index))) {
                blocks.add(index);
            }
        }
        return blocks;
    }

    /** One block; the disk's tail, if it is not a whole block, is padded with zeros. */
    static byte[] read(FileChannel channel, int index) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK_SIZE);
        long position = (long) index * BLOCK_SIZE;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                break;
            }
        }
        return buffer.array();
    }

    static boolean isZero(byte[] block) {
        ByteBuffer longs = ByteBuffer.wrap(block);
        while (longs.remaining() >= 8) {
            if (longs.getLong() != 0) {
                return false;
            }
        }
        return true;
    }

    /** The LINEAR aggregation: SHA-256 over the blocks' SHA-256 digests, in block-index order. */
    static byte[] linearAggregate(byte[][] checksums) {
        MessageDigest digest = sha256();
        for (byte[] c : checksums) {
            digest.update(c);
        }
        return digest.digest();
    }

    static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void acquire(Semaphore semaphore) {
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted during the upload", e);
        }
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted during the upload", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        }
    }
}
