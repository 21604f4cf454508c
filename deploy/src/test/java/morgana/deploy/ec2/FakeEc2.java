package morgana.deploy.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The EC2 Query API (POST, form-encoded {@code Action=...&Version=2016-11-15}, XML answers in the
 * 2016-11-15 namespace, errors as {@code <Response><Errors><Error>}) for the actions a deploy calls.
 */
final class FakeEc2 implements FakeAws.Service {
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final Pattern CREATED_ID = Pattern.compile(
            "<(imageId|instanceId|associationId|launchTemplateId)>([^<]+)<");
    private static final Pattern VERSION = Pattern.compile("<(versionNumber)>([^<]+)<");

    private final FakeCloud cloud;
    private final FakeLaunchTemplates templates;

    FakeEc2(FakeCloud cloud) {
        this.cloud = cloud;
        this.templates = new FakeLaunchTemplates(cloud);
    }

    @Override
    public boolean serves(FakeAws.Request request) {
        return FakeQuery.speaks(request, "2016-11-15");
    }

    @Override
    public String action(FakeAws.Request request) {
        return params(request).getOrDefault("Action", "?");
    }

    static Map<String, String> params(FakeAws.Request request) {
        Map<String, String> params = new TreeMap<>();
        for (String pair : new String(request.body(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** The values of a flattened list: {@code InstanceId.1}, {@code InstanceId.2}, ... */
    static List<String> list(Map<String, String> params, String prefix) {
        List<String> values = new ArrayList<>();
        for (int n = 1; params.containsKey(prefix + "." + n); n++) {
            values.add(params.get(prefix + "." + n));
        }
        return values;
    }

    /** {@code Filter.N.Name} / {@code Filter.N.Value.M}. */
    static Map<String, List<String>> filters(Map<String, String> params) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (int n = 1; params.containsKey("Filter." + n + ".Name"); n++) {
            filters.put(params.get("Filter." + n + ".Name"), list(params, "Filter." + n + ".Value"));
        }
        return filters;
    }

    /** {@code <prefix>.N.Tag.M.Key/Value} of the tag specification for {@code type}. */
    static Map<String, String> taggedAs(Map<String, String> params, String type) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int n = 1; params.containsKey("TagSpecification." + n + ".ResourceType"); n++) {
            if (params.get("TagSpecification." + n + ".ResourceType").equals(type)) {
                tags.putAll(tagList(params, "TagSpecification." + n + ".Tag"));
            }
        }
        return tags;
    }

    static Map<String, String> tagList(Map<String, String> params, String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int m = 1; params.containsKey(prefix + "." + m + ".Key"); m++) {
            tags.put(params.get(prefix + "." + m + ".Key"), params.getOrDefault(prefix + "." + m + ".Value", ""));
        }
        return tags;
    }

    static boolean matches(Map<String, List<String>> filters, Map<String, String> tags,
                           Function<String, String> attribute) {
        return filters.entrySet().stream().allMatch(f -> {
            String value = f.getKey().startsWith("tag:") ? tags.get(f.getKey().substring(4)) : attribute.apply(f.getKey());
            return value != null && f.getValue().contains(value);
        });
    }

