package morgana.deploy.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The AWS Query protocol as Auto Scaling and ELBv2 speak it: a form-encoded POST to {@code /} with
 * {@code Action} and {@code Version}, lists as {@code Name.member.N}, answers as
 * {@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>}, errors as
 * {@code <ErrorResponse><Error><Type><Code><Message>}.
 */
final class FakeQuery {
    private FakeQuery() {
    }

    static boolean speaks(FakeAws.Request request, String version) {
        return request.method().equals("POST") && request.path().equals("/")
                && version.equals(FakeEc2.params(request).get("Version"));
    }

    /** {@code prefix.member.1}, {@code prefix.member.2}, ... */
    static List<String> members(Map<String, String> params, String prefix) {
        List<String> values = new ArrayList<>();
        for (int n = 1; params.containsKey(prefix + ".member." + n); n++) {
            values.add(params.get(prefix + ".member." + n));
        }
        return values;
    }

    /** {@code prefix.member.N.field} for each N while it is present. */
    static List<String> memberFields(Map<String, String> params, String prefix, String field) {
        List<String> values = new ArrayList<>();
        for (int n = 1; params.containsKey(prefix + ".member." + n + "." + field); n++) {
            values.add(params.get(prefix + ".member." + n + "." + field));
        }
        return values;
    }

    /** The answer to {@code action}: {@code result} writes into its Result element. */
    static FakeAws.Response answer(String action, String namespace, java.util.function.Consumer<Xml> result) {
        Xml xml = new Xml().open(action + "Response", namespace).open(action + "Result");
        result.accept(xml);
        xml.close(action + "Result").open("ResponseMetadata").text("RequestId", "req").close("ResponseMetadata")
                .close(action + "Response");
        return new FakeAws.Response(200, "text/xml", xml.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static FakeAws.Response error(String namespace, int status, String code, String message) {
        return FakeAws.Response.of(status, "text/xml", new Xml().open("ErrorResponse", namespace).open("Error")
                .text("Type", status < 500 ? "Sender" : "Receiver").text("Code", code).text("Message", message)
                .close("Error").text("RequestId", "req").close("ErrorResponse").toString());
    }

    static void require(boolean condition, String code, String message) {
        if (!condition) {
            throw new FakeAws.ServiceError(400, code, message);
        }
    }
}
