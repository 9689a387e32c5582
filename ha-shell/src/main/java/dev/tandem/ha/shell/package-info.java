/**
 * Karaf shell commands for the HA plane, scope {@code ha}: {@code ha:state}, {@code ha:states},
 * {@code ha:priority [N]}, {@code ha:mode MODE}, {@code ha:clear [NODE]}, {@code ha:stepdown [HOLD]}, with
 * completion of modes and node ids. Each calls the {@link dev.tandem.ha.api.HighAvailabilityService} as the REST
 * API does, and a refused value fails with the same message as REST's 400 (the {@code InvalidValueException}'s).
 * The managed applications: {@code ha:apps}, {@code ha:entities APP}, {@code ha:invoke APP ENTITY EFFECTOR
 * [name=value ...]}, on the {@link dev.tandem.ha.api.apps.ManagedApplications} service.
 * Found by Karaf through the bundle's {@code Karaf-Commands} header; nothing is exported.
 */
package dev.tandem.ha.shell;
