package dev.lanes.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A bad configuration stops the node at start with a message naming the key (issue 4, config.md). */
class LanesSettingsTest {
  private static LanesSettings load(String hocon) {
    return LanesSettings.create(LanesSettings.load(ConfigFactory.parseString(hocon)));
  }

  private static void refused(String hocon, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(hocon));
    assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
  }

  @Test
  void theDefaultsLoad() {
    LanesSettings s = load("");
    assertEquals(2, s.backends().size());
    assertEquals(Duration.ofSeconds(60), s.sessionInteractiveTtl());
    assertEquals(5, s.backend("sim_kyiv").orElseThrow().lanes());
    assertEquals(new LanesSettings.Audit(true, Duration.ofDays(90)), s.audit()); // issue 8, item 5
  }

  @Test
  void badValuesAreRefusedNamingTheirKey() {
    refused("lanes.backends = [ { name = a, lanes = -1 } ]", "lanes.backends[0].lanes");
    refused("lanes.backends = [ { name = a, lanes = 0 } ]", "lanes.backends[0].lanes");
    refused("lanes.backends = [ { name = a }, { name = a } ]", "lanes.backends[1].name");
    refused("lanes.backends = [ { name = a, timing.shot-time = fast } ]", "lanes.backends[0].timing.shot-time");
    refused("lanes.backends = [ { name = a, timing.prep-per-circuit = -1ms } ]", "lanes.backends[0].timing.prep-per-circuit");
    refused("lanes.backends = [ { name = a, status = broken } ]", "lanes.backends[0].status");
    refused("lanes.backends = [ { name = a, calibration.every = soon } ]", "lanes.backends[0].calibration.every");
    refused("lanes.sessions.interactive-ttl = 10 parsecs", "lanes.sessions.interactive-ttl");
    refused("lanes.sessions.max-ttl = 0s", "lanes.sessions.max-ttl");
    refused("lanes.fair-share.max-wait = -1h", "lanes.fair-share.max-wait");
    refused("lanes.jobs.max-tags = -2", "lanes.jobs.max-tags");
    refused("lanes.http.port = 70000", "lanes.http.port");
    refused("lanes.storage = mysql", "lanes.storage");
    refused("lanes.instances = [ { id = x }, { id = x } ]", "lanes.instances[1].id");
    refused("lanes.instances = [ { id = x, allocation-seconds = -5 } ]", "lanes.instances[0].allocation-seconds");
    refused("lanes.tokens = [ { token = t, user = u, instances = [nobody] } ]", "lanes.tokens[0].instances");
    refused("lanes.tokens = [ { token = t, user = u, instances = [] }, { token = t, user = v, instances = [] } ]",
        "lanes.tokens[1].token");
    refused("lanes.audit.retention = -1d", "lanes.audit.retention");
    refused("lanes.audit.enabled = maybe", "lanes.audit.enabled");
  }

  /** SHA-256 of "abc" (FIPS 180-2's example): what {@code printf %s abc | sha256sum} prints. */
  private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void aTokenMayBeConfiguredByItsSha256AndNeitherFormKeepsThePlaintext() {
    // issue 8, item 7
    assertEquals(ABC_SHA256, LanesSettings.sha256Hex("abc"));
    LanesSettings s = load("lanes.tokens = ["
        + " { token-sha256 = \"" + ABC_SHA256.toUpperCase() + "\", user = hashed, instances = [] },"
        + " { token = plain-secret-7f3a, user = plain, instances = [], admin = true } ]");
    assertEquals("hashed", s.token("abc").orElseThrow().user());
    assertEquals("plain", s.token("plain-secret-7f3a").orElseThrow().user());
    assertTrue(s.token("abd").isEmpty());
    assertTrue(s.token(ABC_SHA256).isEmpty(), "the digest itself is not a token");
    assertTrue(s.token("").isEmpty());
    // the map is keyed by digest (what token-sha256 puts in a config file anyway), never by token
    assertTrue(!s.toString().contains("plain-secret-7f3a"), "settings do not print tokens: " + s);
  }

  @Test
  void aTokenEntryNeedsExactlyOneOfTokenAndTokenSha256AndErrorsDoNotEchoIt() {
    // issue 8, item 7: the message names the entry, never what was configured
    String secret = "s3cret-do-not-echo";
    String hash = LanesSettings.sha256Hex(secret);
    ConfigException both = refusedWithout("lanes.tokens = [ { token = a, user = u, instances = [] },"
        + " { token = " + secret + ", token-sha256 = \"" + hash + "\", user = v, instances = [] } ]",
        "lanes.tokens[1].token-sha256", secret, hash);
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    refusedWithout("lanes.tokens = [ { user = u, instances = [] } ]", "lanes.tokens[0].token", secret, hash);
    refusedWithout("lanes.tokens = [ { token-sha256 = \"" + secret + "\", user = u, instances = [] } ]",
        "lanes.tokens[0].token-sha256", secret, hash);
    refusedWithout("lanes.tokens = [ { token-sha256 = \"" + hash.substring(1) + "g\", user = u, instances = [] } ]",
        "lanes.tokens[0].token-sha256", secret, hash.substring(1));
    refusedWithout("lanes.tokens = [ { token = \"" + secret + "\", user = u, instances = [] },"
        + " { token-sha256 = \"" + hash + "\", user = v, instances = [] } ]", "lanes.tokens[1].token-sha256", secret, hash);
    refusedWithout("lanes.tokens = [ { token = \"  \", user = u, instances = [] } ]", "lanes.tokens[0].token", secret, hash);
  }

  private static ConfigException refusedWithout(String hocon, String key, String... secrets) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(hocon));
    assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
    for (String secret : secrets) {
      assertTrue(!e.getMessage().contains(secret), "message must not echo '" + secret + "': " + e.getMessage());
    }
    return e;
  }

  @Test
  void issue8_idempotencyKeyTtlAndJobsPerMinute() {
    LanesSettings s = load("");
    assertEquals(Duration.ofHours(24), s.idempotencyKeyTtl());
    assertEquals(0, s.jobsPerMinute(), "off by default");
    assertEquals(3, load("lanes.limits.jobs-per-minute = 3").jobsPerMinute());
    refused("lanes.limits.jobs-per-minute = -1", "lanes.limits.jobs-per-minute");
    refused("lanes.idempotency.key-ttl = 0s", "lanes.idempotency.key-ttl");
  }
}
