package morgana.deploy.ec2;

import java.util.Map;

/** A little XML writer for the fake's responses: elements and escaped text, nothing more. */
final class Xml {
    private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    Xml open(String name, String namespace) {
        out.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
        return this;
    }

    Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    Xml text(String name, Object value) {
        if (value != null) {
            open(name);
            out.append(escape(value.toString()));
            close(name);
        }
        return this;
    }

    /** An EC2 {@code tagSet}. */
    Xml tags(Map<String, String> tags) {
        open("tagSet");
        tags.forEach((k, v) -> open("item").text("key", k).text("value", v).close("item"));
        return close("tagSet");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * A request body of a REST/XML service (Route 53, CloudFront), parsed namespace-aware; what is not XML is
     * the service's 400 with {@code errorCode}.
     */
    static org.w3c.dom.Document parseRequest(byte[] body, String errorCode) {
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new FakeAws.ServiceError(400, errorCode, "not XML: " + e.getMessage());
        }
    }
}
