package dev.lanes.actors.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: an idempotent ask is sent again when an attempt gets no answer (its message went to
 * a node that died), until one is answered or the whole time is up.
 */
class AskRetryingTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  record Ping(int n, ActorRef<String> replyTo) {}

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void anUnansweredAttemptIsSentAgainAndTheNextAnswerCounts() throws Exception {
    TestProbe<Ping> entity = testKit.createTestProbe();
    int[] sent = {0};
    CompletableFuture<String> answer = AskRetrying.<Ping, String>ask(entity.ref(), r -> new Ping(++sent[0], r),
        Duration.ofMillis(200), Duration.ofSeconds(5), testKit.scheduler()).toCompletableFuture();
    Ping lost = entity.receiveMessage(); // as if it went to a dead node: never answered
    Ping again = entity.receiveMessage(Duration.ofSeconds(3));
    assertEquals(1, lost.n());
    assertEquals(2, again.n());
    again.replyTo().tell("pong");
    assertEquals("pong", answer.get(3, TimeUnit.SECONDS));
  }

  @Test
  void withNoAnswerAtAllItFailsWithATimeoutOnceTheTimeIsUp() {
    TestProbe<Ping> entity = testKit.createTestProbe();
    CompletableFuture<String> answer = AskRetrying.<Ping, String>ask(entity.ref(), r -> new Ping(0, r),
        Duration.ofMillis(100), Duration.ofMillis(350), testKit.scheduler()).toCompletableFuture();
    ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof java.util.concurrent.TimeoutException
        || e.getCause() instanceof akka.pattern.AskTimeoutException, e.toString());
    assertEquals(2, entity.receiveSeveralMessages(2).size(), "sent again while time was left");
  }
}
