package io.aimstore.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM's and the process's own meters, from Micrometer's binders: heap and non-heap memory
 * ({@code jvm_memory_*}), GC pauses ({@code jvm_gc_*}), threads, classes, JVM version, CPU ({@code
 * process_cpu_usage}, {@code system_cpu_usage}), open file descriptors ({@code process_files_*}),
 * uptime and start time ({@code process_uptime_seconds}, {@code process_start_time_seconds}).
 */
public final class ProcessMeters implements AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private ProcessMeters() {}

  /** Registers them with {@code registry}; close to stop listening for GC events. */
  public static ProcessMeters bindTo(MeterRegistry registry) {
    ProcessMeters m = new ProcessMeters();
    new JvmMemoryMetrics().bindTo(registry);
    m.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return m;
  }

  @Override
  public void close() {
    gc.close();
  }
}
