package dev.ringway.control.status;

import dev.ringway.core.parse.ParseProblem;
import dev.ringway.core.status.StatusReport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the latest statuses (stamping each condition's lastTransitionTime) and the current
 * configuration problems, and serves them to whoever asks (the admin API) or subscribes (later, the
 * Kubernetes status writer). Knows nothing about HTTP.
 */
public final class StatusStore {
    private StatusStore() {
    }

    public sealed interface Command {
    }

    /** Statuses of a published translation: they replace the previous ones. */
    public record Update(StatusReport report) implements Command {
    }

    /** The configuration problems now (they replace the previous list). */
    public record Problems(List<ParseProblem> problems, List<String> validationErrors) implements Command {
        public Problems {
            problems = List.copyOf(problems);
            validationErrors = List.copyOf(validationErrors);
        }
    }

    public record Get(ActorRef<StatusView> replyTo) implements Command {
    }

    /** Receives the current view now and after every change. */
    public record Subscribe(ActorRef<StatusView> subscriber) implements Command {
    }

    public static Behavior<Command> create(Clock clock) {
        return Behaviors.setup(ctx -> {
            ConditionTimes times = new ConditionTimes();
            List<ActorRef<StatusView>> subscribers = new ArrayList<>();
            StatusView[] view = {StatusView.EMPTY};
            return Behaviors.receive(Command.class)
                    .onMessage(Update.class, u -> {
                        Instant now = clock.instant();
                        StatusView v = view[0];
                        view[0] = new StatusView(u.report(), times.update(u.report(), now), v.problems(),
                                v.validationErrors(), now);
                        subscribers.forEach(s -> s.tell(view[0]));
                        return Behaviors.same();
                    })
                    .onMessage(Problems.class, p -> {
                        StatusView v = view[0];
                        if (!v.problems().equals(p.problems()) || !v.validationErrors().equals(p.validationErrors())) {
                            view[0] = new StatusView(v.report(), v.transitionTimes(), p.problems(), p.validationErrors(),
                                    v.updatedAt());
                            subscribers.forEach(s -> s.tell(view[0]));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Get.class, g -> {
                        g.replyTo().tell(view[0]);
                        return Behaviors.same();
                    })
                    .onMessage(Subscribe.class, s -> {
                        subscribers.add(s.subscriber());
                        ctx.watch(s.subscriber());
                        s.subscriber().tell(view[0]);
                        return Behaviors.same();
                    })
                    .onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> {
                        subscribers.remove(t.getRef());
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
