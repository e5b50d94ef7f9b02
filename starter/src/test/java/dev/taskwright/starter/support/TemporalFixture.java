package dev.taskwright.starter.support;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.starter.temporal.EmbeddedTemporal;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.starter.worker.TaskwrightWorker;
import dev.taskwright.starter.worker.WorkerSettings;
import io.temporal.api.testservice.v1.SleepRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import java.time.Duration;
import java.time.Instant;

/**
 * An in-process Temporal server on a free loopback port, a client on it, and optionally a worker.
 */
public final class TemporalFixture implements AutoCloseable {

  private final EmbeddedTemporal server;
  private final TemporalConnection connection;
  private TaskwrightWorker worker;
  private LedgerDatabase ledger;

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

  /**
   * Starts a worker whose ledger is a fresh database on the tests' shared PostgreSQL (the same one
   * after a restart).
   */
  public TemporalFixture withWorker(WorkerSettings settings) {
    if (ledger == null) {
      ledger = TestDatabase.fresh();
    }
    worker = TaskwrightWorker.start(connection.client(), settings, ledger);
    return this;
  }

  /** The ledger the worker writes, once {@link #withWorker} started one. */
  public LedgerDatabase ledger() {
    return ledger;
  }

  /** The server's clock (the wall clock, unless a test let time pass). */
  public Instant serverTime() {
    try (TestTime time = new TestTime()) {
      Timestamp now =
          time.stubs.blockingStub().getCurrentTime(Empty.getDefaultInstance()).getTime();
      return Instant.ofEpochSecond(now.getSeconds(), now.getNanos());
    }
  }

  /**
   * Lets {@code duration} of server time pass at once, as if the server had waited that long: its
   * time skipping (locked in {@link EmbeddedTemporal}) is unlocked until its clock has moved on by
   * {@code duration}, and locked again. While unlocked, the clock jumps to each due timer as soon
   * as no workflow or activity task is in flight, so only a task that waits on a durable timer is
   * affected; a running agent is not.
   */
  public void letServerTimePass(Duration duration) {
    try (TestTime time = new TestTime()) {
      time.stubs
          .blockingStub()
          .unlockTimeSkippingWithSleep(
              SleepRequest.newBuilder()
                  .setDuration(
                      com.google.protobuf.Duration.newBuilder()
                          .setSeconds(duration.getSeconds())
                          .setNanos(duration.getNano()))
                  .build());
    }
  }

  /** The test server's own service, which controls its clock. */
  private final class TestTime implements AutoCloseable {
    final TestServiceStubs stubs =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder()
                .setTarget(address())
                .validateAndBuildWithDefaults());

    @Override
    public void close() {
      stubs.shutdownNow();
    }
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
    if (ledger != null) {
      ledger.close();
    }
  }
}
