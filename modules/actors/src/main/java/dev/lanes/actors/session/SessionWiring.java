package dev.lanes.actors.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.job.JobEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a session entity talks to: its backend's arbiter, its instance's ledger, the read model;
 * {@code admitJob} takes a job the session created with its {@code JobAdded} into the jobs' read
 * model and its backend's queue ({@code JobIntake.admit}).
 */
public record SessionWiring(
    Clock clock,
    SessionIndex index,
    Function<String, ActorRef<QueueArbiter.Command>> arbiters,
    Function<String, RecipientRef<UsageLedger.Command>> ledgers,
    Duration askTimeout,
    Consumer<JobEvent.Submitted> admitJob) {}
