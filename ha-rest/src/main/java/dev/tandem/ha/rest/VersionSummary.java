package dev.tandem.ha.rest;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON of {@code GET /v1/server/version}, field for field Brooklyn's {@code VersionSummary}.
 *
 * @param version     the product version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param buildSha1   the git commit it was built from, or null when the build did not record one
 * @param buildBranch the git branch it was built from, or null when the build did not record one
 * @param features    the product's bundles, as Brooklyn lists its feature bundles
 */
public record VersionSummary(String version, String buildSha1, String buildBranch, List<Feature> features) {

    public VersionSummary {
        Objects.requireNonNull(version, "version");
        features = List.copyOf(features);
    }

    /**
     * One bundle, as Brooklyn's {@code BrooklynFeatureSummary}.
     *
     * @param name         the bundle's name ({@code Bundle-Name})
     * @param symbolicName its symbolic name
     * @param version      its version
     * @param lastModified when it was built ({@code Bnd-LastModified}, epoch millis), or null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Feature(String name, String symbolicName, String version, String lastModified) {
        public Feature {
            Objects.requireNonNull(symbolicName, "symbolicName");
        }
    }
}