    @Override
    public FakeAws.Response handle(String action, FakeAws.Request request) {
        Map<String, String> p = params(request);
        Xml xml = new Xml().open(action + "Response", NS).text("requestId", "req");
        switch (action) {
            case "DescribeInstances" -> describeInstances(p, xml);
            case "RunInstances" -> runInstances(p, xml);
            case "TerminateInstances" -> terminateInstances(p, xml);
            case "DescribeImages" -> describeImages(p, xml);
            case "RegisterImage" -> registerImage(p, xml);
            case "DeregisterImage" -> {
                require(cloud.images.remove(p.get("ImageId")) != null, "InvalidAMIID.NotFound", p.get("ImageId"));
                xml.text("return", true);
            }
            case "DescribeSnapshots" -> describeSnapshots(p, xml);
            case "DeleteSnapshot" -> {
                String id = p.get("SnapshotId");
                boolean inUse = cloud.images.values().stream().anyMatch(i -> i.snapshotId().equals(id));
                require(!inUse, "InvalidSnapshot.InUse", id + " is in use by an image");
                require(cloud.snapshots.remove(id) != null, "InvalidSnapshot.NotFound", id);
                xml.text("return", true);
            }
            case "CreateTags" -> {
                Map<String, String> tags = tagList(p, "Tag");
                for (String id : list(p, "ResourceId")) {
                    tagsOf(id).putAll(tags);
                }
                xml.text("return", true);
            }
            case "DescribeAddresses" -> describeAddresses(p, xml);
            case "AssociateAddress" -> associateAddress(p, xml);
            case "GetConsoleOutput" -> {
                String id = p.get("InstanceId");
                xml.text("instanceId", id).text("timestamp", cloud.now())
                        .text("output", Base64.getEncoder().encodeToString(cloud.consoles
                                .getOrDefault(id, "").getBytes(StandardCharsets.UTF_8)));
            }
            default -> {
                if (!FakeLaunchTemplates.ACTIONS.contains(action)) {
                    throw new IllegalArgumentException("the fake EC2 does not implement " + action);
                }
                templates.handle(action, p, xml);
            }
        }
        return FakeAws.Response.of(200, "text/xml;charset=UTF-8", xml.close(action + "Response").toString());
    }

    private void describeInstances(Map<String, String> p, Xml xml) {
        List<String> ids = list(p, "InstanceId");
        Map<String, List<String>> filters = filters(p);
        xml.open("reservationSet");
        for (FakeCloud.FakeInstance i : cloud.instances.values().stream().sorted((a, b) -> a.id.compareTo(b.id)).toList()) {
            if ((!ids.isEmpty() && !ids.contains(i.id)) || !matches(filters, i.tags,
                    name -> name.equals("instance-state-name") ? i.state : null)) {
                continue;
            }
            if (i.state.equals("pending")) { // up on the next look, as after a (very) fast boot
                cloud.run(i);
            } else if (i.state.equals("shutting-down")) {
                i.state = "terminated";
            }
            xml.open("item").text("reservationId", "r-" + i.id.substring(2)).text("ownerId", FakeCloud.ACCOUNT)
                    .open("instancesSet");
            instance(xml, i);
            xml.close("instancesSet").close("item");
        }
        xml.close("reservationSet");
    }

    private static void instance(Xml xml, FakeCloud.FakeInstance i) {
        xml.open("item").text("instanceId", i.id).text("imageId", i.imageId)
                .open("instanceState").text("code", stateCode(i.state)).text("name", i.state).close("instanceState")
                .text("instanceType", "t3.micro")
                .text("ipAddress", i.state.equals("pending") || i.state.equals("terminated") ? null : i.publicIp)
                .text("subnetId", i.subnetId).tags(i.tags).close("item");
    }

