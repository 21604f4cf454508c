package morgana.deploy.ec2;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The EC2 actions of a fleet: subnets and their zones, launch templates and their versions. */
final class FakeLaunchTemplates {
    static final Set<String> ACTIONS = Set.of("DescribeSubnets", "CreateLaunchTemplate", "CreateLaunchTemplateVersion",
            "DescribeLaunchTemplates", "DescribeLaunchTemplateVersions", "ModifyLaunchTemplate");

    private final FakeCloud cloud;
    private final FakeFleet fleet;

    FakeLaunchTemplates(FakeCloud cloud) {
        this.cloud = cloud;
        this.fleet = cloud.fleet;
    }

    void handle(String action, Map<String, String> p, Xml xml) {
        synchronized (fleet) {
            switch (action) {
                case "DescribeSubnets" -> {
                    List<String> ids = FakeEc2.list(p, "SubnetId");
                    for (String id : ids) {
                        require(fleet.subnets.containsKey(id), "InvalidSubnetID.NotFound",
                                "The subnet ID '" + id + "' does not exist");
                    }
                    xml.open("subnetSet");
                    ids.forEach(id -> xml.open("item").text("subnetId", id).text("vpcId", FakeFleet.VPC)
                            .text("availabilityZone", fleet.subnets.get(id)).text("state", "available").close("item"));
                    xml.close("subnetSet");
                }
                case "CreateLaunchTemplate" -> {
                    String name = p.get("LaunchTemplateName");
                    require(fleet.templateNamed(name) == null, "InvalidLaunchTemplateName.AlreadyExistsException",
                            "Launch template name already in use.");
                    FakeFleet.FakeTemplate t = new FakeFleet.FakeTemplate(cloud.newId("lt"), name);
                    t.versions.add(data(p));
                    fleet.templates.put(t.id, t);
                    template(xml.open("launchTemplate"), t).close("launchTemplate");
                }
                case "CreateLaunchTemplateVersion" -> {
                    FakeFleet.FakeTemplate t = template(p);
                    t.versions.add(data(p));
                    xml.open("launchTemplateVersion");
                    version(xml, t, t.versions.size());
                    xml.close("launchTemplateVersion");
                }
                case "DescribeLaunchTemplates" -> {
                    List<String> names = FakeEc2.filters(p).getOrDefault("launch-template-name", List.of());
                    xml.open("launchTemplates");
                    fleet.templates.values().stream().filter(t -> names.contains(t.name))
                            .forEach(t -> template(xml.open("item"), t).close("item"));
                    xml.close("launchTemplates");
                }
                case "DescribeLaunchTemplateVersions" -> {
                    FakeFleet.FakeTemplate t = template(p);
                    xml.open("launchTemplateVersionSet");
                    for (int n = 1; n <= t.versions.size(); n++) {
                        xml.open("item");
                        version(xml, t, n);
                        xml.close("item");
                    }
                    xml.close("launchTemplateVersionSet");
                }
                case "ModifyLaunchTemplate" -> {
                    FakeFleet.FakeTemplate t = template(p);
                    String version = p.getOrDefault("SetDefaultVersion", p.get("DefaultVersion"));
                    long number = Long.parseLong(version);
                    require(number >= 1 && number <= t.versions.size(), "InvalidLaunchTemplateId.VersionNotFound",
                            "no version " + version);
                    t.defaultVersion = number;
                    template(xml.open("launchTemplate"), t).close("launchTemplate");
                }
                default -> throw new IllegalArgumentException(action);
            }
        }
    }

    private FakeFleet.FakeTemplate template(Map<String, String> p) {
        FakeFleet.FakeTemplate t = fleet.templates.get(p.get("LaunchTemplateId"));
        require(t != null, "InvalidLaunchTemplateId.NotFound", "no launch template " + p.get("LaunchTemplateId"));
        return t;
    }

    private FakeFleet.TemplateData data(Map<String, String> p) {
        String imageId = p.get("LaunchTemplateData.ImageId");
        require(cloud.images.containsKey(imageId), "InvalidAMIID.NotFound", "no image " + imageId);
        Map<String, String> tags = Map.of();
        for (int n = 1; p.containsKey("LaunchTemplateData.TagSpecification." + n + ".ResourceType"); n++) {
            if (p.get("LaunchTemplateData.TagSpecification." + n + ".ResourceType").equals("instance")) {
                tags = FakeEc2.tagList(p, "LaunchTemplateData.TagSpecification." + n + ".Tag");
            }
        }
        return new FakeFleet.TemplateData(imageId, p.get("LaunchTemplateData.InstanceType"),
                p.get("LaunchTemplateData.NetworkInterface.1.SecurityGroupId.1"),
                p.get("LaunchTemplateData.MetadataOptions.HttpTokens"), tags);
    }

    private static Xml template(Xml xml, FakeFleet.FakeTemplate t) {
        return xml.text("launchTemplateId", t.id).text("launchTemplateName", t.name)
                .text("defaultVersionNumber", t.defaultVersion).text("latestVersionNumber", t.versions.size())
                .text("createTime", "2026-11-25T10:00:00Z");
    }

    private static void version(Xml xml, FakeFleet.FakeTemplate t, int number) {
        FakeFleet.TemplateData d = t.versions.get(number - 1);
        xml.text("launchTemplateId", t.id).text("launchTemplateName", t.name).text("versionNumber", number)
                .text("defaultVersion", t.defaultVersion == number).open("launchTemplateData")
                .text("imageId", d.imageId()).text("instanceType", d.instanceType())
                .open("tagSpecificationSet").open("item").text("resourceType", "instance").tags(d.instanceTags())
                .close("item").close("tagSpecificationSet").close("launchTemplateData");
    }

    private static void require(boolean condition, String code, String message) {
        if (!condition) {
            throw new FakeAws.ServiceError(400, code, message);
        }
    }
}
