package dev.lanes.http;

import akka.http.javadsl.model.HttpRequest;
import dev.lanes.actors.LanesSettings;
import java.util.Optional;

/**
 * Bearer (or {@code apikey}) tokens and instances from config (api.md "Conventions"): unknown or
 * missing token → 401; an instance the token does not have → 403; {@code Service-CRN} is needed
 * only when the token has several instances.
 */
final class Auth {
  private final LanesSettings settings;

  Auth(LanesSettings settings) {
    this.settings = settings;
  }

  /** The token of {@code Authorization: Bearer <token>} (or {@code apikey <token>}), if any. */
  private static String presentedToken(HttpRequest request) {
    String header = request.getHeader("Authorization").map(h -> h.value().trim()).orElse("");
    int space = header.indexOf(' ');
    if (space > 0) {
      String scheme = header.substring(0, space);
      if (scheme.equalsIgnoreCase("bearer") || scheme.equalsIgnoreCase("apikey")) {
        return header.substring(space + 1).trim();
      }
    }
    return null;
  }

  private LanesSettings.TokenSettings tokenOf(String token) {
    return token == null ? null : settings.token(token).orElse(null);
  }

  Principal authenticate(HttpRequest request) {
    String token = presentedToken(request);
    LanesSettings.TokenSettings t = tokenOf(token);
    if (t == null) {
      throw new ApiException(401, token == null
          ? "missing Authorization header: use 'Authorization: Bearer <token>'"
          : "invalid token");
    }
    Optional<String> crn = request.getHeader("Service-CRN").map(h -> h.value().trim()).filter(s -> !s.isEmpty());
    String instance;
    if (crn.isPresent()) {
      if (!t.instances().contains(crn.get())) {
        throw new ApiException(403, "token has no access to instance '" + crn.get() + "' (Service-CRN)");
      }
      instance = crn.get();
    } else if (t.instances().size() == 1) {
      instance = t.instances().get(0);
    } else if (t.instances().isEmpty()) {
      instance = null; // an admin-only token: no instance of its own
    } else {
      throw new ApiException(400, "Service-CRN header is required: the token has several instances");
    }
    return new Principal(t.user(), instance, t.admin());
  }

  static Principal requireInstance(Principal p) {
    if (p.instance() == null) {
      throw new ApiException(403, "token has no instance");
    }
    return p;
  }

  /**
   * Who calls, for the audit log, also when the call is refused: the token's user and admin flag
   * ({@code null} user for a missing or unknown token), and the instance only when the token may
   * use it. Never the token itself.
   */
  Principal identify(HttpRequest request) {
    try {
      return authenticate(request);
    } catch (ApiException refused) {
      if (refused.status() == 401) {
        return new Principal(null, null, false);
      }
      // a good token, refused for the instance it asked for
      LanesSettings.TokenSettings t = tokenOf(presentedToken(request));
      return t == null ? new Principal(null, null, false) : new Principal(t.user(), null, t.admin());
    }
  }
}
