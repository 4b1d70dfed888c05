package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.bootstrap.ObjectHook;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/** Adds the {@link LlmInterceptor} to a builder once (a builder copied from a client already carries it). */
public final class BuilderCustomizer implements ObjectHook {
  @Override
  public void apply(Object target) {
    OkHttpClient.Builder builder = (OkHttpClient.Builder) target;
    for (Interceptor existing : builder.interceptors()) {
      if (existing.getClass().getName().equals(LlmInterceptor.class.getName())) return;
    }
    builder.addInterceptor(new LlmInterceptor());
  }
}
