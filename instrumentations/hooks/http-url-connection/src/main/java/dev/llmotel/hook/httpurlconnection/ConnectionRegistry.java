package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.config.AgentLog;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ObservedConnection} of each connection object. The JDK class cannot get a field of ours (a
 * retransformed class keeps its fields), so the state lives here, keyed by the connection's identity and held
 * weakly: an entry lives as long as its connection object, and no longer.
 *
 * <p>When a connection object with an exchange still open is collected (the application dropped it without reading
 * its body to the end, closing it or disconnecting), the exchange is ended as abandoned the next time any connection
 * passes through the hook; if none does, the exchange layer's idle reaper ends it. Bounded: one small entry per live
 * connection object the hook saw (LLM call or not), at most {@link #MAX_ENTRIES}; beyond that, new connections are
 * not observed (one debug line), which leaves them exactly as without the agent.
 */
final class ConnectionRegistry {
  static final int MAX_ENTRIES = 65536;

  private final ReferenceQueue<Object> collected = new ReferenceQueue<Object>();
  private final Map<Key, ObservedConnection> states = new HashMap<Key, ObservedConnection>();
  private final int maxEntries;
  private boolean fullReported;

  ConnectionRegistry() {
    this(MAX_ENTRIES);
  }

  ConnectionRegistry(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The connection's state, or null when the hook has not seen it. */
  ObservedConnection find(Object connection) {
    List<ObservedConnection> gone;
    ObservedConnection state;
    synchronized (this) {
      gone = expunge();
      state = states.get(new Key(connection, null));
    }
    release(gone);
    return state;
  }

  /** The connection's state, created when first seen; null when the registry is full. */
  ObservedConnection findOrCreate(Object connection) {
    List<ObservedConnection> gone;
    ObservedConnection state;
    boolean full = false;
    synchronized (this) {
      gone = expunge();
      state = states.get(new Key(connection, null));
      if (state == null) {
        if (states.size() < maxEntries) {
          state = new ObservedConnection();
          states.put(new Key(connection, collected), state);
        } else if (!fullReported) {
          fullReported = true;
          full = true;
        }
      }
    }
    release(gone);
    if (full) AgentLog.debug("HttpURLConnection hook: " + maxEntries + " live connections observed, newer ones are not");
    return state;
  }

  synchronized int size() {
    return states.size();
  }

  /** Removes the entries of collected connections; their states are released outside the lock. */
  private List<ObservedConnection> expunge() {
    List<ObservedConnection> gone = null;
    for (Object ref; (ref = collected.poll()) != null; ) {
      ObservedConnection state = states.remove(ref);
      if (state != null) {
        if (gone == null) gone = new ArrayList<ObservedConnection>(2);
        gone.add(state);
      }
    }
    if (gone != null && states.size() < maxEntries) fullReported = false;
    return gone;
  }

  private static void release(List<ObservedConnection> gone) {
    if (gone == null) return;
    for (ObservedConnection state : gone) {
      try {
        state.released();
      } catch (Throwable ignored) {
        // the others are still released
      }
    }
  }

  /** A weak identity key: equal to another key for the same live object, or to itself once collected. */
  static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) return true;
      if (!(other instanceof Key)) return false;
      Object referent = get();
      return referent != null && referent == ((Key) other).get();
    }
  }
}