    private static int stateCode(String state) {
        return switch (state) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            default -> 80;
        };
    }

    private void runInstances(Map<String, String> p, Xml xml) {
        String imageId = p.get("ImageId");
        require(cloud.images.containsKey(imageId), "InvalidAMIID.NotFound", "no image " + imageId);
        require("1".equals(p.get("MinCount")) && "1".equals(p.get("MaxCount")), "InvalidParameterValue", "count");
        // ClientToken (which the SDK fills in once per call and repeats on retries) makes a retry return the
        // instance the first attempt launched instead of launching another.
        String token = p.get("ClientToken");
        FakeCloud.FakeInstance earlier = token == null ? null : cloud.launchedByToken.get(token);
        if (earlier != null) {
            xml.text("reservationId", "r-" + earlier.id.substring(2)).text("ownerId", FakeCloud.ACCOUNT)
                    .open("instancesSet");
            instance(xml, earlier);
            xml.close("instancesSet");
            return;
        }
        FakeCloud.FakeInstance i = new FakeCloud.FakeInstance(cloud.newId("i"), imageId, cloud.newPublicIp(),
                taggedAs(p, "instance"), p.get("NetworkInterface.1.SubnetId"),
                p.get("NetworkInterface.1.SecurityGroupId.1"), p.get("MetadataOptions.HttpTokens"));
        cloud.instances.put(i.id, i);
        if (token != null) {
            cloud.launchedByToken.put(token, i);
        }
        xml.text("reservationId", "r-" + i.id.substring(2)).text("ownerId", FakeCloud.ACCOUNT).open("instancesSet");
        instance(xml, i);
        xml.close("instancesSet");
    }

    private void terminateInstances(Map<String, String> p, Xml xml) {
        xml.open("instancesSet");
        for (String id : list(p, "InstanceId")) {
            FakeCloud.FakeInstance i = cloud.instances.get(id);
            require(i != null, "InvalidInstanceID.NotFound", id);
            String previous = i.state;
            cloud.terminate(i);
            xml.open("item").text("instanceId", id)
                    .open("currentState").text("code", stateCode(i.state)).text("name", i.state).close("currentState")
                    .open("previousState").text("code", stateCode(previous)).text("name", previous)
                    .close("previousState").close("item");
        }
        xml.close("instancesSet");
    }

    private void describeImages(Map<String, String> p, Xml xml) {
        Map<String, List<String>> filters = filters(p);
        xml.open("imagesSet");
        for (FakeCloud.FakeImage i : cloud.images.values()) {
            if (!matches(filters, i.tags(), name -> null)) {
                continue;
            }
            xml.open("item").text("imageId", i.id()).text("name", i.name()).text("imageState", "available")
                    .text("creationDate", i.created()).text("imageOwnerId", FakeCloud.ACCOUNT)
                    .text("rootDeviceName", "/dev/xvda").open("blockDeviceMapping").open("item")
                    .text("deviceName", "/dev/xvda").open("ebs").text("snapshotId", i.snapshotId()).close("ebs")
                    .close("item").close("blockDeviceMapping").tags(i.tags()).close("item");
        }
        xml.close("imagesSet");
    }

    private void registerImage(Map<String, String> p, Xml xml) {
        String snapshot = p.get("BlockDeviceMapping.1.Ebs.SnapshotId");
        FakeCloud.FakeSnapshot s = cloud.snapshots.get(snapshot);
        require(s != null && s.status.equals("completed"), "InvalidSnapshot.NotFound",
                "no completed snapshot " + snapshot);
        boolean duplicate = cloud.images.values().stream().anyMatch(i -> i.name().equals(p.get("Name")));
        require(!duplicate, "InvalidAMIName.Duplicate", "an image named " + p.get("Name") + " exists");
        Map<String, String> attributes = new TreeMap<>();
        for (String key : List.of("Architecture", "VirtualizationType", "BootMode", "EnaSupport", "ImdsSupport",
                "RootDeviceName")) {
            attributes.put(key, p.get(key));
        }
        FakeCloud.FakeImage image = new FakeCloud.FakeImage(cloud.newId("ami"), p.get("Name"), cloud.now(), snapshot,
                new java.util.concurrent.ConcurrentHashMap<>(taggedAs(p, "image")), attributes);
        cloud.images.put(image.id(), image);
        xml.text("imageId", image.id());
    }

    private void describeSnapshots(Map<String, String> p, Xml xml) {
        List<String> ids = list(p, "SnapshotId");
        Map<String, List<String>> filters = filters(p);
        xml.open("snapshotSet");
        for (FakeCloud.FakeSnapshot s : cloud.snapshots.values()) {
            if ((!ids.isEmpty() && !ids.contains(s.id)) || !matches(filters, s.tags, name -> null)) {
                continue;
            }
            xml.open("item").text("snapshotId", s.id).text("status", s.status).text("startTime", s.started)
                    .text("volumeSize", s.volumeGib).text("ownerId", FakeCloud.ACCOUNT).tags(s.tags).close("item");
        }
        xml.close("snapshotSet");
        require(ids.stream().allMatch(cloud.snapshots::containsKey), "InvalidSnapshot.NotFound", ids.toString());
    }

    private void describeAddresses(Map<String, String> p, Xml xml) {
        xml.open("addressesSet");
        for (String id : list(p, "AllocationId")) {
            FakeCloud.FakeAddress a = cloud.addresses.get(id);
            require(a != null, "InvalidAllocationID.NotFound", id);
            xml.open("item").text("publicIp", a.publicIp).text("allocationId", a.allocationId).text("domain", "vpc")
                    .text("instanceId", a.instanceId)
                    .text("associationId", a.instanceId == null ? null : "eipassoc-" + a.instanceId.substring(2))
                    .close("item");
        }
        xml.close("addressesSet");
    }

    private void associateAddress(Map<String, String> p, Xml xml) {
        FakeCloud.FakeAddress a = cloud.addresses.get(p.get("AllocationId"));
        require(a != null, "InvalidAllocationID.NotFound", p.get("AllocationId"));
        FakeCloud.FakeInstance i = cloud.instances.get(p.get("InstanceId"));
        require(i != null && i.state.equals("running"), "InvalidInstanceID", p.get("InstanceId") + " is not running");
        require(a.instanceId == null || "true".equals(p.get("AllowReassociation")), "Resource.AlreadyAssociated",
                a.allocationId + " is associated with " + a.instanceId);
        a.instanceId = i.id;
        cloud.onAssociated.accept(a, i);
        xml.text("return", true).text("associationId", "eipassoc-" + i.id.substring(2));
    }

    private Map<String, String> tagsOf(String id) {
        return Stream.<Map<String, String>>of(
                        cloud.instances.containsKey(id) ? cloud.instances.get(id).tags : null,
                        cloud.images.containsKey(id) ? cloud.images.get(id).tags() : null,
                        cloud.snapshots.containsKey(id) ? cloud.snapshots.get(id).tags : null)
                .filter(java.util.Objects::nonNull).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource " + id));
    }

    private static void require(boolean condition, String code, String message) {
        if (!condition) {
            throw new FakeAws.ServiceError(400, code, message);
        }
    }

    @Override
    public FakeAws.Response error(int status, String code, String message) {
        return FakeAws.Response.of(status, "text/xml;charset=UTF-8", new Xml().open("Response").open("Errors")
                .open("Error").text("Code", code).text("Message", message).close("Error").close("Errors")
                .text("RequestID", "req").close("Response").toString());
    }

    @Override
    public String detail(String action, FakeAws.Request request, FakeAws.Response response) {
        Map<String, String> p = params(request);
        List<String> named = new ArrayList<>();
        filters(p).forEach((name, values) -> named.add(name + "=" + String.join(",", values)));
        for (String list : List.of("InstanceId", "SnapshotId", "AllocationId", "ResourceId", "SubnetId")) {
            if (!list(p, list).isEmpty()) {
                named.add(list + "=" + String.join(",", list(p, list)));
            }
        }
        tagList(p, "Tag").forEach((k, v) -> named.add("tag " + k + "=" + v));
        p.forEach((k, v) -> {
            if (k.matches("ImageId|SnapshotId|AllocationId|InstanceId|InstanceType|BootMode|EnaSupport|ImdsSupport"
                    + "|LaunchTemplateName|LaunchTemplateId|SetDefaultVersion|LaunchTemplateData\\.ImageId"
                    + "|Architecture|MetadataOptions\\.HttpTokens|AllowReassociation|BlockDeviceMapping\\.1\\.Ebs\\.SnapshotId"
                    + "|NetworkInterface\\.1\\.(SubnetId|SecurityGroupId\\.1)")) {
                named.add(k.replace("BlockDeviceMapping.1.Ebs.", "").replace("NetworkInterface.1.", "")
                        .replace("LaunchTemplateData.", "")
                        .replace("MetadataOptions.", "").replace(".1", "") + "=" + v);
            }
        });
        taggedAs(p, "instance").forEach((k, v) -> named.add("tag " + k + "=" + abbreviated(v)));
        taggedAs(p, "image").forEach((k, v) -> named.add("tag " + k + "=" + abbreviated(v)));
        String body = new String(response.body(), StandardCharsets.UTF_8);
        Matcher created = (action.equals("CreateLaunchTemplateVersion") ? VERSION : CREATED_ID).matcher(body);
        String made = response.status() == 200 && !action.startsWith("Describe") && created.find()
                ? " -> " + created.group(2) : response.status() == 200 ? "" : " -> " + response.status();
        return String.join(" ", named) + made;
    }

    private static String abbreviated(String value) {
        return value.length() > 24 ? value.substring(0, 12) + "..." : value;
    }
}
