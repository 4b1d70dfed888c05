package dev.llmotel.agent;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ServiceLoader;

/**
 * An application whose OpenTelemetry SDK autoconfigure sits in a class loader of its own, below the system loader (a
 * Spring Boot fat jar, a webapp): it looks its customizer providers up as autoconfigure does. Args: the SDK's jars.
 */
public final class ChildLoaderSdkApp {
  private ChildLoaderSdkApp() {}

  public static void main(String[] args) throws Exception {
    URL[] urls = new URL[args.length];
    for (int i = 0; i < args.length; i++) urls[i] = new File(args[i]).toURI().toURL();
    try (URLClassLoader app = new URLClassLoader(urls, ClassLoader.getSystemClassLoader())) {
      Class<?> spi = Class.forName("io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider", true,
          app);
      int providers = 0;
      for (Object provider : ServiceLoader.load(spi, app)) {
        System.out.println("provider " + provider.getClass().getName());
        providers++;
      }
      System.out.println("providers: " + providers);
    }
  }
}
