package dev.tandem.ha.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that changes something and is nevertheless allowed on a node that is not the master,
 * without the override header. Brooklyn allows only its shutdown call so ({@code HaHotCheckResourceFilter});
 * {@link MasterOnlyFilter} lets such requests through in any HA state.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AnyHaState {
}
