package dev.taskwright.starter.support;

import dev.taskwright.starter.temporal.EmbeddedTemporal;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.starter.worker.TaskwrightWorker;
import dev.taskwright.starter.worker.WorkerSettings;
import io.temporal.client.WorkflowClient;

/** An in-process Temporal server on a free loopback port, a client on it, and optionally a worker. */
public final class TemporalFixture implements AutoCloseable {

  private final EmbeddedTemporal server;
  private final TemporalConnection connection;
  private TaskwrightWorker worker;

  private TemporalFixture() {
    this.server = EmbeddedTemporal.start(0);
    this.connection = TemporalConnection.connect(TemporalSettings.local(server.address()));
  }

  public static TemporalFixture start() {
    return new TemporalFixture();
  }

  public String address() {
    return server.address();
  }

  public WorkflowClient client() {
    return connection.client();
  }

  public TemporalFixture withWorker(WorkerSettings settings) {
    worker = TaskwrightWorker.start(connection.client(), settings);
    return this;
  }

  public void stopWorker() {
    if (worker != null) {
      worker.close();
      worker = null;
    }
  }

  @Override
  public void close() {
    stopWorker();
    connection.close();
    server.close();
  }
}
