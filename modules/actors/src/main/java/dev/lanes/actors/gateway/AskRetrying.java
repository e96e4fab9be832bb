package dev.lanes.actors.gateway;

import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * An ask that is sent again when an attempt gets no answer, for commands an entity handles
 * idempotently (a job's Submit, a Get). In a cluster (issue 6) a message sent to an entity whose
 * node has just died is lost, until the node is downed and the entity's shard moves: one short
 * attempt after another reaches the entity where it lives next, instead of one long ask that
 * times out after it already has.
 */
final class AskRetrying {
  private AskRetrying() {}

  static <Q, R> CompletionStage<R> ask(RecipientRef<Q> to, Function<ActorRef<R>, Q> message, Duration attempt,
      Duration total, Scheduler scheduler) {
    return attempt(to, message, attempt, System.nanoTime() + total.toNanos(), scheduler);
  }

  private static <Q, R> CompletionStage<R> attempt(RecipientRef<Q> to, Function<ActorRef<R>, Q> message,
      Duration attempt, long deadlineNanos, Scheduler scheduler) {
    long left = deadlineNanos - System.nanoTime();
    Duration timeout = Duration.ofNanos(Math.max(1_000_000, Math.min(left, attempt.toNanos())));
    return AskPattern.<Q, R>ask(to, message::apply, timeout, scheduler)
        .handle((answer, error) -> {
          if (error == null) {
            return CompletableFuture.completedFuture(answer);
          }
          Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          boolean noAnswer = e instanceof TimeoutException || e instanceof akka.pattern.AskTimeoutException;
          if (noAnswer && deadlineNanos - System.nanoTime() > 0) {
            return attempt(to, message, attempt, deadlineNanos, scheduler);
          }
          return CompletableFuture.<R>failedFuture(e);
        })
        .thenCompose(f -> f);
  }
}
