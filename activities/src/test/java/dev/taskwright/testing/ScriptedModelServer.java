package dev.taskwright.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the Anthropic Messages API that tests own: the real Claude Code CLI, pointed at it
 * with {@link #cliEnvironment(Path)}, talks to it as to the real API, and a {@link ModelScript}
 * decides every answer. Listens on 127.0.0.1 on a random port.
 *
 * <ul>
 *   <li>{@code POST /v1/messages} (the CLI adds {@code ?beta=true}): conversation requests go to
 *       the script and are answered with server-sent events exactly as the API streams them ({@code
 *       message_start}, {@code content_block_start}, {@code content_block_delta} with {@code
 *       text_delta} or {@code input_json_delta}, {@code content_block_stop}, {@code message_delta}
 *       with the stop reason and usage, {@code message_stop}), or as one JSON message when the
 *       request does not ask for a stream. Side requests (no tools, or one-token probes) get a
 *       short text without bothering the script.
 *   <li>{@code POST /v1/messages/count_tokens}: a rough count.
 *   <li>Any GET or HEAD (connectivity probes): 200.
 * </ul>
 *
 * Everything is bounded: at most {@value #MAX_MODEL_REQUESTS} model requests (then an error that
 * ends the run, so a looping script cannot spin forever) and hangs end when the server closes or
 * after {@link #MAX_HANG}.
 *
 * <pre>{@code
 * try (ScriptedModelServer model = ScriptedModelServer.start(ModelScript.turns(
 *     ModelReply.write(worktree.resolve("hello.txt"), "hello\n"),
 *     ModelReply.text("Done.\n\n## Summary\nWrote hello.txt")))) {
 *   Map<String, String> env = model.cliEnvironment(tempDir.resolve("home"));
 *   // run `claude -p ...` (or taskwright with AgentSettings(ClaudeCli.locate(), env)) in worktree
 *   assertThat(model.requests()).hasSize(2);
 *   assertThat(model.requests().get(1).lastToolResultText()).contains("File created");
 * }
 * }</pre>
 */
public final class ScriptedModelServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScriptedModelServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** More model requests than any test conversation needs; past it, the script is looping. */
  public static final int MAX_MODEL_REQUESTS = 200;

  /** The longest a {@link ModelReply#hang()} holds its request open. */
  public static final Duration MAX_HANG = Duration.ofMinutes(5);

  /** How long text and tool input pieces are in the stream, so the CLI has to reassemble them. */
  private static final int DELTA_CHARS = 24;

  /** Every HTTP request the server received. */
  public record RecordedRequest(String method, String path, String body) {}

  private final HttpServer http;
  private final ExecutorService executor;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger modelRequestCount = new AtomicInteger();
  private final AtomicInteger messageIds = new AtomicInteger();
  private final List<RecordedRequest> allRequests = new CopyOnWriteArrayList<>();
  private final List<ModelRequest> conversationRequests = new CopyOnWriteArrayList<>();
  private final List<ModelRequest> sideRequests = new CopyOnWriteArrayList<>();
  private final List<Throwable> scriptFailures = new CopyOnWriteArrayList<>();
  private volatile ModelScript script;
  private final int maxModelRequests;

  private ScriptedModelServer(ModelScript script, int maxModelRequests, int threadCount)
      throws IOException {
    this.script = script;
    this.maxModelRequests = maxModelRequests;
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threadCount,
            runnable -> {
              Thread thread = new Thread(runnable, "scripted-model-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  /** Starts a server answering with {@code script}. */
  public static ScriptedModelServer start(ModelScript script) {
    try {
      return new ScriptedModelServer(script, MAX_MODEL_REQUESTS, 16);
    } catch (IOException e) {
      throw new IllegalStateException("Could not start the scripted model server", e);
    }
  }

  /**
   * A server for benchmarks, which run thousands of conversations and dozens at once: no bound on
   * the number of requests, and a thread for each of up to 64 streams at a time.
   */
  public static ScriptedModelServer startForBenchmarks(ModelScript script) {
    try {
      return new ScriptedModelServer(script, Integer.MAX_VALUE, 64);
    } catch (IOException e) {
      throw new IllegalStateException("Could not start the scripted model server", e);
    }
  }

  /** Replaces the script, e.g. between two runs of one test. */
  public void script(ModelScript script) {
    this.script = script;
  }

  /** {@code http://127.0.0.1:<port>}: the value for {@code ANTHROPIC_BASE_URL}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /**
   * The environment that points the Claude Code CLI at this server; see {@link
   * ClaudeCli#environment}.
   */
  public Map<String, String> cliEnvironment(Path home) {
    return ClaudeCli.environment(baseUrl(), home);
  }

  /** The conversation requests the script answered, in arrival order. */
  public List<ModelRequest> requests() {
    return List.copyOf(conversationRequests);
  }

  /** Model requests the server answered itself (titles, probes). */
  public List<ModelRequest> sideRequests() {
    return List.copyOf(sideRequests);
  }

  /** Every HTTP request, including probes and token counts. */
  public List<RecordedRequest> allRequests() {
    return List.copyOf(allRequests);
  }

  /** Exceptions the script threw (each was answered with a 500); a test should expect none. */
  public List<Throwable> scriptFailures() {
    return List.copyOf(scriptFailures);
  }

  @Override
  public void close() {
    closed.countDown();
    http.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      allRequests.add(new RecordedRequest(method, exchange.getRequestURI().toString(), body));
      if (method.equals("GET") || method.equals("HEAD")) {
        sendJson(exchange, 200, JSON.createObjectNode(), method.equals("HEAD"));
      } else if (path.equals("/v1/messages/count_tokens")) {
        sendJson(
            exchange,
            200,
            JSON.createObjectNode().put("input_tokens", Math.max(1, body.length() / 4)),
            false);
      } else if (path.equals("/v1/messages")) {
        answerMessages(exchange, body);
      } else {
        sendError(
            exchange,
            ModelReply.error(404, "not_found_error", "The scripted model server has no " + path));
      }
    } catch (IOException clientWentAway) {
      // The CLI was killed mid-stream (a test of timeouts or cancellation): nothing to answer.
      log.debug("Client closed the connection: {}", clientWentAway.getMessage());
    }
  }

  private void answerMessages(HttpExchange exchange, String body) throws IOException {
    JsonNode json = JSON.readTree(body);
    Map<String, List<String>> headers = new java.util.HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    int index = modelRequestCount.getAndIncrement();
    ModelRequest request = new ModelRequest(index, json, Map.copyOf(headers));
    if (index >= maxModelRequests) {
      sendError(
          exchange,
          ModelReply.error(
              400,
              "invalid_request_error",
              "scripted model server: more than "
                  + maxModelRequests
                  + " requests; the script loops"));
      return;
    }
    ModelReply reply;
    if (request.isSideRequest()) {
      sideRequests.add(request);
      reply = ModelReply.text("Scripted task");
    } else {
      conversationRequests.add(request);
      try {
        reply = script.reply(request);
      } catch (RuntimeException | Error e) {
        scriptFailures.add(e);
        log.error("The model script failed on {}", request, e);
        sendError(
            exchange,
            ModelReply.error(500, "api_error", "scripted model server: the script failed: " + e));
        return;
      }
    }
    switch (reply.kind()) {
      case HANG -> hang();
      case HTTP_ERROR -> sendError(exchange, reply);
      case MESSAGE -> {
        if (request.streaming()) {
          stream(exchange, request, reply);
        } else {
          sendJson(exchange, 200, message(request, reply, true), false);
        }
      }
    }
  }

  private void hang() {
    try {
      closed.await(MAX_HANG.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The message object; with {@code complete} its content and stop reason are filled in. */
  private ObjectNode message(ModelRequest request, ModelReply reply, boolean complete) {
    ObjectNode message = JSON.createObjectNode();
    message.put("id", "msg_scripted_" + messageIds.incrementAndGet());
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", request.model() == null ? "scripted-model" : request.model());
    ArrayNode content = message.putArray("content");
    if (complete) {
      for (ModelReply.Block block : reply.blocks()) {
        content.add(completeBlock(block));
      }
    }
    message.put("stop_reason", complete ? reply.stopReason() : null);
    message.putNull("stop_sequence");
    ObjectNode usage = message.putObject("usage");
    usage.put("input_tokens", reply.inputTokens());
    usage.put("cache_creation_input_tokens", 0);
    usage.put("cache_read_input_tokens", 0);
    usage.put("output_tokens", complete ? reply.outputTokens() : 1);
    return message;
  }

  private ObjectNode completeBlock(ModelReply.Block block) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", block.type());
    if (block.type().equals("text")) {
      node.put("text", block.text());
    } else {
      node.put("id", "toolu_scripted_" + messageIds.incrementAndGet());
      node.put("name", block.toolName());
      node.set("input", JSON.valueToTree(block.input()));
    }
    return node;
  }

  private void stream(HttpExchange exchange, ModelRequest request, ModelReply reply)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.getResponseHeaders().add("request-id", "req_scripted_" + request.index());
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    event(
        out,
        "message_start",
        JSON.createObjectNode()
            .put("type", "message_start")
            .set("message", message(request, reply, false)));
    event(out, "ping", JSON.createObjectNode().put("type", "ping"));
    List<ModelReply.Block> blocks = reply.blocks();
    for (int index = 0; index < blocks.size(); index++) {
      ModelReply.Block block = blocks.get(index);
      ObjectNode start =
          JSON.createObjectNode().put("type", "content_block_start").put("index", index);
      String deltaType;
      String deltaField;
      String payload;
      if (block.type().equals("text")) {
        start.putObject("content_block").put("type", "text").put("text", "");
        deltaType = "text_delta";
        deltaField = "text";
        payload = block.text();
      } else {
        ObjectNode toolUse = start.putObject("content_block");
        toolUse
            .put("type", "tool_use")
            .put("id", "toolu_scripted_" + messageIds.incrementAndGet())
            .put("name", block.toolName());
        toolUse.putObject("input");
        deltaType = "input_json_delta";
        deltaField = "partial_json";
        payload = JSON.writeValueAsString(block.input());
      }
      event(out, "content_block_start", start);
      for (String piece : pieces(payload)) {
        pause(reply.delayBetweenDeltas());
        ObjectNode delta =
            JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
        delta.putObject("delta").put("type", deltaType).put(deltaField, piece);
        event(out, "content_block_delta", delta);
      }
      event(
          out,
          "content_block_stop",
          JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
    }
    ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", reply.stopReason()).putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", reply.outputTokens());
    event(out, "message_delta", messageDelta);
    event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
  }

  private static List<String> pieces(String payload) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < payload.length(); i += DELTA_CHARS) {
      pieces.add(payload.substring(i, Math.min(payload.length(), i + DELTA_CHARS)));
    }
    if (pieces.isEmpty()) {
      pieces.add("");
    }
    return pieces;
  }

  private void pause(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void event(OutputStream out, String name, JsonNode data) throws IOException {
    out.write(
        ("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sendError(HttpExchange exchange, ModelReply reply) throws IOException {
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    ObjectNode body = JSON.createObjectNode().put("type", "error");
    body.putObject("error").put("type", reply.errorType()).put("message", reply.errorMessage());
    sendJson(exchange, reply.httpStatus(), body, false);
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode body, boolean headOnly)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (headOnly) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
