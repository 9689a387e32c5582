package dev.tandem.ha.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a change that acts on the node that receives it (its mode, its priority). On a node that is not the master
 * it is refused with 403 like any change, unless the request carries {@code Brooklyn-Allow-Non-Master-Access: true};
 * it is never redirected to the master, where it would change the master instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface ThisNodeOnly {}
