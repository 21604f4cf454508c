package morgana.deploy.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Route 53's REST/XML API for A records: list one, UPSERT it, and the change's status. */
final class FakeRoute53 implements FakeAws.Service {
    private static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final Pattern RRSET = Pattern.compile("/2013-04-01/hostedzone/([^/]+)/rrset/?");
    private static final Pattern CHANGE = Pattern.compile("/2013-04-01/change/(?:change/)?([^/]+)");

    private final FakeCloud cloud;
    private final Map<String, Integer> changeLooks = new ConcurrentHashMap<>();

    FakeRoute53(FakeCloud cloud) {
        this.cloud = cloud;
    }

    @Override
    public boolean serves(FakeAws.Request request) {
        return request.path().startsWith("/2013-04-01/");
    }

    @Override
    public String action(FakeAws.Request request) {
        if (RRSET.matcher(request.path()).matches()) {
            return request.method().equals("POST") ? "ChangeResourceRecordSets" : "ListResourceRecordSets";
        }
        return CHANGE.matcher(request.path()).matches() ? "GetChange" : request.method() + " " + request.path();
    }

    @Override
    public FakeAws.Response handle(String action, FakeAws.Request request) {
        Xml xml = new Xml().open(action + "Response", NS);
        switch (action) {
            case "ListResourceRecordSets" -> {
                Map<String, String> zone = zone(request);
                String name = normal(query(request, "name"));
                xml.open("ResourceRecordSets");
                String value = zone.get(name);
                if (value != null) {
                    xml.open("ResourceRecordSet").text("Name", name + ".").text("Type", "A").text("TTL", 60)
                            .open("ResourceRecords").open("ResourceRecord").text("Value", value)
                            .close("ResourceRecord").close("ResourceRecords").close("ResourceRecordSet");
                }
                xml.close("ResourceRecordSets").text("IsTruncated", false).text("MaxItems", 1);
            }
            case "ChangeResourceRecordSets" -> {
                Map<String, String> zone = zone(request);
                Document doc = parse(request.body());
                require(text(doc, "Action").equals("UPSERT"), "only UPSERT is implemented");
                require(text(doc, "Type").equals("A"), "only A records are implemented");
                require(Long.parseLong(text(doc, "TTL")) <= 300, "a blue/green switch wants a low TTL");
                zone.put(normal(text(doc, "Name")), text(doc, "Value"));
                String id = cloud.newId("C").toUpperCase(Locale.ROOT).replace("-", "");
                changeLooks.put(id, 0);
                changeInfo(xml, "/change/" + id, "PENDING");
            }
            case "GetChange" -> {
                Matcher m = CHANGE.matcher(request.path());
                require(m.matches() && changeLooks.containsKey(m.group(1)), "no such change");
                int looks = changeLooks.merge(m.group(1), 1, Integer::sum);
                changeInfo(xml, "/change/" + m.group(1), looks > 1 ? "INSYNC" : "PENDING");
            }
            default -> throw new FakeAws.ServiceError(404, "InvalidInput", "no such API: " + action);
        }
        return FakeAws.Response.of(200, "text/xml", xml.close(action + "Response").toString());
    }

    private void changeInfo(Xml xml, String id, String status) {
        xml.open("ChangeInfo").text("Id", id).text("Status", status).text("SubmittedAt", cloud.now())
                .close("ChangeInfo");
    }

    private Map<String, String> zone(FakeAws.Request request) {
        Matcher m = RRSET.matcher(request.path());
        require(m.matches(), "bad path");
        Map<String, String> zone = cloud.zones.get(m.group(1));
        if (zone == null) {
            throw new FakeAws.ServiceError(404, "NoSuchHostedZone", "no hosted zone " + m.group(1));
        }
        return zone;
    }

    private static String normal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static String query(FakeAws.Request request, String key) {
        for (String pair : request.query().split("&")) {
            if (pair.startsWith(key + "=")) {
                return URLDecoder.decode(pair.substring(key.length() + 1), StandardCharsets.UTF_8);
            }
        }
        throw new FakeAws.ServiceError(400, "InvalidInput", "missing " + key);
    }

    private static Document parse(byte[] body) {
        return Xml.parseRequest(body, "InvalidInput");
    }

    private static String text(Document doc, String element) {
        NodeList nodes = doc.getElementsByTagNameNS(NS, element);
        require(nodes.getLength() > 0, "missing " + element);
        return ((Element) nodes.item(0)).getTextContent().strip();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new FakeAws.ServiceError(400, "InvalidInput", message);
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
        String result = response.status() >= 300 ? " -> " + response.status() : "";
        if (action.equals("ChangeResourceRecordSets") && response.status() == 200) {
            Document doc = parse(request.body());
            return text(doc, "Action") + " " + text(doc, "Name") + " A " + text(doc, "Value") + " TTL "
                    + text(doc, "TTL");
        }
        return request.path().replace("/2013-04-01/", "") + result;
    }
}
