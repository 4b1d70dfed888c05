package dev.llmotel.agent.installer;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.config.AgentLog;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Wires each {@link HookInstrumentation}'s advice into the JVM with ByteBuddy. Advice is inlined; the only types it
 * references are the JDK's and the bootstrap bridge's, and a read edge to the bridge is added for classes in named
 * modules (java.net.http). The agent's own classes and loaders are never transformed.
 */
final class HookTransformers {
  private HookTransformers() {}

  static void install(Instrumentation inst, List<HookInstrumentation> hooks) {
    ClassLoader agentLoader = HookTransformers.class.getClassLoader();
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(new FailureListener())
        .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.llmotel.")).or(isSynthetic()),
            HelperLoaders::isAgentLoader)
        .assureReadEdgeTo(inst, Bridges.class);
    for (HookInstrumentation hook : hooks) {
      hook.install();
      HelperLoaders.registerHelperPackages(hook.helperPackages());
      AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice()
          .include(agentLoader)
          .withExceptionHandler(net.bytebuddy.asm.Advice.ExceptionHandler.Default.SUPPRESSING);
      for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : hook.advice().entrySet()) {
        advice = advice.advice(e.getKey(), e.getValue());
      }
      builder = builder.type(hook.typeMatcher()).transform(advice);
    }
    builder.installOn(inst);
  }

  /** Reports transformation failures in debug mode only; a failed hook leaves its class untouched. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      AgentLog.debug("could not instrument " + typeName + ": " + throwable);
    }

    @Override
    public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
        boolean loaded, DynamicType dynamicType) {
      AgentLog.debug("instrumented " + typeDescription.getName());
    }
  }
}
