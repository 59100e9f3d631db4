package io.kairos.gateway.domain;

/** An event source of a workspace (a website, an app, a back end, a POS...) as an admin asks for it. */
public record SourceDefinition(String name, SourceChannel channel) {

    public static SourceDefinition of(String name, String channel) {
        return new SourceDefinition(DisplayName.require(name, "/name"), SourceChannel.parse(channel, "/channel"));
    }
}
