package dev.ringway.core.model;

/** A reference to an object in the same namespace (ExtensionRef, parametersRef of infrastructure). */
public record LocalObjectReference(String group, String kind, String name) {
}
