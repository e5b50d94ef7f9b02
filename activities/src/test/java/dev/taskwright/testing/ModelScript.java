package dev.taskwright.testing;

import java.util.List;

/**
 * Decides the {@link ModelReply} to each request of the agent's conversation. Side requests
 * (titles, quota probes) never reach a script. A script must look at the conversation: one that
 * always answers with a tool call makes the CLI loop until the server's request limit.
 */
@FunctionalInterface
public interface ModelScript {

  ModelReply reply(ModelRequest request);

  /**
   * Answers by how far the conversation is: the first reply to a fresh prompt, the second after the
   * model's first answer came back (with its tool result), and so on; past the end, the last reply.
   * Because it counts the turns in the request, a resumed session continues where it stopped.
   */
  static ModelScript turns(ModelReply... replies) {
    List<ModelReply> list = List.of(replies);
    return request -> list.get(Math.min(request.assistantTurns(), list.size() - 1));
  }

  /** The same reply to every request. */
  static ModelScript always(ModelReply reply) {
    return request -> reply;
  }
}
