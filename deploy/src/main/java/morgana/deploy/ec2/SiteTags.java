package morgana.deploy.ec2;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The tags a deploy's state lives in: nothing is kept on the developer's machine, so any machine can
 * resume, roll back or inspect a deploy by reading them back.
 */
public final class SiteTags {
    public static final String SITE = "morgana:site";
    public static final String BUNDLE_HASH = "morgana:bundle-hash";
    public static final String ROLE = "morgana:role";
    public static final String NAME = "Name";
    /** On snapshots: {@code started} when the upload begins, {@code sent} once CompleteSnapshot was accepted. */
    public static final String UPLOAD = "morgana:upload";

    /** The role an instance plays; images and snapshots carry no role. */
    public enum Role {
        LIVE("live"), CANDIDATE("candidate");

        final String tagValue;

        Role(String tagValue) {
            this.tagValue = tagValue;
        }

        static Optional<Role> of(String tagValue) {
            for (Role r : values()) {
                if (r.tagValue.equals(tagValue)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    private SiteTags() {
    }

    static Map<String, String> forBundle(String site, String bundleHash) {
        return Map.of(SITE, site, BUNDLE_HASH, bundleHash, NAME, "morgana-" + site + "-" + shortHash(bundleHash));
    }

    static String shortHash(String bundleHash) {
        return bundleHash.substring(0, Math.min(12, bundleHash.length()));
    }

    static List<Tag> ec2Tags(Map<String, String> tags) {
        return tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    static TagSpecification spec(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(ec2Tags(tags)).build();
    }

    static Filter siteFilter(String site) {
        return Filter.builder().name("tag:" + SITE).values(site).build();
    }

    static Map<String, String> toMap(List<Tag> tags) {
        return tags.stream().collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }
}
