package dev.lanes.http;

/** Who is calling: the token's user, the instance selected for this call, and admin rights. */
public record Principal(String user, String instance, boolean admin) {}
