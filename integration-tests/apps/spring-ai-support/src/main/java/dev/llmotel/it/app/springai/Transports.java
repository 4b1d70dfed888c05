package dev.llmotel.it.app.springai;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which HTTP transport a model object really holds: walks its fields (Spring, Spring AI and SDK objects only, a bounded
 * number) and names the innermost {@code ClientHttpRequestFactory} (RestClient), the {@code ClientHttpConnector}
 * (WebClient) and any OkHttp client it finds. Shared by the Spring AI 1.x and 2.x apps (JDK only, so either class path
 * runs it). Deterministic for a given class path, so it may go to stdout.
 */
public final class Transports {
  private static final int MAX_OBJECTS = 5000;

  private Transports() {}

  public static String describe(Object root) {
    Set<String> found = new TreeSet<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> queue = new ArrayDeque<>();
    queue.add(root);
    while (!queue.isEmpty() && seen.size() < MAX_OBJECTS) {
      Object o = queue.poll();
      if (o == null || !seen.add(o)) continue;
      String kind = transportKind(o);
      if (kind != null) found.add(kind);
      if (!explorable(o.getClass())) continue;
      for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
          try {
            f.setAccessible(true);
            Object value = f.get(o);
            if (value != null) queue.add(value);
          } catch (RuntimeException | IllegalAccessException e) {
            // not readable: not ours to know
          }
        }
      }
    }
    return found.isEmpty() ? "none found" : String.join(", ", found);
  }

  private static String transportKind(Object o) {
    if (isA(o.getClass(), "org.springframework.http.client.ClientHttpRequestFactory")
        && !isA(o.getClass(), "org.springframework.http.client.AbstractClientHttpRequestFactoryWrapper")) {
      return "RestClient -> " + o.getClass().getSimpleName();
    }
    if (isA(o.getClass(), "org.springframework.http.client.reactive.ClientHttpConnector")) {
      return "WebClient -> " + o.getClass().getSimpleName();
    }
    if (o.getClass().getName().equals("okhttp3.OkHttpClient")) return "OkHttp";
    return null;
  }

  private static boolean explorable(Class<?> c) {
    String n = c.getName();
    return n.startsWith("org.springframework.") || n.startsWith("com.openai.") || n.startsWith("com.anthropic.");
  }

  private static boolean isA(Class<?> c, String typeName) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      if (k.getName().equals(typeName)) return true;
      for (Class<?> i : k.getInterfaces()) {
        if (isA(i, typeName)) return true;
      }
    }
    return false;
  }
}
