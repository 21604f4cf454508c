package morgana.deploy.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * CloudFront's REST/XML API (2020-05-31) for a fleet's distribution: cache policies, a distribution with an
 * origin and cache behaviors, invalidations (completed on the first look).
 */
final class FakeCloudFront implements FakeAws.Service {
    private static final String NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    private static final String ROOT = "/2020-05-31/";
    private static final Pattern INVALIDATIONS = Pattern.compile(ROOT + "distribution/([^/]+)/invalidation");
    private static final Pattern INVALIDATION = Pattern.compile(ROOT + "distribution/([^/]+)/invalidation/([^/]+)");

    record CachePolicy(String id, String name, long minTtl, long defaultTtl, long maxTtl, boolean gzip, boolean brotli) {
    }

    /** A distribution as created: its origin and the cache policy of each path pattern ("*" the default). */
    record Distribution(String id, String domain, String comment, String originDomain, String originProtocol,
                        Map<String, String> policies) {
    }

    record Invalidation(String id, String distributionId, String callerReference, List<String> paths) {
    }

    final Map<String, CachePolicy> policies = new ConcurrentHashMap<>();
    final Map<String, Distribution> distributions = new ConcurrentHashMap<>();
    final Map<String, Invalidation> invalidations = new ConcurrentHashMap<>();
    private final FakeCloud cloud;

    FakeCloudFront(FakeCloud cloud) {
        this.cloud = cloud;
    }

    @Override
    public boolean serves(FakeAws.Request request) {
        return request.path().startsWith(ROOT);
    }

    @Override
    public String action(FakeAws.Request request) {
        String path = request.path();
        boolean post = request.method().equals("POST");
        if (path.equals(ROOT + "distribution")) {
            return post ? "CreateDistribution" : "ListDistributions";
        }
        if (path.equals(ROOT + "cache-policy")) {
            return post ? "CreateCachePolicy" : "ListCachePolicies";
        }
        if (INVALIDATIONS.matcher(path).matches() && post) {
            return "CreateInvalidation";
        }
        return INVALIDATION.matcher(path).matches() ? "GetInvalidation" : request.method() + " " + path;
    }

    @Override
    public synchronized FakeAws.Response handle(String action, FakeAws.Request request) {
        Xml xml = new Xml();
        switch (action) {
            case "ListDistributions" -> {
                xml.open("DistributionList", NS).text("Marker", "").text("MaxItems", 100).text("IsTruncated", false)
                        .text("Quantity", distributions.size()).open("Items");
                distributions.values().forEach(d -> xml.open("DistributionSummary").text("Id", d.id())
                        .text("ARN", "arn:aws:cloudfront::" + FakeCloud.ACCOUNT + ":distribution/" + d.id())
                        .text("Status", "Deployed").text("DomainName", d.domain()).text("Comment", d.comment())
                        .text("Enabled", true).close("DistributionSummary"));
                xml.close("Items").close("DistributionList");
                return ok(200, xml);
            }
            case "CreateDistribution" -> {
                Document doc = parse(request.body());
                Element origin = first(doc.getDocumentElement(), "Origin");
                Map<String, String> byPattern = new java.util.TreeMap<>();
                byPattern.put("*", text(first(doc.getDocumentElement(), "DefaultCacheBehavior"), "CachePolicyId"));
                NodeList behaviors = doc.getElementsByTagNameNS(NS, "CacheBehavior");
                for (int n = 0; n < behaviors.getLength(); n++) {
                    Element b = (Element) behaviors.item(n);
                    byPattern.put(text(b, "PathPattern"), text(b, "CachePolicyId"));
                }
                byPattern.values().forEach(id -> require(policies.containsKey(id), "NoSuchCachePolicy", id));
                String id = "E" + cloud.newId("d").substring(2).toUpperCase(java.util.Locale.ROOT);
                Distribution d = new Distribution(id, "d" + id.toLowerCase(java.util.Locale.ROOT).substring(1, 10)
                        + ".cloudfront.net", text(doc.getDocumentElement(), "Comment"), text(origin, "DomainName"),
                        text(origin, "OriginProtocolPolicy"), byPattern);
                distributions.put(id, d);
                xml.open("Distribution", NS).text("Id", id).text("ARN", "arn:aws:cloudfront::" + FakeCloud.ACCOUNT
                                + ":distribution/" + id).text("Status", "InProgress").text("DomainName", d.domain())
                        .text("InProgressInvalidationBatches", 0).close("Distribution");
                return ok(201, xml);
            }
            case "ListCachePolicies" -> {
                xml.open("CachePolicyList", NS).text("MaxItems", 100).text("Quantity", policies.size()).open("Items");
                policies.values().forEach(p -> {
                    xml.open("CachePolicySummary").text("Type", "custom").open("CachePolicy").text("Id", p.id())
                            .text("LastModifiedTime", "2026-11-25T10:00:00Z");
                    config(xml, p);
                    xml.close("CachePolicy").close("CachePolicySummary");
                });
                xml.close("Items").close("CachePolicyList");
                return ok(200, xml);
            }
            case "CreateCachePolicy" -> {
                Element c = parse(request.body()).getDocumentElement();
                String name = text(c, "Name");
                require(policies.values().stream().noneMatch(p -> p.name().equals(name)), "CachePolicyAlreadyExists",
                        name);
                CachePolicy p = new CachePolicy(cloud.newId("cp"), name, Long.parseLong(text(c, "MinTTL")),
                        Long.parseLong(text(c, "DefaultTTL")), Long.parseLong(text(c, "MaxTTL")),
                        Boolean.parseBoolean(text(c, "EnableAcceptEncodingGzip")),
                        Boolean.parseBoolean(text(c, "EnableAcceptEncodingBrotli")));
                policies.put(p.id(), p);
                xml.open("CachePolicy", NS).text("Id", p.id()).text("LastModifiedTime", "2026-11-25T10:00:00Z");
                config(xml, p);
                return ok(201, xml.close("CachePolicy"));
            }
            case "CreateInvalidation" -> {
                Matcher m = INVALIDATIONS.matcher(request.path());
                require(m.matches() && distributions.containsKey(m.group(1)), "NoSuchDistribution", request.path());
                Element batch = parse(request.body()).getDocumentElement();
                String reference = text(batch, "CallerReference");
                List<String> paths = new ArrayList<>();
                NodeList items = batch.getElementsByTagNameNS(NS, "Path");
                for (int n = 0; n < items.getLength(); n++) {
                    paths.add(items.item(n).getTextContent());
                }
                Invalidation i = invalidations.values().stream().filter(x -> x.callerReference().equals(reference))
                        .findFirst().orElseGet(() -> new Invalidation("I" + cloud.newId("x").substring(2),
                                m.group(1), reference, paths));
                require(i.paths().equals(paths), "InvalidationBatchAlreadyExists", reference);
                invalidations.put(i.id(), i);
                return ok(201, invalidation(xml, i, "InProgress"));
            }
            case "GetInvalidation" -> {
                Matcher m = INVALIDATION.matcher(request.path());
                require(m.matches() && invalidations.containsKey(m.group(2)), "NoSuchInvalidation", request.path());
                return ok(200, invalidation(xml, invalidations.get(m.group(2)), "Completed"));
            }
            default -> throw new FakeAws.ServiceError(404, "InvalidInput", "no such API: " + action);
        }
    }

