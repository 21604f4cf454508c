package morgana.deploy.cli;

import picocli.CommandLine.Command;

/** {@code morgana run} is {@code morgana serve --net direct}: Morgana's own stack, on a TAP device. */
@Command(name = "run", description = {
        "Serve a site through Morgana's own TCP/IP stack on a TAP device (serve --net direct).",
        "Needs root or CAP_NET_ADMIN; give the host side of the TAP an address with `ip`."})
final class RunCommand extends ServeCommand {

    @Override
    Net net() {
        return Net.direct;
    }
}
