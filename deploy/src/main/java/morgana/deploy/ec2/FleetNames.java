package morgana.deploy.ec2;

/**
 * What a site's fleet resources are called. Each is found again by its name, which is how a rerun finds
 * what an interrupted one made: a launch template, an Auto Scaling group, a target group and a load
 * balancer, all {@code morgana-<site>} (the last two cut to the 32 characters ELB allows).
 */
record FleetNames(String site) {

    String template() {
        return "morgana-" + site;
    }

    String group() {
        return "morgana-" + site;
    }

    String targetGroup() {
        return elbName();
    }

    String loadBalancer() {
        return elbName();
    }

    /** ELB names: at most 32 letters, digits and hyphens, not ending in a hyphen. */
    private String elbName() {
        String name = ("morgana-" + site).replaceAll("[^A-Za-z0-9-]", "-");
        name = name.substring(0, Math.min(32, name.length()));
        return name.replaceAll("-+$", "");
    }
}
