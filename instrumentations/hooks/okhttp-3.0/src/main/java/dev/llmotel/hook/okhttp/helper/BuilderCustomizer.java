package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.bootstrap.ObjectHook;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Leaves exactly one {@link LlmInterceptor} on a builder. Runs at the end of every builder constructor; OkHttp 4 and
 * 5's copy constructor ({@code client.newBuilder()}, which openai-java calls for every request) first runs the
 * no-argument one (which adds ours) and then copies the client's interceptors (ours again), so duplicates are removed
 * here, keeping the first.
 *
 * <p>The interceptor keeps no state of its own, so every builder of this library copy gets the same instance: adding it
 * allocates nothing, and the list is read by index, without an iterator (the whole list is still read, as before, to
 * drop any further copy of ours: a client the application gave two; it is one or a few entries long).
 */
public final class BuilderCustomizer implements ObjectHook {
  private static final LlmInterceptor SHARED = new LlmInterceptor();
  private static final String NAME = LlmInterceptor.class.getName();

  @Override
  public void apply(Object target) {
    OkHttpClient.Builder builder = (OkHttpClient.Builder) target;
    List<Interceptor> interceptors = builder.interceptors();
    int first = -1;
    for (int i = 0; i < interceptors.size(); i++) {
      if (!isOurs(interceptors.get(i))) continue;
      if (first < 0) {
        first = i;
      } else {
        interceptors.remove(i--);
      }
    }
    if (first < 0) builder.addInterceptor(SHARED);
  }

  /** Ours, from this helper loader or another one (matched by name, as before). */
  private static boolean isOurs(Interceptor interceptor) {
    Class<?> type = interceptor.getClass();
    return type == LlmInterceptor.class || type.getName().equals(NAME);
  }
}