    private static Xml invalidation(Xml xml, Invalidation i, String status) {
        return xml.open("Invalidation", NS).text("Id", i.id()).text("Status", status)
                .text("CreateTime", "2026-11-25T10:00:00Z").open("InvalidationBatch").open("Paths")
                .text("Quantity", i.paths().size()).close("Paths").text("CallerReference", i.callerReference())
                .close("InvalidationBatch").close("Invalidation");
    }

    private static void config(Xml xml, CachePolicy p) {
        xml.open("CachePolicyConfig").text("Name", p.name()).text("DefaultTTL", p.defaultTtl())
                .text("MaxTTL", p.maxTtl()).text("MinTTL", p.minTtl()).close("CachePolicyConfig");
    }

    private static FakeAws.Response ok(int status, Xml xml) {
        return new FakeAws.Response(status, "text/xml", xml.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("ETag", "E1"));
    }

    private static Document parse(byte[] body) {
        return Xml.parseRequest(body, "MalformedInput");
    }

    private static Element first(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS(NS, name);
        require(nodes.getLength() > 0, "MalformedInput", "missing " + name);
        return (Element) nodes.item(0);
    }

    private static String text(Element parent, String name) {
        Node node = first(parent, name);
        return node.getTextContent().strip();
    }

    private static void require(boolean condition, String code, String message) {
        if (!condition) {
            throw new FakeAws.ServiceError(400, code, message);
        }
    }

    @Override
    public FakeAws.Response error(int status, String code, String message) {
        return FakeAws.Response.of(status, "text/xml", new Xml().open("ErrorResponse", NS).open("Error")
                .text("Type", status >= 500 ? "Receiver" : "Sender").text("Code", code).text("Message", message)
                .close("Error").text("RequestId", "req").close("ErrorResponse").toString());
    }

    @Override
    public String detail(String action, FakeAws.Request request, FakeAws.Response response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        Matcher id = Pattern.compile("<Id>([^<]+)</Id>").matcher(body);
        String made = response.status() == 201 && id.find() ? " -> " + id.group(1) : "";
        String result = response.status() >= 300 && response.status() != 201 ? " -> " + response.status() : "";
        return request.path().replace(ROOT, "") + (request.query().isEmpty() ? "" : "?" + request.query()) + made
                + result;
    }
}
