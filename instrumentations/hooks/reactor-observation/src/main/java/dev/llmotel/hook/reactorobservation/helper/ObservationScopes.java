package dev.llmotel.hook.reactorobservation.helper;

import dev.llmotel.bootstrap.CallHook;
import io.micrometer.observation.Observation;
import reactor.core.CoreSubscriber;

/**
 * The per-loader half (Reactor's and Micrometer's types): opens the scope of the GenAI client observation the
 * subscriber's context holds, for the length of the subscription call, and closes it after. Never throws.
 */
public final class ObservationScopes implements CallHook {
  /** Micrometer's key of the current observation in a Reactor context ({@code ObservationThreadLocalAccessor.KEY}). */
  static final String KEY = "micrometer.observation";
  /** The name of the GenAI client observations (Spring AI's chat and embedding model calls). */
  static final String GENAI_OPERATION = "gen_ai.client.operation";

  @Override
  public Object enter(Object source, Object[] args) {
    try {
      Object held = ((CoreSubscriber<?>) args[0]).currentContext().getOrDefault(KEY, null);
      if (!(held instanceof Observation)) return null;
      Observation observation = (Observation) held;
      if (observation.isNoop() || !GENAI_OPERATION.equals(observation.getContextView().getName())) return null;
      return observation.openScope();
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    try {
      ((Observation.Scope) token).close();
    } catch (Throwable ignored) {
      // the application's subscription goes on as it was
    }
  }
}
