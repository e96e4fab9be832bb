package dev.lanes.actors.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.usage.UsageLedger;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/** What a session entity talks to: its backend's arbiter, its instance's ledger, the read model. */
public record SessionWiring(
    Clock clock,
    SessionIndex index,
    Function<String, ActorRef<QueueArbiter.Command>> arbiters,
    Function<String, RecipientRef<UsageLedger.Command>> ledgers,
    Duration askTimeout) {}
