/**
 * Helpers that live inside the jclouds uber-bundle because they touch types that stay private to it
 * (Guava, Guice, jclouds' HTTP options): building blob store contexts with the right thread context class
 * loader, describing the installed providers, and S3 conditional writes ({@code If-None-Match},
 * {@code If-Match}), which jclouds' portable {@code PutOptions} does not offer.
 */
package dev.tandem.jclouds;
