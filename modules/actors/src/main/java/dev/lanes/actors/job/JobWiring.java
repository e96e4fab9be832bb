package dev.lanes.actors.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.usage.UsageLedger;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * What a job entity talks to: its backend's arbiter, its instance's ledger, its session, the read
 * model.
 */
public record JobWiring(
    Clock clock,
    JobIndex index,
    Function<String, ActorRef<QueueArbiter.Command>> arbiters,
    Function<String, RecipientRef<UsageLedger.Command>> ledgers,
    Function<String, RecipientRef<SessionEntity.Command>> sessions,
    Duration askTimeout) {}
