package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.bootstrap.ObjectHook;
import java.util.Iterator;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Leaves exactly one {@link LlmInterceptor} on a builder. Runs at the end of every builder constructor; OkHttp 4's
 * copy constructor first runs the no-argument one (which adds ours) and then copies the client's interceptors (ours
 * again), so duplicates are removed here, keeping the first.
 */
public final class BuilderCustomizer implements ObjectHook {
  @Override
  public void apply(Object target) {
    OkHttpClient.Builder builder = (OkHttpClient.Builder) target;
    boolean present = false;
    for (Iterator<Interceptor> it = builder.interceptors().iterator(); it.hasNext(); ) {
      if (!it.next().getClass().getName().equals(LlmInterceptor.class.getName())) continue;
      if (present) it.remove();
      present = true;
    }
    if (!present) builder.addInterceptor(new LlmInterceptor());
  }
}
