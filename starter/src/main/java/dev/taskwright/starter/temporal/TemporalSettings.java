package dev.taskwright.starter.temporal;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;

/**
 * Where Temporal is and how to talk to it, read through Temporal's own conventions ({@code
 * TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS_*},
 * {@code TEMPORAL_PROFILE} and the {@code temporal.toml} file), so one setup serves the {@code
 * temporal} CLI, the Web UI's users and taskwright alike.
 *
 * @param address host:port of the frontend service
 * @param namespace the namespace tasks live in
 * @param profile the loaded client profile, for API key, TLS and gRPC metadata
 */
public record TemporalSettings(String address, String namespace, ClientConfigProfile profile) {

  /** Where a local development server listens, as in {@code temporal server start-dev}. */
  public static final int DEFAULT_PORT = 7233;

  public static final String DEFAULT_ADDRESS = "127.0.0.1:" + DEFAULT_PORT;
  public static final String DEFAULT_NAMESPACE = "default";

  public static TemporalSettings fromEnvironment(CliEnvironment environment) {
    ClientConfigProfile profile;
    try {
      profile =
          ClientConfigProfile.load(
              LoadClientConfigProfileOptions.newBuilder()
                  .setEnvOverrides(environment.variables())
                  .build());
    } catch (IOException | RuntimeException e) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "cannot read the Temporal client configuration (TEMPORAL_* variables, temporal.toml): "
              + e.getMessage());
    }
    String address = blankToNull(profile.getAddress());
    String namespace = blankToNull(profile.getNamespace());
    return new TemporalSettings(
        address == null ? DEFAULT_ADDRESS : address,
        namespace == null ? DEFAULT_NAMESPACE : namespace,
        profile);
  }

  /**
   * The same settings pointed at another address (dev mode's {@code --temporal ADDRESS}, an
   * embedded server).
   */
  public TemporalSettings withAddress(String otherAddress) {
    return new TemporalSettings(otherAddress, namespace, profile);
  }

  /**
   * A plain local connection to {@code address}: no API key, no TLS. Used for the embedded server.
   */
  public static TemporalSettings local(String address) {
    return new TemporalSettings(
        address, DEFAULT_NAMESPACE, ClientConfigProfile.getDefaultInstance());
  }

  public WorkflowServiceStubsOptions.Builder stubsOptions() {
    return WorkflowServiceStubsOptions.newBuilder(profile.toWorkflowServiceStubsOptions())
        .setTarget(address);
  }

  public WorkflowClientOptions clientOptions() {
    return WorkflowClientOptions.newBuilder(profile.toWorkflowClientOptions())
        .setNamespace(namespace)
        .build();
  }

  /** The port of {@link #address}, or -1 when it has none. */
  public int port() {
    int colon = address.lastIndexOf(':');
    try {
      return colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** True when the address names this machine, so dev mode may start a server there. */
  public boolean isLoopback() {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    host = host.replace("[", "").replace("]", "");
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
