package dev.llmotel.bootstrap;

/** Called with an object the application just built (an OkHttp client builder, for example), to customise it. */
public interface ObjectHook {
  void apply(Object target);
}
