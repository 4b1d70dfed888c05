import dev.llmotel.hook.AdviceWeaver;
import dev.llmotel.hook.HookInstrumentation;
import java.io.File;
import java.io.InputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * The cost of weaving the OkHttp hooks' advice into OkHttp's classes in a fresh JVM, as the application thread that
 * first loads them pays it: {@code old} through ByteBuddy's decorate(..).visit(advice).make() (the installer before
 * issue 13's third session), {@code new} through AdviceWeaver (one ASM pass). Prints this thread's CPU time, its
 * allocated bytes, the classes loaded meanwhile and the woven bytes (equal in both modes). See BENCHMARKS.md,
 * "Weaving at start-up (issue 13, third session)", for the command.
 *
 * <p>args: old|new, then the jars of OkHttp and its dependencies (the application's class path)
 */
public class WeaveCost {
  public static void main(String[] args) throws Exception {
    boolean old = args[0].equals("old");
    URL[] urls = new URL[args.length - 1];
    for (int i = 1; i < args.length; i++) urls[i - 1] = new File(args[i]).toURI().toURL();
    ClassLoader app = new URLClassLoader(urls, null);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ClassLoadingMXBean classLoading = ManagementFactory.getClassLoadingMXBean();
    long self = Thread.currentThread().getId();
    List<HookInstrumentation> hooks = new ArrayList<>();
    for (String n : new String[] {"dev.llmotel.hook.okhttp.OkHttpInstrumentation",
        "dev.llmotel.hook.okhttp.OkHttpEnqueueInstrumentation"}) {
      hooks.add((HookInstrumentation) Class.forName(n).getDeclaredConstructor().newInstance());
    }
    List<byte[]> classFiles = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<HookInstrumentation> owners = new ArrayList<>();
    for (HookInstrumentation hook : hooks) {
      for (String name : hook.typeNames()) {
        try (InputStream in = app.getResourceAsStream(name.replace('.', '/') + ".class")) {
          if (in == null) continue;
          classFiles.add(in.readAllBytes());
          names.add(name);
          owners.add(hook);
        }
      }
    }
    long classes0 = classLoading.getTotalLoadedClassCount();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long alloc0 = threads.getThreadAllocatedBytes(self);
    ClassFileLocator agent = ClassFileLocator.ForClassLoader.of(WeaveCost.class.getClassLoader());
    TypePool agentPool = TypePool.Default.WithLazyResolution.of(agent);
    int bytes = 0;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      byte[] classFile = classFiles.get(i);
      ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
          ClassFileLocator.ForClassLoader.of(app), agent);
      TypeDescription type = TypePool.Default.WithLazyResolution.of(locator).describe(name).resolve();
      byte[] woven;
      if (old) {
        DynamicType.Builder<?> builder = new ByteBuddy().with(TypeValidation.DISABLED).decorate(type, locator);
        for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : owners.get(i).advice().entrySet()) {
          if (type.getDeclaredMethods().filter(e.getKey()).isEmpty()) continue;
          builder = builder.visit(Advice.to(agentPool.describe(e.getValue()).resolve(), agent).on(e.getKey()));
        }
        woven = builder.make().getBytes();
      } else {
        MethodList<MethodDescription.InDefinedShape> methods = AdviceWeaver.advisableMethods(type);
        List<AsmVisitorWrapper> wrappers = new ArrayList<>();
        for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : owners.get(i).advice().entrySet()) {
          if (methods.filter(e.getKey()).isEmpty()) continue;
          wrappers.add(Advice.to(agentPool.describe(e.getValue()).resolve(), agent).on(e.getKey()));
        }
        woven = AdviceWeaver.weave(type, classFile, new AsmVisitorWrapper.Compound(wrappers), methods);
      }
      bytes += woven.length;
    }
    System.out.printf("%s woven=%d bytes=%d threadCpuMs=%.1f allocKB=%d classesLoaded=%d%n", args[0], names.size(),
        bytes, (threads.getCurrentThreadCpuTime() - cpu0) / 1e6, (threads.getThreadAllocatedBytes(self) - alloc0) / 1024,
        classLoading.getTotalLoadedClassCount() - classes0);
  }
}
