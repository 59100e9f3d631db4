package io.kairos.gateway.api;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An endpoint for frontends, called on behalf of one visitor: {@link VisitorIdentification}
 * authenticates the write key and resolves the visitor before the endpoint runs, into
 * {@link IdentifiedVisitor}.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface VisitorEndpoint {
}
