package dev.lanes.actors.session;

import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import dev.lanes.core.session.SessionStatus;
import java.util.function.Function;

/**
 * In a cluster (issue 6), a session's TTL timers live in its entity, on one node. When a node
 * leaves or dies, the sessions that lived there have no timer until something wakes them: this
 * wakes every session not closed yet, so each starts again on a node left, recovers and re-arms
 * its deadlines (one that passed meanwhile takes effect at once, R10–R15). Waking a session that
 * is alive is a read.
 */
public final class SessionKeeper {
  private SessionKeeper() {}

  public static Behavior<ClusterEvent.MemberRemoved> create(SessionIndex index,
      Function<String, RecipientRef<SessionEntity.Command>> sessions) {
    return Behaviors.setup(ctx -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberRemoved.class));
      return Behaviors.receiveMessage(removed -> {
        int woken = wakeAll(index, sessions, ctx.getSystem().ignoreRef());
        ctx.getLog().info("{} left the cluster: woke {} open sessions", removed.member().address(), woken);
        return Behaviors.same();
      });
    });
  }

  /** Wakes every session not closed (also after storage returns, issue 8); answers how many. */
  public static int wakeAll(SessionIndex index, Function<String, RecipientRef<SessionEntity.Command>> sessions,
      akka.actor.typed.ActorRef<dev.lanes.core.session.SessionView> nobody) {
    int woken = 0;
    for (var view : index.page(v -> v.status() != SessionStatus.CLOSED, 0, Integer.MAX_VALUE).sessions()) {
      sessions.apply(view.id()).tell(new SessionEntity.Get(nobody));
      woken++;
    }
    return woken;
  }
}
