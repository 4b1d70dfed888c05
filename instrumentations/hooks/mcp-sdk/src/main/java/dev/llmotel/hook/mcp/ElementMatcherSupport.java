package dev.llmotel.hook.mcp;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Each advice on the one class that declares its method (both session classes have a {@code sendRequest}). */
final class ElementMatcherSupport {
  private ElementMatcherSupport() {}

  static ElementMatcher.Junction<MethodDescription> declaredBy(String typeName) {
    return isDeclaredBy(named(typeName));
  }
}
