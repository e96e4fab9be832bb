package dev.lanes.actors.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.TestJobs;
import dev.lanes.core.usage.Charge;
import dev.lanes.core.usage.LedgerState;
import dev.lanes.core.usage.UsageBook;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {
  static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseString("akka.actor.provider = local")).withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aChargeRetriedAfterARestartIsNeverDoubled() {
    // R27
    UsageBook book = new UsageBook(Duration.ofDays(28));
    var kit = EventSourcedBehaviorTestKit.<UsageLedger.Command, Charge, LedgerState>create(testKit.system(),
        UsageLedger.create("crn:ledger-test", Clock.fixed(TestJobs.T0, ZoneOffset.UTC), book),
        // The ledger takes no snapshots, so only its events must serialise.
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    Charge c = new Charge("job:1", "job", 4.0, TestJobs.T0);
    var first = kit.<Done>runCommand(r -> new UsageLedger.Record(c, r));
    assertEquals(1, first.events().size());
    kit.restart();
    var retry = kit.<Done>runCommand(r -> new UsageLedger.Record(c, r));
    assertEquals(0, retry.events().size());
    kit.<Done>runCommand(r -> new UsageLedger.Record(new Charge("job:2", "job", 1.5, TestJobs.T0), r));
    var usage = kit.<UsageLedger.Usage>runCommand(r -> new UsageLedger.GetUsage(Duration.ofDays(28), r));
    assertEquals(5.5, usage.reply().windowSeconds(), 1e-9);
    assertEquals(2, usage.reply().charges());
    // the node's read model heard each charge once, the retry not at all (R5c, R8 rank by it)
    assertEquals(5.5, book.windowSeconds("crn:ledger-test", TestJobs.T0), 1e-9);
  }
}
