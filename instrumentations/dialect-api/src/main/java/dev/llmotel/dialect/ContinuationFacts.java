package dev.llmotel.dialect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How one exchange takes part in a call that spans several exchanges: a conversation turn that a first request
 * starts (and whose response names the turn) and later requests follow (a stream of the answer fetched by its id, a
 * status polled until it says done, an abort). Written by the dialect; telemetry keeps such a call open between its
 * exchanges and records one span for it, from the opening exchange's start to the end of the exchange that ended it
 * ({@link ContinuationRules}). An exchange with {@link Role#NONE} (the default) is a call of its own.
 *
 * <p>The role must be set when the session is opened (from the request line); the keys and the end may be learned
 * later, from either body.
 */
public final class ContinuationFacts {
  /** What the exchange is to the call that spans several exchanges. */
  public enum Role {
    /** A call of its own. */
    NONE,
    /** Starts a call that later exchanges continue, under the keys its response names. */
    OPENS,
    /** Continues (and may end) the call known by its key; records no span of its own. */
    CONTINUES
  }

  /** Keys per call at most (e.g. a conversation id and a stream id). */
  static final int MAX_KEYS = 2;

  private Role role = Role.NONE;
  private List<String> keys = Collections.emptyList();
  private boolean ends;

  /** At open: this exchange starts a call that continues in later exchanges. */
  public void opens() {
    role = Role.OPENS;
  }

  /** At open: this exchange continues the call known by {@code key} (null while the key is not known yet). */
  public void continues(String key) {
    role = Role.CONTINUES;
    addKey(key);
  }

  /** A key under which the call is known; blank keys and keys past {@value #MAX_KEYS} are ignored. */
  public void addKey(String key) {
    if (key == null || key.isEmpty() || keys.contains(key) || keys.size() >= MAX_KEYS) return;
    if (keys.isEmpty()) keys = new ArrayList<>(MAX_KEYS);
    keys.add(key);
  }

  /** The call is over with this exchange (its end marker, a status that says it is done, an abort). */
  public void end() {
    ends = true;
  }

  public Role role() {
    return role;
  }

  /** The keys learned so far, first learned first; empty when none. */
  public List<String> keys() {
    return keys;
  }

  /** The first key, or null. */
  public String key() {
    return keys.isEmpty() ? null : keys.get(0);
  }

  public boolean ends() {
    return ends;
  }
}
