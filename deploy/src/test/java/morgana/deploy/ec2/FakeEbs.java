package morgana.deploy.ec2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EBS direct APIs' write half (REST/JSON): StartSnapshot, PutSnapshotBlock with its binary body and
 * {@code x-amz-Checksum} header, CompleteSnapshot with the changed-block count and the LINEAR aggregate. A
 * block whose SHA-256 does not match, or a completion whose count or aggregate does not, is refused as
 * EBS refuses it.
 */
final class FakeEbs implements FakeAws.Service {
    private static final Pattern BLOCK = Pattern.compile("/snapshots/([^/]+)/blocks/(\\d+)");
    private static final Pattern COMPLETION = Pattern.compile("/snapshots/completion/([^/]+)");
    private static final Pattern TAG = Pattern.compile("\\{\"Key\":\"([^\"]*)\",\"Value\":\"([^\"]*)\"}");
    private static final Pattern VOLUME_SIZE = Pattern.compile("\"VolumeSize\":(\\d+)");

    private final FakeCloud cloud;

    FakeEbs(FakeCloud cloud) {
        this.cloud = cloud;
    }

    @Override
    public boolean serves(FakeAws.Request request) {
        return request.path().startsWith("/snapshots");
    }

    @Override
    public String action(FakeAws.Request request) {
        if (request.method().equals("POST") && request.path().equals("/snapshots")) {
            return "StartSnapshot";
        }
        if (request.method().equals("PUT") && BLOCK.matcher(request.path()).matches()) {
            return "PutSnapshotBlock";
        }
        if (request.method().equals("POST") && COMPLETION.matcher(request.path()).matches()) {
            return "CompleteSnapshot";
        }
        return request.method() + " " + request.path();
    }

    @Override
    public FakeAws.Response handle(String action, FakeAws.Request request) {
        return switch (action) {
            case "StartSnapshot" -> start(request);
            case "PutSnapshotBlock" -> put(request);
            case "CompleteSnapshot" -> complete(request);
            default -> throw new FakeAws.ServiceError(404, "ResourceNotFoundException", "no such API: " + action);
        };
    }

    private FakeAws.Response start(FakeAws.Request request) {
        // A JSON body of a known shape from the SDK; a regular expression reads it without a JSON library.
        String json = new String(request.body(), StandardCharsets.UTF_8);
        Matcher size = VOLUME_SIZE.matcher(json);
        require(size.find(), "VolumeSize is required");
        Map<String, String> tags = new LinkedHashMap<>();
        for (Matcher tag = TAG.matcher(json); tag.find(); ) {
            tags.put(tag.group(1), tag.group(2));
        }
        FakeCloud.FakeSnapshot s = new FakeCloud.FakeSnapshot(cloud.newId("snap"), Long.parseLong(size.group(1)),
                cloud.now(), tags);
        cloud.snapshots.put(s.id, s);
        String answer = "{\"SnapshotId\":\"" + s.id + "\",\"OwnerId\":\"" + FakeCloud.ACCOUNT
                + "\",\"Status\":\"pending\",\"StartTime\":" + s.started.getEpochSecond() + ",\"VolumeSize\":"
                + s.volumeGib + ",\"BlockSize\":" + SnapshotUpload.BLOCK_SIZE + "}";
        return FakeAws.Response.of(201, "application/json", answer);
    }

    private FakeAws.Response put(FakeAws.Request request) {
        Matcher m = BLOCK.matcher(request.path());
        require(m.matches(), "bad path");
        FakeCloud.FakeSnapshot s = pending(m.group(1));
        int index = Integer.parseInt(m.group(2));
        require((long) index * SnapshotUpload.BLOCK_SIZE < s.volumeGib << 30, "BlockIndex " + index
                + " is beyond the volume");
        require("SHA256".equals(request.header("x-amz-Checksum-Algorithm")), "x-amz-Checksum-Algorithm must be SHA256");
        require(String.valueOf(SnapshotUpload.BLOCK_SIZE).equals(request.header("x-amz-Data-Length"))
                && request.body().length == SnapshotUpload.BLOCK_SIZE, "DataLength must be 524288");
        byte[] sha = SnapshotUpload.sha256(request.body());
        String checksum = Base64.getEncoder().encodeToString(sha);
        require(checksum.equals(request.header("x-amz-Checksum")), "INVALID_CHECKSUM: block " + index);
        s.blocks.put(index, request.body());
        s.checksums.put(index, sha);
        return new FakeAws.Response(201, "application/json", new byte[0],
                Map.of("x-amz-Checksum", checksum, "x-amz-Checksum-Algorithm", "SHA256"));
    }

    private FakeAws.Response complete(FakeAws.Request request) {
        Matcher m = COMPLETION.matcher(request.path());
        require(m.matches(), "bad path");
        FakeCloud.FakeSnapshot s = pending(m.group(1));
        require(String.valueOf(s.blocks.size()).equals(request.header("x-amz-ChangedBlocksCount")),
                "INVALID_CHANGED_BLOCKS_COUNT: " + s.blocks.size() + " blocks were written, the request says "
                        + request.header("x-amz-ChangedBlocksCount"));
        if (request.header("x-amz-Checksum") != null) {
            require("LINEAR".equals(request.header("x-amz-Checksum-Aggregation-Method")), "aggregation must be LINEAR");
            String aggregate = Base64.getEncoder().encodeToString(
                    SnapshotUpload.linearAggregate(s.checksums.values().toArray(byte[][]::new)));
            require(aggregate.equals(request.header("x-amz-Checksum")), "INVALID_CHECKSUM: the aggregate does not match");
        }
        s.status = "completed";
        return FakeAws.Response.of(202, "application/json", "{\"Status\":\"completed\"}");
    }

    private FakeCloud.FakeSnapshot pending(String id) {
        FakeCloud.FakeSnapshot s = cloud.snapshots.get(id);
        if (s == null) {
            throw new FakeAws.ServiceError(404, "ResourceNotFoundException", "no snapshot " + id);
        }
        require(s.status.equals("pending"), "SNAPSHOT_NOT_FOUND: " + id + " is " + s.status);
        return s;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new FakeAws.ServiceError(400, "ValidationException", message);
        }
    }

    @Override
    public FakeAws.Response error(int status, String code, String message) {
        return new FakeAws.Response(status, "application/json",
                ("{\"Message\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8),
                Map.of("x-amzn-ErrorType", code));
    }

    @Override
    public String detail(String action, FakeAws.Request request, FakeAws.Response response) {
        String result = response.status() >= 300 ? " -> " + response.status() : "";
        return switch (action) {
            case "StartSnapshot" -> {
                Matcher id = Pattern.compile("\"SnapshotId\":\"([^\"]+)\"")
                        .matcher(new String(response.body(), StandardCharsets.UTF_8));
                yield (id.find() ? "-> " + id.group(1) : "") + result;
            }
            case "CompleteSnapshot" -> request.path().substring("/snapshots/completion/".length()) + " ChangedBlocksCount="
                    + request.header("x-amz-ChangedBlocksCount") + " (SHA256, LINEAR)" + result;
            default -> result.strip();
        };
    }
}
