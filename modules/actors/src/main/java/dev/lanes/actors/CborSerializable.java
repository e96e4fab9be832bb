package dev.lanes.actors;

/** Marker for messages and state that cross the wire or the journal: bound to jackson-cbor. */
public interface CborSerializable {}
